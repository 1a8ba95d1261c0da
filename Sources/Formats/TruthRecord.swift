import Events
import Kinematics

/// One particle of a truth event record (LHE/HepMC conventions).
struct TruthParticle {
    var pdg: Int
    /// -1 incoming, 2 intermediate (decayed), 1 final.
    var status: Int
    /// 1-based indices of the mothers in the event; 0 for none.
    var mother1: Int, mother2: Int
    /// LHE colour and anticolour tags (0: none).
    var colour: Int = 0, anticolour: Int = 0
    var p: FourVector

    /// Invariant mass from the four-vector; 0 when m^2 <= 1e-10 E^2, i.e. at the level of the
    /// rounding of a massless particle's E^2 - p^2 (avoids writing masses like 2e-6 GeV).
    var mass: Double { p.mass2 <= 1e-10 * p.e * p.e ? 0 : p.mass2.squareRoot() }
}

/// Builds the truth event record of a sample's rows.
///
/// t-tbar-like: parton 1, parton 2, A1, A2, [ISR jet], a1, B1, a2, B2, b1, C1, b2, C2.
/// Antler:      parton 1, parton 2, D, [ISR jet], B1, B2, a1, C1, a2, C2.
/// The ISR jet is written when the sample has `true_isr` and the row's energy is non-zero.
/// The incoming partons are derived from the total final-state momentum P: when P has no transverse momentum (always the case
/// when the ISR recoil is recorded) p1 = (E+pz)/2 along +z and p2 = (E-pz)/2 along -z; when
/// it has (a sample with a transverse boost and no ISR record) the partons are taken back to
/// back along z in P's rest frame and boosted with P, so they carry its transverse momentum.
/// Either way four-momentum is conserved at every vertex of the record.
struct TruthRecord {
    let kind: TopologyKind
    let info: TruthRecordInfo
    private let vectors: [String: [Double]]
    private let hasISR: Bool

    /// The truth keys a record needs for `kind`.
    static func requiredKeys(_ kind: TopologyKind) -> [String] { Key.truth(kind) }

    /// Checks `sample` has the truth arrays (naming `path` and the missing key otherwise).
    init(sample: Sample, info: TruthRecordInfo, path: String) throws(FormatError) {
        kind = sample.kind
        self.info = info
        var v: [String: [Double]] = [:]
        do throws(SampleError) {
            for key in TruthRecord.requiredKeys(kind) { v[key] = try sample.fourVectors(key) }
            if sample[Key.trueISR] != nil { v[Key.trueISR] = try sample.fourVectors(Key.trueISR) }
            try sample.validate(requiring: Array(v.keys).sorted())
        } catch {
            throw FormatError(.invalidSample, path: path, "the truth record needs the true four-vectors: \(error)")
        }
        vectors = v
        hasISR = v[Key.trueISR] != nil
    }

    /// Whether the template's layout (truth keys, ISR or not) matches this record's.
    func matches(_ other: TruthRecord) -> Bool { kind == other.kind && hasISR == other.hasISR }

    private func vector(_ key: String, _ i: Int) -> FourVector {
        let v = vectors[key]!
        return FourVector(e: v[4 * i], px: v[4 * i + 1], py: v[4 * i + 2], pz: v[4 * i + 3])
    }

    /// The incoming partons carrying total momentum `total`.
    static func partons(_ total: FourVector) -> (FourVector, FourVector) {
        if total.pt <= 1e-9 * total.e {
            let e1 = (total.e + total.pz) / 2, e2 = (total.e - total.pz) / 2
            return (FourVector(e: e1, px: 0, py: 0, pz: e1), FourVector(e: e2, px: 0, py: 0, pz: -e2))
        }
        let half = total.mass / 2
        return (FourVector(e: half, px: 0, py: 0, pz: half).boosted(fromRestFrameOf: total),
                FourVector(e: half, px: 0, py: 0, pz: -half).boosted(fromRestFrameOf: total))
    }

    /// The particles of event `i`, mothers before daughters.
    func event(_ i: Int) -> [TruthParticle] {
        var out: [TruthParticle] = []
        out.reserveCapacity(13)
        // An all-zero ISR row (no emission in this event) writes no ISR particle.
        let isr = hasISR ? Optional(vector(Key.trueISR, i)).flatMap { $0.e > 0 ? $0 : nil } : nil
        func add(_ pdg: Int, _ status: Int, _ m1: Int, _ m2: Int, _ p: FourVector) -> Int {
            out.append(TruthParticle(pdg: pdg, status: status, mother1: m1, mother2: m2, p: p))
            return out.count
        }
        switch kind {
        case .ttbarLike:
            let A1 = vector(Key.trueA1, i), A2 = vector(Key.trueA2, i)
            var total = A1 + A2
            if let isr { total = total + isr }
            let (p1, p2) = TruthRecord.partons(total)
            _ = add(info.incoming1, -1, 0, 0, p1)
            _ = add(info.incoming2, -1, 0, 0, p2)
            let iA1 = add(info.chain1.A, 2, 1, 2, A1)
            let iA2 = add(info.chain2.A, 2, 1, 2, A2)
            if let isr { _ = add(info.isr, 1, 1, 2, isr) }
            _ = add(info.chain1.a, 1, iA1, iA1, vector(Key.truea1, i))
            let iB1 = add(info.chain1.B, 2, iA1, iA1, vector(Key.trueB1, i))
            _ = add(info.chain2.a, 1, iA2, iA2, vector(Key.truea2, i))
            let iB2 = add(info.chain2.B, 2, iA2, iA2, vector(Key.trueB2, i))
            _ = add(info.chain1.b, 1, iB1, iB1, vector(Key.trueb1, i))
            _ = add(info.chain1.C, 1, iB1, iB1, vector(Key.trueC1, i))
            _ = add(info.chain2.b, 1, iB2, iB2, vector(Key.trueb2, i))
            _ = add(info.chain2.C, 1, iB2, iB2, vector(Key.trueC2, i))
        case .antler:
            let D = vector(Key.trueD, i)
            var total = D
            if let isr { total = total + isr }
            let (p1, p2) = TruthRecord.partons(total)
            _ = add(info.incoming1, -1, 0, 0, p1)
            _ = add(info.incoming2, -1, 0, 0, p2)
            let iD = add(info.D, 2, 1, 2, D)
            if let isr { _ = add(info.isr, 1, 1, 2, isr) }
            let iB1 = add(info.chain1.B, 2, iD, iD, vector(Key.trueB1, i))
            let iB2 = add(info.chain2.B, 2, iD, iD, vector(Key.trueB2, i))
            _ = add(info.chain1.a, 1, iB1, iB1, vector(Key.truea1, i))
            _ = add(info.chain1.C, 1, iB1, iB1, vector(Key.trueC1, i))
            _ = add(info.chain2.a, 1, iB2, iB2, vector(Key.truea2, i))
            _ = add(info.chain2.C, 1, iB2, iB2, vector(Key.trueC2, i))
        }
        ColourFlow.assign(&out)
        return out
    }
}
