import Events
import Foundation

/// Robust location of the peak of a reconstructed-mass distribution (for methods that give an
/// invisible-momentum ansatz, e.g. MAOS or M2: the invariant mass of the parent it implies).
///
/// Start: median and MAD width, then the mode of a 3-bin smoothed histogram within +-3 MAD
/// widths. Fit: a Gaussian core plus a flat background on the window mode +- k sigma (k = 2 by
/// default), binned Poisson maximum likelihood (least squares on deviance residuals, GSL
/// trust-region solver), re-centred twice on the fitted core. Uncertainty: the inverse expected
/// Poisson Fisher information at the optimum and a
/// bootstrap over the values with the final window held fixed.
public enum PeakFit {
    public struct Options: Sendable {
        /// Fit window (GeV); nil: chosen as described above.
        public var window: ClosedRange<Double>?
        public var bins: Int
        /// Half-width of the automatic window in fitted sigmas.
        public var halfWidth: Double
        /// Bootstrap replicates (0: none).
        public var bootstrap: Int
        public var seed: UInt32

        public init(window: ClosedRange<Double>? = nil, bins: Int = 30, halfWidth: Double = 2, bootstrap: Int = 50, seed: UInt32 = 1) {
            self.window = window; self.bins = bins; self.halfWidth = halfWidth; self.bootstrap = bootstrap; self.seed = seed
        }
    }

    public struct Result: Sendable {
        /// Fitted peak position (Gaussian core mean), GeV, with its fit-covariance error.
        public var location: Double
        public var fitError: Double
        /// Bootstrap standard deviation of the location, GeV (NaN without bootstrap).
        public var bootstrapError: Double
        /// Core width sigma, GeV, and its fit error.
        public var width: Double
        public var widthError: Double
        public var window: ClosedRange<Double>
        public var converged: Bool
        public var bootstrapFailures: Int

        /// The quoted uncertainty: the bootstrap spread when available, else the fit error.
        public var uncertainty: Double { bootstrapError.isFinite ? bootstrapError : fitError }

        public func estimate(name: String, how: String) -> MassEstimate {
            MassEstimate(name: name, value: location, uncertainty: uncertainty, how: how)
        }
    }

    /// Fits the peak of `values` (GeV). Throws `ExtractionError` for NaN/Inf, too few values or a
    /// failed fit.
    public static func fit(values: [Double], options: Options = Options()) throws -> Result {
        try fit(values: values, weights: nil, options: options)
    }

    /// As `fit(values:options:)` with a weight per value (negative ones included): the fit
    /// histogram holds the sum of the weights per bin with scaled-Poisson variances (as
    /// `EndpointFit`); the start (median, MAD, mode) comes from the values alone. Weights nil or
    /// all 1: exactly the unweighted fit.
    public static func fit(values: [Double], weights: [Double]?, options: Options = Options()) throws -> Result {
        try ExtractionMath.checkFinite(values)
        let weights = weightsMatter(weights) ? weights : nil
        if let weights {
            guard weights.count == values.count else {
                throw ExtractionError.fitFailed("\(weights.count) weights for \(values.count) values")
            }
            try ExtractionMath.checkFinite(weights)
        }
        guard values.count >= 30 else { throw ExtractionError.tooFewValues(found: values.count, needed: 30) }
        guard options.bins >= 6 else { throw ExtractionError.fitFailed("need at least 6 bins, got \(options.bins)") }
        let sorted = values.sorted()
        let median = ExtractionMath.quantile(sorted, 0.5)
        let mad = ExtractionMath.quantile(sorted.map { abs($0 - median) }.sorted(), 0.5)
        var s0 = 1.4826 * mad
        if !(s0 > 0) { s0 = max(ExtractionMath.quantile(sorted, 0.84) - ExtractionMath.quantile(sorted, 0.16), 1e-9) }
        let hist = FitHistogram(values, lower: median - 3 * s0, upper: median + 3 * s0, bins: 30)
        var bestBin = 0, bestCount = -1.0
        for k in 0..<hist.bins {
            let c = hist.counts[max(k - 1, 0)] + hist.counts[k] + hist.counts[min(k + 1, hist.bins - 1)]
            if c > bestCount { bestCount = c; bestBin = k }
        }
        var mean = hist.center(bestBin), sigma = 0.5 * s0
        var window = options.window ?? (mean - options.halfWidth * sigma)...(mean + options.halfWidth * sigma)
        var main: Fitted? = nil
        for pass in 0..<3 {
            guard window.upperBound > window.lowerBound else {
                throw ExtractionError.badWindow(lower: window.lowerBound, upper: window.upperBound)
            }
            guard let f = fitCore(values, weights: weights, window: window, bins: options.bins, mean: mean, sigma: sigma) else {
                throw ExtractionError.fitFailed("peak fit in window \(window) did not converge")
            }
            main = f
            mean = f.mean; sigma = f.sigma
            if options.window != nil || pass == 2 { break }
            window = (mean - options.halfWidth * sigma)...(mean + options.halfWidth * sigma)
        }
        guard let main else { throw ExtractionError.fitFailed("no peak fit") }
        var boot = Bootstrap.Result(replicates: [], mean: .nan, standardDeviation: .nan, failed: 0)
        if options.bootstrap > 1 {
            let finalWindow = window, bins = options.bins
            if let weights {
                boot = Bootstrap.run(values: values, weights: weights, replicates: options.bootstrap, seed: options.seed) { v, w in
                    fitCore(v, weights: w, window: finalWindow, bins: bins, mean: main.mean, sigma: main.sigma)?.mean ?? .nan
                }
            } else {
                boot = Bootstrap.run(values: values, replicates: options.bootstrap, seed: options.seed) { v in
                    fitCore(v, weights: nil, window: finalWindow, bins: bins, mean: main.mean, sigma: main.sigma)?.mean ?? .nan
                }
            }
        }
        return Result(location: main.mean, fitError: main.meanError, bootstrapError: boot.standardDeviation,
                      width: main.sigma, widthError: main.sigmaError, window: window, converged: main.converged,
                      bootstrapFailures: boot.failed)
    }

    struct Fitted { var mean: Double, meanError: Double, sigma: Double, sigmaError: Double, converged: Bool }

    /// Gaussian (mean, sigma, normalisation) plus flat background on a fixed window.
    static func fitCore(_ values: [Double], weights: [Double]?, window: ClosedRange<Double>, bins: Int, mean: Double,
                        sigma: Double) -> Fitted? {
        let h = FitHistogram(values, weights: weights, lower: window.lowerBound, upper: window.upperBound, bins: bins)
        let scales = h.scales
        // Effective events (sum w)^2 / sum w^2 for a weighted histogram.
        let entries = h.sumW2.map { w2 in h.total * h.total / max(w2.reduce(0, +), .leastNormalMagnitude) } ?? h.total
        guard entries >= 20, h.total > 0 else { return nil }
        let counts = h.counts, lo = h.lower, w = h.width
        let initial = [mean, sigma, 0.9 * h.total, 0.1 * h.total / (h.upper - h.lower)]
        let expected = { (p: [Double]) -> [Double] in
            let m = p[0], s = max(abs(p[1]), 1e-12), norm = p[2], b = p[3]
            var mu = [Double](repeating: 0, count: bins)
            var below = ExtractionMath.Phi((lo - m) / s)
            for k in 0..<bins {
                let next = ExtractionMath.Phi((lo + Double(k + 1) * w - m) / s)
                mu[k] = norm * (next - below) + b * w
                below = next
            }
            return mu
        }
        guard let sol = LeastSquares.fit(initial: initial, residualCount: bins, residuals: { p, r in
            let mu = expected(p)
            if let scales {
                for k in 0..<bins { r[k] = LeastSquares.devianceResidual(observed: counts[k] / scales[k], expected: mu[k] / scales[k]) }
            } else {
                for k in 0..<bins { r[k] = LeastSquares.devianceResidual(observed: counts[k], expected: mu[k]) }
            }
        }) else { return nil }
        let p = sol.parameters
        guard p.allSatisfy(\.isFinite) else { return nil }
        let cov = LeastSquares.poissonCovariance(at: p, scales: scales, expected: expected) ?? sol.covariance
        return Fitted(mean: p[0], meanError: cov[0].squareRoot(), sigma: abs(p[1]),
                      sigmaError: cov[5].squareRoot(), converged: sol.converged)
    }
}
