import Baselines
import Events
import TestSupport
import Testing

/// Antler M2 (D -> B1 B2, B_i -> a_i C_i) with and without the resonance constraint.
struct M2AntlerTests {
    @Test("resonance-constrained M2 at the true m_D lies between the unconstrained M2 and m_B",
          arguments: [(1000.0, 400.0, 100.0), (700.0, 80.38, 0.0)])
    func bounds(masses: (Double, Double, Double)) throws {
        let (mD, mB, mC) = masses
        let s = ChainFixture.antler(n: 100, mD: mD, mB: mB, mC: mC)
        let r = try M2Estimator.runAntler(sample: s, mC: mC, mD: mD)
        let free = try #require(r.perEvent["m2"]?.doubles), res = try #require(r.perEvent["m2_res"]?.doubles)
        #expect(r.handledFraction == 1)
        for i in 0..<s.count {
            #expect(res[i] <= mB * (1 + 1e-6), "event \(i): m2_res \(res[i]) > m_B \(mB)")
            #expect(res[i] >= free[i] * (1 - 1e-6), "event \(i): m2_res \(res[i]) < m2 \(free[i])")
            #expect(free[i] >= mC - 1e-9, "event \(i): m2 \(free[i]) below m_C")
        }
        // The resonance constraint sharpens the variable: its mean moves towards m_B.
        #expect(res.reduce(0, +) > free.reduce(0, +))
        // The ansatz satisfies (a1 + a2 + C1 + C2)^2 = m_D^2.
        let c1 = try r.perEvent.fourVectors("C1"), c2 = try r.perEvent.fourVectors("C2")
        let a1 = try s.fourVectors(Key.a1), a2 = try s.fourVectors(Key.a2)
        for i in 0..<s.count {
            var e = 0.0, p = [0.0, 0.0, 0.0]
            for f in [c1, c2, a1, a2] {
                e += f[4 * i]
                for k in 0..<3 { p[k] += f[4 * i + 1 + k] }
            }
            let m = (e * e - p[0] * p[0] - p[1] * p[1] - p[2] * p[2]).squareRoot()
            #expect(abs(m - mD) < 1e-4 * mD, "event \(i): ansatz M_D \(m)")
        }
    }
}
