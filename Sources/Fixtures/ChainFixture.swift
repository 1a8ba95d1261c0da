import Core
import Events
import Kinematics

/// Small on-shell event samples for unit tests of estimators: zero widths, no detector,
/// the produced pair at rest in a frame boosted with a random velocity (no production
/// model). Reconstructed objects equal the truth; a1/a2 and b1/b2 are sorted by pt and
/// `pairing` records the true chain assignment, as the real detector stage does.
public enum ChainFixture {
    /// Isotropic unit direction: (cosTheta, phi).
    static func direction(_ r: RandomStream) -> (Double, Double) {
        (2 * r.uniform() - 1, 2 * Double.pi * r.uniform())
    }

    /// Random boost of the produced system: |beta| up to `maxBeta`, isotropic.
    static func boostVelocity(_ r: RandomStream, maxBeta: Double) -> (Double, Double, Double) {
        let (c, phi) = direction(r)
        let s = max(0, 1 - c * c).squareRoot()
        let b = maxBeta * r.uniform()
        return (b * s * cosDouble(phi), b * s * sinDouble(phi), b * c)
    }

    /// One chain A -> a B, B -> b C at rest in A's frame.
    static func chain(_ r: RandomStream, mA: Double, mB: Double, mC: Double, ma: Double, mb: Double)
        -> (A: FourVector, B: FourVector, C: FourVector, a: FourVector, b: FourVector) {
        let (c1, p1) = direction(r)
        let (a, B) = TwoBody.decayAtRest(parentMass: mA, ma, mB, cosTheta: c1, phi: p1)!
        let (c2, p2) = direction(r)
        let (bRest, cRest) = TwoBody.decayAtRest(parentMass: mB, mb, mC, cosTheta: c2, phi: p2)!
        let b = bRest.boosted(fromRestFrameOf: B), C = cRest.boosted(fromRestFrameOf: B)
        return (FourVector(e: mA, px: 0, py: 0, pz: 0), B, C, a, b)
    }

    /// A t-tbar-like sample of `n` events with the native keys of docs/physics.md#sample-layout.
    public static func ttbarLike(n: Int, mA: Double, mB: Double, mC: Double, ma: Double = 0, mb: Double = 0,
                                 seed: UInt32 = 12345, maxBeta: Double = 0.8) -> Sample {
        let r = RandomStream(seed: seed)
        var reco = [[Double]](repeating: [], count: 4)
        var truth = [String: [Double]]()
        for k in Key.truth(.ttbarLike) { truth[k] = [] }
        var met: [Double] = [], pairing: [Int32] = []
        func put(_ k: String, _ v: FourVector) { truth[k]!.append(contentsOf: [v.e, v.px, v.py, v.pz]) }
        for _ in 0..<n {
            // Pair production A1 A2 back to back in the system frame at sqrt(shat) = 2.4 mA.
            let q = TwoBody.momentum(parentMass: 2.4 * mA, mA, mA)!
            let (c, phi) = direction(r)
            let (pA1, pA2) = TwoBody.decayAtRest(parentMass: 2.4 * mA, mA, mA, cosTheta: c, phi: phi)!
            _ = q
            let beta = boostVelocity(r, maxBeta: maxBeta)
            var chains = [chain(r, mA: mA, mB: mB, mC: mC, ma: ma, mb: mb), chain(r, mA: mA, mB: mB, mC: mC, ma: ma, mb: mb)]
            for (i, parent) in [pA1, pA2].enumerated() {
                func lab(_ v: FourVector) -> FourVector {
                    v.boosted(fromRestFrameOf: parent).boosted(bx: beta.0, by: beta.1, bz: beta.2)
                }
                let B = lab(chains[i].B)
                chains[i] = (lab(chains[i].A), B, lab(chains[i].C), lab(chains[i].a), lab(chains[i].b))
            }
            // Chain 1 is the chain of the higher-pt a.
            if chains[1].a.pt > chains[0].a.pt { chains.swapAt(0, 1) }
            let bSwapped = chains[1].b.pt > chains[0].b.pt
            let b1 = bSwapped ? chains[1].b : chains[0].b
            let b2 = bSwapped ? chains[0].b : chains[1].b
            for (slot, v) in [chains[0].a, chains[1].a, b1, b2].enumerated() {
                reco[slot].append(contentsOf: [v.e, v.px, v.py, v.pz])
            }
            pairing.append(bSwapped ? 1 : 0)
            let inv = chains[0].C + chains[1].C
            met.append(contentsOf: [inv.px, inv.py])
            put(Key.trueA1, chains[0].A); put(Key.trueA2, chains[1].A)
            put(Key.trueB1, chains[0].B); put(Key.trueB2, chains[1].B)
            put(Key.trueC1, chains[0].C); put(Key.trueC2, chains[1].C)
            put(Key.truea1, chains[0].a); put(Key.truea2, chains[1].a)
            put(Key.trueb1, chains[0].b); put(Key.trueb2, chains[1].b)
        }
        var s = Sample(kind: .ttbarLike, provenance: Provenance(card: "fixture", topology: .ttbarLike, seed: UInt64(seed)))
        for (slot, k) in Key.reconstructed(.ttbarLike).enumerated() { s[k] = .fourVectors(reco[slot]) }
        s[Key.met] = .transverse(met)
        s[Key.pairing] = .ints(pairing)
        for k in Key.truth(.ttbarLike) { s[k] = .fourVectors(truth[k]!) }
        return s
    }

    /// An antler sample D -> B1 B2, B_i -> a_i C_i of `n` events (D produced at rest, then boosted).
    public static func antler(n: Int, mD: Double, mB: Double, mC: Double, ma: Double = 0,
                              seed: UInt32 = 54321, maxBeta: Double = 0.6) -> Sample {
        let r = RandomStream(seed: seed)
        var cols = [String: [Double]]()
        let keys = [Key.a1, Key.a2] + Key.truth(.antler)
        for k in keys { cols[k] = [] }
        var met: [Double] = []
        func put(_ k: String, _ v: FourVector) { cols[k]!.append(contentsOf: [v.e, v.px, v.py, v.pz]) }
        for _ in 0..<n {
            let beta = boostVelocity(r, maxBeta: maxBeta)
            func lab(_ v: FourVector) -> FourVector { v.boosted(bx: beta.0, by: beta.1, bz: beta.2) }
            let (c, phi) = direction(r)
            let (B1r, B2r) = TwoBody.decayAtRest(parentMass: mD, mB, mB, cosTheta: c, phi: phi)!
            var legs: [(B: FourVector, a: FourVector, C: FourVector)] = []
            for Br in [B1r, B2r] {
                let (cc, pp) = direction(r)
                let (a, C) = TwoBody.decayAtRest(parentMass: mB, ma, mC, cosTheta: cc, phi: pp)!
                legs.append((lab(Br), lab(a.boosted(fromRestFrameOf: Br)), lab(C.boosted(fromRestFrameOf: Br))))
            }
            if legs[1].a.pt > legs[0].a.pt { legs.swapAt(0, 1) }
            put(Key.a1, legs[0].a); put(Key.a2, legs[1].a)
            put(Key.trueD, lab(FourVector(e: mD, px: 0, py: 0, pz: 0)))
            put(Key.trueB1, legs[0].B); put(Key.trueB2, legs[1].B)
            put(Key.trueC1, legs[0].C); put(Key.trueC2, legs[1].C)
            put(Key.truea1, legs[0].a); put(Key.truea2, legs[1].a)
            let inv = legs[0].C + legs[1].C
            met.append(contentsOf: [inv.px, inv.py])
        }
        var s = Sample(kind: .antler, provenance: Provenance(card: "fixture", topology: .antler, seed: UInt64(seed)))
        s[Key.a1] = .fourVectors(cols[Key.a1]!)
        s[Key.a2] = .fourVectors(cols[Key.a2]!)
        s[Key.met] = .transverse(met)
        for k in Key.truth(.antler) { s[k] = .fourVectors(cols[k]!) }
        return s
    }
}
