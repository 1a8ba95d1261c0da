import Core
import Foundation
import Generation
import Testing
@testable import Baselines

/// Weighted endpoint fits (issue 14: imported events carry weights, negative ones included).
@Suite struct ExtractionWeightTests {
    let shape = ExtractionEdgeShapeTests()
    let options = EndpointFit.Options(window: 62...110, bins: 48, bootstrap: 8, seed: 3, width: 2.085)

    @Test func unitWeightsAreTheUnweightedFitExactly() throws {
        let v = shape.sqrtEdgeSample(n: 6000, pole: 80.38, width: 2.085, depth: 60, sigma: 0, seed: 51)
        let a = try EndpointFit.fit(values: v, options: options)
        let b = try EndpointFit.fit(values: v, weights: [Double](repeating: 1, count: v.count), options: options)
        #expect(a.endpoint == b.endpoint && a.fitError == b.fitError && a.bootstrapError == b.bootstrapError)
        #expect(a.deviance == b.deviance && a.slope == b.slope)
    }

    /// A uniform weight w scales the histogram; the scaled-Poisson fit finds the same endpoint
    /// and error (the amplitude w times larger).
    @Test func uniformWeightChangesOnlyTheAmplitude() throws {
        let v = shape.sqrtEdgeSample(n: 6000, pole: 80.38, width: 2.085, depth: 60, sigma: 0, seed: 52)
        let a = try EndpointFit.fit(values: v, options: options)
        let b = try EndpointFit.fit(values: v, weights: [Double](repeating: 2.5, count: v.count), options: options)
        #expect(abs(a.endpoint - b.endpoint) < 1e-3 * a.fitError, "\(a.endpoint) vs \(b.endpoint)")
        #expect(abs(b.fitError / a.fitError - 1) < 1e-3, "\(a.fitError) vs \(b.fitError)")
        #expect(abs(b.slope / a.slope - 2.5) < 1e-3)
    }

    /// Keeping each event with probability 1/2 at weight 2 estimates the same distribution with
    /// half the information: the endpoint is still the pole, its error about sqrt(2) larger.
    @Test func thinnedAndReweightedSampleKeepsEndpoint() throws {
        let v = shape.sqrtEdgeSample(n: 20000, pole: 80.38, width: 2.085, depth: 60, sigma: 0, seed: 53)
        let r = RandomStream(seed: 54)
        var mixed: [Double] = [], w: [Double] = []
        for x in v {
            if r.uniform() < 0.5 { mixed.append(x); w.append(2) } else { mixed.append(x + 1000); w.append(1) }
        }
        // The events moved out of the window weigh nothing in it; the thinned half carries weight 2.
        let full = try EndpointFit.fit(values: v, options: .init(window: 62...110, bins: 48, bootstrap: 0, width: 2.085))
        let thin = try EndpointFit.fit(values: mixed, weights: w, options: .init(window: 62...110, bins: 48, bootstrap: 0, width: 2.085))
        #expect(abs(thin.endpoint - 80.38) < 3 * thin.fitError, "endpoint \(thin.endpoint) +- \(thin.fitError)")
        let ratio = thin.fitError / full.fitError
        #expect(ratio > 1.2 && ratio < 1.7, "error ratio \(ratio)")
    }

    /// Extra events together with negative-weight twins at the same values leave every bin's sum
    /// unchanged: the endpoint moves by a fraction of its error (only the variances grow, which
    /// shifts the bins' weights in the likelihood).
    @Test func negativeWeightTwinsCancel() throws {
        let v = shape.sqrtEdgeSample(n: 10000, pole: 80.38, width: 2.085, depth: 60, sigma: 0, seed: 55)
        let extra = shape.sqrtEdgeSample(n: 1000, pole: 85, width: 2.085, depth: 40, sigma: 0, seed: 56)
        let values = v + extra + extra
        let weights = [Double](repeating: 1, count: v.count) + extra.map { _ in 1.0 } + extra.map { _ in -1.0 }
        let base = try EndpointFit.fit(values: v, options: .init(window: 62...110, bins: 48, bootstrap: 0, width: 2.085))
        let r = try EndpointFit.fit(values: values, weights: weights, options: .init(window: 62...110, bins: 48, bootstrap: 0, width: 2.085))
        #expect(abs(r.endpoint - base.endpoint) < 0.6 * base.fitError, "\(r.endpoint) vs \(base.endpoint) +- \(base.fitError)")
        #expect(r.fitError >= base.fitError * 0.999)
        // Counted positive, the twins would pull the endpoint towards their own edge at 85 GeV.
        let unsigned = try EndpointFit.fit(values: values, weights: weights.map(abs), options: .init(window: 62...110, bins: 48, bootstrap: 0, width: 2.085))
        #expect(unsigned.endpoint - base.endpoint > 2 * base.fitError, "\(unsigned.endpoint) vs \(base.endpoint)")
    }

    /// The peak fit: weights of 1 are the unweighted fit exactly; a uniform weight changes nothing
    /// but the normalisation; a thinned half at weight 2 keeps the peak.
    @Test func peakFitWeights() throws {
        let r = RandomStream(seed: 58)
        let v = (0..<8000).map { _ in 80 + 6 * r.gaussian() }
        let o = PeakFit.Options(bootstrap: 6, seed: 2)
        let a = try PeakFit.fit(values: v, options: o)
        let b = try PeakFit.fit(values: v, weights: [Double](repeating: 1, count: v.count), options: o)
        #expect(a.location == b.location && a.fitError == b.fitError && a.bootstrapError == b.bootstrapError)
        let c = try PeakFit.fit(values: v, weights: [Double](repeating: 0.25, count: v.count), options: o)
        #expect(abs(c.location - a.location) < 1e-3 * a.fitError && abs(c.fitError / a.fitError - 1) < 1e-3)
        let w = v.indices.map { _ in r.uniform() < 0.5 ? 2.0 : 0.0 }
        let d = try PeakFit.fit(values: v, weights: w, options: .init(bootstrap: 0))
        #expect(abs(d.location - 80) < 3 * d.fitError, "\(d.location) +- \(d.fitError)")
        #expect(d.fitError > 1.2 * a.fitError)
    }

    @Test func rejectsMismatchedWeights() {
        let v = shape.sqrtEdgeSample(n: 100, pole: 80.38, width: 2.085, depth: 60, sigma: 0, seed: 57)
        #expect(throws: ExtractionError.self) { try EndpointFit.fit(values: v, weights: [2, 2], options: options) }
    }
}
