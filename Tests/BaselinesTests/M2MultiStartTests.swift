@testable import Baselines
import Core
import Events
import Generation
import Kinematics
import TestSupport
import Testing

/// Where the Newton path of `M2Solver` (issue 13) finds a lower M2CC than the augmented
/// Lagrangian it replaced, an independent multi-start search checks that the lower value is
/// the minimum: the augmented Lagrangian alone, started from 24 seeded random points, finds
/// nothing lower.
struct M2MultiStartTests {
    /// Events of the benchmark fixtures (first 300 events, true pairing, (ab) subsystem) where
    /// the Newton path's M2CC lay below the augmented Lagrangian's by more than 1e-6 relative
    /// (`M2Benchmark compare 300` with M2_VERBOSE=1, 2026-12-05): t-tbar event 114 (3.8 % lower),
    /// toy event 268 (0.25 % lower). Toy events 38 and 151 are in `M2NewtonTests.escapesLocalMinimum`.
    @Test("M2CC below the augmented Lagrangian is the lowest value of a 24-start search",
          arguments: [("ttbar", 114), ("toy", 268)])
    func lowerValueIsTheMinimum(name: String, event i: Int) throws {
        let (s, mC) = M2NewtonTests.fixture(name, n: 300)
        let e = try M2NewtonTests.paired(s, i)
        let newton = M2Solver().solveAll(a1: e.0, b1: e.1, a2: e.2, b2: e.3, metX: e.4, metY: e.5, mC: mC).cc
        let old = M2Solver(method: .augmentedLagrangian)
        let before = old.solveAll(a1: e.0, b1: e.1, a2: e.2, b2: e.3, metX: e.4, metY: e.5, mC: mC).cc
        // The premise: this event is one where the Newton path is lower.
        #expect(newton.status == .exact)
        #expect(newton.value < before.value * (1 - 1e-6), "Newton \(newton.value), augmented Lagrangian \(before.value)")
        // The Newton point meets both constraints and the mass shells.
        let mA1 = (e.0 + e.1 + newton.q1).mass, mA2 = (e.2 + e.3 + newton.q2).mass
        let mB1 = (e.1 + newton.q1).mass, mB2 = (e.3 + newton.q2).mass
        #expect(abs(mA1 - mA2) <= 1e-9 * mA1 && abs(mB1 - mB2) <= 1e-9 * mB1, "M_A \(mA1) \(mA2), M_B \(mB1) \(mB2)")
        #expect(abs(max(mA1, mA2) - newton.value) <= 1e-9 * newton.value)
        // Independent search: single augmented-Lagrangian runs from random points spread over
        // the event's scale (q1T within +-S of MET / 2, both q_z within +-S).
        let k = M2Subsystem.ab.kinematics(a1: e.0, b1: e.1, a2: e.2, b2: e.3, metX: e.4, metY: e.5, mC: mC)
        let scale = k.p1.e + k.p2.e + (e.4 * e.4 + e.5 * e.5).squareRoot() + mC
        let random = RandomStream(seed: 2026)
        var lowest = Double.infinity, converged = 0
        for _ in 0..<24 {
            let start = SIMD4(0.5 * e.4 + scale * (2 * random.uniform() - 1), 0.5 * e.5 + scale * (2 * random.uniform() - 1),
                              scale * (2 * random.uniform() - 1), scale * (2 * random.uniform() - 1))
            let r = old.minimise(k, equalParents: true, equalIntermediates: true, resonanceMass: nil, hasIntermediates: true,
                                 seedA: start, seedB: nil, onlyGiven: true)
            guard r.status == .exact else { continue }
            converged += 1
            lowest = min(lowest, r.value)
        }
        #expect(converged >= 12, "\(converged) of 24 random starts converged")
        #expect(lowest >= newton.value * (1 - 1e-6), "random starts reached \(lowest), Newton \(newton.value)")
    }
}
