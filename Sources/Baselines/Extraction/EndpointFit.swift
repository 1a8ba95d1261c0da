import Events
import Foundation

/// Upper-endpoint fit of a kinematic-variable distribution (MT2, M2, ...).
///
/// Model of the density in the fit window (`EndpointShape`): an edge A (m - x)^p below each
/// event's endpoint m, with m drawn from the parent's truncated relativistic Breit-Wigner of pole M
/// and width Gamma, smeared by a Gaussian resolution sigma, plus a flat background B. The
/// default p = 1/2 is the square-root edge of MT2 with a massless invisible particle; p = 1 with
/// Gamma = 0 is the straight-line edge, whose Gaussian convolution has the closed form
/// A [(M - x) Phi((M - x)/sigma) + sigma phi((M - x)/sigma)]. The model is integrated over each
/// bin. The width is a physics input (the parent's known width, as analyses take it), never
/// read from the sample; with the straight line and no width the fit reads MT2(l) endpoints of
/// ideal W decays 5-8% high, as the line bends to follow the Breit-Wigner tail. Fit: binned
/// Poisson maximum likelihood, done as least squares on deviance residuals with GSL's
/// trust-region solver; the covariance is the inverse expected Poisson Fisher information
/// sum_k (d mu_k)(d mu_k)^T / mu_k at the optimum. A bootstrap over the values (seeded
/// GSL stream, same window and binning) gives a second uncertainty.
public enum EndpointFit {
    /// Treatment of the Gaussian resolution sigma (GeV).
    public enum Resolution: Sendable, Equatable {
        /// Fitted, starting from the value given (nil: 5% of the window).
        case free(initial: Double?)
        /// Held at this value (GeV, >= 0; 0: no smearing, as for the ideal detector).
        case fixed(Double)
    }

    /// Treatment of the edge exponent p in A (m - x)^p (p > -1).
    public enum EdgePower: Sendable, Equatable {
        /// Held at this value: 0.5 for MT2 with a massless invisible particle, 1 for a straight line.
        case fixed(Double)
        /// Fitted, starting from the value given.
        case free(initial: Double)
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
        /// Edge exponent p (default: the square root of MT2 with a massless invisible particle).
        public var edgePower: EdgePower
        /// Breit-Wigner width Gamma of the parent whose mass is the endpoint (GeV; 0: narrow).
        /// An assumption of the fit (the parent's known width), not read from the sample.
        public var width: Double
        /// The Breit-Wigner is truncated at |m - M| < widthCutoff Gamma (the generator's window).
        public var widthCutoff: Double

        public init(window: ClosedRange<Double>? = nil, bins: Int = 40, resolution: Resolution = .free(initial: nil),
                    background: Bool = true, bootstrap: Int = 50, seed: UInt32 = 1,
                    edgePower: EdgePower = .fixed(0.5), width: Double = 0, widthCutoff: Double = 15) {
            self.window = window; self.bins = bins; self.resolution = resolution
            self.background = background; self.bootstrap = bootstrap; self.seed = seed
            self.edgePower = edgePower; self.width = width; self.widthCutoff = widthCutoff
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
        /// Edge amplitude A (events per GeV^(1 + p); the slope of a straight edge) and flat
        /// background B (events per GeV).
        public var slope: Double
        public var background: Double
        /// Edge exponent p and its fit error (0 when held).
        public var edgePower: Double
        public var edgePowerError: Double
        /// The assumed Breit-Wigner width and its truncation in widths (GeV, widths).
        public var width: Double
        public var widthCutoff: Double
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

        /// The fitted density at x (events per GeV), for drawing the fit over its histogram.
        public func density(at x: Double) -> Double {
            EndpointShape(endpoint: endpoint, amplitude: slope, power: edgePower, sigma: resolution,
                          background: background, width: width, cutoff: widthCutoff).density(at: x)
        }

        /// As a `MassEstimate` (uncertainty: `uncertainty`).
        public func estimate(name: String, how: String) -> MassEstimate {
            MassEstimate(name: name, value: endpoint, uncertainty: uncertainty, how: how)
        }
    }

    /// Fits the upper endpoint of the distribution of `values` (GeV). Throws
    /// `ExtractionError` for NaN/Inf values, an empty window, too few values or a failed fit.
    public static func fit(values: [Double], options: Options = Options()) throws -> Result {
        try fit(values: values, weights: nil, options: options)
    }

    /// As `fit(values:options:)` with a weight per value (an imported sample's event weights,
    /// negative ones included): the histogram holds the sum of the weights per bin, and its
    /// variance the sum of their squares (scaled Poisson: bin k's deviance is taken on
    /// counts / s_k, s_k = sum w^2 / sum w, so a uniform weight changes nothing but the amplitude);
    /// a bin with a negative sum counts as empty. The default window and the start values come
    /// from the values alone. Weights nil or all 1: exactly the unweighted fit.
    public static func fit(values: [Double], weights: [Double]?, options: Options = Options()) throws -> Result {
        try ExtractionMath.checkFinite(values)
        let weights = weightsMatter(weights) ? weights : nil
        if let weights {
            guard weights.count == values.count else {
                throw ExtractionError.fitFailed("\(weights.count) weights for \(values.count) values")
            }
            try ExtractionMath.checkFinite(weights)
        }
        guard values.count >= 20 else { throw ExtractionError.tooFewValues(found: values.count, needed: 20) }
        guard options.bins >= 5 else { throw ExtractionError.fitFailed("need at least 5 bins, got \(options.bins)") }
        guard options.width >= 0, options.width.isFinite, options.widthCutoff > 0, options.widthCutoff.isFinite else {
            throw ExtractionError.fitFailed("Breit-Wigner width \(options.width) GeV and cutoff \(options.widthCutoff) widths must be >= 0 and > 0")
        }
        if case .fixed(let p) = options.edgePower, !(p > -1 && p.isFinite) {
            throw ExtractionError.fitFailed("edge exponent \(p) must be above -1")
        }
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
        let p0: Double = switch options.edgePower {
        case .fixed(let p): p
        case .free(let p): p
        }
        var model = EdgeModel(window: window, bins: options.bins, resolution: options.resolution, background: options.background,
                              power: options.edgePower, width: options.width, cutoff: options.widthCutoff)
        // Events in the window, in weight units when weighted.
        let windowTotal = weights.map { w in zip(values, w).reduce(0) { window.contains($1.0) ? $0 + $1.1 : $0 } }
            ?? Double(inWindow.count)
        guard windowTotal > 0 else { throw ExtractionError.fitFailed("the weights in the window [\(window.lowerBound), \(window.upperBound)] sum to \(windowTotal)") }
        let background0 = 0.01 * windowTotal / span
        // The straight edge's start as before; another edge's amplitude scaled to the events in the window.
        var amplitude0 = 2 * windowTotal / (edge * edge)
        if !(p0 == 1 && options.width == 0) {
            let unit = EndpointShape(endpoint: m0, amplitude: 1, power: p0, sigma: abs(sigma0), background: 0,
                                     width: options.width, cutoff: options.widthCutoff)
                .binCounts(lower: window.lowerBound, binWidth: span / Double(options.bins), bins: options.bins).reduce(0, +)
            if unit > 0 { amplitude0 = max(windowTotal - background0 * span, 1e-3 * windowTotal) / unit }
        }
        let start = Start(endpoint: m0, slope: amplitude0, power: p0, sigma: sigma0, background: background0)
        guard var main = model.fit(values, weights: weights, start: start) else { throw ExtractionError.fitFailed("endpoint fit did not converge") }
        // A free resolution that runs to zero (ideal samples) sits on the boundary sigma = 0, where
        // sigma = |p| has no slope and the solver crawls without meeting its tolerances: hold it
        // at zero and fit again (the same minimum, one parameter fewer).
        if case .free = options.resolution, !main.converged, main.sigma < 1e-3 * span / Double(options.bins) {
            let narrow = EdgeModel(window: window, bins: options.bins, resolution: .fixed(0), background: options.background,
                                   power: options.edgePower, width: options.width, cutoff: options.widthCutoff)
            let from = Start(endpoint: main.endpoint, slope: main.slope, power: main.power, sigma: 0, background: main.background)
            if let refit = narrow.fit(values, weights: weights, start: from) { model = narrow; main = refit }
        }
        var boot = Bootstrap.Result(replicates: [], mean: .nan, standardDeviation: .nan, failed: 0)
        if options.bootstrap > 1 {
            let from = Start(endpoint: main.endpoint, slope: main.slope, power: main.power, sigma: main.sigma,
                             background: max(main.background, 1e-3))
            let fitted = model
            if let weights {
                boot = Bootstrap.run(values: values, weights: weights, replicates: options.bootstrap, seed: options.seed) { v, w in
                    fitted.fit(v, weights: w, start: from)?.endpoint ?? .nan
                }
            } else {
                boot = Bootstrap.run(values: values, replicates: options.bootstrap, seed: options.seed) { v in
                    fitted.fit(v, weights: nil, start: from)?.endpoint ?? .nan
                }
            }
        }
        return Result(endpoint: main.endpoint, fitError: main.endpointError, bootstrapError: boot.standardDeviation,
                      resolution: main.sigma, resolutionError: main.sigmaError, slope: main.slope,
                      background: main.background, edgePower: main.power, edgePowerError: main.powerError,
                      width: options.width, widthCutoff: options.widthCutoff, window: window, bins: options.bins,
                      deviance: main.deviance, degreesOfFreedom: options.bins - model.parameterCount,
                      converged: main.converged, bootstrapFailures: boot.failed)
    }

    struct Start { var endpoint: Double, slope: Double, power: Double, sigma: Double, background: Double }

    struct Fitted {
        var endpoint: Double, endpointError: Double, slope: Double, power: Double, powerError: Double
        var sigma: Double, sigmaError: Double, background: Double, deviance: Double, converged: Bool
    }

    /// The edge model on a fixed window and binning. Parameters: [M, A, (p), (sigma), (B)].
    struct EdgeModel {
        let window: ClosedRange<Double>
        let bins: Int
        let resolution: Resolution
        let background: Bool
        let power: EdgePower
        let width: Double
        let cutoff: Double

        var freeSigma: Bool { if case .free = resolution { true } else { false } }
        var freePower: Bool { if case .free = power { true } else { false } }
        var parameterCount: Int { 2 + (freePower ? 1 : 0) + (freeSigma ? 1 : 0) + (background ? 1 : 0) }
        var powerIndex: Int { 2 }
        var sigmaIndex: Int { 2 + (freePower ? 1 : 0) }
        var backgroundIndex: Int { sigmaIndex + (freeSigma ? 1 : 0) }

        var fixedSigma: Double { if case .fixed(let s) = resolution { s } else { 0 } }
        var fixedPower: Double { if case .fixed(let p) = power { p } else { 1 } }

        /// The shape for parameters p; a free exponent is kept above -0.9 (the edge stays integrable).
        func shape(_ p: [Double]) -> EndpointShape {
            EndpointShape(endpoint: p[0], amplitude: p[1], power: freePower ? max(p[powerIndex], -0.9) : fixedPower,
                          sigma: freeSigma ? abs(p[sigmaIndex]) : fixedSigma,
                          background: background ? p[backgroundIndex] : 0, width: width, cutoff: cutoff)
        }

        /// Expected counts per bin for parameters p.
        func expected(_ p: [Double]) -> [Double] {
            let w = (window.upperBound - window.lowerBound) / Double(bins)
            return shape(p).binCounts(lower: window.lowerBound, binWidth: w, bins: bins)
        }

        func fit(_ values: [Double], weights: [Double]?, start: Start) -> Fitted? {
            let h = FitHistogram(values, weights: weights, lower: window.lowerBound, upper: window.upperBound, bins: bins)
            let scales = h.scales
            // Effective events (sum w)^2 / sum w^2 for a weighted histogram.
            let entries = h.sumW2.map { w2 in h.total * h.total / max(w2.reduce(0, +), .leastNormalMagnitude) } ?? h.total
            guard entries >= 20 else { return nil }
            var initial = [start.endpoint, start.slope]
            if freePower { initial.append(start.power) }
            if freeSigma { initial.append(start.sigma) }
            if background { initial.append(start.background) }
            let counts = h.counts
            let expected = { (p: [Double]) -> [Double] in self.expected(p) }
            guard let sol = LeastSquares.fit(initial: initial, residualCount: bins, residuals: { p, r in
                let mu = expected(p)
                if let scales {
                    for k in 0..<mu.count {
                        r[k] = LeastSquares.devianceResidual(observed: counts[k] / scales[k], expected: mu[k] / scales[k])
                    }
                } else {
                    for k in 0..<mu.count { r[k] = LeastSquares.devianceResidual(observed: counts[k], expected: mu[k]) }
                }
            }) else { return nil }
            let p = sol.parameters, np = p.count
            guard p.allSatisfy(\.isFinite) else { return nil }
            let cov = LeastSquares.poissonCovariance(at: p, scales: scales, expected: expected) ?? sol.covariance
            let s = shape(p)
            return Fitted(endpoint: p[0], endpointError: cov[0].squareRoot(), slope: p[1], power: s.power,
                          powerError: freePower ? cov[powerIndex * np + powerIndex].squareRoot() : 0, sigma: s.sigma,
                          sigmaError: freeSigma ? cov[sigmaIndex * np + sigmaIndex].squareRoot() : 0,
                          background: s.background, deviance: sol.chi2, converged: sol.converged)
        }
    }
}
