import Baselines
import Events
import Kinematics
import Testing
import TestSupport

/// The analytic solutions at the true masses must contain the true invisible momenta.
@Suite struct SolutionTruthTests {
    /// Fraction of events whose solution set holds (true C1, true C2) within `tolerance` GeV.
    func containedFraction(_ s: Sample, masses: ChainMasses, tolerance: Double = 1e-3) throws -> Double {
        let a1 = try s.fourVectors(Key.a1), a2 = try s.fourVectors(Key.a2)
        let b1 = try s.fourVectors(Key.b1), b2 = try s.fourVectors(Key.b2)
        let met = try s.transverse(Key.met), pairing = s[Key.pairing]!.integers!
        let t1 = try s.fourVectors(Key.trueC1), t2 = try s.fourVectors(Key.trueC2)
        let solver = KinematicSolver()
        var hits = 0
        for i in 0..<s.count {
            let (bA, bB) = pairing[i] == 0 ? (fourVector(b1, i), fourVector(b2, i)) : (fourVector(b2, i), fourVector(b1, i))
            let sols = solver.solve(a1: fourVector(a1, i), b1: bA, a2: fourVector(a2, i), b2: bB,
                                    metX: met[2 * i], metY: met[2 * i + 1], masses: masses)
            let found = sols.all.contains {
                maxDifference($0.c1, fourVector(t1, i)) < tolerance && maxDifference($0.c2, fourVector(t2, i)) < tolerance
            }
            if found { hits += 1 }
        }
        return Double(hits) / Double(s.count)
    }

    @Test func ttbarMassesContainTrueNeutrinos() throws {
        // SM t-tbar dilepton: m_t 172.5, m_W 80.38, massless neutrinos, b-jet mass 4.7 GeV.
        let s = ChainFixture.ttbarLike(n: 2000, mA: 172.5, mB: 80.38, mC: 0, ma: 4.7, mb: 0, seed: 7)
        let f = try containedFraction(s, masses: ChainMasses(mA: 172.5, mB: 80.38, mC: 0))
        #expect(f >= 0.999, "fraction \(f)")
    }

    @Test func toyMassesContainTrueInvisibles() throws {
        // The DeeLeMa toy spectrum: massive invisible m_C = 700 GeV.
        let s = ChainFixture.ttbarLike(n: 2000, mA: 1000, mB: 800, mC: 700, seed: 11)
        let f = try containedFraction(s, masses: ChainMasses(mA: 1000, mB: 800, mC: 700))
        #expect(f >= 0.999, "fraction \(f)")
    }
}
