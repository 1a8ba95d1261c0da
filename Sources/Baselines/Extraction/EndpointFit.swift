import Events
import Foundation

/// Upper-endpoint fit of a kinematic-variable distribution (MT2, M2, ...).
///
/// Model of the density in the fit window: a linear edge A (M - x) for x < M (the generic shape
/// of a distribution near its kinematic endpoint M), convolved with a Gaussian resolution sigma,
/// plus a flat background B. The convolution has the closed form
/// A [(M - x) Phi((M - x)/sigma) + sigma phi((M - x)/sigma)] and is integrated exactly over each
/// bin. Fit: binned Poisson maximum likelihood, done as least squares on deviance residuals with
/// GSL's trust-region solver; the covariance is the inverse expected Poisson Fisher information
/// sum_k (d mu_k)(d mu_k)^T / mu_k at the optimum. A bootstrap over the values (seeded
/// GSL stream, same window and binning) gives a second uncertainty.
public enum EndpointFit {
    /// Treatment of the Gaussian resolution sigma (GeV).
    public enum Resolution: Sendable, Equatable {
        /// Fitted, starting from the value given (nil: 5% of the window).
        case free(initial: Double?)
        /// Held at this value (GeV, > 0).
        case fixed(Double)
    }

    public struct Options: Sendable {
        /// Fit window (GeV); nil: from the median to the 99.9% quantile plus a quarter of that span.
        public var window: ClosedRange<Double>?
        public var bins: Int
        public var resolution: Resolution
        /// Fit a flat background above the endpoint.
        public var background: Bool
        /// Bootstrap replicates (0: none).
        public var bootstrap: Int
        public var seed: UInt32

        public init(window: ClosedRange<Double>? = nil, bins: Int = 40, resolution: Resolution = .free(initial: nil),
                    background: Bool = true, bootstrap: Int = 50, seed: UInt32 = 1) {
            self.window = window; self.bins = bins; self.resolution = resolution
            self.background = background; self.bootstrap = bootstrap; self.seed = seed
        }
    }

    public struct Result: Sendable {
        /// Fitted endpoint M, GeV.
        public var endpoint: Double
        /// Standard error of M from the fit covariance, GeV.
        public var fitError: Double
        /// Standard deviation of M over bootstrap replicates, GeV (NaN without bootstrap).
        public var bootstrapError: Double
        /// Resolution sigma and its fit error, GeV.
        public var resolution: Double
        public var resolutionError: Double
        /// Edge slope A (events per GeV^2) and flat background B (events per GeV).
        public var slope: Double
        public var background: Double
        public var window: ClosedRange<Double>
        public var bins: Int
        /// Poisson deviance at the optimum and its degrees of freedom.
        public var deviance: Double
        public var degreesOfFreedom: Int
        public var converged: Bool
        /// Bootstrap replicates whose fit failed.
        public var bootstrapFailures: Int

        /// The quoted uncertainty: the bootstrap spread when available, else the fit error.
        public var uncertainty: Double { bootstrapError.isFinite ? bootstrapError : fitError }

        /// As a `MassEstimate` (uncertainty: `uncertainty`).
        public func estimate(name: String, how: String) -> MassEstimate {
            MassEstimate(name: name, value: endpoint, uncertainty: uncertainty, how: how)
        }
    }

    /// Fits the upper endpoint of the distribution of `values` (GeV). Throws
    /// `ExtractionError` for NaN/Inf values, an empty window, too few values or a failed fit.
    public static func fit(values: [Double], options: Options = Options()) throws -> Result {
        try ExtractionMath.checkFinite(values)
        guard values.count >= 20 else { throw ExtractionError.tooFewValues(found: values.count, needed: 20) }
        guard options.bins >= 5 else { throw ExtractionError.fitFailed("need at least 5 bins, got \(options.bins)") }
        let sorted = values.sorted()
        let window: ClosedRange<Double>
        if let w = options.window {
            window = w
        } else {
            let lo = ExtractionMath.quantile(sorted, 0.5), top = ExtractionMath.quantile(sorted, 0.999)
            window = lo...(top + 0.25 * (top - lo))
        }
        guard window.upperBound > window.lowerBound, window.lowerBound.isFinite, window.upperBound.isFinite else {
            throw ExtractionError.badWindow(lower: window.lowerBound, upper: window.upperBound)
        }
        let inWindow = sorted.filter { window.contains($0) }
        guard inWindow.count >= 20 else { throw ExtractionError.tooFewValues(found: inWindow.count, needed: 20) }
        let span = window.upperBound - window.lowerBound
        let m0 = min(ExtractionMath.quantile(inWindow, 0.98), window.upperBound - 0.05 * span)
        let edge = max(m0 - window.lowerBound, 0.05 * span)
        let sigma0: Double = switch options.resolution {
        case .free(let s): s ?? 0.05 * span
        case .fixed(let s): s
        }
        let start = Start(endpoint: m0, slope: 2 * Double(inWindow.count) / (edge * edge), sigma: sigma0,
                          background: 0.01 * Double(inWindow.count) / span)
        let model = EdgeModel(window: window, bins: options.bins, resolution: options.resolution, background: options.background)
        guard let main = model.fit(values, start: start) else { throw ExtractionError.fitFailed("endpoint fit did not converge") }
        var boot = Bootstrap.Result(replicates: [], mean: .nan, standardDeviation: .nan, failed: 0)
        if options.bootstrap > 1 {
            let from = Start(endpoint: main.endpoint, slope: main.slope, sigma: main.sigma, background: max(main.background, 1e-3))
            boot = Bootstrap.run(values: values, replicates: options.bootstrap, seed: options.seed) { v in
                model.fit(v, start: from)?.endpoint ?? .nan
            }
        }
        return Result(endpoint: main.endpoint, fitError: main.endpointError, bootstrapError: boot.standardDeviation,
                      resolution: main.sigma, resolutionError: main.sigmaError, slope: main.slope,
                      background: main.background, window: window, bins: options.bins, deviance: main.deviance,
                      degreesOfFreedom: options.bins - model.parameterCount, converged: main.converged,
                      bootstrapFailures: boot.failed)
    }

    struct Start { var endpoint: Double, slope: Double, sigma: Double, background: Double }

    struct Fitted {
        var endpoint: Double, endpointError: Double, slope: Double, sigma: Double, sigmaError: Double
        var background: Double, deviance: Double, converged: Bool
    }

    /// The edge model on a fixed window and binning. Parameters: [M, A, (sigma), (B)].
    struct EdgeModel {
        let window: ClosedRange<Double>
        let bins: Int
        let resolution: Resolution
        let background: Bool

        var freeSigma: Bool { if case .free = resolution { true } else { false } }
        var parameterCount: Int { 2 + (freeSigma ? 1 : 0) + (background ? 1 : 0) }

        /// Antiderivative in t = M - x of t Phi(t/s) + s phi(t/s): ((t^2 + s^2)/2) Phi(t/s) + (s t / 2) phi(t/s).
        @inline(__always)
        static func integral(_ t: Double, _ s: Double) -> Double {
            guard s > 0 else { return t > 0 ? 0.5 * t * t : 0 }
            let z = t / s
            return 0.5 * (t * t + s * s) * ExtractionMath.Phi(z) + 0.5 * s * t * ExtractionMath.phi(z)
        }

        var fixedSigma: Double { if case .fixed(let s) = resolution { s } else { 0 } }

        /// Expected counts per bin for parameters p.
        func expected(_ p: [Double]) -> [Double] {
            let w = (window.upperBound - window.lowerBound) / Double(bins), lo = window.lowerBound
            let m = p[0], a = p[1]
            let s = freeSigma ? abs(p[2]) : fixedSigma
            let b = background ? p[freeSigma ? 3 : 2] : 0
            var mu = [Double](repeating: 0, count: bins)
            var upper = Self.integral(m - lo, s)
            for k in 0..<bins {
                let next = Self.integral(m - (lo + Double(k + 1) * w), s)
                mu[k] = a * (upper - next) + b * w
                upper = next
            }
            return mu
        }

        func fit(_ values: [Double], start: Start) -> Fitted? {
            let h = FitHistogram(values, lower: window.lowerBound, upper: window.upperBound, bins: bins)
            guard h.total >= 20 else { return nil }
            var initial = [start.endpoint, start.slope]
            if freeSigma { initial.append(start.sigma) }
            if background { initial.append(start.background) }
            let counts = h.counts
            let expected = { (p: [Double]) -> [Double] in self.expected(p) }
            guard let sol = LeastSquares.fit(initial: initial, residualCount: bins, residuals: { p, r in
                let mu = expected(p)
                for k in 0..<mu.count { r[k] = LeastSquares.devianceResidual(observed: counts[k], expected: mu[k]) }
            }) else { return nil }
            let p = sol.parameters, np = p.count
            guard p.allSatisfy(\.isFinite) else { return nil }
            let cov = LeastSquares.poissonCovariance(at: p, expected: expected) ?? sol.covariance
            let sIndex = 2, bIndex = freeSigma ? 3 : 2
            return Fitted(endpoint: p[0], endpointError: cov[0].squareRoot(), slope: p[1],
                          sigma: freeSigma ? abs(p[sIndex]) : self.fixedSigma,
                          sigmaError: freeSigma ? cov[sIndex * np + sIndex].squareRoot() : 0,
                          background: background ? p[bIndex] : 0, deviance: sol.chi2, converged: sol.converged)
        }
    }
}
