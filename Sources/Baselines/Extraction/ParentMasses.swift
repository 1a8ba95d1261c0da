import Events
import Kinematics

/// Parent masses rebuilt from the visibles and an invisible-momentum ansatz (C1, C2): the
/// MAOS peak fit reads them, and the harness scores them against the truth.
public enum ParentMasses {
    /// Per-event masses pooled over both chains, GeV, by name: t-tbar-like "M_A" (m(a_i + b_i + C_i))
    /// and "M_B" (m(b_i + C_i)); antler "M_B" (m(a_i + C_i)) and "M_D" (m(a1 + a2 + C1 + C2)).
    /// `pairing` (0: a1 with b1, 1: a1 with b2) is the pairing the ansatz was built for; nil takes
    /// the sample's `pairing` array (truth) and gives nothing when that is absent.
    public static func rebuild(sample: Sample, c1: [Double], c2: [Double], pairing: [Int64]?) -> [(String, [Double])] {
        guard let a1 = try? sample.fourVectors(Key.a1), let a2 = try? sample.fourVectors(Key.a2),
              a1.count == c1.count, a2.count == c2.count else { return [] }
        let n = a1.count / 4
        switch sample.kind {
        case .antler:
            var mB: [Double] = [], mD: [Double] = []
            mB.reserveCapacity(2 * n); mD.reserveCapacity(n)
            for i in 0..<n {
                let B1 = FourVector(a1, row: i) + FourVector(c1, row: i)
                let B2 = FourVector(a2, row: i) + FourVector(c2, row: i)
                mB.append(B1.mass); mB.append(B2.mass); mD.append((B1 + B2).mass)
            }
            return [(MassName.b, mB), (MassName.d, mD)]
        case .ttbarLike:
            guard let b1 = try? sample.fourVectors(Key.b1), let b2 = try? sample.fourVectors(Key.b2),
                  let pairing = pairing ?? sample[Key.pairing]?.integers, pairing.count == n else { return [] }
            var mA: [Double] = [], mB: [Double] = []
            mA.reserveCapacity(2 * n); mB.reserveCapacity(2 * n)
            for i in 0..<n {
                let swap = pairing[i] == 1
                let B1 = FourVector(swap ? b2 : b1, row: i) + FourVector(c1, row: i)
                let B2 = FourVector(swap ? b1 : b2, row: i) + FourVector(c2, row: i)
                mA.append((FourVector(a1, row: i) + B1).mass); mA.append((FourVector(a2, row: i) + B2).mass)
                mB.append(B1.mass); mB.append(B2.mass)
            }
            return [(MassName.a, mA), (MassName.b, mB)]
        }
    }
}
