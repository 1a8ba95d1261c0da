#if canImport(Glibc)
import Glibc
#endif
import Events

/// Generator-level events for one card (SPEC section 2): unweighted production
/// (`ProductionSampler`), Breit-Wigner masses clipped to what each parent affords, isotropic
/// sequential two-body decays boosted to the lab, optional ISR recoil (its pT spectrum
/// truncated at min(pt_max, the largest kick the beams can supply at this shat and y)). Spin
/// correlations are not modelled. Events are generated four at a time, one per SIMD lane
/// (`Lanes`, see `fillPairs`). Writes the truth roles of `Key.truth(kind)` (+ `true_isr`) into an
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
    /// acceptance cone pz^2 < pT^2 `directionCut` (`directionCut` = sinh^2(etaMax); pT > 0).
    /// Every row is complete; `rows[0..<kept]` receives the kept candidates in increasing
    /// order. Returns the rows kept, the production trials and the envelope violations.
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

    /// The produced systems' four-momenta (mass sqrt(shat), rapidity from e^y) of four
    /// candidates, with an optional ISR kick each; the recoil jets are written to role
    /// `isrRole` at rows `row..<row + count`.
    @inline(__always)
    func systems(shat: Lanes, rootShat: Lanes, expY: Lanes, rng: inout EventRandom, buffer: EventBuffer, isrRole: Int,
                 row: Int, count: Int) -> LaneVectors {
        let inverse = 1 / expY
        let ch = 0.5 * (expY + inverse), sh = 0.5 * (expY - inverse)
        guard isr else { return LaneVectors(e: rootShat * ch, x: .zero, y: .zero, z: rootShat * sh) }
        // Kinematic limit: the kicked system plus the recoil jet must fit in the beams,
        // (sqrt(shat + pT^2) + pT) e^|y| < sqrt(s)  <=>  pT < (W^2 - shat) / (2 W), W = sqrt(s) e^-|y|.
        let w = sqrtS / expY.replacing(with: inverse, where: expY .< inverse)
        var limit = (w * w - shat) / (2 * w) * (1 - 1e-12)
        limit = limit.replacing(with: isrPtMax, where: isrPtMax .< limit)
        let l2 = limit * limit
        let fMax = (l2 / (l2 + isrPt0 * isrPt0)).replacing(with: 0, where: limit .<= 0)
        let v = rng.uniforms() * fMax
        let pt = isrPt0 * (v / (1 - v)).squareRoot()
        let (c, s) = rng.azimuths()
        let mt = (shat + pt * pt).squareRoot()
        LaneVectors(e: pt * ch, x: -pt * c, y: -pt * s, z: pt * sh).store(buffer.role(isrRole), row: row, count: count)
        return LaneVectors(e: mt * ch, x: pt * c, y: pt * s, z: mt * sh)
    }

    /// Two-body decays of four parents (lab four-momenta `parent`, masses m) into masses m1,
    /// m2, isotropic in each rest frame; daughters returned boosted to the lab.
    @inline(__always)
    func decay(_ parent: LaneVectors, mass m: Lanes, _ m1: Lanes, _ m2: Lanes, rng: inout EventRandom)
        -> (LaneVectors, LaneVectors) {
        let half = 0.5 / m
        let q = momentum(m, m1, m2, half)
        let (nx, ny, nz) = rng.directions()
        let qx = q * nx, qy = q * ny, qz = q * nz
        // Rest-frame energies in closed form: e1 = (m^2 + m1^2 - m2^2)/(2m), e2 = m - e1.
        let e1 = (m * m + m1 * m1 - m2 * m2) * half, e2 = m - e1
        let P = parent
        let invM = 2 * half, invEm = 1 / (P.e + m)
        let pq = P.x * qx + P.y * qy + P.z * qz
        // Rest-frame (e, q) to lab: E' = (E e + P.q)/m, q' = q + P ((P.q)/(E + m) + e)/m.
        let k1 = (pq * invEm + e1) * invM
        let k2 = (-pq * invEm + e2) * invM
        let d1 = LaneVectors(e: (P.e * e1 + pq) * invM, x: qx + k1 * P.x, y: qy + k1 * P.y, z: qz + k1 * P.z)
        let d2 = LaneVectors(e: (P.e * e2 - pq) * invM, x: -qx + k2 * P.x, y: -qy + k2 * P.y, z: -qz + k2 * P.z)
        return (d1, d2)
    }

    /// Rest-frame momenta of decays m -> m1 m2 (0 at threshold); `half` = 1/(2m).
    @inline(__always)
    func momentum(_ m: Lanes, _ m1: Lanes, _ m2: Lanes, _ half: Lanes) -> Lanes {
        let s = m1 + m2, d = m1 - m2
        let k = (m - s) * (m + s) * (m - d) * (m + d)
        return k.replacing(with: 0, where: k .< 0).squareRoot() * half
    }

    /// Appends to `rows` the candidates `first..<first + count` whose lanes pass `keep`, in
    /// order; returns the new number of rows.
    @inline(__always)
    static func keep(_ keep: SIMDMask<SIMD4<Int64>>, first: Int, count: Int, rows: UnsafeMutablePointer<Int32>,
                     kept: Int) -> Int {
        var kept = kept, j = 0
        while j < count {
            rows[kept] = Int32(truncatingIfNeeded: first &+ j)
            kept &+= keep[j] ? 1 : 0
            j &+= 1
        }
        return kept
    }

    /// Production for `n` candidates into `shat` and `expY`, padded to a multiple of four
    /// lanes with copies of the first candidate (computed, never stored).
    func produce(shat: UnsafeMutablePointer<Double>, expY: UnsafeMutablePointer<Double>, count n: Int,
                 rng: inout EventRandom) -> (trials: Int, violations: Int) {
        let r = production.sample(shat: shat, expY: expY, count: n, rng: &rng)
        for i in n..<Self.padded(n) { shat[i] = shat[0]; expY[i] = expY[0] }
        return r
    }

    /// n rounded up to a multiple of 4 (at least 4).
    static func padded(_ n: Int) -> Int { max(4, (n + 3) & ~3) }

    /// The event loop, four candidates at a time: after the batch's production, each group of
    /// four goes through its masses (A1, A2, B1, B2), the system (and ISR kick), and its
    /// decays (system -> A1 A2, A1 -> a1 B1, A2 -> a2 B2, B1 -> b1 C1, B2 -> b2 C2), drawing
    /// four uniforms at a time in that order; then the candidates whose four visible daughters
    /// pass the direction cut are listed in `rows`.
    func fillPairs(_ buffer: EventBuffer, start: Int, candidates n: Int, cut: Double?,
                   rows out: UnsafeMutablePointer<Int32>?, rng: inout EventRandom) -> (rows: Int, trials: Int, violations: Int) {
        let padded = Self.padded(n)
        let scalars = UnsafeMutablePointer<Double>.allocate(capacity: 2 * padded)
        defer { scalars.deallocate() }
        let shat = scalars, expY = scalars + padded
        let (trials, violations) = produce(shat: shat, expY: expY, count: n, rng: &rng)
        let A1 = buffer.role(0), A2 = buffer.role(1), B1 = buffer.role(2), B2 = buffer.role(3)
        let C1 = buffer.role(4), C2 = buffer.role(5), a1 = buffer.role(6), a2 = buffer.role(7)
        let b1 = buffer.role(8), b2 = buffer.role(9)
        let lowA = bwA.lower
        let ma = Lanes(repeating: ma), mb = Lanes(repeating: mb), mC = Lanes(repeating: mC)
        var kept = 0
        var i = 0
        while i < n {
            let count = min(4, n - i), row = start + i
            let sh = Lanes.load(shat + i), rootShat = sh.squareRoot()
            let mA1 = bwA.masses(&rng, below: rootShat - lowA)
            let mA2 = bwA.masses(&rng, below: rootShat - mA1)
            let mB1 = bwB.masses(&rng, below: mA1 - ma)
            let mB2 = bwB.masses(&rng, below: mA2 - ma)
            let P = systems(shat: sh, rootShat: rootShat, expY: Lanes.load(expY + i), rng: &rng, buffer: buffer,
                            isrRole: 10, row: row, count: count)
            let (pA1, pA2) = decay(P, mass: rootShat, mA1, mA2, rng: &rng)
            let (pa1, pB1) = decay(pA1, mass: mA1, ma, mB1, rng: &rng)
            let (pa2, pB2) = decay(pA2, mass: mA2, ma, mB2, rng: &rng)
            let (pb1, pC1) = decay(pB1, mass: mB1, mb, mC, rng: &rng)
            let (pb2, pC2) = decay(pB2, mass: mB2, mb, mC, rng: &rng)
            pA1.store(A1, row: row, count: count); pA2.store(A2, row: row, count: count)
            pB1.store(B1, row: row, count: count); pB2.store(B2, row: row, count: count)
            pC1.store(C1, row: row, count: count); pC2.store(C2, row: row, count: count)
            pa1.store(a1, row: row, count: count); pa2.store(a2, row: row, count: count)
            pb1.store(b1, row: row, count: count); pb2.store(b2, row: row, count: count)
            if let out, let c = cut {
                let inside = pa1.inside(c) .& pa2.inside(c) .& pb1.inside(c) .& pb2.inside(c)
                kept = Self.keep(inside, first: i, count: count, rows: out, kept: kept)
            }
            i += 4
        }
        return (out != nil && cut != nil ? kept : n, trials, violations)
    }

    /// The antler event loop, four candidates at a time: masses B1, B2, the system D (and ISR
    /// kick) and its decays (D -> B1 B2, B1 -> a1 C1, B2 -> a2 C2), then the direction cut
    /// on a1 and a2 as in `fillPairs`.
    func fillAntler(_ buffer: EventBuffer, start: Int, candidates n: Int, cut: Double?,
                    rows out: UnsafeMutablePointer<Int32>?, rng: inout EventRandom) -> (rows: Int, trials: Int, violations: Int) {
        let padded = Self.padded(n)
        let scalars = UnsafeMutablePointer<Double>.allocate(capacity: 2 * padded)
        defer { scalars.deallocate() }
        let shat = scalars, expY = scalars + padded
        let (trials, violations) = produce(shat: shat, expY: expY, count: n, rng: &rng)
        let D = buffer.role(0), B1 = buffer.role(1), B2 = buffer.role(2), C1 = buffer.role(3)
        let C2 = buffer.role(4), a1 = buffer.role(5), a2 = buffer.role(6)
        let lowB = bwB.lower
        let ma = Lanes(repeating: ma), mC = Lanes(repeating: mC)
        var kept = 0
        var i = 0
        while i < n {
            let count = min(4, n - i), row = start + i
            let sh = Lanes.load(shat + i), rootShat = sh.squareRoot()
            let mB1 = bwB.masses(&rng, below: rootShat - lowB)
            let mB2 = bwB.masses(&rng, below: rootShat - mB1)
            let P = systems(shat: sh, rootShat: rootShat, expY: Lanes.load(expY + i), rng: &rng, buffer: buffer,
                            isrRole: 7, row: row, count: count)
            let (pB1, pB2) = decay(P, mass: rootShat, mB1, mB2, rng: &rng)
            let (pa1, pC1) = decay(pB1, mass: mB1, ma, mC, rng: &rng)
            let (pa2, pC2) = decay(pB2, mass: mB2, ma, mC, rng: &rng)
            P.store(D, row: row, count: count)
            pB1.store(B1, row: row, count: count); pB2.store(B2, row: row, count: count)
            pC1.store(C1, row: row, count: count); pC2.store(C2, row: row, count: count)
            pa1.store(a1, row: row, count: count); pa2.store(a2, row: row, count: count)
            if let out, let c = cut {
                kept = Self.keep(pa1.inside(c) .& pa2.inside(c), first: i, count: count, rows: out, kept: kept)
            }
            i += 4
        }
        return (out != nil && cut != nil ? kept : n, trials, violations)
    }
}
