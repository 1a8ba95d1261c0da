import Events
import Foundation
import Testing
import TestSupport
@testable import DeeLeMa

/// With several completion hypotheses the event is scored by its best head: a head holding the
/// true invisible momenta gives zero loss at the true masses whatever the other heads say.
@Test("Completion hypotheses: the best head is chosen and reported")
func bestHypothesisChosen() throws {
    let t = try TruthCompletion(ChainFixture.ttbarLike(n: 20, mA: 1000, mB: 800, mC: 700, seed: 4))
    for i in 0..<t.count {
        for good in 0..<3 {
            // Three heads of 8 outputs; the `good` one holds the truth, the others a wrong guess.
            var outputs = [Double](repeating: 0.3, count: 24)
            outputs.replaceSubrange((8 * good)..<(8 * good + 8), with: t.outputs(i))
            let (e, pairing, head) = outputs.withUnsafeBufferPointer {
                t.physics.evaluateBest($0.baseAddress!, heads: 3, t.data.visibles[i], t.data.targets[i], SIMD2(0.8, 1.0), unknown: true)
            }
            #expect(head == good && e.hypothesis == good && pairing == 0, "event \(i): chose head \(head) pairing \(pairing)")
            #expect(e.loss < 1e-9, "event \(i): loss \(e.loss)")
        }
    }
}

@Test("Completion hypotheses: option checked, estimator reports the head per event")
func hypothesesOptionAndOutput() throws {
    var config = DeeLeMaConfig(); config.mC = 700; config.scale = 1000
    config.hypotheses = 0
    #expect(throws: DeeLeMaError.self) { try config.validate() }
    config.hypotheses = 3; config.hidden = 16; config.layers = 1; config.epochs = 1; config.batchSize = 64
    let sample = ChainFixture.ttbarLike(n: 300, mA: 1000, mB: 800, mC: 700, seed: 8)
    let trainer = try DeeLeMaTrainer(sample: sample, config: config)
    #expect(trainer.model.net.outputWidth == 3 * LearnMode.none.outputCount)
    try trainer.train()
    let result = try DeeLeMaEstimator.run(sample: sample, trainer: trainer)
    let heads = try #require(result.perEvent["hypothesis"]?.integers)
    #expect(heads.count == sample.count && heads.allSatisfy { (0..<3).contains($0) })
}

@Test("A checkpoint header written before an option existed decodes with its default")
func configDecodesMissingOptions() throws {
    var config = DeeLeMaConfig(); config.mC = 700; config.hidden = 32; config.hypotheses = 5
    let encoded = try JSONEncoder().encode(config)
    var object = try #require(try JSONSerialization.jsonObject(with: encoded) as? [String: Any])
    #expect(try JSONDecoder().decode(DeeLeMaConfig.self, from: encoded) == config)
    object.removeValue(forKey: "hypotheses")
    let old = try JSONDecoder().decode(DeeLeMaConfig.self, from: try JSONSerialization.data(withJSONObject: object))
    var expected = config; expected.hypotheses = 1
    #expect(old == expected)
}
