import Core
import Events
import Foundation
import Kinematics

/// The analytic dilepton solution as an estimator: per-event invisible momenta for a given mass
/// hypothesis (m_A, m_B, m_C).
///
/// Choice among solutions: the one with the smallest invariant mass m(A1 A2) of the whole
/// system (visibles + C1 + C2), the usual "lowest m_tt" rule. Choice among pairings (unknown
/// pairing): the pairing with exact solutions; when both have them, the one whose chosen
/// solution has the smaller m(A1 A2). Events without an exact solution in any allowed pairing get
/// the closest approach (minimum of the summed squared violations of the two invisible mass
/// shells, A and B shells held exactly; the pairing with the smaller violation), reported with C
/// put on its mass shell and status `approximate`. Events whose chains are degenerate (b and a+b
/// with equal longitudinal velocity) fail with NaN outputs.
///
/// Per-event arrays: `C1`, `C2` (N, 4) GeV (C1 on the chain of reco a1), `n_solutions` (int32,
/// exact solutions in the chosen pairing), `pairing_used` (int32, 0 or 1), `violation` (float64,
/// root-sum-square of the two m_C^2 violations at the closest approach, GeV^2; 0 when exact),
/// `status` (int32, `EventStatus`). Every exact solution of every pairing tried, for checking
/// the choice: `all_C1`, `all_C2` (N, 2, 4, 4) GeV, indexed [event, pairing, solution,
/// (E, px, py, pz)], pairing 0 pairs a1 with b1 and 1 pairs a1 with b2, C1 on the chain of a1,
/// NaN-padded beyond the count; `all_n_solutions` (N, 2) int32, the number of exact solutions
/// per pairing, -1 for a pairing not tried (`--pairing true`) or whose chains are degenerate.
public enum KinematicSolutionEstimator {
    /// Method name.
    public static let method = "kinematic-solution"

    /// Solves every event of a t-tbar-like sample. Throws `SampleError` for a wrong topology,
    /// missing arrays or NaN/Inf (naming array and event), `KinematicSolutionError` for an
    /// unordered mass hypothesis or a bad pairing value.
    public static func run(sample: Sample, pairing: PairingMode, masses: ChainMasses) throws -> EstimatorResult {
        guard masses.isOrdered else {
            throw KinematicSolutionError.invalidMasses(mA: masses.mA, mB: masses.mB, mC: masses.mC)
        }
        let input = try DileptonInput(sample: sample, pairing: pairing)
        let n = input.count
        let c1p = SharedOutput<Double>(repeating: .nan, count: 4 * n), c2p = SharedOutput<Double>(repeating: .nan, count: 4 * n)
        let np = SharedOutput<Int32>(repeating: 0, count: n), up = SharedOutput<Int32>(repeating: 0, count: n)
        let sp = SharedOutput<Int32>(repeating: EventStatus.failed.rawValue, count: n)
        let vp = SharedOutput<Double>(repeating: .nan, count: n)
        let a1p = SharedOutput<Double>(repeating: .nan, count: 32 * n), a2p = SharedOutput<Double>(repeating: .nan, count: 32 * n)
        let acp = SharedOutput<Int32>(repeating: -1, count: 2 * n)
        let clock = ContinuousClock()
        let start = clock.now
        ParallelLoop.forEachChunk(n) { range in
            let solver = KinematicSolver()
            for i in range {
                let r = solveEvent(solver, input, i, masses: masses) { p, sols in
                    // Slot [i, p, k, :] of the (N, 2, 4, 4) arrays.
                    acp[2 * i + Int(p)] = Int32(sols.count)
                    for k in 0..<sols.count {
                        let base = 32 * i + 16 * Int(p) + 4 * k
                        let s = sols[k]
                        a1p[base] = s.c1.e; a1p[base + 1] = s.c1.px; a1p[base + 2] = s.c1.py; a1p[base + 3] = s.c1.pz
                        a2p[base] = s.c2.e; a2p[base + 1] = s.c2.px; a2p[base + 2] = s.c2.py; a2p[base + 3] = s.c2.pz
                    }
                }
                for k in 0..<4 { c1p[4 * i + k] = r.c1[k]; c2p[4 * i + k] = r.c2[k] }
                np[i] = r.solutions; up[i] = r.pairing; sp[i] = r.status.rawValue; vp[i] = r.violation
            }
        }
        let c1 = c1p.array, c2 = c2p.array, nSol = np.array, used = up.array, status = sp.array
        let violation = vp.array, all1 = a1p.array, all2 = a2p.array, allCount = acp.array
        let seconds = (clock.now - start) / .seconds(1)
        var out = Sample(kind: .ttbarLike, provenance: sample.provenance)
        out[OutputKey.c1] = .fourVectors(c1)
        out[OutputKey.c2] = .fourVectors(c2)
        out[OutputKey.nSolutions] = .ints(nSol)
        out[OutputKey.pairingUsed] = .ints(used)
        out[OutputKey.violation] = .scalars(violation)
        out[OutputKey.status] = .ints(status)
        out[OutputKey.allC1] = Column(shape: [n, 2, 4, 4], data: .float64(all1))
        out[OutputKey.allC2] = Column(shape: [n, 2, 4, 4], data: .float64(all2))
        out[OutputKey.allNSolutions] = Column(shape: [n, 2], data: .int32(allCount))
        let exact = status.filter { $0 == EventStatus.exact.rawValue }.count
        let handled = status.filter { $0 != EventStatus.failed.rawValue }.count
        return EstimatorResult(
            method: method, perEvent: out, masses: [],
            handledFraction: n > 0 ? Double(handled) / Double(n) : 0,
            secondsPerEvent: n > 0 ? seconds / Double(n) : 0,
            notes: ["hypothesis (m_A, m_B, m_C) = (\(masses.mA), \(masses.mB), \(masses.mC)) GeV",
                    "exact solutions in \(exact) of \(n) events; closest approach elsewhere",
                    "choice: smallest m(A1 A2) among solutions; pairing \(pairing.rawValue)"])
    }

    /// Outcome for one event: C1 and C2 as (E, px, py, pz) GeV.
    struct EventOutcome {
        var c1: SIMD4<Double>, c2: SIMD4<Double>
        var solutions: Int32, pairing: Int32, status: EventStatus, violation: Double
    }

    /// The chosen outcome of event i; `record(pairing, solutions)` sees the exact solutions of
    /// every pairing tried whose chains are not degenerate.
    static func solveEvent(_ solver: KinematicSolver, _ input: DileptonInput, _ i: Int, masses: ChainMasses,
                           record: (Int32, KinematicSolutions) -> Void = { _, _ in }) -> EventOutcome {
        let scale = masses.mA, inv = 1 / scale
        let mx = input.met[2 * i] * inv, my = input.met[2 * i + 1] * inv
        let m = ScaledMasses(masses, scale: scale)
        let visible = input.visibleSum(i)
        let pairings: ClosedRange<Int32> = input.pairing.map { $0[i]...$0[i] } ?? 0...1
        var best = EventOutcome(c1: SIMD4(repeating: .nan), c2: SIMD4(repeating: .nan), solutions: 0,
                                pairing: pairings.lowerBound, status: .failed, violation: .nan)
        var bestMass = Double.infinity
        for p in pairings {
            let (ch1, ch2) = input.chains(i, pairing: p, scale: scale)
            let sols = solver.solveScaled(ch1, ch2, mx: mx, my: my, m, outputScale: scale)
            if ch1.valid && ch2.valid { record(p, sols) }
            for k in 0..<sols.count {
                let s = sols[k]
                let mass = (visible + s.c1 + s.c2).mass
                if mass < bestMass {
                    bestMass = mass
                    best = EventOutcome(c1: simd(s.c1), c2: simd(s.c2), solutions: Int32(sols.count), pairing: p,
                                        status: .exact, violation: 0)
                }
            }
        }
        if best.status == .exact { return best }
        var bestViolation = Double.infinity
        for p in pairings {
            let (ch1, ch2) = input.chains(i, pairing: p, scale: scale)
            guard ch1.valid, ch2.valid else { continue }
            let q1 = ch1.conic(mA2: m.mA2, mB2: m.mB2, mC2: m.mC2)
            let q2 = ch2.conic(mA2: m.mA2, mB2: m.mB2, mC2: m.mC2).reflected(mx: mx, my: my)
            let r = ClosestApproach.minimise(q1, q2, mx: mx, my: my)
            guard r.violation.isFinite, r.violation < bestViolation else { continue }
            bestViolation = r.violation
            let o1 = ch1.offsets(mA2: m.mA2, mB2: m.mB2, mC2: m.mC2), o2 = ch2.offsets(mA2: m.mA2, mB2: m.mB2, mC2: m.mC2)
            let v1 = ch1.invisible(x: r.x, y: r.y, e0: o1.e0, z0: o1.z0)
            let v2 = ch2.invisible(x: mx - r.x, y: my - r.y, e0: o2.e0, z0: o2.z0)
            let on1 = FourVector(mass: masses.mC, px: scale * v1.px, py: scale * v1.py, pz: scale * v1.pz)
            let on2 = FourVector(mass: masses.mC, px: scale * v2.px, py: scale * v2.py, pz: scale * v2.pz)
            best = EventOutcome(c1: simd(on1), c2: simd(on2), solutions: 0, pairing: p, status: .approximate,
                                violation: r.violation * scale * scale)
        }
        return best
    }

    @inline(__always)
    static func simd(_ v: FourVector) -> SIMD4<Double> { SIMD4(v.e, v.px, v.py, v.pz) }
}
