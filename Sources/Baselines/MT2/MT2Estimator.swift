import Dispatch
import Events

/// MT2 per event for a sample (Burns, Kong, Matchev, Park, arXiv:0810.5576 subsystems).
///
/// t-tbar-like samples (A_i -> a_i B_i, B_i -> b_i C_i), all values in GeV:
/// - `mt2_l`: visibles b1, b2, invisible mass `chi` (trial m_C), MET as measured (a1, a2 are
///   upstream visibles; the invisibles are the C's, whose sum is the MET). Endpoint m_B.
///   Needs no pairing.
/// - `mt2_bl`: visibles (a1 + b_j), (a2 + b_k) along the chains, invisible mass `chi`.
///   Endpoint m_A. With `.truth` the `pairing` array picks the b of a1's chain; with
///   `.unknown` the smaller of the two pairings' values is kept (it never exceeds the
///   true-pairing value, so the endpoint is preserved); `pairing_bl` records the choice.
/// - `mt2_b`: visibles a1, a2, invisible mass `chiB` (trial m_B; the CLI passes m_B from
///   `--masses`, default 0), invisible sum MET + b1 + b2 (the B's). Endpoint m_A when
///   chiB = m_B. Needs no pairing.
///
/// Antler samples (B_i -> a_i C_i): `mt2` with visibles a1, a2, invisible mass `chi`.
/// Endpoint m_B.
///
/// Truth arrays are never read. `status` is 0 (exact) for every finite value.
public enum MT2Estimator {
    /// Runs on a whole sample (parallel over events); `chi` is the trial m_C, `chiB` the
    /// trial m_B used by `mt2_b` (t-tbar-like only). Throws a `SampleError` naming the array
    /// and event for missing arrays or NaN/Inf, `BaselineInputError` for bad options/pairing.
    public static func run(sample: Sample, pairing: PairingMode = .truth, chi: Double = 0,
                           chiB: Double = 0) throws -> EstimatorResult {
        try checkMass(chi, "chi")
        try checkMass(chiB, "chiB")
        let t0 = DispatchTime.now().uptimeNanoseconds
        var out = Sample(kind: sample.kind, provenance: sample.provenance)
        var notes: [String] = []
        let n: Int
        var status: [Int32]
        switch sample.kind {
        case .antler:
            try sample.validate(requiring: [Key.a1, Key.a2, Key.met])
            let x = MT2Inputs(visible1: try sample.fourVectors(Key.a1), visible2: try sample.fourVectors(Key.a2),
                              met: try sample.transverse(Key.met), chi: chi)
            let v = MT2.values(x)
            n = v.count
            out[OutputKey.mt2] = .scalars(v)
            status = v.map { $0.isFinite ? EventStatus.exact.rawValue : EventStatus.failed.rawValue }
            notes.append("mt2: visibles a1, a2, chi = \(chi) GeV (endpoint m_B)")
        case .ttbarLike:
            let sub = try subsystems(sample: sample, pairing: pairing, chi: chi, chiB: chiB)
            n = sub.l.count
            out[OutputKey.mt2L] = .scalars(sub.l)
            out[OutputKey.mt2BL] = .scalars(sub.bl)
            out[OutputKey.mt2B] = .scalars(sub.b)
            out[OutputKey.pairingBL] = .ints(sub.pairing)
            status = (0..<n).map { i in
                sub.l[i].isFinite && sub.bl[i].isFinite && sub.b[i].isFinite
                    ? EventStatus.exact.rawValue : EventStatus.failed.rawValue
            }
            notes.append("mt2_l: visibles b1, b2, chi = \(chi) GeV (endpoint m_B)")
            notes.append("mt2_bl: visibles a_i + b_i, chi = \(chi) GeV (endpoint m_A), pairing "
                         + (pairing == .truth ? "from the sample" : "minimising MT2(bl) over both"))
            notes.append("mt2_b: visibles a1, a2, invisibles B = b + C, chiB = \(chiB) GeV (endpoint m_A at chiB = m_B)")
        }
        out[OutputKey.status] = .ints(status)
        let dt = Double(DispatchTime.now().uptimeNanoseconds - t0) * 1e-9
        let handled = n == 0 ? 0 : Double(status.filter { $0 != EventStatus.failed.rawValue }.count) / Double(n)
        return EstimatorResult(method: "mt2", perEvent: out, handledFraction: handled,
                               secondsPerEvent: n == 0 ? 0 : dt / Double(n), notes: notes)
    }

    /// The three t-tbar subsystem MT2 arrays (GeV) and the a1-chain b choice of MT2(bl)
    /// (0: b1, 1: b2). Throws `SampleError.wrongTopology` for an antler sample.
    public static func subsystems(sample: Sample, pairing: PairingMode, chi: Double, chiB: Double)
        throws -> (l: [Double], bl: [Double], b: [Double], pairing: [Int32]) {
        try requireTtbar(sample)
        try checkMass(chi, "chi")
        try checkMass(chiB, "chiB")
        let (bl, chosen) = try blValues(sample: sample, pairing: pairing, chi: chi)
        let a1 = try sample.fourVectors(Key.a1), a2 = try sample.fourVectors(Key.a2)
        let b1 = try sample.fourVectors(Key.b1), b2 = try sample.fourVectors(Key.b2)
        let met = try sample.transverse(Key.met)
        let l = MT2.values(MT2Inputs(visible1: b1, visible2: b2, met: met, chi: chi))
        var shift = [Double](repeating: 0, count: met.count)
        for i in 0..<(met.count / 2) {
            shift[2 * i] = b1[4 * i + 1] + b2[4 * i + 1]
            shift[2 * i + 1] = b1[4 * i + 2] + b2[4 * i + 2]
        }
        let b = MT2.values(MT2Inputs(visible1: a1, visible2: a2, met: met, chi: chiB, metShift: shift))
        return (l, bl, b, chosen)
    }

    /// MT2(bl) inputs for a fixed per-event choice of a1's b (0: b1, 1: b2), after validation.
    public static func blInputs(sample: Sample, pairing: PairingMode, chi: Double) throws -> MT2Inputs {
        try requireTtbar(sample)
        let choice: [Int32]
        switch pairing {
        case .truth: choice = try truePairing(sample)
        case .unknown: choice = try blValues(sample: sample, pairing: .unknown, chi: chi).1
        }
        return try blInputs(sample: sample, choice: choice, chi: chi)
    }

    // MARK: internals shared with MAOS

    static func blInputs(sample: Sample, choice: [Int32], chi: Double) throws -> MT2Inputs {
        let a1 = try sample.fourVectors(Key.a1), a2 = try sample.fourVectors(Key.a2)
        let b1 = try sample.fourVectors(Key.b1), b2 = try sample.fourVectors(Key.b2)
        let flipped = choice.map { 1 - $0 }
        return MT2Inputs(visible1: Flat4.sum(a1, b1, b2, choose: choice),
                         visible2: Flat4.sum(a2, b1, b2, choose: flipped),
                         met: try sample.transverse(Key.met), chi: chi)
    }

    /// MT2(bl) values and the a1-chain b choice, for either pairing mode.
    static func blValues(sample: Sample, pairing: PairingMode, chi: Double) throws -> ([Double], [Int32]) {
        try requireTtbar(sample)
        try sample.validate(requiring: [Key.a1, Key.a2, Key.b1, Key.b2, Key.met])
        switch pairing {
        case .truth:
            let choice = try truePairing(sample)
            return (MT2.values(try blInputs(sample: sample, choice: choice, chi: chi)), choice)
        case .unknown:
            let n = sample.count
            let v0 = MT2.values(try blInputs(sample: sample, choice: [Int32](repeating: 0, count: n), chi: chi))
            let v1 = MT2.values(try blInputs(sample: sample, choice: [Int32](repeating: 1, count: n), chi: chi))
            var v = v0, c = [Int32](repeating: 0, count: n)
            for i in 0..<n where v1[i] < v0[i] { v[i] = v1[i]; c[i] = 1 }
            return (v, c)
        }
    }

    static func truePairing(_ sample: Sample) throws -> [Int32] {
        try sample.validate(requiring: [Key.a1, Key.pairing])
        guard let p = sample[Key.pairing]?.integers else {
            throw SampleError.wrongShape(key: Key.pairing, expected: "(N,) integer",
                                         found: sample[Key.pairing]?.shape ?? [], dtype: "<f8")
        }
        for (i, v) in p.enumerated() where v != 0 && v != 1 { throw BaselineInputError.badPairing(event: i, value: v) }
        return p.map { Int32($0) }
    }

    static func requireTtbar(_ sample: Sample) throws {
        guard sample.kind == .ttbarLike else { throw SampleError.wrongTopology(expected: .ttbarLike, found: sample.kind) }
    }

    static func checkMass(_ x: Double, _ name: String) throws {
        guard x.isFinite, x >= 0 else {
            throw BaselineInputError.badOption(name: name, value: x, requirement: "a finite mass >= 0 GeV")
        }
    }
}
