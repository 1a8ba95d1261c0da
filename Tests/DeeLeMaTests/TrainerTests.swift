import Events
import Foundation
import Network
import Testing
import TestSupport
@testable import DeeLeMa

private func smallConfig(epochs: Int = 4) -> DeeLeMaConfig {
    var c = DeeLeMaConfig()
    c.mC = 700; c.scale = 1000
    c.hidden = 16; c.layers = 1; c.batchSize = 64; c.epochs = epochs; c.seed = 21
    c.massLearningRate = 0.05
    return c
}

private func temporaryPath(_ name: String) -> String {
    FileManager.default.temporaryDirectory.appendingPathComponent("deelema-\(getpid())-\(name)").path
}

@Test("Resume: E epochs straight equals k epochs, checkpoint, new trainer, continue to E (1e-6)")
func resumeEqualsStraight() throws {
    let sample = ChainFixture.ttbarLike(n: 600, mA: 1000, mB: 800, mC: 700, seed: 5)
    let config = smallConfig()
    let straight = try DeeLeMaTrainer(sample: sample, config: config)
    try straight.train()
    let path = temporaryPath("resume.ckpt")
    defer { try? FileManager.default.removeItem(atPath: path) }
    let first = try DeeLeMaTrainer(sample: sample, config: config)
    try first.train(untilEpoch: 2, checkpointPath: path)
    #expect(first.epoch == 2)
    #expect(!FileManager.default.fileExists(atPath: path + ".tmp"))
    let resumed = try DeeLeMaTrainer(sample: sample, config: config, resumingFrom: path)
    #expect(resumed.epoch == 2 && resumed.history.count == 2)
    try resumed.train()
    #expect(resumed.epoch == 4)
    let a = straight.model.net.parameters, b = resumed.model.net.parameters
    let worst = zip(a, b).map { abs($0 - $1) }.max()!
    #expect(worst <= 1e-6, "largest parameter difference \(worst)")
    #expect(abs(straight.massesGeV[0] - resumed.massesGeV[0]) < 1e-6 && abs(straight.massesGeV[1] - resumed.massesGeV[1]) < 1e-6)
    #expect(straight.history.map(\.trainLoss) == resumed.history.map(\.trainLoss))
}

@Test("Checkpoint: a flipped byte is refused as corrupted; other hyper-parameters or another sample are refused")
func checkpointRefusals() throws {
    let sample = ChainFixture.ttbarLike(n: 300, mA: 1000, mB: 800, mC: 700, seed: 6)
    let config = smallConfig(epochs: 2)
    let trainer = try DeeLeMaTrainer(sample: sample, config: config)
    let path = temporaryPath("refuse.ckpt")
    defer { try? FileManager.default.removeItem(atPath: path) }
    try trainer.train(untilEpoch: 1, checkpointPath: path)
    var bytes = Array(FileManager.default.contents(atPath: path)!)
    // Flip one byte in the weights.
    let corrupted = temporaryPath("corrupted.ckpt")
    defer { try? FileManager.default.removeItem(atPath: corrupted) }
    bytes[bytes.count / 2] ^= 0x40
    _ = FileManager.default.createFile(atPath: corrupted, contents: Data(bytes))
    #expect {
        _ = try DeeLeMaTrainer(sample: sample, config: config, resumingFrom: corrupted)
    } throws: { error in
        "\(error)".contains("corrupted") && "\(error)".contains(corrupted)
    }
    var other = config
    other.learningRate = 3e-3
    #expect {
        _ = try DeeLeMaTrainer(sample: sample, config: other, resumingFrom: path)
    } throws: { error in
        "\(error)".contains("different hyper-parameters") && "\(error)".contains("learningRate")
    }
    var wider = config
    wider.hidden = 32
    #expect(throws: DeeLeMaError.self) { _ = try DeeLeMaTrainer(sample: sample, config: wider, resumingFrom: path) }
    let otherSample = ChainFixture.ttbarLike(n: 300, mA: 1000, mB: 800, mC: 700, seed: 7)
    #expect {
        _ = try DeeLeMaTrainer(sample: otherSample, config: config, resumingFrom: path)
    } throws: { error in
        "\(error)".contains("another sample")
    }
    // Threads may differ.
    var threaded = config
    threaded.threads = 2
    let ok = try DeeLeMaTrainer(sample: sample, config: threaded, resumingFrom: path)
    #expect(ok.epoch == 1)
    // Not a checkpoint at all.
    _ = FileManager.default.createFile(atPath: corrupted, contents: Data("hello".utf8))
    #expect(throws: DeeLeMaError.self) { _ = try DeeLeMaTrainer(sample: sample, config: config, resumingFrom: corrupted) }
}

@Test("Estimator from a checkpoint: per-event arrays, masses, pairing choice; matches the in-memory model")
func estimatorOutputs() throws {
    let sample = ChainFixture.ttbarLike(n: 400, mA: 1000, mB: 800, mC: 700, seed: 8)
    var config = smallConfig(epochs: 2)
    config.pairing = .unknown
    let trainer = try DeeLeMaTrainer(sample: sample, config: config)
    let path = temporaryPath("estimator.ckpt")
    defer { try? FileManager.default.removeItem(atPath: path) }
    try trainer.train(checkpointPath: path)
    let fromFile = try DeeLeMaEstimator.run(sample: sample, checkpoint: path)
    let inMemory = try DeeLeMaEstimator.run(sample: sample, trainer: trainer)
    #expect(fromFile.method == "deelema")
    for key in ["C1", "C2", "m_A1", "m_A2", "m_B1", "m_B2", "pairing_chosen", "status", "loss"] {
        #expect(fromFile.perEvent[key]?.rows == 400, "missing or short \(key)")
        // Same weights; the batch split differs (BLAS rounding), so compare to Float precision.
        if let x = fromFile.perEvent[key]?.doubles, let y = inMemory.perEvent[key]?.doubles {
            let worst = zip(x, y).map { abs($0 - $1) / max(1, abs($1)) }.max() ?? .infinity
            #expect(worst < 1e-4, "\(key) differs between checkpoint and memory by \(worst)")
        } else {
            #expect(fromFile.perEvent[key]?.integers == inMemory.perEvent[key]?.integers, "\(key) differs")
        }
    }
    #expect(fromFile.masses.map(\.name) == ["M_A", "M_B"])
    #expect(abs(fromFile.masses[0].value - trainer.massesGeV[1]) < 1e-9)
    #expect(fromFile.masses.allSatisfy { $0.uncertainty.isFinite && $0.uncertainty >= 0 })
    #expect(fromFile.handledFraction == 1)
    // The reported masses are those of the reported momenta: m_B1 = m(b + C1) for the chosen pairing.
    let c1 = fromFile.perEvent["C1"]!.doubles!, mB1 = fromFile.perEvent["m_B1"]!.doubles!
    let chosen = fromFile.perEvent["pairing_chosen"]!.integers!
    let b1 = try sample.fourVectors(Key.b1), b2 = try sample.fourVectors(Key.b2)
    for i in 0..<20 {
        let b = chosen[i] == 0 ? b1 : b2
        let v = (0..<4).map { b[4 * i + $0] + c1[4 * i + $0] }
        let m2 = v[0] * v[0] - v[1] * v[1] - v[2] * v[2] - v[3] * v[3]
        #expect(abs(m2.squareRoot() - mB1[i]) < 1e-3 * mB1[i])
    }
    // An antler checkpoint does not run on a t-tbar-like sample.
    let antler = ChainFixture.antler(n: 50, mD: 1000, mB: 400, mC: 100)
    #expect(throws: DeeLeMaError.self) { _ = try DeeLeMaEstimator.run(sample: antler, checkpoint: path) }
}

@Test("Divergence stops training with a clear error; bad options and samples are refused")
func divergenceAndBadInput() throws {
    let sample = ChainFixture.ttbarLike(n: 200, mA: 1000, mB: 800, mC: 700, seed: 9)
    var config = smallConfig(epochs: 3)
    config.learningRate = 1e38
    let trainer = try DeeLeMaTrainer(sample: sample, config: config)
    #expect {
        try trainer.train()
    } throws: { error in
        "\(error)".contains("diverged")
    }
    var bad = smallConfig()
    bad.batchSize = 0
    #expect(throws: DeeLeMaError.badOption(name: "batch", reason: "must be >= 1, got 0")) {
        _ = try DeeLeMaTrainer(sample: sample, config: bad)
    }
    var broken = sample
    var a1 = try broken.fourVectors(Key.a1)
    a1[4 * 17 + 2] = .nan
    broken[Key.a1] = .fourVectors(a1)
    #expect {
        _ = try DeeLeMaTrainer(sample: broken, config: smallConfig())
    } throws: { error in
        "\(error)".contains("'a1'") && "\(error)".contains("event 17")
    }
    var noMET = sample
    noMET[Key.met] = nil
    #expect(throws: DeeLeMaError.sample("missing array 'met'")) { _ = try DeeLeMaTrainer(sample: noMET, config: smallConfig()) }
}

@Test("Network input hides the pairing under unknown pairing and is chain-ordered under truth pairing")
func inputOrdering() throws {
    let sample = ChainFixture.ttbarLike(n: 100, mA: 1000, mB: 800, mC: 700, seed: 10)
    var config = smallConfig()
    config.frame = .lab
    let truth = try PreparedData(sample: sample, config: config)
    config.pairing = .unknown
    let unknown = try PreparedData(sample: sample, config: config)
    let b1 = try sample.fourVectors(Key.b1), b2 = try sample.fourVectors(Key.b2)
    let trueB1 = try sample.fourVectors(Key.trueb1)
    let pairing = sample[Key.pairing]!.integers!
    #expect(pairing.contains(0) && pairing.contains(1))
    for i in 0..<100 {
        #expect(abs(unknown.inputs[16 * i + 8] - b1[4 * i] / 1000) < 1e-12)
        #expect(abs(unknown.inputs[16 * i + 12] - b2[4 * i] / 1000) < 1e-12)
        #expect(abs(truth.inputs[16 * i + 8] - trueB1[4 * i] / 1000) < 1e-12)
    }
}

@Test("Antler: trains from [a1, a2] with learnable M_B and M_D; the estimator reports m_D, m_B1, m_B2")
func antlerTraining() throws {
    let sample = ChainFixture.antler(n: 600, mD: 1000, mB: 400, mC: 100, seed: 12)
    var config = smallConfig(epochs: 3)
    config.mC = 100
    let trainer = try DeeLeMaTrainer(sample: sample, config: config)
    #expect(trainer.data.inputWidth == 8)
    // Reference start: M_B = M_C + scale, M_D = 2 M_B + scale.
    #expect(trainer.massesGeV == SIMD2(1100, 3200))
    try trainer.train()
    #expect(trainer.history.last!.validationLoss < trainer.history.first!.validationLoss)
    #expect(trainer.massesGeV[1] > 2 * trainer.massesGeV[0] && trainer.massesGeV[0] > 100)
    let result = try DeeLeMaEstimator.run(sample: sample, trainer: trainer)
    #expect(result.masses.map(\.name) == ["M_D", "M_B"])
    for key in ["C1", "C2", "m_D", "m_B1", "m_B2", "status"] { #expect(result.perEvent[key]?.rows == 600, "\(key)") }
}
