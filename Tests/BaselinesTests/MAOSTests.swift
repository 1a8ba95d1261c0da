import Baselines
import Events
import Kinematics
import Testing
import TestSupport

@Suite struct MAOSTests {
    static let mA = 172.5, mB = 80.4
    static let ttbar = ChainFixture.ttbarLike(n: 3000, mA: mA, mB: mB, mC: 0, ma: 4.7, mb: 0, seed: 41)

    static func vec(_ a: [Double], _ i: Int) -> FourVector {
        FourVector(e: a[4 * i], px: a[4 * i + 1], py: a[4 * i + 2], pz: a[4 * i + 3])
    }

    /// Closeness of an ansatz to the truth: |p_ansatz - p_true| / E_true (3-momentum).
    static func distance(_ a: FourVector, _ t: FourVector) -> Double {
        let d = a - t
        return (d.px * d.px + d.py * d.py + d.pz * d.pz).squareRoot() / t.e
    }

    /// The quadratic's roots satisfy the on-shell condition (v + C)^2 = M^2 and C^2 = chi^2.
    @Test func rootsAreOnShell() {
        let v = FourVector(mass: 30, px: 40, py: -20, pz: 75)
        let r = MAOS.roots(visible: v, qx: 25, qy: 60, chi: 50, parentMass: 300)
        #expect(r.real)
        for c in [r.chosen, r.other] {
            #expect(abs((v + c).mass - 300) < 1e-9 * 300)
            #expect(abs(c.mass - 50) < 1e-9 * 50)
        }
        #expect(abs(r.chosen.pz) <= abs(r.other.pz))
        // Below the transverse mass: no real root, real part kept, flagged.
        let low = MAOS.roots(visible: v, qx: 25, qy: 60, chi: 50, parentMass: 60)
        #expect(!low.real && low.chosen == low.other)
    }

    /// Original MAOS with the true m_A: real solutions for every event (MT2(bl) <= m_A), both
    /// chains on shell, q1 + q2 = MET. Against the truth (this fixture is strongly boosted,
    /// so MAOS is coarse overall; measured on 3000 events: 63% better than MET/2, chosen
    /// root better in 66%, median transverse error 0.56 E_true overall, ~0.07 for
    /// MT2 > 0.99 m_A): MAOS beats the naive MET/2 split in most events, the smaller-|qz| root
    /// beats the other root in most events, and near the MT2 endpoint the transverse momenta
    /// approach the truth (the MT2 solution is the true one at the endpoint).
    @Test func originalMAOSWithTrueMass() throws {
        let s = Self.ttbar
        let r = try MAOSEstimator.run(sample: recoOnly(s), pairing: .truth, parentMass: Self.mA, chi: 0)
        #expect(r.masses.isEmpty)
        #expect(ints(r, "status").allSatisfy { $0 == EventStatus.exact.rawValue })
        #expect(r.handledFraction == 1)
        let c1 = doubles(r, "C1"), c2 = doubles(r, "C2"), alt1 = doubles(r, "C1_alt"), mt2 = doubles(r, "mt2_bl")
        let t1 = try s.fourVectors(Key.trueC1)
        let a1 = try s.fourVectors(Key.a1), a2 = try s.fourVectors(Key.a2)
        let b = [try s.fourVectors(Key.b1), try s.fourVectors(Key.b2)]
        let pairing = s[Key.pairing]!.integers!
        let met = try s.transverse(Key.met)
        var beatsNaive = 0, rootBetter = 0
        var all: [Double] = [], near: [Double] = []
        for i in 0..<s.count {
            let v1 = Self.vec(a1, i) + Self.vec(b[Int(pairing[i])], i)
            let v2 = Self.vec(a2, i) + Self.vec(b[1 - Int(pairing[i])], i)
            let C1 = Self.vec(c1, i), C2 = Self.vec(c2, i), T1 = Self.vec(t1, i)
            #expect(abs((v1 + C1).mass - Self.mA) < 1e-6 * Self.mA && abs((v2 + C2).mass - Self.mA) < 1e-6 * Self.mA)
            #expect(abs(C1.px + C2.px - met[2 * i]) < 1e-9 * Self.mA && abs(C1.py + C2.py - met[2 * i + 1]) < 1e-9 * Self.mA)
            let dT = ((C1.px - T1.px) * (C1.px - T1.px) + (C1.py - T1.py) * (C1.py - T1.py)).squareRoot()
            let nx = 0.5 * met[2 * i] - T1.px, ny = 0.5 * met[2 * i + 1] - T1.py
            if dT < (nx * nx + ny * ny).squareRoot() { beatsNaive += 1 }
            if abs(C1.pz - T1.pz) < abs(alt1[4 * i + 3] - T1.pz) { rootBetter += 1 }
            all.append(dT / T1.e)
            if mt2[i] > 0.99 * Self.mA { near.append(dT / T1.e) }
        }
        func median(_ v: [Double]) -> Double { v.sorted()[v.count / 2] }
        #expect(Double(beatsNaive) > 0.55 * Double(s.count), "beats MET/2 in \(beatsNaive)")
        #expect(Double(rootBetter) > 0.55 * Double(s.count), "chosen root better in \(rootBetter)")
        #expect(near.count >= 5)
        #expect(median(near) < 0.15 && median(near) < 0.3 * median(all), "near \(median(near)) all \(median(all))")
    }

    /// Modified MAOS (M = event MT2): the parent mass of chain 1 equals MT2; where the chain
    /// is balanced (mT = MT2) the two roots coincide; status exact; unknown pairing runs on
    /// a sample without truth.
    @Test func modifiedMAOS() throws {
        let r = try MAOSEstimator.run(sample: recoOnly(Self.ttbar), pairing: .unknown, parentMass: nil, chi: 0)
        #expect(ints(r, "status").allSatisfy { $0 == EventStatus.exact.rawValue })
        let mt2 = doubles(r, "mt2_bl"), c1 = doubles(r, "C1"), alt = doubles(r, "C1_alt")
        let s = Self.ttbar
        let a1 = try s.fourVectors(Key.a1), b = [try s.fourVectors(Key.b1), try s.fourVectors(Key.b2)]
        let chosen = ints(r, "pairing_bl")
        var balanced = 0
        for i in 0..<s.count {
            let v1 = Self.vec(a1, i) + Self.vec(b[Int(chosen[i])], i)
            let c = Self.vec(c1, i)
            #expect(abs((v1 + c).mass - mt2[i]) < 1e-6 * mt2[i])
            let mT = MT2.transverseMass(m: v1.mass, px: v1.px, py: v1.py, chi: 0, qx: c.px, qy: c.py)
            #expect(mT <= mt2[i] * (1 + 1e-9))
            if abs(mT - mt2[i]) < 1e-9 * mt2[i] {
                // Balanced side: the double root of modified MAOS.
                balanced += 1
                #expect(abs(c1[4 * i + 3] - alt[4 * i + 3]) < 1e-3 * mt2[i])
            }
        }
        #expect(balanced > s.count / 4, "balanced \(balanced)")
    }

    /// Given mass below some events' MT2: those events are approximate, none failed.
    @Test func massBelowMT2IsApproximate() throws {
        let r = try MAOSEstimator.run(sample: Self.ttbar, pairing: .truth, parentMass: 120, chi: 0)
        let st = ints(r, "status")
        let mt2 = doubles(r, "mt2_bl")
        #expect(st.contains(Int64(EventStatus.approximate.rawValue)))
        for i in 0..<st.count where mt2[i] < 120 * (1 - 1e-9) { #expect(st[i] == 0) }
        #expect(r.handledFraction == 1)
    }

    /// Antler with the true m_B: real for every event, both B's on shell, and the transverse
    /// momenta approach the truth near the MT2 endpoint. (Unlike t-tbar, below the endpoint
    /// MAOS is no better than the MET/2 split here: measured 25% of 3000 events closer.)
    @Test func antlerMAOS() throws {
        let s = ChainFixture.antler(n: 3000, mD: 1000, mB: 400, mC: 100, seed: 13)
        let r = try MAOSEstimator.run(sample: recoOnly(s), pairing: .unknown, parentMass: 400, chi: 100)
        #expect(ints(r, "status").allSatisfy { $0 == 0 })
        let c1 = doubles(r, "C1"), c2 = doubles(r, "C2"), mt2 = doubles(r, "mt2")
        let t1 = try s.fourVectors(Key.trueC1), a1 = try s.fourVectors(Key.a1), a2 = try s.fourVectors(Key.a2)
        let met = try s.transverse(Key.met)
        var all: [Double] = [], near: [Double] = []
        for i in 0..<s.count {
            let C1 = Self.vec(c1, i), T1 = Self.vec(t1, i)
            #expect(abs((Self.vec(a1, i) + C1).mass - 400) < 1e-6 * 400)
            #expect(abs((Self.vec(a2, i) + Self.vec(c2, i)).mass - 400) < 1e-6 * 400)
            let dT = ((C1.px - T1.px) * (C1.px - T1.px) + (C1.py - T1.py) * (C1.py - T1.py)).squareRoot()
            #expect(abs(C1.px + c2[4 * i + 1] - met[2 * i]) < 1e-9 * 400)
            // Massless visibles with chi = 100: the MT2 momenta attain MT2.
            let v1 = Self.vec(a1, i), v2 = Self.vec(a2, i)
            let mT1 = MT2.transverseMass(m: v1.mass, px: v1.px, py: v1.py, chi: 100, qx: C1.px, qy: C1.py)
            let mT2 = MT2.transverseMass(m: v2.mass, px: v2.px, py: v2.py, chi: 100, qx: c2[4 * i + 1], qy: c2[4 * i + 2])
            #expect(abs(max(mT1, mT2) - mt2[i]) <= 1e-9 * mt2[i], "event \(i)")
            all.append(dT / T1.e)
            if mt2[i] > 0.99 * 400 { near.append(dT / T1.e) }
        }
        func median(_ v: [Double]) -> Double { v.sorted()[v.count / 2] }
        #expect(near.count >= 5)
        #expect(median(near) < 0.15 && median(near) < 0.3 * median(all), "near \(median(near)) all \(median(all)) n \(near.count)")
    }

    @Test func badInput() throws {
        #expect(throws: BaselineInputError.self) {
            try MAOSEstimator.run(sample: Self.ttbar, pairing: .truth, parentMass: -5, chi: 0)
        }
        var s = recoOnly(ChainFixture.ttbarLike(n: 10, mA: 1000, mB: 800, mC: 700))
        var met = s[Key.met]!.doubles!
        met[2 * 4] = .infinity
        s[Key.met] = .transverse(met)
        #expect(throws: SampleError.nonFinite(key: "met", event: 4)) {
            try MAOSEstimator.run(sample: s, pairing: .truth, parentMass: nil, chi: 700)
        }
    }
}
