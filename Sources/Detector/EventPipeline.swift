import Core
import Dispatch
import Events
import Foundation
import Generation

/// Card -> truth events -> detector -> `Sample` chunks (docs/physics.md#generator, #detector).
///
/// Reproducibility: candidate events are generated in fixed blocks of `blockSize`; block c of
/// shard k draws from its own random source (`random(_:seed:shard:block:)`: four interleaved
/// taus2 streams seeded with `SeedHasher.streamSeed(seed:shard:stream: 4c + l)`),
/// and accepted events are delivered in block order, so the output is bit-identical for any
/// thread count and any `chunkSize`. Event numbers are `shard * 2^40 + c * blockSize + i`
/// (the candidate's index in its shard), unique across shards.
///
/// Scheduling: full waves of `threads` blocks run on the global concurrent queue while the
/// calling thread merges the previous wave into samples (two sets of block buffers); the
/// tail runs as one parallel wave or a single block on the calling thread. `consume` and
/// `progress` are always called on the calling thread.
///
/// Shards: shard k of n generates the `events` requested of it (counts are per shard); the
/// shards differ only through their seeds, so a merge of n shards of N events equals one
/// statistically independent sample of n N events.
public struct EventPipeline: Sendable {
    /// Candidate events per block (one random source each).
    public static let blockSize = 1024
    /// Rows per delivered sample unless asked otherwise: small enough for a sample's arrays
    /// (about 2 MB for t-tbar) to stay in the cache while they are filled and handed over (in
    /// memory, 4096 rows ran 15-20 % faster than 65536).
    public static let defaultChunkSize = 4096

    public let card: Card
    public let detector: Detector
    public let truth: TruthGenerator
    public let seed: UInt64
    public let shard: Int
    public let shards: Int
    public let algorithm: RandomAlgorithm
    /// Worker threads (>= 1).
    public let threads: Int
    let reco: RecoStage

    /// - Parameters:
    ///   - isr: ISR on or off; nil takes the card's `isr.enabled`.
    ///   - threads: worker threads; <= 0 means all active processors.
    ///   - softTermSigma: Gaussian MET soft term per component (GeV, times the smearing scale).
    ///   - energyScales: jet and lepton energy-scale factors of the measured objects.
    public init(card: Card, detector preset: DetectorPreset, smearScale: Double = 1, isr: Bool? = nil,
                seed: UInt64, shard: Int = 0, shards: Int = 1, rng: RandomAlgorithm = .taus2,
                threads: Int = 0, softTermSigma: Double = 0, energyScales: EnergyScales = .nominal) throws {
        guard shards >= 1, shard >= 0, shard < shards else { throw PipelineError.badShard(shard: shard, shards: shards) }
        try card.validate()
        self.card = card
        detector = try Detector(preset: preset, scale: smearScale, cuts: card.cuts, softTermSigma: softTermSigma,
                                energyScales: energyScales)
        let withISR = isr ?? card.isr.enabled
        truth = TruthGenerator(card: card, isr: withISR)
        self.seed = seed; self.shard = shard; self.shards = shards; algorithm = rng
        self.threads = threads > 0 ? threads : ProcessInfo.processInfo.activeProcessorCount
        reco = RecoStage(detector: detector, card: card, isr: withISR)
    }

    /// Reconstructed four-vector keys in output order (a1 a2 [b1 b2] [isr]).
    var recoKeys: [String] { Key.reconstructed(card.topology, isr: truth.isr) }

    /// Every array name of the produced samples, in order (see the module README).
    public var keys: [String] {
        let r = Key.reconstructed(card.topology)
        let isr = truth.isr ? [Key.isr] : []
        switch card.topology {
        case .ttbarLike: return r + [Key.met] + isr + [Key.pairing, Key.event] + truth.keys
        case .antler: return r + [Key.met] + isr + [Key.event] + truth.keys
        }
    }

    /// Provenance of this configuration; `generated`, `efficiency` and
    /// `unweightingEfficiency` are filled in the summary at the end of a run.
    public var provenance: Provenance {
        Provenance(card: card.name, cardDigest: card.digest, topology: card.topology, seed: seed,
                   shardSeed: SeedHasher.streamSeed(seed: seed, shard: shard, stream: 0), shard: shard,
                   shards: shards, rng: algorithm.rawValue, detector: detector.preset.rawValue,
                   smearScale: detector.scale, isr: truth.isr, efficiency: 0, unweightingEfficiency: 0,
                   generated: 0, layout: "native",
                   extra: ["block_size": String(Self.blockSize), "met_soft_sigma": String(detector.softTermSigma),
                           "sqrt_s": String(card.sqrtS), "pdf": card.densities.set.rawValue,
                           "factorisation_scale": card.densities.scale.map { String($0) }
                               ?? (card.model == .colouredPair ? "m_A" : "sqrt(shat)"),
                           "production_angles": card.angles.rawValue, "decays": card.decays.rawValue,
                           "jet_energy_scale": String(detector.energyScales.jet),
                           "lepton_energy_scale": String(detector.energyScales.lepton),
                           "card_overrides": card.overrides.joined(separator: " ")])
    }

    /// The random source of block `block`: taus2 as four interleaved streams seeded with
    /// `SeedHasher.streamSeed(seed:shard:stream: 4 block + l)`, l = 0...3 (one vector
    /// recurrence); mt19937 as one stream seeded with `streamSeed(seed:shard:stream: block)`.
    static func random(_ algorithm: RandomAlgorithm, seed: UInt64, shard: Int, block: Int) -> EventRandom {
        switch algorithm {
        case .taus2:
            var seeds = SIMD4<UInt32>()
            for l in 0..<4 { seeds[l] = SeedHasher.streamSeed(seed: seed, shard: shard, stream: 4 * block + l) }
            return EventRandom(taus2Seeds: seeds)
        case .mt19937:
            return EventRandom(algorithm: .mt19937, seed: SeedHasher.streamSeed(seed: seed, shard: shard, stream: block))
        }
    }

    /// Runs block `index` into `block`: its candidates' truth, then the detector.
    func run(blockIndex index: Int, into block: RecoBlock) {
        block.reset()
        var rng = Self.random(algorithm, seed: seed, shard: shard, block: index)
        let first = (Int64(shard) << 40) + Int64(index) * Int64(Self.blockSize)
        let r = truth.fill(block.scratch, candidates: Self.blockSize, directionCut: detector.directionCut,
                           rows: block.candidates, rng: &rng)
        block.trials = r.trials; block.violations = r.violations
        reco.process(block, rows: r.rows, firstEvent: first, rng: &rng)
        block.generated = Self.blockSize
    }

    /// Produces exactly `events` accepted events, delivered in order to `consume` as samples of
    /// `chunkSize` rows (the last one may be shorter). `progress` gets the number of events
    /// delivered so far after each sample. Errors thrown by `consume` stop the run.
    public func generate(events: Int, chunkSize: Int = Self.defaultChunkSize, progress: (Int) -> Void = { _ in },
                         consume: (Sample) throws -> Void) throws -> GenerationSummary {
        guard events > 0 else { throw PipelineError.badEventCount(events) }
        guard chunkSize > 0 else { throw PipelineError.badChunkSize(chunkSize) }
        let clock = ContinuousClock.now
        let prov = provenance
        var builder = ChunkBuilder(kind: card.topology, recoKeys: recoKeys, truthKeys: truth.keys,
                                   pairing: card.topology == .ttbarLike, provenance: prov, capacity: chunkSize)
        func makeSlots() -> [RecoBlock] {
            (0..<threads).map { _ in
                RecoBlock(recoRoles: recoKeys.count, truthRoles: truth.roleCount, capacity: Self.blockSize)
            }
        }
        // Two slot sets: while the calling thread merges one wave, the next runs on the workers.
        let slotSets = [makeSlots(), makeSlots()]
        var useSet = 0
        var delivered = 0, generated = 0, trials = 0, produced = 0, violations = 0, nextBlock = 0
        var inFlight: (base: Int, count: Int, slots: [RecoBlock], group: DispatchGroup)?
        defer { inFlight?.group.wait() }
        let pipeline = self

        /// Starts `count` full blocks from `base` on the global concurrent queue.
        func launch(base: Int, count: Int) -> (base: Int, count: Int, slots: [RecoBlock], group: DispatchGroup) {
            useSet ^= 1
            let slots = slotSets[useSet]
            let group = DispatchGroup()
            for j in 0..<count {
                let block = slots[j]
                DispatchQueue.global().async(group: group) {
                    pipeline.run(blockIndex: base + j, into: block)
                }
            }
            return (base, count, slots, group)
        }

        /// Delivers the accepted events of `count` finished blocks in block order.
        func merge(base: Int, count: Int, slots: [RecoBlock]) throws {
            for j in 0..<count where delivered < events {
                let block = slots[j]
                trials += block.trials
                produced += block.generated
                violations += block.violations
                let take = min(block.count, events - delivered)
                if take == block.count {
                    generated += block.generated
                } else {
                    // Count candidates up to the last delivered event only.
                    let lastCandidate = block.event[take - 1] - (Int64(shard) << 40) - Int64(base + j) * Int64(Self.blockSize)
                    generated += Int(lastCandidate) + 1
                }
                var offset = 0
                while offset < take {
                    let n = builder.append(block, from: offset, count: take - offset)
                    offset += n
                    delivered += n
                    if builder.isFull || delivered == events {
                        try consume(builder.flush())
                        progress(delivered)
                    }
                }
            }
        }

        while delivered < events {
            // Acceptance estimate so far (optimistic 1 before the first block) sizes the waves.
            let eff = generated > 0 ? max(Double(delivered) / Double(generated), 1e-3) : 1
            let fullWave = Double(threads * Self.blockSize) * eff
            if let flight = inFlight {
                // Start the next full wave first if the one in flight will surely not finish the job.
                let expected = Double(flight.count * Self.blockSize) * eff
                var next: (base: Int, count: Int, slots: [RecoBlock], group: DispatchGroup)?
                if Double(events - delivered) - expected > 1.2 * fullWave {
                    next = launch(base: nextBlock, count: threads)
                    nextBlock += threads
                }
                flight.group.wait()
                inFlight = next
                try merge(base: flight.base, count: flight.count, slots: flight.slots)
                continue
            }
            let remaining = events - delivered
            if threads > 1 && Double(remaining) > 1.2 * fullWave {
                inFlight = launch(base: nextBlock, count: threads)
                nextBlock += threads
                continue
            }
            // The tail: one block, or a last parallel wave.
            let wave = max(1, min(threads, Int((Double(remaining) / (eff * Double(Self.blockSize))).rounded(.up))))
            let slots = slotSets[0]
            let base = nextBlock
            if wave == 1 {
                run(blockIndex: base, into: slots[0])
            } else {
                ParallelLoop.forEach(wave) { j in
                    pipeline.run(blockIndex: base + j, into: slots[j])
                }
            }
            nextBlock += wave
            try merge(base: base, count: wave, slots: slots)
        }
        var final = prov
        final.generated = generated
        final.efficiency = Double(delivered) / Double(max(generated, 1))
        final.unweightingEfficiency = Double(produced) / Double(max(trials, 1))
        let elapsed = ContinuousClock.now - clock
        return GenerationSummary(accepted: delivered, generated: generated, efficiency: final.efficiency,
                                 unweightingEfficiency: final.unweightingEfficiency, envelopeViolations: violations,
                                 blocks: nextBlock,
                                 seconds: Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18,
                                 provenance: final)
    }

    /// All `events` in one in-memory sample (provenance with the final efficiencies).
    public func generateSample(events: Int) throws -> Sample {
        var chunks: [Sample] = []
        let summary = try generate(events: events, chunkSize: events) { chunks.append($0) }
        var sample = chunks[0]
        sample.provenance = summary.provenance
        return sample
    }
}
