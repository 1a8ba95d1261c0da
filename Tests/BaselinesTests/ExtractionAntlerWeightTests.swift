import Baselines
import Events
import Testing
import TestSupport

/// The antler cusp/endpoint fit with event weights: ones change nothing, a uniform weight only
/// the normalisation, and the estimator reads the sample's `weight` array.
@Suite struct ExtractionAntlerWeightTests {
    @Test func weightsInTheCuspFit() throws {
        let unweighted = ChainFixture.antler(n: 8000, mD: 1000, mB: 400, mC: 100, seed: 20)
        var s = unweighted
        let o = AntlerFit.Options(bins: 40, bootstrap: 4, seed: 3)
        let plain = try AntlerCuspEstimator.run(sample: s, mC: 100, options: o)
        s[Key.weight] = .scalars([Double](repeating: 1, count: s.count))
        let ones = try AntlerCuspEstimator.run(sample: s, mC: 100, options: o)
        #expect(plain.masses.map(\.value) == ones.masses.map(\.value) && plain.masses.map(\.uncertainty) == ones.masses.map(\.uncertainty))
        s[Key.weight] = .scalars([Double](repeating: 3, count: s.count))
        let three = try AntlerCuspEstimator.run(sample: s, mC: 100, options: .init(bins: 40, bootstrap: 0))
        let base = try AntlerCuspEstimator.run(sample: unweighted, mC: 100, options: .init(bins: 40, bootstrap: 0))
        for (a, b) in zip(three.masses, base.masses) {
            #expect(abs(a.value - b.value) < 1e-3 * b.uncertainty, "\(a.name): \(a.value) vs \(b.value)")
            #expect(abs(a.uncertainty / b.uncertainty - 1) < 1e-3, "\(a.name): \(a.uncertainty) vs \(b.uncertainty)")
        }
        s[Key.weight] = .scalars([2, 2])
        #expect(throws: ExtractionError.self) { try AntlerCuspEstimator.run(sample: s, mC: 100, options: o) }
    }
}
