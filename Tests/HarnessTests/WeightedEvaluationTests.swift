import Detector
import Events
import Foundation
import Generation
import Testing
@testable import Harness

/// Issue 14: a sample's `weight` array weighs the harness's averages; a weight array of ones
/// changes no number.
@Suite struct WeightedEvaluationTests {
    func sample(_ events: Int, seed: UInt64) throws -> (Sample, Card) {
        let card = try Card.load(nameOrPath: "ttbar")
        let pipeline = try EventPipeline(card: card, detector: .cms, seed: seed, threads: 2)
        return (try pipeline.generateSample(events: events), card)
    }

    @Test func unitWeightArrayChangesNothing() throws {
        let (s, card) = try sample(1500, seed: 21)
        var weighted = s
        weighted[Key.weight] = .scalars([Double](repeating: 1, count: s.count))
        let o = MethodOptions(bootstrap: 3, seed: 2)
        for method in [Method.mt2, .maos] {
            let a = try MethodRunner.run(method, on: s, options: o), b = try MethodRunner.run(method, on: weighted, options: o)
            #expect(a.masses.map(\.value) == b.masses.map(\.value) && a.masses.map(\.uncertainty) == b.masses.map(\.uncertainty))
            let ra = Evaluation.report(a, on: s, trueMasses: Bench.trueMasses(card))
            let rb = Evaluation.report(b, on: weighted, trueMasses: Bench.trueMasses(card))
            #expect(ra.handledFraction == rb.handledFraction)
            #expect(ra.massResolutions.map(\.median) == rb.massResolutions.map(\.median))
            #expect(ra.invisibleResolutions.map(\.width68) == rb.invisibleResolutions.map(\.width68))
            #expect(ra.invisibleResolutions.map(\.rms) == rb.invisibleResolutions.map(\.rms))
        }
    }

    /// Weights 2 on even events, 1 on odd ones against the events repeated as often, each with
    /// weight 1 (plus one event of weight 0, which keeps that sample on the weighted path): the
    /// same MAOS resolutions.
    @Test func weightsActAsRepeatedEvents() throws {
        let (s, card) = try sample(600, seed: 22)
        var weighted = s
        let w = (0..<s.count).map { $0 % 2 == 0 ? 2.0 : 1.0 }
        weighted[Key.weight] = .scalars(w)
        let rows = (0..<s.count).flatMap { i in [Int](repeating: i, count: Int(w[i])) }
        var repeated = s.selecting(rows + [0])
        repeated[Key.weight] = .scalars([Double](repeating: 1, count: rows.count) + [0])
        // Given masses: MAOS's momenta then depend on each event alone (no sample-level fit).
        let o = MethodOptions(masses: (172.5, 80.38, 0), bootstrap: 0)
        let a = try MethodRunner.run(.maos, on: weighted, options: o), b = try MethodRunner.run(.maos, on: repeated, options: o)
        let ra = Evaluation.report(a, on: weighted, trueMasses: Bench.trueMasses(card))
        let rb = Evaluation.report(b, on: repeated, trueMasses: Bench.trueMasses(card))
        #expect(!ra.invisibleResolutions.isEmpty)
        #expect(ra.invisibleResolutions.map(\.median) == rb.invisibleResolutions.map(\.median))
        #expect(ra.invisibleResolutions.map(\.width68) == rb.invisibleResolutions.map(\.width68))
    }
}
