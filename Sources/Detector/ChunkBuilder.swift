import Events

/// Accumulates accepted rows from blocks into output samples of a fixed row count.
///
/// Buffer reuse: a flushed sample shares the builder's arrays. The builder keeps its
/// references and empties them (keeping capacity) before the next append; when the consumer
/// has dropped the sample by then, each array is uniquely referenced again and its storage
/// (already faulted in) is reused; when the consumer kept it, copy-on-write gives the builder
/// fresh storage, so a delivered sample is never modified.
struct ChunkBuilder {
    let kind: TopologyKind
    let recoKeys: [String]
    let truthKeys: [String]
    let pairing: Bool
    let provenance: Provenance
    let capacity: Int
    var reco: [[Double]]
    var truth: [[Double]]
    var met: [Double] = []
    var pairs: [Int32] = []
    var events: [Int64] = []
    var rows = 0
    /// Whether the arrays still hold the rows of the last flushed sample.
    var flushed = false

    init(kind: TopologyKind, recoKeys: [String], truthKeys: [String], pairing: Bool, provenance: Provenance,
         capacity: Int) {
        self.kind = kind; self.recoKeys = recoKeys; self.truthKeys = truthKeys; self.pairing = pairing
        self.provenance = provenance; self.capacity = capacity
        reco = Array(repeating: [], count: recoKeys.count)
        truth = Array(repeating: [], count: truthKeys.count)
        reserve()
    }

    var isFull: Bool { rows == capacity }

    mutating func reserve() {
        for k in reco.indices { reco[k].reserveCapacity(4 * capacity) }
        for k in truth.indices { truth[k].reserveCapacity(4 * capacity) }
        met.reserveCapacity(2 * capacity); pairs.reserveCapacity(capacity); events.reserveCapacity(capacity)
    }

    /// Appends up to `count` rows of `block` starting at `from`; returns the rows taken.
    mutating func append(_ block: RecoBlock, from: Int, count: Int) -> Int {
        if flushed { recycle() }
        let n = min(count, capacity - rows)
        for k in reco.indices {
            reco[k].append(contentsOf: UnsafeBufferPointer(start: block.reco.role(k) + 4 * from, count: 4 * n))
        }
        for k in truth.indices {
            truth[k].append(contentsOf: UnsafeBufferPointer(start: block.truth.role(k) + 4 * from, count: 4 * n))
        }
        met.append(contentsOf: UnsafeBufferPointer(start: block.met + 2 * from, count: 2 * n))
        if pairing { pairs.append(contentsOf: UnsafeBufferPointer(start: block.pairing + from, count: n)) }
        events.append(contentsOf: UnsafeBufferPointer(start: block.event + from, count: n))
        rows += n
        return n
    }

    /// The sample of the rows so far, in key order; the builder starts over.
    mutating func flush() -> Sample {
        var s = Sample(kind: kind, provenance: provenance)
        let nReco = Key.reconstructed(kind).count
        for k in 0..<nReco { s[recoKeys[k]] = .fourVectors(reco[k]) }
        s[Key.met] = .transverse(met)
        if recoKeys.count > nReco { s[Key.isr] = .fourVectors(reco[nReco]) }
        if pairing { s[Key.pairing] = .ints(pairs) }
        s[Key.event] = .longs(events)
        for k in truthKeys.indices { s[truthKeys[k]] = .fourVectors(truth[k]) }
        rows = 0
        flushed = true
        return s
    }

    /// Empties the arrays for the next sample, keeping (or, when shared, reallocating) capacity.
    mutating func recycle() {
        for k in reco.indices { reco[k].removeAll(keepingCapacity: true) }
        for k in truth.indices { truth[k].removeAll(keepingCapacity: true) }
        met.removeAll(keepingCapacity: true); pairs.removeAll(keepingCapacity: true)
        events.removeAll(keepingCapacity: true)
        reserve()
        flushed = false
    }
}
