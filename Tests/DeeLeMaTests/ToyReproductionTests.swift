import Detector
import Events
import Foundation
import Generation
import Testing
import TestSupport
@testable import DeeLeMa

let topologiesFolder = RepositoryPaths.topologies

/// Reduced reproduction of the published toy result (m_A 1000, m_B 800, m_C 700 GeV, truth
/// pairing, no smearing) on a sample of the real generator (`toy` card, `ideal` detector,
/// 200k events): H 128, L 3, batch 128, 8 completion hypotheses, the visible frame, 6 epochs
/// (6,564 steps), the reference start of the masses (1700 / 2700 GeV) and mass lr 5e-2.
/// Release runs of the same recipe (`deelema train`, seeds 1, 2, 3) gave M_A 992.8-993.1 and
/// M_B 797.3-797.9 GeV (benchmarks/RESULTS.md, "DeeLeMa: sample efficiency"); one hypothesis
/// instead of eight gave 989.0 / 794.3. The published full run (1.08 M events, H 256, L 5,
/// 100 epochs, ~37k steps) reports 997.7 / 799.2.
@Test("Toy reproduction: learned M_A, M_B within 1% of 1000, 800 GeV from the reference start")
func toyReproduction() throws {
    let card = try Card.load(nameOrPath: "toy", directory: topologiesFolder)
    let pipeline = try EventPipeline(card: card, detector: DetectorPreset(name: "ideal"), seed: 5, threads: 1)
    let sample = try pipeline.generateSample(events: 200_000)
    var config = DeeLeMaConfig()
    config.mC = 700; config.scale = 1000
    config.hidden = 128; config.layers = 3; config.batchSize = 128; config.epochs = 6; config.hypotheses = 8
    config.seed = 1; config.threads = 1
    let trainer = try DeeLeMaTrainer(sample: sample, config: config)
    #expect(trainer.massesGeV == SIMD2(1700, 2700))
    try trainer.train()
    let M = trainer.massesGeV
    #expect(abs(M[1] / 1000 - 1) < 0.01, "M_A = \(M[1]) GeV")
    #expect(abs(M[0] / 800 - 1) < 0.01, "M_B = \(M[0]) GeV")
    // The validation loss fell and the per-event masses of the test split sit at the learned ones.
    #expect(trainer.history.last!.validationLoss < 0.5 * trainer.history.first!.validationLoss)
    let result = try DeeLeMaEstimator.run(sample: sample.selecting(trainer.testIndices), trainer: trainer)
    let mA = (result.perEvent["m_A1"]!.doubles! + result.perEvent["m_A2"]!.doubles!).sorted()
    #expect(abs(mA[mA.count / 2] / M[1] - 1) < 0.01, "median m_A \(mA[mA.count / 2]) vs M_A \(M[1])")
}
