#if canImport(Glibc)
import Glibc
#endif
import Core
import Events

/// Generator-level events for one card (the physics is in this module's README): unweighted production
/// (`ProductionSampler`), Breit-Wigner masses clipped to what each parent affords, the pair's
/// polar angle from the LO matrix element of its channel (`PairProductionAngle`; or flat),
/// sequential two-body decays boosted to the lab, isotropic except B -> b C on a V-A card
/// (`WHelicity`), optional ISR recoil (its pT spectrum truncated at min(pt_max, the largest kick
/// the beams can supply at this shat and y)). Spin correlations between the two chains are not
/// modelled. Events are generated four at a time, one per SIMD lane
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
    /// 4 m_A^2 (GeV^2), for rho = 4 m_A^2 / shat of the production angle.
    @usableFromInline let thresholdS: Double
    @usableFromInline let tables = FastMathTables.shared

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
        thresholdS = card.topology == .ttbarLike ? 4 * card.mass(.A) * card.mass(.A) : 0
    }

    /// Whether the pair's polar angle follows the LO matrix elements.
    var leadingOrderAngles: Bool { kind == .ttbarLike && card.angles == .leadingOrder }

    /// Truth array names written, in buffer-role order.
    public var keys: [String] { Key.truth(kind, isr: isr) }

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
        decay(parent, mass: m, m1, m2, direction: rng.directions())
    }

    /// Two-body decays with the first daughter along the unit vector `direction` (x, y, z) in
    /// the parent rest frame reached from the lab by a pure boost.
    @inline(__always)
    func decay(_ parent: LaneVectors, mass m: Lanes, _ m1: Lanes, _ m2: Lanes, direction: (Lanes, Lanes, Lanes))
        -> (LaneVectors, LaneVectors) {
        let half = 0.5 / m
        let q = momentum(m, m1, m2, half)
        let (nx, ny, nz) = direction
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

    /// n rounded up to a multiple of 4 (at least 4).
    static func padded(_ n: Int) -> Int { max(4, (n + 3) & ~3) }

    /// The per-candidate arrays of one batch, each `padded(n)` long (the lanes past n repeat
    /// the first candidate: computed, never stored), filled with the batch's production:
    /// shat, e^y, sqrt(shat), the direction-cut flags (1 = still inside; nil when not
    /// filtering), room for `masses` mass arrays, and the gluon-fusion shares.
    struct Batch {
        let count: Int
        let length: Int
        let masses: Int
        let base: UnsafeMutablePointer<Double>
        let trials: Int
        let violations: Int
        let pass: UnsafeMutablePointer<Double>?

        init(generator: TruthGenerator, masses: Int, count n: Int, filtered: Bool, rng: inout EventRandom) {
            count = n
            length = TruthGenerator.padded(n)
            self.masses = masses
            base = .allocate(capacity: (5 + masses) * length)
            let shat = base, expY = base + length, share = base + (4 + masses) * length
            (trials, violations) = generator.production.sample(shat: shat, expY: expY, count: n,
                                                               gluonShare: share,
                                                               rng: &rng)
            for i in n..<length { shat[i] = shat[0]; expY[i] = expY[0]; share[i] = share[0] }
            for i in 0..<length { base[2 * length + i] = shat[i].squareRoot(); base[3 * length + i] = 1 }
            pass = filtered ? base + 3 * length : nil
        }

        var shat: UnsafeMutablePointer<Double> { base }
        var expY: UnsafeMutablePointer<Double> { base + length }
        var rootShat: UnsafeMutablePointer<Double> { base + 2 * length }
        func mass(_ k: Int) -> UnsafeMutablePointer<Double> { base + (4 + k) * length }
        /// The gluon-fusion share of each candidate's production density (pair production with
        /// LO angles; unset otherwise). It follows the mass arrays.
        var gluonShare: UnsafeMutablePointer<Double> { base + (4 + masses) * length }

        /// The rows kept (listed in `rows` in order: the candidates whose flag is still set;
        /// every candidate when not filtering), the production trials and envelope violations.
        func result(rows: UnsafeMutablePointer<Int32>?) -> (rows: Int, trials: Int, violations: Int) {
            guard let rows, let pass else { return (count, trials, violations) }
            var kept = 0
            for i in 0..<count {
                rows[kept] = Int32(truncatingIfNeeded: i)
                kept &+= pass[i] != 0 ? 1 : 0
            }
            return (kept, trials, violations)
        }

        func deallocate() { base.deallocate() }
    }

    /// One mass per candidate for the groups of the batch, below each candidate's limit
    /// `first - second` (arrays; `second` nil: the constant `offset` instead).
    @inline(__always)
    func massPhase(_ bw: BreitWigner, into masses: UnsafeMutablePointer<Double>, first: UnsafeMutablePointer<Double>,
                   minus second: UnsafeMutablePointer<Double>?, offset: Double, count n: Int, rng: inout EventRandom) {
        var i = 0
        while i < n {
            let limit = Lanes.load(first + i) - (second.map { Lanes.load($0 + i) } ?? Lanes(repeating: offset))
            bw.masses(&rng, below: limit).store(masses + i)
            i &+= 4
        }
    }

    /// One decay per candidate over the groups of the batch: parent (rows of role `parent`,
    /// masses `masses`) -> visible (mass m1, role `visible`) + other (masses `otherMasses`, or
    /// the constant mC when nil, role `other`). With `pass`, each candidate's flag is cleared
    /// when its visible daughter points outside the cone `cut`.
    @inline(__always)
    func decayPhase(_ parent: UnsafeMutablePointer<Double>, masses: UnsafeMutablePointer<Double>, _ m1: Double,
                    _ otherMasses: UnsafeMutablePointer<Double>?, visible: UnsafeMutablePointer<Double>,
                    other: UnsafeMutablePointer<Double>, start: Int, count n: Int, pass: UnsafeMutablePointer<Double>?,
                    cut: Double, rng: inout EventRandom) {
        let visibleMass = Lanes(repeating: m1), fixedMass = Lanes(repeating: mC)
        var i = 0
        while i < n {
            let count = min(4, n &- i), row = start &+ i
            let P = LaneVectors(rows: parent, row: row, count: count)
            let m2 = otherMasses.map { Lanes.load($0 + i) } ?? fixedMass
            let (v, o) = decay(P, mass: Lanes.load(masses + i), visibleMass, m2, rng: &rng)
            v.store(visible, row: row, count: count); o.store(other, row: row, count: count)
            if let pass {
                let flag = Lanes(repeating: 0).replacing(with: 1, where: v.inside(cut))
                (Lanes.load(pass + i) * flag).store(pass + i)
            }
            i &+= 4
        }
    }

    /// The produced systems (and ISR kicks) of the batch and their decays into the first two
    /// parents (masses `m1`, `m2`), written to the rows of roles `first` and `second`; with
    /// `system`, the systems themselves too. With `gluonShare` (pair production, LO angles) the
    /// first parent's polar angle in the system frame follows the LO matrix element of a
    /// channel picked by one uniform per candidate (gg where it is below the share), then
    /// its azimuth is uniform; otherwise the decay is isotropic.
    @inline(__always)
    func systemPhase(_ buffer: EventBuffer, shat: UnsafeMutablePointer<Double>, rootShat: UnsafeMutablePointer<Double>,
                     expY: UnsafeMutablePointer<Double>, m1: UnsafeMutablePointer<Double>, m2: UnsafeMutablePointer<Double>,
                     gluonShare: UnsafeMutablePointer<Double>?, system: UnsafeMutablePointer<Double>?,
                     first: UnsafeMutablePointer<Double>, second: UnsafeMutablePointer<Double>, isrRole: Int, start: Int,
                     count n: Int, rng: inout EventRandom) {
        var i = 0
        while i < n {
            let count = min(4, n &- i), row = start &+ i
            let rs = Lanes.load(rootShat + i), sh = Lanes.load(shat + i)
            let P = systems(shat: sh, rootShat: rs, expY: Lanes.load(expY + i), rng: &rng,
                            buffer: buffer, isrRole: isrRole, row: row, count: count)
            if let system { P.store(system, row: row, count: count) }
            let (p1, p2): (LaneVectors, LaneVectors)
            if let gluonShare {
                let gluon = rng.uniforms() .< Lanes.load(gluonShare + i)
                let c = PairProductionAngle.sample(rho: thresholdS / sh, gluon: gluon, rng: &rng, tables: tables)
                let (cp, sp) = rng.azimuths()
                let st = ((1 - c) * (1 + c)).squareRoot()
                (p1, p2) = decay(P, mass: rs, Lanes.load(m1 + i), Lanes.load(m2 + i), direction: (st * cp, st * sp, c))
            } else {
                (p1, p2) = decay(P, mass: rs, Lanes.load(m1 + i), Lanes.load(m2 + i), rng: &rng)
            }
            p1.store(first, row: row, count: count); p2.store(second, row: row, count: count)
            i &+= 4
        }
    }

    /// B -> b C over the groups of the batch with V-A angles (`WHelicity`): in the B rest frame
    /// (pure boost from the lab) the axis is minus the direction of the sibling visible a (rows
    /// of role `sibling`), cos theta* of b is drawn from the helicity fractions of each
    /// candidate's masses (A: `parentMasses`, B: `masses`), its azimuth about the axis uniform.
    /// The cut flags are updated as in `decayPhase`.
    @inline(__always)
    func helicityDecayPhase(_ parent: UnsafeMutablePointer<Double>, masses: UnsafeMutablePointer<Double>,
                            parentMasses: UnsafeMutablePointer<Double>, sibling: UnsafeMutablePointer<Double>,
                            visible: UnsafeMutablePointer<Double>, other: UnsafeMutablePointer<Double>, start: Int,
                            count n: Int, pass: UnsafeMutablePointer<Double>?, cut: Double, rng: inout EventRandom) {
        let visibleMass = Lanes(repeating: mb), fixedMass = Lanes(repeating: mC)
        var i = 0
        while i < n {
            let count = min(4, n &- i), row = start &+ i
            let P = LaneVectors(rows: parent, row: row, count: count)
            let a = LaneVectors(rows: sibling, row: row, count: count)
            let m = Lanes.load(masses + i)
            // The sibling in the B rest frame: a + P ((P.a)/(m (E + m)) - a.e/m).
            let k = (P.x * a.x + P.y * a.y + P.z * a.z) / (m * (P.e + m)) - a.e / m
            var nx = -(a.x + k * P.x), ny = -(a.y + k * P.y), nz = -(a.z + k * P.z)
            let norm = 1 / (nx * nx + ny * ny + nz * nz).squareRoot()
            nx *= norm; ny *= norm; nz *= norm
            let c = WHelicity.sample(parent: Lanes.load(parentMasses + i), boson: m, rng: &rng)
            let (cp, sp) = rng.azimuths()
            let st = ((1 - c) * (1 + c)).squareRoot()
            // An orthonormal pair (e1, e2) perpendicular to n without a branch on the direction
            // (Duff et al., J. Computer Graphics Techniques 6 (2017) 1).
            let sign = Lanes(repeating: 1).replacing(with: -1, where: nz .< 0)
            let inv = -1 / (sign + nz), xy = nx * ny * inv
            let e1 = (1 + sign * nx * nx * inv, sign * xy, -sign * nx)
            let e2 = (xy, sign + ny * ny * inv, -ny)
            let u = st * cp, v = st * sp
            let direction = (c * nx + u * e1.0 + v * e2.0, c * ny + u * e1.1 + v * e2.1, c * nz + u * e1.2 + v * e2.2)
            let (b, o) = decay(P, mass: m, visibleMass, fixedMass, direction: direction)
            b.store(visible, row: row, count: count); o.store(other, row: row, count: count)
            if let pass {
                let flag = Lanes(repeating: 0).replacing(with: 1, where: b.inside(cut))
                (Lanes.load(pass + i) * flag).store(pass + i)
            }
            i &+= 4
        }
    }

    /// The event loop: four candidates per step (`Lanes`), in phases over the batch so that
    /// each loop body is one short step whose iterations the processor overlaps: production,
    /// one Breit-Wigner mass per loop (A1, A2, B1, B2), the system (ISR kick) and its decay,
    /// then one loop per further decay (A1 -> a1 B1, A2 -> a2 B2, B1 -> b1 C1, B2 -> b2 C2),
    /// drawing four uniforms at a time in that order. With a cut, the candidates whose four
    /// visible daughters point inside the cone are listed in `rows`.
    func fillPairs(_ buffer: EventBuffer, start: Int, candidates n: Int, cut: Double?,
                   rows out: UnsafeMutablePointer<Int32>?, rng: inout EventRandom) -> (rows: Int, trials: Int, violations: Int) {
        let batch = Batch(generator: self, masses: 4, count: n, filtered: out != nil && cut != nil, rng: &rng)
        defer { batch.deallocate() }
        let shat = batch.shat, expY = batch.expY, rootShat = batch.rootShat, filter = batch.pass, c = cut ?? 0
        let mA1 = batch.mass(0), mA2 = batch.mass(1), mB1 = batch.mass(2), mB2 = batch.mass(3)
        massPhase(bwA, into: mA1, first: rootShat, minus: nil, offset: bwA.lower, count: n, rng: &rng)
        massPhase(bwA, into: mA2, first: rootShat, minus: mA1, offset: 0, count: n, rng: &rng)
        massPhase(bwB, into: mB1, first: mA1, minus: nil, offset: ma, count: n, rng: &rng)
        massPhase(bwB, into: mB2, first: mA2, minus: nil, offset: ma, count: n, rng: &rng)
        let A1 = buffer.role(TTbarTruth.A1), A2 = buffer.role(TTbarTruth.A2)
        let B1 = buffer.role(TTbarTruth.B1), B2 = buffer.role(TTbarTruth.B2)
        let C1 = buffer.role(TTbarTruth.C1), C2 = buffer.role(TTbarTruth.C2)
        let a1 = buffer.role(TTbarTruth.a1), a2 = buffer.role(TTbarTruth.a2)
        let b1 = buffer.role(TTbarTruth.b1), b2 = buffer.role(TTbarTruth.b2)
        systemPhase(buffer, shat: shat, rootShat: rootShat, expY: expY, m1: mA1, m2: mA2,
                    gluonShare: leadingOrderAngles ? batch.gluonShare : nil, system: nil, first: A1,
                    second: A2, isrRole: TTbarTruth.isr.rawValue, start: start, count: n, rng: &rng)
        decayPhase(A1, masses: mA1, ma, mB1, visible: a1, other: B1, start: start, count: n, pass: filter,
                   cut: c, rng: &rng)
        decayPhase(A2, masses: mA2, ma, mB2, visible: a2, other: B2, start: start, count: n, pass: filter,
                   cut: c, rng: &rng)
        if card.decays == .vMinusA {
            helicityDecayPhase(B1, masses: mB1, parentMasses: mA1, sibling: a1, visible: b1,
                               other: C1, start: start, count: n, pass: filter, cut: c, rng: &rng)
            helicityDecayPhase(B2, masses: mB2, parentMasses: mA2, sibling: a2, visible: b2,
                               other: C2, start: start, count: n, pass: filter, cut: c, rng: &rng)
        } else {
            decayPhase(B1, masses: mB1, mb, nil, visible: b1, other: C1, start: start, count: n,
                       pass: filter, cut: c, rng: &rng)
            decayPhase(B2, masses: mB2, mb, nil, visible: b2, other: C2, start: start, count: n,
                       pass: filter, cut: c, rng: &rng)
        }
        return batch.result(rows: out)
    }

    /// The antler event loop in the same phases: masses B1, B2, the system D (and ISR kick) and
    /// its decay D -> B1 B2, then B1 -> a1 C1 and B2 -> a2 C2, with the cut on a1 and a2.
    func fillAntler(_ buffer: EventBuffer, start: Int, candidates n: Int, cut: Double?,
                    rows out: UnsafeMutablePointer<Int32>?, rng: inout EventRandom) -> (rows: Int, trials: Int, violations: Int) {
        let batch = Batch(generator: self, masses: 2, count: n, filtered: out != nil && cut != nil, rng: &rng)
        defer { batch.deallocate() }
        let shat = batch.shat, expY = batch.expY, rootShat = batch.rootShat, filter = batch.pass, c = cut ?? 0
        let mB1 = batch.mass(0), mB2 = batch.mass(1)
        massPhase(bwB, into: mB1, first: rootShat, minus: nil, offset: bwB.lower, count: n, rng: &rng)
        massPhase(bwB, into: mB2, first: rootShat, minus: mB1, offset: 0, count: n, rng: &rng)
        let B1 = buffer.role(AntlerTruth.B1), B2 = buffer.role(AntlerTruth.B2)
        systemPhase(buffer, shat: shat, rootShat: rootShat, expY: expY, m1: mB1, m2: mB2, gluonShare: nil,
                    system: buffer.role(AntlerTruth.D),
                    first: B1, second: B2, isrRole: AntlerTruth.isr.rawValue, start: start, count: n, rng: &rng)
        decayPhase(B1, masses: mB1, ma, nil, visible: buffer.role(AntlerTruth.a1), other: buffer.role(AntlerTruth.C1),
                   start: start, count: n, pass: filter, cut: c, rng: &rng)
        decayPhase(B2, masses: mB2, ma, nil, visible: buffer.role(AntlerTruth.a2), other: buffer.role(AntlerTruth.C2),
                   start: start, count: n, pass: filter, cut: c, rng: &rng)
        return batch.result(rows: out)
    }
}
