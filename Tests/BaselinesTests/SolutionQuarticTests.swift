@testable import Baselines
import Events
import Kinematics
import Testing
import TestSupport

/// The closed-form quartic of `KinematicSolver` (issue 13) against the companion-matrix solver
/// it replaced, and the all-solutions arrays of `KinematicSolutionEstimator` (issue 15 item 11).
@Suite struct SolutionQuarticTests {
    @Test func closedFormRootsOfKnownQuartics() {
        // (x - 1)(x - 2)(x - 3)(x - 4) = x^4 - 10 x^3 + 35 x^2 - 50 x + 24.
        let (re, im) = Quartic.roots(1, -10, 35, -50, 24)
        let sorted = (0..<4).map { re[$0] }.sorted()
        for (k, r) in sorted.enumerated() { #expect(abs(r - Double(k + 1)) < 1e-12) }
        #expect((0..<4).allSatisfy { abs(im[$0]) < 1e-12 })
        // (x^2 + 1)(x - 0.5)(x + 3) = x^4 + 2.5 x^3 - 0.5 x^2 + 2.5 x - 1.5: roots +-i, 0.5, -3.
        let (re2, im2) = Quartic.roots(1, 2.5, -0.5, 2.5, -1.5)
        let pairs = (0..<4).map { (re2[$0], im2[$0]) }
        #expect(pairs.contains { abs($0.0) < 1e-12 && abs($0.1 - 1) < 1e-12 })
        #expect(pairs.contains { abs($0.0) < 1e-12 && abs($0.1 + 1) < 1e-12 })
        #expect(pairs.contains { abs($0.0 - 0.5) < 1e-12 && abs($0.1) < 1e-12 })
        #expect(pairs.contains { abs($0.0 + 3) < 1e-12 && abs($0.1) < 1e-12 })
        // Biquadratic (q = 0): x^4 - 5 x^2 + 4 = (x^2 - 1)(x^2 - 4).
        let (re3, _) = Quartic.roots(2, 0, -10, 0, 8)
        #expect((0..<4).map { abs(re3[$0]) }.sorted().enumerated().allSatisfy { abs($1 - [1.0, 1, 2, 2][$0]) < 1e-12 })
    }

    /// Per event and pairing: the same solution count as the companion-matrix solver, and every
    /// solution within 1e-9 of the closest reference solution (relative to the larger invisible
    /// energy), on both fixtures at the true masses and off them.
    @Test func closedFormAgreesWithCompanionMatrix() throws {
        var events = 0, countMismatch = 0, solutions = 0, far = 0
        for (mA, mB, mC, ma) in [(172.5, 80.38, 0.0, 4.7), (1000.0, 800.0, 700.0, 0.0)] {
            let s = ChainFixture.ttbarLike(n: 2000, mA: mA, mB: mB, mC: mC, ma: ma, seed: 99)
            let a1 = try s.fourVectors(Key.a1), a2 = try s.fourVectors(Key.a2)
            let b1 = try s.fourVectors(Key.b1), b2 = try s.fourVectors(Key.b2), met = try s.transverse(Key.met)
            let fast = KinematicSolver(), reference = KinematicSolver(quarticMethod: .companionMatrix)
            for hypothesis in [ChainMasses(mA: mA, mB: mB, mC: mC), ChainMasses(mA: 1.03 * mA, mB: 0.98 * mB, mC: mC)] {
                for i in 0..<s.count {
                    for p in 0..<2 {
                        let (vb1, vb2) = p == 0 ? (fourVector(b1, i), fourVector(b2, i)) : (fourVector(b2, i), fourVector(b1, i))
                        let x = fast.solve(a1: fourVector(a1, i), b1: vb1, a2: fourVector(a2, i), b2: vb2,
                                           metX: met[2 * i], metY: met[2 * i + 1], masses: hypothesis)
                        let y = reference.solve(a1: fourVector(a1, i), b1: vb1, a2: fourVector(a2, i), b2: vb2,
                                                metX: met[2 * i], metY: met[2 * i + 1], masses: hypothesis)
                        events += 1
                        guard x.count == y.count else { countMismatch += 1; continue }
                        for (u1, u2) in x.all {
                            let d = y.all.map { max(maxDifference(u1, $0.c1), maxDifference(u2, $0.c2)) / max($0.c1.e, $0.c2.e) }.min() ?? 0
                            solutions += 1
                            if d > 1e-9 { far += 1 }
                        }
                    }
                }
            }
        }
        // Measured on these 16000 systems: 0-1 count mismatches and about 0.1% of solutions beyond
        // 1e-9, all at near-tangent conics (two solutions a few 1e-3 apart), where the solutions are
        // ill-conditioned and either root finder's rounding decides which of the pair Newton reaches.
        #expect(countMismatch <= 2, "count mismatches \(countMismatch) of \(events)")
        #expect(Double(far) <= 0.003 * Double(solutions), "\(far) of \(solutions) solutions beyond 1e-9")
    }

    @Test func estimatorWritesEverySolutionOfEveryPairing() throws {
        let masses = ChainMasses(mA: 172.5, mB: 80.38, mC: 0)
        let s = ChainFixture.ttbarLike(n: 300, mA: 172.5, mB: 80.38, mC: 0, ma: 4.7, seed: 63)
        let r = try KinematicSolutionEstimator.run(sample: s, pairing: .unknown, masses: masses)
        let all1 = try #require(r.perEvent["all_C1"]), all2 = try #require(r.perEvent["all_C2"])
        let counts = try #require(r.perEvent["all_n_solutions"])
        #expect(all1.shape == [300, 2, 4, 4] && all2.shape == [300, 2, 4, 4] && counts.shape == [300, 2])
        let v1 = try #require(all1.doubles), v2 = try #require(all2.doubles), n = try #require(counts.integers)
        let c1 = try r.perEvent.fourVectors("C1"), c2 = try r.perEvent.fourVectors("C2")
        let used = try #require(r.perEvent["pairing_used"]?.integers), nSol = try #require(r.perEvent["n_solutions"]?.integers)
        let status = try #require(r.perEvent["status"]?.integers)
        let a1 = try s.fourVectors(Key.a1), a2 = try s.fourVectors(Key.a2)
        let b1 = try s.fourVectors(Key.b1), b2 = try s.fourVectors(Key.b2), met = try s.transverse(Key.met)
        let solver = KinematicSolver()
        func slot(_ v: [Double], _ i: Int, _ p: Int, _ k: Int) -> FourVector { fourVector(v, 8 * i + 4 * p + k) }
        for i in 0..<s.count {
            for p in 0..<2 {
                // The counts and solutions are the solver's for that pairing (C1 on a1's chain).
                let (vb1, vb2) = p == 0 ? (fourVector(b1, i), fourVector(b2, i)) : (fourVector(b2, i), fourVector(b1, i))
                let sols = solver.solve(a1: fourVector(a1, i), b1: vb1, a2: fourVector(a2, i), b2: vb2,
                                        metX: met[2 * i], metY: met[2 * i + 1], masses: masses)
                #expect(n[2 * i + p] == Int64(sols.count), "event \(i) pairing \(p)")
                for k in 0..<4 {
                    if k < sols.count {
                        #expect(maxDifference(slot(v1, i, p, k), sols[k].c1) <= 1e-9 * 172.5)
                        #expect(maxDifference(slot(v2, i, p, k), sols[k].c2) <= 1e-9 * 172.5)
                    } else {
                        #expect(slot(v1, i, p, k).e.isNaN && slot(v2, i, p, k).e.isNaN, "padding is NaN")
                    }
                }
            }
            // The chosen solution is one of those of the pairing used.
            if status[i] == Int64(EventStatus.exact.rawValue) {
                let p = Int(used[i])
                #expect(n[2 * i + p] == nSol[i])
                let chosen = (0..<Int(n[2 * i + p])).contains {
                    maxDifference(slot(v1, i, p, $0), fourVector(c1, i)) == 0 && maxDifference(slot(v2, i, p, $0), fourVector(c2, i)) == 0
                }
                #expect(chosen, "event \(i)")
            }
        }
        // With the true pairing only that pairing is tried: the other count is -1.
        let truth = try KinematicSolutionEstimator.run(sample: s, pairing: .truth, masses: masses)
        let tn = try #require(truth.perEvent["all_n_solutions"]?.integers), pairing = try #require(s[Key.pairing]?.integers)
        for i in 0..<s.count { #expect(tn[2 * i + 1 - Int(pairing[i])] == -1) }
    }
}
