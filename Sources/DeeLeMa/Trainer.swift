import Core
import Events
import Network

/// One finished epoch. Masses in GeV: slot 0 is M_B, slot 1 M_A (M_D for the antler).
public struct EpochRecord: Sendable, Equatable {
    /// 1-based number of the finished epoch.
    public var epoch: Int
    public var trainLoss: Double
    /// Mean loss on the validation split (NaN when the split is empty).
    public var validationLoss: Double
    public var massB: Double
    public var massA: Double
    public var seconds: Double
}

/// What the progress callback receives after every optimiser step. Masses in GeV.
public struct TrainingProgress: Sendable {
    /// 0-based epoch in progress and the total.
    public var epoch: Int
    public var epochs: Int
    /// 1-based step within the epoch and the steps per epoch.
    public var step: Int
    public var stepsPerEpoch: Int
    /// Loss of this step's batch.
    public var loss: Double
    /// M_A (M_D for the antler) and M_B after the step.
    public var massA: Double
    public var massB: Double
    /// Set on the last step of an epoch: the epoch's record (with the validation loss).
    public var finishedEpoch: EpochRecord?
}

/// Trains a DeeLeMa model on a sample held in memory (docs/physics.md#deelema): Adam on the network
/// weights and the two mass parameters, polynomial decay per epoch, seeded 70/20/10 split
/// and per-epoch shuffles, validation loss each epoch, checkpoints that resume exactly.
public final class DeeLeMaTrainer {
    public let config: DeeLeMaConfig
    public let data: PreparedData
    public let model: DeeLeMaModel<Float>
    /// What the training sample is (card, detector, mass scale), saved in the checkpoint.
    public let origin: TrainingOrigin
    /// Event indices of the train, validation and test splits.
    public let trainIndices: [Int]
    public let validationIndices: [Int]
    public let testIndices: [Int]
    /// Completed epochs.
    public internal(set) var epoch = 0
    /// The history of completed epochs.
    public internal(set) var history: [EpochRecord] = []
    /// The epochs of the finished training this one extends (resumed with more `epochs`), or nil.
    public internal(set) var extendedFrom: Int? = nil

    var adam: Adam<Float>
    var massAdam: Adam<Double>
    /// Shuffle generator (its state is checkpointed).
    var shuffler: SplitMix64
    let batch: Int

    /// Seed of the split: derived from `config.seed`.
    public var splitSeed: UInt64 { config.seed ^ 0x5EED_0F_5F11_7000 }

    /// A fresh trainer: weights from `config.seed`, masses from `config.massInitialisation`.
    public init(sample: Sample, config: DeeLeMaConfig) throws(DeeLeMaError) {
        try config.validate()
        self.config = config
        data = try PreparedData(sample: sample, config: config)
        origin = TrainingOrigin(sample: sample)
        var order = Array(0..<data.count)
        var splitRNG = SplitMix64(seed: config.seed ^ 0x5EED_0F_5F11_7000)
        splitRNG.shuffle(&order)
        let nTrain = Int(Double(data.count) * config.trainFraction)
        let nVal = Int(Double(data.count) * config.validationFraction)
        if nTrain < 1 { throw .sample("\(data.count) events leave no training events at train fraction \(config.trainFraction)") }
        trainIndices = Array(order[0..<nTrain])
        validationIndices = Array(order[nTrain..<(nTrain + nVal)])
        testIndices = Array(order[(nTrain + nVal)...])
        batch = min(config.batchSize, nTrain)
        let maxRows = max(batch, min(validationIndices.count, config.batchSize))
        NetworkThreads.setBLASThreads(config.threads)
        model = DeeLeMaModel<Float>(topology: data.topology, inputWidth: data.inputWidth, config: config, maxBatch: maxRows)
        adam = Adam<Float>(count: model.net.parameterCount)
        massAdam = Adam<Double>(count: 2)
        shuffler = SplitMix64(seed: config.seed &+ 0xA5A5_5A5A_1234_5678)
        model.massParameters = try model.physics.parameters(initialB: config.initialMassB.map { $0 / config.scale },
                                                            initialA: config.initialMassA.map { $0 / config.scale })
    }

    /// Optimiser steps per epoch.
    public var stepsPerEpoch: Int { (trainIndices.count + batch - 1) / batch }

    /// The learned masses in GeV: (M_B, M_A) or (M_B, M_D).
    public var massesGeV: SIMD2<Double> { model.masses * config.scale }

    /// Runs one epoch (shuffle, steps, validation) and returns its record.
    @discardableResult
    public func trainEpoch(progress: ((TrainingProgress) -> Void)? = nil) throws(DeeLeMaError) -> EpochRecord {
        let clock = ContinuousClock(), start = clock.now
        let factor = PolynomialSchedule(initial: 1, epochs: config.epochs, power: config.schedulePower).rate(epoch: epoch)
        let lr = config.learningRate * factor, massLR = config.massLearningRate * factor
        var order = trainIndices
        shuffler.shuffle(&order)
        var total = 0.0
        let steps = stepsPerEpoch
        for s in 0..<steps {
            let lo = s * batch, hi = min(order.count, lo + batch)
            let loss = order.withUnsafeBufferPointer { model.evaluate(data, indices: UnsafeBufferPointer(rebasing: $0[lo..<hi]), gradients: true) }
            if !loss.isFinite { throw .diverged(epoch: epoch, step: s, what: "the loss") }
            model.net.parameters.withUnsafeMutableBufferPointer { p in
                model.net.gradients.withUnsafeBufferPointer { g in adam.update(p.baseAddress!, g.baseAddress!, lr: lr) }
            }
            var u = model.massParameters
            var gu = model.massGradient
            withUnsafeMutablePointer(to: &u) { up in
                withUnsafePointer(to: &gu) { gp in
                    up.withMemoryRebound(to: Double.self, capacity: 2) { p in
                        gp.withMemoryRebound(to: Double.self, capacity: 2) { massAdam.update(p, $0, lr: massLR) }
                    }
                }
            }
            if !u[0].isFinite || !u[1].isFinite { throw .diverged(epoch: epoch, step: s, what: "a mass parameter") }
            model.massParameters = u
            total += loss * Double(hi - lo)
            if let progress, s < steps - 1 {
                let M = massesGeV
                progress(TrainingProgress(epoch: epoch, epochs: config.epochs, step: s + 1, stepsPerEpoch: steps,
                                          loss: loss, massA: M[1], massB: M[0], finishedEpoch: nil))
            }
        }
        let validation = validationLoss()
        if !model.net.parameters.allSatisfy({ $0.isFinite }) { throw .diverged(epoch: epoch, step: steps - 1, what: "a network weight") }
        let M = massesGeV
        let record = EpochRecord(epoch: epoch + 1, trainLoss: total / Double(order.count), validationLoss: validation,
                                 massB: M[0], massA: M[1], seconds: (clock.now - start).seconds)
        epoch += 1
        history.append(record)
        progress?(TrainingProgress(epoch: epoch - 1, epochs: config.epochs, step: steps, stepsPerEpoch: steps,
                                   loss: record.trainLoss, massA: M[1], massB: M[0], finishedEpoch: record))
        return record
    }

    /// Mean loss over the validation split (NaN when it is empty).
    public func validationLoss() -> Double { meanLoss(validationIndices) }

    /// Mean loss over `indices`, in batches, without gradients.
    public func meanLoss(_ indices: [Int]) -> Double {
        guard !indices.isEmpty else { return .nan }
        let rows = model.net.maxBatch
        var total = 0.0
        indices.withUnsafeBufferPointer { all in
            var lo = 0
            while lo < all.count {
                let hi = min(all.count, lo + rows)
                total += model.evaluate(data, indices: UnsafeBufferPointer(rebasing: all[lo..<hi]), gradients: false) * Double(hi - lo)
                lo = hi
            }
        }
        return total / Double(indices.count)
    }

    /// Trains until `untilEpoch` (default `config.epochs`) completed epochs, writing a checkpoint
    /// to `checkpointPath` (if given) after every epoch. Returns the records of this call.
    @discardableResult
    public func train(untilEpoch: Int? = nil, checkpointPath: String? = nil,
                      progress: ((TrainingProgress) -> Void)? = nil) throws(DeeLeMaError) -> [EpochRecord] {
        let last = min(untilEpoch ?? config.epochs, config.epochs)
        var out: [EpochRecord] = []
        while epoch < last {
            // An epoch is reported finished only once its checkpoint is on disk: a run killed
            // right after the report then resumes after that epoch, not before it.
            var finished: TrainingProgress? = nil
            out.append(try trainEpoch { p in
                if p.finishedEpoch != nil { finished = p } else { progress?(p) }
            })
            if let checkpointPath { try save(to: checkpointPath) }
            if let finished { progress?(finished) }
        }
        return out
    }
}

extension Duration {
    var seconds: Double { Double(components.seconds) + Double(components.attoseconds) * 1e-18 }
}
