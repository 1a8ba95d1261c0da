import DeeLeMa
import Events
import Foundation

/// The DeeLeMa settings a bench trains with (the rest of `DeeLeMaConfig` keeps its defaults:
/// learn mode none, MET completion, visible frame, 8 completion hypotheses, L1 loss, Adam with
/// polynomial decay). The defaults are the sample-efficient recipe of benchmarks/RESULTS.md
/// ("DeeLeMa: sample efficiency"): on the tens of thousands of events of a bench, H 128, L 3
/// and batch 128 land closer to the true masses than the reference's H 256, L 5.
public struct DeeLeMaBenchSettings: Sendable, Codable, Equatable {
    public var epochs: Int = 30
    public var batchSize: Int = 128
    /// Hidden width and number of hidden blocks (the reference: 256 and 5).
    public var hidden: Int = 128
    public var layers: Int = 3
    /// Momentum scale (GeV); nil picks the power of ten at or below the heaviest parent mass
    /// (100 GeV for t-tbar, 1000 GeV for the toy), the reference choices.
    public var scale: Double? = nil

    public init() {}

    /// Checks ranges; throws naming the bad option.
    public func validate() throws {
        if epochs < 1 { throw HarnessError.badOption(name: "--deelema-epochs", reason: "must be >= 1, got \(epochs)") }
        if batchSize < 1 { throw HarnessError.badOption(name: "--deelema-batch", reason: "must be >= 1, got \(batchSize)") }
        if hidden < 1 { throw HarnessError.badOption(name: "--deelema-hidden", reason: "must be >= 1, got \(hidden)") }
        if layers < 0 { throw HarnessError.badOption(name: "--deelema-layers", reason: "must be >= 0, got \(layers)") }
        if let s = scale, !(s > 0) || !s.isFinite {
            throw HarnessError.badOption(name: "--deelema-scale", reason: "must be finite and > 0 GeV, got \(s)")
        }
    }
}

/// The one place where the harness talks to the DeeLeMa trainer: trains on the train split and
/// saves the checkpoint that `deelema estimate --method deelema --model FILE` reads.
enum DeeLeMaBench {
    struct Outcome {
        var seconds: Double
        var epochs: Int
        var notes: [String]
    }

    /// Trains on `train` (80% training, 20% validation inside the trainer) and writes `checkpoint`.
    static func train(_ train: Sample, settings s: DeeLeMaBenchSettings, pairing: PairingMode, mC: Double,
                      heaviest: Double, seed: UInt64, threads: Int, checkpoint: String,
                      progress: ((Int, Int) -> Void)?) throws -> Outcome {
        var config = DeeLeMaConfig()
        config.pairing = pairing
        config.mC = mC
        config.scale = s.scale ?? pow(10, (log10(max(heaviest, 1))).rounded(.down))
        config.epochs = s.epochs
        config.batchSize = s.batchSize
        config.hidden = s.hidden
        config.layers = s.layers
        config.seed = seed
        config.threads = max(1, threads)
        config.trainFraction = 0.8
        config.validationFraction = 0.2
        let start = Date()
        let trainer = try DeeLeMaTrainer(sample: train, config: config)
        let total = s.epochs * trainer.stepsPerEpoch
        try trainer.train(checkpointPath: checkpoint) { p in
            progress?(p.epoch * p.stepsPerEpoch + p.step, total)
        }
        let seconds = Date().timeIntervalSince(start)
        let M = trainer.massesGeV
        return Outcome(seconds: seconds, epochs: trainer.epoch, notes: [
            String(format: "trained %d epochs on %d events (H %d, L %d, batch %d, %d hypotheses, %@ frame, scale %g GeV) in %.1f s; learned M_B %.2f, M_A/M_D %.2f GeV",
                   trainer.epoch, trainer.trainIndices.count, s.hidden, s.layers, s.batchSize, config.hypotheses,
                   config.frame.rawValue, config.scale, seconds, M[0], M[1]),
            "uncertainty is the training wander and per-event spread (not a bootstrap); sweeps over seeds give the statistical one",
        ])
    }
}
