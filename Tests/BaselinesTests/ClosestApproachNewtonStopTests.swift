@testable import Baselines
import Events
import Kinematics
import TestSupport
import Testing

/// The shortcuts of the mass scan's Newton search (third pass of issue 13): a search stops after
/// a step below 1e-7 relative and 1e-3 of the step before (quadratic convergence seen), near an
/// intersection that Kantorovich's test proves (violation 0), and a cold start stops where its Newton step heads for the warm
/// search's minimum (`ClosestApproachNewton.heads`). Each is checked against the search
/// without it on off-truth hypotheses, where most events have no exact solution.
@Suite struct ClosestApproachNewtonStopTests {
    /// The scaled conics (q1, q2) and MET of the fixture's events at a hypothesis.
    static func conics(_ truth: (Double, Double, Double, Double), _ hypothesis: (Double, Double), n: Int = 400)
        throws -> [(Conic, Conic, Double, Double)] {
        let (mA, mB, mC, ma) = truth
        let s = ChainFixture.ttbarLike(n: n, mA: mA, mB: mB, mC: mC, ma: ma, seed: 5)
        let input = try DileptonInput(sample: s, pairing: .truth)
        let scale = 1.2 * mA
        let m = ScaledMasses(ChainMasses(mA: hypothesis.0 * mA, mB: hypothesis.1 * mB, mC: mC), scale: scale)
        var out: [(Conic, Conic, Double, Double)] = []
        for i in 0..<input.count {
            let (c1, c2) = input.chains(i, pairing: input.pairing![i], scale: scale)
            guard c1.valid, c2.valid else { continue }
            let mx = input.met[2 * i] / scale, my = input.met[2 * i + 1] / scale
            out.append((c1.conic(mA2: m.mA2, mB2: m.mB2, mC2: m.mC2),
                        c2.conic(mA2: m.mA2, mB2: m.mB2, mC2: m.mC2).reflected(mx: mx, my: my), mx, my))
        }
        return out
    }

    static let fixtures: [(Double, Double, Double, Double)] = [(172.5, 80.38, 0.0, 4.7), (1000.0, 800.0, 700.0, 0.0)]

    /// The cost of the closest-approach problem, (q1^2 + q2^2), at (x, y).
    static func cost(_ q1: Conic, _ q2: Conic, _ x: Double, _ y: Double) -> Double {
        let a = q1.value(x, y), b = q2.value(x, y)
        return a * a + b * b
    }

    /// Stopping after a step below 1e-7 relative and 1e-3 of the one before leaves the minimum converged: a second search
    /// from the returned point lowers the cost by no more than 1e-12 relative (1e-30 absolute)
    /// on any event, at hypotheses 10 % off the truth.
    @Test(arguments: fixtures)
    func stoppedSearchIsConverged(truth: (Double, Double, Double, Double)) throws {
        var unsolved = 0
        for hypothesis in [(0.9, 1.05), (1.1, 0.9)] {
            for (q1, q2, mx, my) in try Self.conics(truth, hypothesis) {
                let r = ClosestApproachNewton.minimise(q1, q2, mx: mx, my: my)
                guard r.violation > ScanEvents.solvedViolation else { continue }
                unsolved += 1
                let again = ClosestApproachNewton.search(q1, q2, x: r.x, y: r.y)
                let c = r.violation * r.violation, c2 = again.violation * again.violation
                #expect(c2 >= c * (1 - 1e-12) - 1e-30, "cost \(c) lowered to \(c2) by a second search")
            }
        }
        #expect(unsolved >= 100, "\(unsolved) events without an exact solution")
    }

    /// A cold start told the warm minimum ends, from the same start, where the full search ends
    /// (or at the warm minimum where that is lower) within 1e-6 in the violation on all but
    /// 0.5 % of the searches (measured on 1000 t-tbar and 1000 toy scan events: 2 and 6 of over
    /// 300 000 searches), and the shortcut is taken in most searches (else it saves nothing).
    /// The warm minimum is the search's minimum from a neighbouring hypothesis, as in the scan.
    @Test(arguments: fixtures)
    func coldStartStopsOnlyWhereItWouldEndAtTheWarmMinimum(truth: (Double, Double, Double, Double)) throws {
        var searches = 0, stopped = 0, missed = 0
        for (hypothesis, neighbour) in [((0.9, 1.05), (0.92, 1.05)), ((1.1, 0.9), (1.1, 0.92))] {
            let here = try Self.conics(truth, hypothesis), there = try Self.conics(truth, neighbour)
            for ((q1, q2, mx, my), (p1, p2, _, _)) in zip(here, there) {
                let before = ClosestApproachNewton.minimise(p1, p2, mx: mx, my: my, starts: 2)
                let warm = ClosestApproachNewton.search(q1, q2, x: before.x, y: before.y)
                guard warm.violation > ScanEvents.solvedViolation else { continue }
                let c1 = ClosestApproach.center(q1) ?? (0, 0), c2 = ClosestApproach.center(q2) ?? (mx, my)
                for start in [(0.5 * mx, 0.5 * my), (0.5 * (c1.0 + c2.0), 0.5 * (c1.1 + c2.1))] {
                    let short = ClosestApproachNewton.search(q1, q2, x: start.0, y: start.1, known: warm)
                    let full = ClosestApproachNewton.search(q1, q2, x: start.0, y: start.1)
                    searches += 1
                    if short.x == warm.x && short.y == warm.y && short.violation == warm.violation { stopped += 1 }
                    if full.violation < min(short.violation, warm.violation) - 1e-6 { missed += 1 }
                }
            }
        }
        #expect(searches >= 200, "\(searches) cold searches")
        #expect(Double(missed) <= 0.005 * Double(searches), "\(missed) of \(searches) searches missed a lower minimum")
        #expect(Double(stopped) >= 0.5 * Double(searches), "\(stopped) of \(searches) searches stopped early")
    }

    /// Kantorovich's test: where the search returns a violation of exactly 0 without having
    /// converged, the conics do meet: the Levenberg-Marquardt search (the scan's earlier,
    /// independent local search) from the returned point reaches an intersection (violation
    /// below 1e-10), on every such event at hypotheses 5 %
    /// off the truth; and the test is what ends most searches there (else it saves nothing).
    @Test(arguments: fixtures)
    func zeroOnlyWhereTheConicsMeet(truth: (Double, Double, Double, Double)) throws {
        var zeros = 0, certified = 0
        for hypothesis in [(0.95, 1.02), (1.05, 0.98)] {
            for (q1, q2, mx, my) in try Self.conics(truth, hypothesis) {
                let r = ClosestApproachNewton.minimise(q1, q2, mx: mx, my: my)
                guard r.violation == 0 else { continue }
                zeros += 1
                let (a, b) = (q1.value(r.x, r.y), q2.value(r.x, r.y))
                if a * a + b * b > ClosestApproachNewton.solvedCost { certified += 1 }
                let l = ClosestApproach.levenbergMarquardt(q1, q2, x: r.x, y: r.y)
                #expect(l.violation < 1e-10, "no intersection near (\(r.x), \(r.y)): \(l.violation)")
            }
        }
        #expect(zeros >= 100, "\(zeros) events with zero violation")
        #expect(Double(certified) >= 0.5 * Double(zeros), "\(certified) of \(zeros) ended by the test")
    }

    /// Two circles that meet (radius 1, centres 1.5 apart): the search from near an
    /// intersection (0.75, +-sqrt(1 - 0.75^2)) returns 0 there; two that do not (centres 3
    /// apart) never return 0.
    @Test func kantorovichOnCircles() {
        let q1 = Conic(xx: 1, xy: 0, yy: 1, x: 0, y: 0, c: -1)
        let meeting = Conic(xx: 1, xy: 0, yy: 1, x: -3, y: 0, c: 1.25)
        let r = ClosestApproachNewton.search(q1, meeting, x: 0.7, y: 0.6)
        #expect(r.violation == 0)
        #expect(abs(r.x - 0.75) + abs(r.y - (1 - 0.75 * 0.75).squareRoot()) < 1e-3, "(\(r.x), \(r.y))")
        let apart = Conic(xx: 1, xy: 0, yy: 1, x: -6, y: 0, c: 8)
        for start in [(0.7, 0.6), (1.5, 0.0), (0.0, 1.0)] {
            #expect(ClosestApproachNewton.search(q1, apart, x: start.0, y: start.1).violation > 1)
        }
    }

    /// The stopping rule itself (`ClosestApproachNewton.heads`): not below the minimum's cost (a
    /// descent from there can only end lower), not where the step points elsewhere; yes for the
    /// Newton step from near a minimum of two conics that do not meet.
    @Test func headsOnlyTowardsTheMinimum() {
        // Two circles of radius 1 centred 3 apart: the closest approach lies on the line
        // through the centres, symmetric, at x = 1.5 (cost 2 (1.5^2 - 1)^2), found by the search.
        let q1 = Conic(xx: 1, xy: 0, yy: 1, x: 0, y: 0, c: -1)
        let q2 = Conic(xx: 1, xy: 0, yy: 1, x: -6, y: 0, c: 8)
        let w = ClosestApproachNewton.search(q1, q2, x: 1.4, y: 0.1)
        #expect(abs(w.x - 1.5) < 1e-9 && abs(w.y) < 1e-9, "minimum at (\(w.x), \(w.y))")
        #expect(abs(w.violation - (2.0).squareRoot() * 1.25) < 1e-12)
        /// The rule at (x, y) for the full Newton step there.
        func heads(_ x: Double, _ y: Double, cost: Double? = nil) -> Bool {
            let f1 = q1.value(x, y), f2 = q2.value(x, y)
            let (a11, a12) = q1.gradient(x, y), (a21, a22) = q2.gradient(x, y)
            let h11 = a11 * a11 + a21 * a21 + f1 * 2 * q1.xx + f2 * 2 * q2.xx
            let h22 = a12 * a12 + a22 * a22 + f1 * 2 * q1.yy + f2 * 2 * q2.yy
            let h12 = a11 * a12 + a21 * a22
            let g1 = a11 * f1 + a21 * f2, g2 = a12 * f1 + a22 * f2
            let det = h11 * h22 - h12 * h12
            return ClosestApproachNewton.heads(to: w, x: x, y: y, cost: cost ?? (f1 * f1 + f2 * f2),
                                               dx: -(h22 * g1 - h12 * g2) / det, dy: -(h11 * g2 - h12 * g1) / det)
        }
        #expect(heads(1.5 + 1e-3, 1e-3))
        #expect(heads(1.5 - 1e-2, -1e-2))
        // Below the minimum's cost: never (the search would end lower).
        #expect(!heads(1.5 + 1e-3, 1e-3, cost: 0.5 * w.violation * w.violation))
        // From the first circle's centre the Newton step reaches x = 0.96, from x = -4 it
        // reaches x = -1.95: neither within 0.1 of the distance.
        #expect(!heads(0, 0))
        #expect(!heads(-4, 0))
    }
}
