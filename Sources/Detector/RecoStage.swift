import Core
import Events
import Generation

/// Truth -> reconstructed objects for one block (docs/physics.md#detector): smearing, acceptance,
/// MET, pT ordering and the pairing flag. Rejected events are skipped; accepted ones are
/// appended to a `RecoBlock`. The truth generator already dropped every event with a visible
/// object outside |eta| < etaMax (on the true direction, which smearing keeps); here the
/// visible objects of four candidates at a time are smeared (`Lanes`) and the pT thresholds
/// applied to the measured momenta.
struct RecoStage: Sendable {
    let detector: Detector
    let kind: TopologyKind
    let isr: Bool
    let aClass: VisibleClass
    let bClass: VisibleClass

    init(detector: Detector, card: Card, isr: Bool) {
        self.detector = detector
        kind = card.topology
        self.isr = isr
        aClass = PDG.visibleClass(card.particle(.a).pdg) ?? .jet
        bClass = card.topology == .ttbarLike ? (PDG.visibleClass(card.particle(.b).pdg) ?? .jet) : .jet
    }

    @inline(__always)
    static func load(_ p: UnsafeMutablePointer<Double>) -> (Double, Double, Double, Double) { (p[0], p[1], p[2], p[3]) }

    /// Four-vector stores and copies as one vector each (element-wise, the compiler cannot
    /// rule out overlap and moves the doubles one by one).
    @inline(__always)
    static func store(_ p: UnsafeMutablePointer<Double>, _ v: (Double, Double, Double, Double)) {
        Lanes(v.0, v.1, v.2, v.3).store(p)
    }

    @inline(__always)
    static func copy(_ from: UnsafeMutablePointer<Double>, _ to: UnsafeMutablePointer<Double>) {
        Lanes.load(from).store(to)
    }

    @inline(__always)
    static func pt2(_ v: (Double, Double, Double, Double)) -> Double { v.1 * v.1 + v.2 * v.2 }

    /// Stores `x` and `y` at `first` and `second`, the one with the larger pT at `first` (`x`
    /// on a tie); returns whether they were swapped (`y` is the harder).
    @inline(__always)
    static func storeHarderFirst(_ x: (Double, Double, Double, Double), _ y: (Double, Double, Double, Double),
                                 _ first: UnsafeMutablePointer<Double>, _ second: UnsafeMutablePointer<Double>) -> Bool {
        let swap = pt2(y) > pt2(x)
        store(first, swap ? y : x)
        store(second, swap ? x : y)
        return swap
    }

    /// Processes the truth rows `block.candidates[0..<n]` of `block.scratch` (row r is candidate
    /// firstEvent + r; every listed row passed the direction cut) into `block`.
    func process(_ block: RecoBlock, rows n: Int, firstEvent: Int64, rng: inout EventRandom) {
        switch kind {
        case .ttbarLike: processPairs(block, rows: n, firstEvent: firstEvent, rng: &rng)
        case .antler: processAntler(block, rows: n, firstEvent: firstEvent, rng: &rng)
        }
    }

    @inline(__always)
    func metAndISR(_ block: RecoBlock, isrRole: Int, truthISRRole: Int, row i: Int, out j: Int,
                   sumX: Double, sumY: Double, rng: inout EventRandom) {
        var mx = -sumX, my = -sumY
        if isr {
            var jet = detector.smear(.jet, Self.load(block.scratch.role(truthISRRole) + 4 * i), rng: &rng)
            if detector.energyScales.jet != 1 {
                let k = detector.energyScales.jet
                jet = (k * jet.0, k * jet.1, k * jet.2, k * jet.3)
            }
            Self.store(block.reco.role(isrRole) + 4 * j, jet)
            Self.copy(block.scratch.role(truthISRRole) + 4 * i, block.truth.role(truthISRRole) + 4 * j)
            mx -= jet.1; my -= jet.2
        }
        if detector.softTermSigma > 0, detector.scale > 0 {
            let sigma = detector.softTermSigma * detector.scale
            mx += sigma * rng.gaussian(); my += sigma * rng.gaussian()
        }
        block.met[2 * j] = mx; block.met[2 * j + 1] = my
    }

    /// Copies the truth of the candidate at row offset `ol` of the scratch to row offset `jo` of
    /// the block: the chain `roles` in pairs (lowerBound + 2p for chain 1, lowerBound + 2p + 1
    /// for chain 2), exchanged when `swap` so that chain 1 is the chain of reco a1.
    @inline(__always)
    static func copyChains(_ block: RecoBlock, roles: Range<Int>, from ol: Int, to jo: Int, swap: Bool) {
        let firstRole = roles.lowerBound, pairs = roles.count / 2
        // Doubles between consecutive roles of the scratch and of the block's truth arrays.
        let tRole = 4 &* block.scratch.capacity, outRole = 4 &* block.truth.capacity
        for pair in 0..<pairs {
            let role = firstRole &+ 2 &* pair
            let first = block.scratch.base + (role &* tRole &+ ol), second = first + tRole
            let out = block.truth.base + (role &* outRole &+ jo)
            copy(swap ? second : first, out)
            copy(swap ? first : second, out + outRole)
        }
    }

    /// The measured four-vectors of a visible object in the rows `rows` of `truth` (role base),
    /// four candidates at a time, with the energy scale of its class; the pT cut as a lane mask.
    /// Draws four Gaussians when the detector smears.
    @inline(__always)
    func measure(_ cls: VisibleClass, _ truth: UnsafeMutablePointer<Double>, rows o: SIMD4<Int>,
                 rng: inout EventRandom) -> (LaneVectors, SIMDMask<SIMD4<Int64>>) {
        let t = LaneVectors(rows: truth + o[0], truth + o[1], truth + o[2], truth + o[3])
        var v = detector.smears ? detector.smear(cls, t, gaussian: rng.gaussians()) : t
        if detector.energyScales.factor(cls) != 1 { v = detector.rescaled(cls, v) }
        return (v, detector.acceptsPt(cls, v))
    }

    /// Row offsets (4 x candidate index) of the candidates k..<k + 4 in `block.candidates`;
    /// beyond `n` the first one is repeated (measured, never stored).
    @inline(__always)
    static func offsets(_ block: RecoBlock, _ k: Int, _ n: Int) -> SIMD4<Int> {
        var o = SIMD4<Int>(repeating: 4 * Int(block.candidates[k]))
        for l in 1..<4 where k + l < n { o[l] = 4 * Int(block.candidates[k + l]) }
        return o
    }

    /// Four candidates at a time: the four visible objects measured (four Gaussians each, in
    /// the order a1 a2 b1 b2 of the truth chains, for every candidate of the group), then the
    /// accepted ones written one by one.
    func processPairs(_ block: RecoBlock, rows n: Int, firstEvent: Int64, rng: inout EventRandom) {
        let t = block.scratch
        let ta0 = t.role(TTbarTruth.a1), ta1 = t.role(TTbarTruth.a2)
        let tb0 = t.role(TTbarTruth.b1), tb1 = t.role(TTbarTruth.b2)
        var k = 0
        while k < n {
            let o = Self.offsets(block, k, n)
            let (a0, pass0) = measure(aClass, ta0, rows: o, rng: &rng)
            let (a1, pass1) = measure(aClass, ta1, rows: o, rng: &rng)
            let (b0, pass2) = measure(bClass, tb0, rows: o, rng: &rng)
            let (b1, pass3) = measure(bClass, tb1, rows: o, rng: &rng)
            let pass = pass0 .& pass1 .& pass2 .& pass3
            for l in 0..<min(4, n - k) where pass[l] {
                let j = block.count
                let jo = 4 * j, ol = o[l]
                let a0v = a0[lane: l], a1v = a1[lane: l], b0v = b0[lane: l], b1v = b1[lane: l]
                // Chain 1 is the chain of the harder reconstructed a.
                let reco = block.reco
                let swap = Self.storeHarderFirst(a0v, a1v, reco.role(TTbarReco.a1) + jo, reco.role(TTbarReco.a2) + jo)
                let swapB = Self.storeHarderFirst(b0v, b1v, reco.role(TTbarReco.b1) + jo, reco.role(TTbarReco.b2) + jo)
                // pairing 0: reco a1 and reco b1 share a chain.
                block.pairing[j] = (swapB == swap) ? 0 : 1
                Self.copyChains(block, roles: TTbarTruth.chainRoles, from: ol, to: jo, swap: swap)
                metAndISR(block, isrRole: TTbarReco.isr.rawValue, truthISRRole: TTbarTruth.isr.rawValue,
                          row: ol / 4, out: j,
                          sumX: a0v.1 + a1v.1 + b0v.1 + b1v.1, sumY: a0v.2 + a1v.2 + b0v.2 + b1v.2, rng: &rng)
                block.event[j] = firstEvent + Int64(ol / 4)
                block.count = j + 1
            }
            k += 4
        }
    }

    /// The antler version of `processPairs` (visible objects a1 a2).
    func processAntler(_ block: RecoBlock, rows n: Int, firstEvent: Int64, rng: inout EventRandom) {
        let t = block.scratch
        let ta0 = t.role(AntlerTruth.a1), ta1 = t.role(AntlerTruth.a2)
        var k = 0
        while k < n {
            let o = Self.offsets(block, k, n)
            let (a0, pass0) = measure(aClass, ta0, rows: o, rng: &rng)
            let (a1, pass1) = measure(aClass, ta1, rows: o, rng: &rng)
            let pass = pass0 .& pass1
            for l in 0..<min(4, n - k) where pass[l] {
                let j = block.count
                let jo = 4 * j, ol = o[l]
                let a0v = a0[lane: l], a1v = a1[lane: l]
                let reco = block.reco
                let swap = Self.storeHarderFirst(a0v, a1v, reco.role(AntlerReco.a1) + jo, reco.role(AntlerReco.a2) + jo)
                Self.copy(t.role(AntlerTruth.D) + ol, block.truth.role(AntlerTruth.D) + jo)
                Self.copyChains(block, roles: AntlerTruth.chainRoles, from: ol, to: jo, swap: swap)
                metAndISR(block, isrRole: AntlerReco.isr.rawValue, truthISRRole: AntlerTruth.isr.rawValue,
                          row: ol / 4, out: j, sumX: a0v.1 + a1v.1, sumY: a0v.2 + a1v.2, rng: &rng)
                block.event[j] = firstEvent + Int64(ol / 4)
                block.count = j + 1
            }
            k += 4
        }
    }
}
