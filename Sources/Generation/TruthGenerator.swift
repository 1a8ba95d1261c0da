#if canImport(Glibc)
import Glibc
#endif
import Events

/// Generator-level events for one card (SPEC section 2): unweighted production
/// (`ProductionSampler`), Breit-Wigner masses clipped to what each parent affords, isotropic
/// sequential two-body decays boosted to the lab, optional ISR recoil (its pT spectrum
/// truncated at min(pt_max, the largest kick the beams can supply at this shat and y)). Spin correlations
/// are not modelled. Writes the truth roles of `Key.truth(kind)` (+ `true_isr`) into an
/// `EventBuffer` in that order; chain 1 holds the particles, chain 2 the antiparticles.
public struct TruthGenerator: Sendable {
    public let card: Card
    public let kind: TopologyKind
    /// Whether the ISR recoil is generated (truth role `true_isr` appended).
    public let isr: Bool
    public let production: ProductionSampler
    /// Mass distributions of the parents: A (t-tbar-like) or D-daughters B; B.
    public let bwA: BreitWigner
    public let bwB: BreitWigner
    @usableFromInline let ma: Double
    @usableFromInline let mb: Double
    @usableFromInline let mC: Double
    @usableFromInline let isrPt0: Double
    @usableFromInline let isrPtMax: Double
    @usableFromInline let sqrtS: Double

    /// Smallest parent mass above its daughters' sum that the window may reach (GeV).
    public static let minimumQ = 1e-6

    public init(card: Card, isr: Bool) {
        self.card = card
        kind = card.topology
        self.isr = isr
        ma = card.mass(.a)
        mC = card.mass(.C)
        let b = card.particle(.B)
        switch card.topology {
        case .ttbarLike:
            mb = card.mass(.b)
            bwB = BreitWigner(pole: b.mass, width: b.width, floor: mb + mC + Self.minimumQ)
            let a = card.particle(.A)
            bwA = BreitWigner(pole: a.mass, width: a.width, floor: ma + bwB.lower + Self.minimumQ)
            production = ProductionSampler(card: card)
        case .antler:
            mb = 0
            bwB = BreitWigner(pole: b.mass, width: b.width, floor: ma + mC + Self.minimumQ)
            bwA = bwB
            production = ProductionSampler(card: card, minimumMass: 2 * bwB.lower + Self.minimumQ)
        }
        isrPt0 = card.isr.pt0
        isrPtMax = card.isr.ptMax
        sqrtS = card.sqrtS
    }

    /// Truth array names written, in buffer-role order.
    public var keys: [String] { Key.truth(kind) + (isr ? [Key.trueISR] : []) }

    /// Number of buffer roles needed.
    public var roleCount: Int { keys.count }

    /// Fills rows `range` of `buffer` with events. Returns the production trials used and the
    /// number of envelope violations.
    public func fill(_ buffer: EventBuffer, range: Range<Int>, rng: inout EventRandom) -> (trials: Int, violations: Int) {
        switch kind {
        case .ttbarLike: fillPairs(buffer, range: range, rng: &rng)
        case .antler: fillAntler(buffer, range: range, rng: &rng)
        }
    }

    /// The produced system's four-momentum (mass sqrt(shat), rapidity from e^y) with an
    /// optional ISR kick; the recoil jet is written to role `isrRole` at row i.
    @inline(__always)
    func system(shat: Double, expY: Double, rng: inout EventRandom, buffer: EventBuffer, isrRole: Int, row i: Int)
        -> (Double, Double, Double, Double) {
        let ch = 0.5 * (expY + 1 / expY), sh = 0.5 * (expY - 1 / expY)
        guard isr else { let m = shat.squareRoot(); return (m * ch, 0, 0, m * sh) }
        // Kinematic limit: the kicked system plus the recoil jet must fit in the beams,
        // (sqrt(shat + pT^2) + pT) e^|y| < sqrt(s)  <=>  pT < (W^2 - shat) / (2 W), W = sqrt(s) e^-|y|.
        let w = sqrtS / max(expY, 1 / expY)
        let limit = min(isrPtMax, (w * w - shat) / (2 * w) * (1 - 1e-12))
        let fMax = limit > 0 ? limit * limit / (limit * limit + isrPt0 * isrPt0) : 0
        let v = rng.uniform() * fMax
        let pt = isrPt0 * (v / (1 - v)).squareRoot()
        let (c, s) = rng.azimuth()
        let mt = (shat + pt * pt).squareRoot()
        store(buffer.role(isrRole) + 4 * i, (pt * ch, -pt * c, -pt * s, pt * sh))
        return (mt * ch, pt * c, pt * s, mt * sh)
    }

    @inline(__always)
    func store(_ p: UnsafeMutablePointer<Double>, _ v: (Double, Double, Double, Double)) {
        p[0] = v.0; p[1] = v.1; p[2] = v.2; p[3] = v.3
    }

    /// Two-body decay of a parent (lab four-momentum `parent`, mass m) into masses m1, m2,
    /// isotropic in its rest frame; daughters written boosted to the lab.
    @inline(__always)
    func decay(_ parent: (Double, Double, Double, Double), mass m: Double, _ m1: Double, _ m2: Double,
               rng: inout EventRandom) -> ((Double, Double, Double, Double), (Double, Double, Double, Double)) {
        let q = momentum(m, m1, m2)
        let (nx, ny, nz) = rng.direction()
        let qx = q * nx, qy = q * ny, qz = q * nz
        // Rest-frame energies in closed form: e1 = (m^2 + m1^2 - m2^2)/(2m), e2 = m - e1.
        let e1 = (m * m + m1 * m1 - m2 * m2) / (2 * m), e2 = m - e1
        let (E, px, py, pz) = parent
        let invM = 1 / m, invEm = 1 / (E + m)
        let pq = px * qx + py * qy + pz * qz
        // Rest-frame (e, q) to lab: E' = (E e + P.q)/m, q' = q + P ((P.q)/(E + m) + e)/m.
        let k1 = (pq * invEm + e1) * invM
        let k2 = (-pq * invEm + e2) * invM
        let d1 = ((E * e1 + pq) * invM, qx + k1 * px, qy + k1 * py, qz + k1 * pz)
        let d2 = ((E * e2 - pq) * invM, -qx + k2 * px, -qy + k2 * py, -qz + k2 * pz)
        return (d1, d2)
    }

    /// Rest-frame momentum of a decay m -> m1 m2 (0 at threshold).
    @inline(__always)
    func momentum(_ m: Double, _ m1: Double, _ m2: Double) -> Double {
        let s = m1 + m2, d = m1 - m2
        return (max(0, (m - s) * (m + s) * (m - d) * (m + d))).squareRoot() / (2 * m)
    }

    func fillPairs(_ buffer: EventBuffer, range: Range<Int>, rng state: inout EventRandom) -> (trials: Int, violations: Int) {
        // A local copy of the generator state: it stays in registers (the buffer stores
        // cannot alias it), then is written back once.
        var rng = state
        defer { state = rng }
        var trials = 0, violations = 0
        let A1 = buffer.role(0), A2 = buffer.role(1), B1 = buffer.role(2), B2 = buffer.role(3)
        let C1 = buffer.role(4), C2 = buffer.role(5), a1 = buffer.role(6), a2 = buffer.role(7)
        let b1 = buffer.role(8), b2 = buffer.role(9)
        let lowA = bwA.lower
        for i in range {
            let prod = production.sample(&rng)
            trials += prod.trials; violations += prod.violations
            let rs = prod.shat.squareRoot()
            let mA1 = bwA.mass(&rng, below: rs - lowA)
            let mA2 = bwA.mass(&rng, below: rs - mA1)
            let P = system(shat: prod.shat, expY: prod.expY, rng: &rng, buffer: buffer, isrRole: 10, row: i)
            let (pA1, pA2) = decay(P, mass: rs, mA1, mA2, rng: &rng)
            let o = 4 * i
            store(A1 + o, pA1); store(A2 + o, pA2)
            for chain in 0..<2 {
                let pA = chain == 0 ? pA1 : pA2
                let mA = chain == 0 ? mA1 : mA2
                let mB = bwB.mass(&rng, below: mA - ma)
                let (pa, pB) = decay(pA, mass: mA, ma, mB, rng: &rng)
                let (pb, pC) = decay(pB, mass: mB, mb, mC, rng: &rng)
                store((chain == 0 ? a1 : a2) + o, pa)
                store((chain == 0 ? B1 : B2) + o, pB)
                store((chain == 0 ? b1 : b2) + o, pb)
                store((chain == 0 ? C1 : C2) + o, pC)
            }
        }
        return (trials, violations)
    }

    func fillAntler(_ buffer: EventBuffer, range: Range<Int>, rng state: inout EventRandom) -> (trials: Int, violations: Int) {
        var rng = state
        defer { state = rng }
        var trials = 0, violations = 0
        let D = buffer.role(0), B1 = buffer.role(1), B2 = buffer.role(2), C1 = buffer.role(3)
        let C2 = buffer.role(4), a1 = buffer.role(5), a2 = buffer.role(6)
        let lowB = bwB.lower
        for i in range {
            let prod = production.sample(&rng)
            trials += prod.trials; violations += prod.violations
            let mD = prod.shat.squareRoot()
            let mB1 = bwB.mass(&rng, below: mD - lowB)
            let mB2 = bwB.mass(&rng, below: mD - mB1)
            let P = system(shat: prod.shat, expY: prod.expY, rng: &rng, buffer: buffer, isrRole: 7, row: i)
            let o = 4 * i
            store(D + o, P)
            let (pB1, pB2) = decay(P, mass: mD, mB1, mB2, rng: &rng)
            store(B1 + o, pB1); store(B2 + o, pB2)
            let (pa1, pC1) = decay(pB1, mass: mB1, ma, mC, rng: &rng)
            let (pa2, pC2) = decay(pB2, mass: mB2, ma, mC, rng: &rng)
            store(a1 + o, pa1); store(C1 + o, pC1)
            store(a2 + o, pa2); store(C2 + o, pC2)
        }
        return (trials, violations)
    }
}
