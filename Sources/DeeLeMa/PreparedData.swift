import Events
import Kinematics

/// A sample turned into what the model consumes, in scaled units (GeV / scale): network
/// inputs, the visibles the loss needs, and the transverse target of the completion.
///
/// Network input, t-tbar-like: [a1, a2, b1, b2] (E, px, py, pz each); with `.truth`
/// pairing the b's are put in chain order (b of a1's chain third), as the reference does;
/// with `.unknown` they stay in the sample's pt order, so the input does not reveal the
/// pairing. Antler: [a1, a2]. With `EventFrame.visible` every event is first boosted along z
/// to the frame where its visible objects have no total pz (MET is unchanged by that boost).
public struct PreparedData: Sendable {
    public let topology: TopologyKind
    public let count: Int
    public let inputWidth: Int
    /// N x inputWidth, row-major.
    public let inputs: [Double]
    /// Per event: a1, a2, b of chain 1, b of chain 2 (truth pairing) or b1, b2 (unknown pairing); zeros for the antler.
    public let visibles: [SIMD16<Double>]
    /// Per event: what C1T + C2T must equal (MET, or minus the visible transverse sum).
    public let targets: [SIMD2<Double>]
    /// Per event: the velocity along z of the frame the event is held in (`EventFrame.visible`:
    /// the visible objects' total pz / E; 0 in the lab frame). `toLab` boosts back.
    public let frameVelocity: [Double]
    /// The true pairing (0: a1 with b1) when the sample has one, else nil.
    public let truePairing: [Int32]?
    /// FNV-1a hash of the inputs and targets: identifies the sample in checkpoints.
    public let fingerprint: UInt64

    public init(sample: Sample, config: DeeLeMaConfig) throws(DeeLeMaError) {
        topology = sample.kind
        var required = Key.reconstructed(sample.kind)
        if config.completion == .met { required.append(Key.met) }
        let usesTruthPairing = sample.kind == .ttbarLike && config.pairing == .truth
        do {
            try sample.validate(requiring: required)
        } catch { throw .sample(error.description) }
        let n = sample.count
        if n == 0 { throw .sample("the sample has no events") }
        var pairing: [Int32]? = nil
        if let col = sample[Key.pairing], let ints = col.integers {
            if ints.count != n { throw .sample("array 'pairing' has \(ints.count) entries, expected \(n)") }
            for (i, p) in ints.enumerated() where p != 0 && p != 1 {
                throw .sample("array 'pairing' holds \(p) at event \(i), expected 0 or 1")
            }
            pairing = ints.map { Int32($0) }
        } else if usesTruthPairing {
            throw .sample(SampleError.missingPairing.description)
        }
        truePairing = pairing
        let inv = 1 / config.scale
        func vectors(_ k: String) throws(DeeLeMaError) -> [Double] {
            do { return try sample.fourVectors(k).map { $0 * inv } } catch { throw .sample(error.description) }
        }
        let roles = try Key.reconstructed(sample.kind).map { (k: String) throws(DeeLeMaError) -> [Double] in try vectors(k) }
        var met: [Double] = []
        if config.completion == .met {
            do { met = try sample.transverse(Key.met).map { $0 * inv } } catch { throw .sample(error.description) }
        }
        let width = 4 * roles.count
        inputWidth = width
        count = n
        var inputs = [Double](repeating: 0, count: n * width)
        var vis = [SIMD16<Double>](repeating: .zero, count: n)
        var targets = [SIMD2<Double>](repeating: .zero, count: n)
        var velocity = [Double](repeating: 0, count: n)
        for i in 0..<n {
            var v = SIMD16<Double>.zero
            for r in 0..<roles.count { for k in 0..<4 { v[4 * r + k] = roles[r][4 * i + k] } }
            if config.frame == .visible {
                var e = 0.0, pz = 0.0
                for r in 0..<roles.count { e += v[4 * r]; pz += v[4 * r + 3] }
                let beta = e > 0 ? pz / e : 0
                if !(abs(beta) < 1) {
                    throw .sample("event \(i): the visible objects have |pz| >= E (total E \(e * config.scale) GeV, pz \(pz * config.scale) GeV); check the four-vectors")
                }
                velocity[i] = beta
                for r in 0..<roles.count {
                    let b = PreparedData.boosted(SIMD4(v[4 * r], v[4 * r + 1], v[4 * r + 2], v[4 * r + 3]), bz: -beta)
                    for k in 0..<4 { v[4 * r + k] = b[k] }
                }
            }
            if usesTruthPairing, pairing![i] == 1 {
                for k in 0..<4 { let t = v[8 + k]; v[8 + k] = v[12 + k]; v[12 + k] = t }
            }
            vis[i] = v
            for k in 0..<width { inputs[i * width + k] = v[k] }
            if config.completion == .met {
                targets[i] = SIMD2(met[2 * i], met[2 * i + 1])
            } else {
                let s = v.lowHalf.lowHalf + v.lowHalf.highHalf + v.highHalf.lowHalf + v.highHalf.highHalf
                targets[i] = SIMD2(-s[1], -s[2])
            }
        }
        self.inputs = inputs
        self.frameVelocity = velocity
        self.visibles = vis
        self.targets = targets
        var h: UInt64 = 0xCBF2_9CE4_8422_2325
        func mix(_ x: Double) {
            var b = x.bitPattern
            for _ in 0..<8 { h = (h ^ (b & 0xFF)) &* 0x0000_0100_0000_01B3; b >>= 8 }
        }
        mix(Double(n))
        for x in inputs { mix(x) }
        for t in targets { mix(t[0]); mix(t[1]) }
        fingerprint = h
    }

    /// `p` (E, px, py, pz) boosted by velocity `bz` along z (`FourVector.boosted`).
    @inline(__always)
    static func boosted(_ p: SIMD4<Double>, bz: Double) -> SIMD4<Double> {
        let b = FourVector(e: p[0], px: p[1], py: p[2], pz: p[3]).boosted(bx: 0, by: 0, bz: bz)
        return SIMD4(b.e, b.px, b.py, b.pz)
    }

    /// Event `i`'s four-vector `p`, held in the event's frame, in the lab frame.
    @inline(__always)
    public func toLab(_ p: SIMD4<Double>, event i: Int) -> SIMD4<Double> { PreparedData.boosted(p, bz: frameVelocity[i]) }
}
