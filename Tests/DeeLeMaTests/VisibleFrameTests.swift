import Events
import Testing
import TestSupport
@testable import DeeLeMa

/// The visible frame: each event boosted along z so its visible objects have no total pz. Masses
/// and transverse components are unchanged; the estimator reports the invisible momenta in the
/// lab, where they rebuild the per-event masses it reports.
@Test("Visible frame: zero visible pz, invariant masses, invisible momenta reported in the lab")
func visibleFrame() throws {
    let sample = ChainFixture.ttbarLike(n: 200, mA: 1000, mB: 800, mC: 700, seed: 21, maxBeta: 0.8)
    var config = DeeLeMaConfig(); config.mC = 700; config.scale = 1000
    config.hidden = 16; config.layers = 1; config.epochs = 1; config.batchSize = 64
    #expect(config.frame == .visible)
    let data = try PreparedData(sample: sample, config: config)
    config.frame = .lab
    let lab = try PreparedData(sample: sample, config: config)
    func mass(_ p: SIMD4<Double>) -> Double { (p[0] * p[0] - p[1] * p[1] - p[2] * p[2] - p[3] * p[3]).squareRoot() }
    var boosted = 0
    for i in 0..<sample.count {
        let v = data.visibles[i], w = lab.visibles[i]
        let sum = v.lowHalf.lowHalf + v.lowHalf.highHalf + v.highHalf.lowHalf + v.highHalf.highHalf
        let sumLab = w.lowHalf.lowHalf + w.lowHalf.highHalf + w.highHalf.lowHalf + w.highHalf.highHalf
        #expect(abs(sum[3]) < 1e-12 * sum[0], "event \(i): visible pz \(sum[3])")
        #expect(abs(mass(sum) / mass(sumLab) - 1) < 1e-12)
        let pair = v.lowHalf.lowHalf + v.highHalf.lowHalf, pairLab = w.lowHalf.lowHalf + w.highHalf.lowHalf
        #expect(abs(mass(pair) / mass(pairLab) - 1) < 1e-12)
        #expect(v[1] == w[1] && v[2] == w[2] && data.targets[i] == lab.targets[i])
        if abs(data.frameVelocity[i]) > 0.1 { boosted += 1 }
    }
    #expect(boosted > 20, "the fixture should have longitudinally boosted events")
    config.frame = .visible
    let trainer = try DeeLeMaTrainer(sample: sample, config: config)
    try trainer.train()
    let result = try DeeLeMaEstimator.run(sample: sample, trainer: trainer)
    let c1 = try #require(result.perEvent["C1"]?.doubles), b1 = try sample.fourVectors(Key.trueb1)
    let mB1 = try #require(result.perEvent["m_B1"]?.doubles)
    let pairing = try #require(sample[Key.pairing]?.integers)
    let b = try sample.fourVectors(Key.b1), bOther = try sample.fourVectors(Key.b2)
    for i in 0..<sample.count {
        // Chain 1 is the chain of a1; its b is b1 or b2 by the pairing (the true b1 here, reco == truth).
        let src = pairing[i] == 0 ? b : bOther
        #expect(abs(src[4 * i] - b1[4 * i]) < 1e-9)
        let B1 = SIMD4(c1[4 * i] + b1[4 * i], c1[4 * i + 1] + b1[4 * i + 1], c1[4 * i + 2] + b1[4 * i + 2], c1[4 * i + 3] + b1[4 * i + 3])
        #expect(abs(mass(B1) - mB1[i]) < 1e-6 * mB1[i], "event \(i): m(b1 + C1) \(mass(B1)) vs reported m_B1 \(mB1[i])")
    }
}
