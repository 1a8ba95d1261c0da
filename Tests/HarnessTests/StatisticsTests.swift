import Foundation
import Testing
@testable import Harness

@Suite struct StatisticsTests {
    @Test func quantilesMatchNumpyLinear() {
        // numpy 2.4: np.quantile([3, 1, 4, 1, 5, 9, 2, 6], [0.1, 0.5, 0.9]) = [1.0, 3.5, 6.9]
        let v: [Double] = [3, 1, 4, 1, 5, 9, 2, 6]
        #expect(abs(Statistics.quantile(v, 0.1)! - 1.0) < 1e-12)
        #expect(abs(Statistics.quantile(v, 0.5)! - 3.5) < 1e-12)
        #expect(abs(Statistics.quantile(v, 0.9)! - 6.9) < 1e-12)
        #expect(Statistics.quantile([Double.nan], 0.5) == nil)
    }

    @Test func robustWidthOfGaussianIsSigma() {
        // Inverse-CDF grid of N(5, 2^2): the 16-84% half-range is sigma = 2 up to the grid spacing.
        let n = 20001
        let values = (1...n).map { k -> Double in
            let p = Double(k) / Double(n + 1)
            return 5 + 2 * inverseNormal(p)
        }
        #expect(abs(Statistics.robustWidth(values)! - 2) < 2e-3)
        let peak = Statistics.peak(values)!
        #expect(abs(peak.position - 5) < 0.1)
        // FWHM of a Gaussian is 2 sqrt(2 ln 2) sigma = 4.7096 for sigma 2 (histogram resolution ~ sigma/5).
        #expect(abs(peak.fwhm - 4.7096) < 0.5)
    }

    /// Bisection on erfc: Phi^-1(p).
    func inverseNormal(_ p: Double) -> Double {
        var lo = -10.0, hi = 10.0
        for _ in 0..<200 {
            let mid = 0.5 * (lo + hi)
            if 0.5 * erfc(-mid / 2.0.squareRoot()) < p { lo = mid } else { hi = mid }
        }
        return 0.5 * (lo + hi)
    }
}
