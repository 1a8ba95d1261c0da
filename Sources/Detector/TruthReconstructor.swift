import Events
import Generation

/// The detector stage of `EventPipeline` for truth filled from outside (imported events):
/// the same `RecoStage` (smearing four candidates at a time, pT cuts, MET from the
/// reconstructed objects and the optional ISR jet, pT ordering, pairing, truth reordering so
/// chain 1 is the chain of reco a1) and the same |eta| cut on the true visible directions that
/// the generator applies. Events are collected in blocks of `EventPipeline.blockSize`; block c
/// draws from the random source generate uses for block c of shard 0 of `seed`, so an import
/// is reproducible for a given seed and file.
///
/// Output samples (`chunkSize` rows, the last may be shorter) have generate's keys in its order,
/// then `weight`; `event` holds the caller's source event number of each row.
public final class TruthReconstructor {
    public let card: Card
    public let detector: Detector
    public let isr: Bool
    public let seed: UInt64
    /// Truth keys in the order `add` expects them: `Key.truth(kind)` (+ `true_isr`).
    public let truthKeys: [String]
    /// Events given to `add`, and those the detector accepted so far.
    public private(set) var added = 0
    public private(set) var accepted = 0
    let reco: RecoStage
    let block: RecoBlock
    var builder: ChunkBuilder
    var rows = 0, blockIndex = 0
    var weights: [Double]
    var sources: [Int64]
    var pendingWeights: [Double] = []
    let visibleRoles: [Int]

    /// - Parameters:
    ///   - isr: whether `add` gets a `true_isr` recoil (reconstructed as the ISR jet, in MET).
    ///   - provenance: carried by every delivered sample.
    public init(card: Card, detector: Detector, isr: Bool, seed: UInt64, provenance: Provenance,
                chunkSize: Int = EventPipeline.defaultChunkSize) {
        self.card = card; self.detector = detector; self.isr = isr; self.seed = seed
        let kind = card.topology
        truthKeys = Key.truth(kind, isr: isr)
        let recoKeys = Key.reconstructed(kind, isr: isr)
        reco = RecoStage(detector: detector, card: card, isr: isr)
        block = RecoBlock(recoRoles: recoKeys.count, truthRoles: truthKeys.count, capacity: EventPipeline.blockSize)
        builder = ChunkBuilder(kind: kind, recoKeys: recoKeys, truthKeys: truthKeys, pairing: kind == .ttbarLike,
                               provenance: provenance, capacity: chunkSize)
        weights = Array(repeating: 0, count: EventPipeline.blockSize)
        sources = Array(repeating: 0, count: EventPipeline.blockSize)
        // The visible truth roles (a1 a2 [b1 b2]) that the direction cut applies to.
        visibleRoles = kind == .ttbarLike ? TTbarTruth.visibles.map(\.rawValue) : AntlerTruth.visibles.map(\.rawValue)
        pendingWeights.reserveCapacity(chunkSize)
    }

    /// Adds one event: `truth` holds `truthKeys.count` four-vectors (E, px, py, pz; GeV) in
    /// `truthKeys` order. `consume` gets each full sample.
    public func add(truth: UnsafePointer<Double>, weight: Double, sourceEvent: Int64,
                    consume: (Sample) throws -> Void) rethrows {
        for r in 0..<truthKeys.count {
            (block.scratch.role(r) + 4 * rows).update(from: truth + 4 * r, count: 4)
        }
        weights[rows] = weight
        sources[rows] = sourceEvent
        rows += 1
        added += 1
        if rows == EventPipeline.blockSize { try runBlock(consume: consume) }
    }

    /// Processes the last partial block and delivers the remaining rows.
    public func finish(consume: (Sample) throws -> Void) rethrows {
        if rows > 0 { try runBlock(consume: consume) }
        if builder.rows > 0 { try consume(flush()) }
    }

    private func flush() -> Sample {
        var s = builder.flush()
        s[Key.weight] = .scalars(pendingWeights)
        pendingWeights.removeAll(keepingCapacity: true)
        return s
    }

    private func runBlock(consume: (Sample) throws -> Void) rethrows {
        block.reset()
        let cut = detector.directionCut
        var n = 0
        for r in 0..<rows {
            var inside = true
            for role in visibleRoles {
                let p = block.scratch.role(role) + 4 * r
                let pt2 = p[1] * p[1] + p[2] * p[2]
                if !(pt2 > 0 && p[3] * p[3] < pt2 * cut) { inside = false; break }
            }
            if inside { block.candidates[n] = Int32(r); n += 1 }
        }
        var rng = EventPipeline.random(.taus2, seed: seed, shard: 0, block: blockIndex)
        // firstEvent 0: block.event holds the row, mapped to the source event below.
        reco.process(block, rows: n, firstEvent: 0, rng: &rng)
        accepted += block.count
        var offset = 0
        while offset < block.count {
            let before = builder.rows
            let taken = builder.append(block, from: offset, count: block.count - offset)
            for k in before..<(before + taken) {
                let row = Int(builder.events[k])
                builder.events[k] = sources[row]
                pendingWeights.append(weights[row])
            }
            offset += taken
            if builder.isFull { try consume(flush()) }
        }
        rows = 0
        blockIndex += 1
    }
}
