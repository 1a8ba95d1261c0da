import Events
import Generation

/// Truth -> reconstructed objects for one sub-batch (SPEC section 3): smearing, acceptance,
/// MET, pT ordering and the pairing flag. Rejected events are skipped; accepted ones are
/// appended to a `RecoBlock`. Early rejection: the truth generator already dropped every event
/// with a visible object outside |eta| < etaMax (on the true direction, which smearing keeps);
/// here the objects are smeared one by one and the event is dropped at the first measured pT
/// below its threshold, drawing no further random numbers.
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

    @inline(__always)
    static func store(_ p: UnsafeMutablePointer<Double>, _ v: (Double, Double, Double, Double)) {
        p[0] = v.0; p[1] = v.1; p[2] = v.2; p[3] = v.3
    }

    @inline(__always)
    static func copy(_ from: UnsafeMutablePointer<Double>, _ to: UnsafeMutablePointer<Double>) {
        to[0] = from[0]; to[1] = from[1]; to[2] = from[2]; to[3] = from[3]
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
            let jet = detector.smear(.jet, Self.load(block.scratch.role(truthISRRole) + 4 * i), rng: &rng)
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

    func processPairs(_ block: RecoBlock, rows n: Int, firstEvent: Int64, rng: inout EventRandom) {
        let t = block.scratch
        // Doubles between consecutive roles of the scratch and of the block's truth arrays.
        let tRole = 4 &* t.capacity, outRole = 4 &* block.truth.capacity
        let ta0 = t.role(6), ta1 = t.role(7), tb0 = t.role(8), tb1 = t.role(9)
        for k in 0..<n {
            let i = Int(block.candidates[k])
            let o = 4 * i
            let ta0v = Self.load(ta0 + o), ta1v = Self.load(ta1 + o)
            let tb0v = Self.load(tb0 + o), tb1v = Self.load(tb1 + o)
            // Early rejection: each object's pT as soon as it is smeared.
            let a0 = detector.smear(aClass, ta0v, rng: &rng)
            guard detector.acceptsPt(aClass, a0) else { continue }
            let a1 = detector.smear(aClass, ta1v, rng: &rng)
            guard detector.acceptsPt(aClass, a1) else { continue }
            let b0 = detector.smear(bClass, tb0v, rng: &rng)
            guard detector.acceptsPt(bClass, b0) else { continue }
            let b1 = detector.smear(bClass, tb1v, rng: &rng)
            guard detector.acceptsPt(bClass, b1) else { continue }
            let j = block.count
            let jo = 4 * j
            // Chain 1 is the chain of the harder reconstructed a.
            let swap = Self.storeHarderFirst(a0, a1, block.reco.role(0) + jo, block.reco.role(1) + jo)
            let swapB = Self.storeHarderFirst(b0, b1, block.reco.role(2) + jo, block.reco.role(3) + jo)
            // pairing 0: reco a1 and reco b1 share a chain.
            block.pairing[j] = (swapB == swap) ? 0 : 1
            for pair in 0..<5 {
                let first = t.base + ((2 &* pair) &* tRole &+ o), second = first + tRole
                let out = block.truth.base + ((2 &* pair) &* outRole &+ jo)
                Self.copy(swap ? second : first, out)
                Self.copy(swap ? first : second, out + outRole)
            }
            metAndISR(block, isrRole: 4, truthISRRole: 10, row: i, out: j,
                      sumX: a0.1 + a1.1 + b0.1 + b1.1, sumY: a0.2 + a1.2 + b0.2 + b1.2, rng: &rng)
            block.event[j] = firstEvent + Int64(i)
            block.count = j + 1
        }
    }

    func processAntler(_ block: RecoBlock, rows n: Int, firstEvent: Int64, rng: inout EventRandom) {
        let t = block.scratch
        // Doubles between consecutive roles of the scratch and of the block's truth arrays.
        let tRole = 4 &* t.capacity, outRole = 4 &* block.truth.capacity
        let ta0 = t.role(5), ta1 = t.role(6)
        for k in 0..<n {
            let i = Int(block.candidates[k])
            let o = 4 * i
            let ta0v = Self.load(ta0 + o), ta1v = Self.load(ta1 + o)
            let a0 = detector.smear(aClass, ta0v, rng: &rng)
            guard detector.acceptsPt(aClass, a0) else { continue }
            let a1 = detector.smear(aClass, ta1v, rng: &rng)
            guard detector.acceptsPt(aClass, a1) else { continue }
            let j = block.count
            let jo = 4 * j
            let swap = Self.storeHarderFirst(a0, a1, block.reco.role(0) + jo, block.reco.role(1) + jo)
            Self.copy(t.role(0) + o, block.truth.role(0) + jo)
            for pair in 0..<3 {
                let first = t.base + ((1 &+ 2 &* pair) &* tRole &+ o), second = first + tRole
                let out = block.truth.base + ((1 &+ 2 &* pair) &* outRole &+ jo)
                Self.copy(swap ? second : first, out)
                Self.copy(swap ? first : second, out + outRole)
            }
            metAndISR(block, isrRole: 2, truthISRRole: 7, row: i, out: j,
                      sumX: a0.1 + a1.1, sumY: a0.2 + a1.2, rng: &rng)
            block.event[j] = firstEvent + Int64(i)
            block.count = j + 1
        }
    }
}
