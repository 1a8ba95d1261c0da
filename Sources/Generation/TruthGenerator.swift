#if canImport(Glibc)
import Glibc
#endif
import Events

/// Generator-level events for one card (SPEC section 2): unweighted production
/// (`ProductionSampler`), Breit-Wigner masses clipped to what each parent affords, isotropic
/// sequential two-body decays boosted to the lab, optional ISR recoil (its pT spectrum
/// truncated at min(pt_max, the largest kick the beams can supply at this shat and y)). Spin
/// correlations are not modelled. Events are generated in phases over a batch (see
/// `fillPairs`). Writes the truth roles of `Key.truth(kind)` (+ `true_isr`) into an
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
        let r = generate(buffer, start: range.lowerBound, candidates: range.count, cut: nil, rows: nil, rng: &rng)
        return (r.trials, r.violations)
    }

    /// Generates `candidates` events into rows 0..<candidates of `buffer` (row = candidate
    /// index) and keeps only those whose visible daughters (a1 a2 [b1 b2]) all point inside the
    /// acceptance cone pz^2 < pT^2 `directionCut` (`directionCut` = sinh^2(etaMax); pT > 0): an
    /// event is abandoned at the first visible object outside, before the rest of it is
    /// generated (the rows of abandoned events are incomplete). `rows[0..<kept]` receives the
    /// kept candidates in increasing order. Returns the rows kept, the production trials and
    /// the envelope violations.
    public func fill(_ buffer: EventBuffer, candidates: Int, directionCut: Double, rows: UnsafeMutablePointer<Int32>,
                     rng: inout EventRandom) -> (rows: Int, trials: Int, violations: Int) {
        generate(buffer, start: 0, candidates: candidates, cut: directionCut, rows: rows, rng: &rng)
    }

    func generate(_ buffer: EventBuffer, start: Int, candidates: Int, cut: Double?, rows: UnsafeMutablePointer<Int32>?,
                  rng: inout EventRandom) -> (rows: Int, trials: Int, violations: Int) {
        switch kind {
        case .ttbarLike: fillPairs(buffer, start: start, candidates: candidates, cut: cut, rows: rows, rng: &rng)
        case .antler: fillAntler(buffer, start: start, candidates: candidates, cut: cut, rows: rows, rng: &rng)
        }
    }

    /// Whether v points inside the cone pz^2 < pT^2 c (and pT > 0).
    @inline(__always)
    static func inside(_ v: (Double, Double, Double, Double), _ c: Double) -> Bool {
        let pt2 = v.1 * v.1 + v.2 * v.2
        return pt2 > 0 && v.3 * v.3 < pt2 * c
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

    @inline(__always)
    func load(_ p: UnsafeMutablePointer<Double>) -> (Double, Double, Double, Double) { (p[0], p[1], p[2], p[3]) }

    /// Two-body decay of a parent (lab four-momentum `parent`, mass m) into masses m1, m2,
    /// isotropic in its rest frame; daughters written boosted to the lab.
    @inline(__always)
    func decay(_ parent: (Double, Double, Double, Double), mass m: Double, _ m1: Double, _ m2: Double,
               rng: inout EventRandom) -> ((Double, Double, Double, Double), (Double, Double, Double, Double)) {
        let half = 0.5 / m
        let q = momentum(m, m1, m2, half)
        let (nx, ny, nz) = rng.direction()
        let qx = q * nx, qy = q * ny, qz = q * nz
        // Rest-frame energies in closed form: e1 = (m^2 + m1^2 - m2^2)/(2m), e2 = m - e1.
        let e1 = (m * m + m1 * m1 - m2 * m2) * half, e2 = m - e1
        let (E, px, py, pz) = parent
        let invM = 2 * half, invEm = 1 / (E + m)
        let pq = px * qx + py * qy + pz * qz
        // Rest-frame (e, q) to lab: E' = (E e + P.q)/m, q' = q + P ((P.q)/(E + m) + e)/m.
        let k1 = (pq * invEm + e1) * invM
        let k2 = (-pq * invEm + e2) * invM
        let d1 = ((E * e1 + pq) * invM, qx + k1 * px, qy + k1 * py, qz + k1 * pz)
        let d2 = ((E * e2 - pq) * invM, -qx + k2 * px, -qy + k2 * py, -qz + k2 * pz)
        return (d1, d2)
    }

    /// Rest-frame momentum of a decay m -> m1 m2 (0 at threshold); `half` = 1/(2m).
    @inline(__always)
    func momentum(_ m: Double, _ m1: Double, _ m2: Double, _ half: Double) -> Double {
        let s = m1 + m2, d = m1 - m2
        return (max(0, (m - s) * (m + s) * (m - d) * (m + d))).squareRoot() * half
    }

    /// The event loops run in phases over the whole batch (production, masses, the system's
    /// decay, then one phase per further decay over the candidates still alive), so that each
    /// loop body is short and consecutive candidates overlap in the processor instead of
    /// waiting on one long chain of divisions and square roots. Random numbers are drawn in
    /// that order.
    func fillPairs(_ buffer: EventBuffer, start: Int, candidates n: Int, cut: Double?,
                   rows out: UnsafeMutablePointer<Int32>?, rng: inout EventRandom) -> (rows: Int, trials: Int, violations: Int) {
        let trials: Int, violations: Int
        let filter = cut != nil, c = cut ?? 0
        let A1 = buffer.role(0), A2 = buffer.role(1), B1 = buffer.role(2), B2 = buffer.role(3)
        let C1 = buffer.role(4), C2 = buffer.role(5), a1 = buffer.role(6), a2 = buffer.role(7)
        let b1 = buffer.role(8), b2 = buffer.role(9)
        let scalars = UnsafeMutablePointer<Double>.allocate(capacity: 6 * max(n, 1))
        defer { scalars.deallocate() }
        let shat = scalars, expY = scalars + n, mA1 = scalars + 2 * n, mA2 = scalars + 3 * n
        let mB1 = scalars + 4 * n, mB2 = scalars + 5 * n
        let owned = out == nil ? UnsafeMutablePointer<Int32>.allocate(capacity: max(n, 1)) : nil
        defer { owned?.deallocate() }
        let alive = out ?? owned!
        (trials, violations) = production.sample(shat: shat, expY: expY, count: n, rng: &rng)
        // One mass per loop: short independent iterations.
        let lowA = bwA.lower
        for i in 0..<n { mA1[i] = bwA.mass(&rng, below: shat[i].squareRoot() - lowA) }
        for i in 0..<n { mA2[i] = bwA.mass(&rng, below: shat[i].squareRoot() - mA1[i]) }
        for i in 0..<n { mB1[i] = bwB.mass(&rng, below: mA1[i] - ma) }
        for i in 0..<n { mB2[i] = bwB.mass(&rng, below: mA2[i] - ma) }
        for i in 0..<n {
            let o = 4 * (start + i)
            let P = system(shat: shat[i], expY: expY[i], rng: &rng, buffer: buffer, isrRole: 10, row: start + i)
            let (pA1, pA2) = decay(P, mass: shat[i].squareRoot(), mA1[i], mA2[i], rng: &rng)
            store(A1 + o, pA1); store(A2 + o, pA2)
        }
        // Visible daughters first, each tested as soon as it exists.
        var kept = 0
        for i in 0..<n {
            let o = 4 * (start + i)
            let (pa, pB) = decay(load(A1 + o), mass: mA1[i], ma, mB1[i], rng: &rng)
            store(a1 + o, pa); store(B1 + o, pB)
            alive[kept] = Int32(truncatingIfNeeded: i)
            kept &+= (!filter || Self.inside(pa, c)) ? 1 : 0
        }
        kept = decayPhase(A2, a2, B2, mA2, ma, mB2, alive: alive, count: kept, start: start, filter: filter, cut: c, rng: &rng)
        kept = decayPhase(B1, b1, C1, mB1, mb, nil, alive: alive, count: kept, start: start, filter: filter, cut: c, rng: &rng)
        kept = decayPhase(B2, b2, C2, mB2, mb, nil, alive: alive, count: kept, start: start, filter: filter, cut: c, rng: &rng)
        return (kept, trials, violations)
    }

    /// One decay over the candidates `alive[0..<count]`: parent (role `parent`, mass
    /// `masses[i]`) -> visible (mass m1, role `visible`) + other (mass `otherMasses[i]`, or mC
    /// when nil, role `other`); keeps (compacting `alive`) the candidates whose visible daughter
    /// passes the direction cut. Returns the number kept.
    @inline(__always)
    func decayPhase(_ parent: UnsafeMutablePointer<Double>, _ visible: UnsafeMutablePointer<Double>,
                    _ other: UnsafeMutablePointer<Double>, _ masses: UnsafeMutablePointer<Double>, _ m1: Double,
                    _ otherMasses: UnsafeMutablePointer<Double>?, alive: UnsafeMutablePointer<Int32>, count: Int,
                    start: Int, filter: Bool, cut c: Double, rng: inout EventRandom) -> Int {
        var kept = 0
        for k in 0..<count {
            let i = Int(alive[k])
            let o = 4 * (start + i)
            let (pv, po) = decay(load(parent + o), mass: masses[i], m1, otherMasses?[i] ?? mC, rng: &rng)
            store(visible + o, pv); store(other + o, po)
            alive[kept] = Int32(truncatingIfNeeded: i)
            kept &+= (!filter || Self.inside(pv, c)) ? 1 : 0
        }
        return kept
    }

    func fillAntler(_ buffer: EventBuffer, start: Int, candidates n: Int, cut: Double?,
                    rows out: UnsafeMutablePointer<Int32>?, rng: inout EventRandom) -> (rows: Int, trials: Int, violations: Int) {
        let trials: Int, violations: Int
        let filter = cut != nil, c = cut ?? 0
        let D = buffer.role(0), B1 = buffer.role(1), B2 = buffer.role(2), C1 = buffer.role(3)
        let C2 = buffer.role(4), a1 = buffer.role(5), a2 = buffer.role(6)
        let scalars = UnsafeMutablePointer<Double>.allocate(capacity: 4 * max(n, 1))
        defer { scalars.deallocate() }
        let shat = scalars, expY = scalars + n, mB1 = scalars + 2 * n, mB2 = scalars + 3 * n
        let owned = out == nil ? UnsafeMutablePointer<Int32>.allocate(capacity: max(n, 1)) : nil
        defer { owned?.deallocate() }
        let alive = out ?? owned!
        (trials, violations) = production.sample(shat: shat, expY: expY, count: n, rng: &rng)
        let lowB = bwB.lower
        for i in 0..<n { mB1[i] = bwB.mass(&rng, below: shat[i].squareRoot() - lowB) }
        for i in 0..<n { mB2[i] = bwB.mass(&rng, below: shat[i].squareRoot() - mB1[i]) }
        for i in 0..<n {
            let o = 4 * (start + i)
            let P = system(shat: shat[i], expY: expY[i], rng: &rng, buffer: buffer, isrRole: 7, row: start + i)
            store(D + o, P)
            let (pB1, pB2) = decay(P, mass: shat[i].squareRoot(), mB1[i], mB2[i], rng: &rng)
            store(B1 + o, pB1); store(B2 + o, pB2)
            alive[i] = Int32(truncatingIfNeeded: i)
        }
        var kept = decayPhase(B1, a1, C1, mB1, ma, nil, alive: alive, count: n, start: start, filter: filter, cut: c, rng: &rng)
        kept = decayPhase(B2, a2, C2, mB2, ma, nil, alive: alive, count: kept, start: start, filter: filter, cut: c, rng: &rng)
        return (kept, trials, violations)
    }
}
