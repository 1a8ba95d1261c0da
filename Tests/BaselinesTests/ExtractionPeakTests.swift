import Baselines
import Core
import Testing

@Suite struct ExtractionPeakTests {
    @Test func recoversGaussianPeakOverBackground() throws {
        // 14000 events Gaussian(173, 8) over 6000 uniform on [50, 400].
        let r = RandomStream(seed: 41)
        var v = (0..<14000).map { _ in 173 + 8 * r.gaussian() }
        v += (0..<6000).map { _ in 50 + 350 * r.uniform() }
        let fit = try PeakFit.fit(values: v, options: .init(bootstrap: 40, seed: 3))
        #expect(abs(fit.location - 173) < 3 * fit.fitError, "peak \(fit.location) +- \(fit.fitError)")
        #expect(abs(fit.width - 8) < 0.1 * 8, "width \(fit.width)")
        let ratio = fit.bootstrapError / fit.fitError
        #expect(ratio > 1 / 1.5 && ratio < 1.5, "bootstrap \(fit.bootstrapError) vs fit \(fit.fitError)")
    }

    @Test func rejectsBadInput() {
        var v = [Double](repeating: 1, count: 50)
        v[3] = .infinity
        #expect(throws: ExtractionError.nonFinite(index: 3)) { try PeakFit.fit(values: v) }
        #expect(throws: ExtractionError.tooFewValues(found: 2, needed: 30)) { try PeakFit.fit(values: [1, 2]) }
    }
}
