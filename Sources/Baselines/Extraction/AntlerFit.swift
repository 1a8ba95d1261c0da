import Core
import Events
import Foundation

/// Fit of the cusp and endpoint of an antler m(a1 a2) distribution with the exact shape of
/// `AntlerEdges.cdf` (massless visibles, isotropic decays), optionally smeared by a known
/// Gaussian resolution. Binned Poisson maximum likelihood over [0, window] with parameters
/// (cusp, endpoint, normalisation), via least squares on deviance residuals (GSL trust region);
/// covariance from the inverse expected Poisson Fisher information, and a bootstrap over the values.
public enum AntlerFit {
    public struct Options: Sendable {
        /// Upper edge of the fit window, GeV; nil: 1.05 x the largest value (+ 3 resolutions).
        public var upper: Double?
        public var bins: Int
        /// Known Gaussian resolution of m(a1 a2), GeV (0: none).
        public var resolution: Double
        /// Bootstrap replicates (0: none).
        public var bootstrap: Int
        public var seed: UInt32

        public init(upper: Double? = nil, bins: Int = 50, resolution: Double = 0, bootstrap: Int = 30, seed: UInt32 = 1) {
            self.upper = upper; self.bins = bins; self.resolution = resolution; self.bootstrap = bootstrap; self.seed = seed
        }
    }

    public struct Result: Sendable {
        public var edges: AntlerEdges
        /// Fit-covariance errors of cusp and endpoint, GeV, and their correlation coefficient.
        public var cuspError: Double
        public var endpointError: Double
        public var correlation: Double
        /// Bootstrap replicates of the edges (empty without bootstrap).
        public var bootstrapEdges: [AntlerEdges]
        public var converged: Bool

        /// (m_D, m_B) with m_C given, GeV, and their uncertainties: the bootstrap spread when
        /// available, else the fit covariance propagated through the inversion.
        public func masses(mC: Double) -> (mD: Double, mB: Double, mDError: Double, mBError: Double)? {
            guard let m = edges.masses(mC: mC) else { return nil }
            if bootstrapEdges.count > 1 {
                let reps = bootstrapEdges.compactMap { $0.masses(mC: mC) }
                let d = Bootstrap.summarize(reps.map(\.mD)), b = Bootstrap.summarize(reps.map(\.mB))
                return (m.mD, m.mB, d.standardDeviation, b.standardDeviation)
            }
            // Linear propagation with a numerical Jacobian.
            let hc = 1e-6 * edges.cusp, he = 1e-6 * edges.endpoint
            guard let c = AntlerEdges(cusp: edges.cusp + hc, endpoint: edges.endpoint).masses(mC: mC),
                  let e = AntlerEdges(cusp: edges.cusp, endpoint: edges.endpoint + he).masses(mC: mC) else { return nil }
            func propagate(_ dc: Double, _ de: Double) -> Double {
                let v = dc * dc * cuspError * cuspError + de * de * endpointError * endpointError
                    + 2 * dc * de * correlation * cuspError * endpointError
                return max(v, 0).squareRoot()
            }
            return (m.mD, m.mB, propagate((c.mD - m.mD) / hc, (e.mD - m.mD) / he),
                    propagate((c.mB - m.mB) / hc, (e.mB - m.mB) / he))
        }
    }

    /// Fits cusp and endpoint of the m(a1 a2) values (GeV). Throws `ExtractionError`.
    public static func fit(values: [Double], options: Options = Options()) throws -> Result {
        try fit(values: values, weights: nil, options: options)
    }

    /// As `fit(values:options:)` with a weight per value (negative ones included): sum of the
    /// weights per bin with scaled-Poisson variances (as `EndpointFit`), bootstrap replicates keep
    /// each drawn event's weight. Weights nil or all 1: exactly the unweighted fit.
    public static func fit(values: [Double], weights: [Double]?, options: Options = Options()) throws -> Result {
        try ExtractionMath.checkFinite(values)
        let weights = weightsMatter(weights) ? weights : nil
        if let weights {
            guard weights.count == values.count else {
                throw ExtractionError.fitFailed("\(weights.count) weights for \(values.count) values")
            }
            try ExtractionMath.checkFinite(weights)
        }
        guard values.count >= 50 else { throw ExtractionError.tooFewValues(found: values.count, needed: 50) }
        guard options.bins >= 8 else { throw ExtractionError.fitFailed("need at least 8 bins, got \(options.bins)") }
        let top = values.max()!
        let upper = options.upper ?? (1.05 * top + 3 * options.resolution)
        guard upper > 0 else { throw ExtractionError.badWindow(lower: 0, upper: upper) }
        // Start: endpoint at the largest value, cusp at the mode of a smoothed histogram.
        let h = FitHistogram(values, weights: weights, lower: 0, upper: upper, bins: options.bins)
        var mode = 0, best = -1.0
        for k in 0..<h.bins {
            let c = h.counts[max(k - 1, 0)] + h.counts[k] + h.counts[min(k + 1, h.bins - 1)]
            if c > best { best = c; mode = k }
        }
        let start = (cusp: max(h.center(mode), 1e-3 * top), endpoint: top, norm: h.total)
        guard let main = fitOnce(values, weights: weights, upper: upper, bins: options.bins, resolution: options.resolution,
                                 start: start) else {
            throw ExtractionError.fitFailed("antler cusp/endpoint fit did not converge")
        }
        var reps: [AntlerEdges] = []
        if options.bootstrap > 1 {
            let stream = RandomStream(seed: options.seed == 0 ? 1 : options.seed)
            var v = [Double](repeating: 0, count: values.count)
            var w: [Double]? = weights.map { _ in [Double](repeating: 0, count: values.count) }
            for _ in 0..<options.bootstrap {
                for j in 0..<values.count {
                    let i = Int(stream.integer(below: UInt(values.count)))
                    v[j] = values[i]
                    if let weights { w![j] = weights[i] }
                }
                let from = (cusp: main.edges.cusp, endpoint: main.edges.endpoint, norm: weights == nil ? Double(values.count) : h.total)
                if let r = fitOnce(v, weights: w, upper: upper, bins: options.bins, resolution: options.resolution, start: from) {
                    reps.append(r.edges)
                }
            }
        }
        return Result(edges: main.edges, cuspError: main.cuspError, endpointError: main.endpointError,
                      correlation: main.correlation, bootstrapEdges: reps, converged: main.converged)
    }

    struct Fitted { var edges: AntlerEdges, cuspError: Double, endpointError: Double, correlation: Double, converged: Bool }

    static func fitOnce(_ values: [Double], weights: [Double]?, upper: Double, bins: Int, resolution: Double,
                        start: (cusp: Double, endpoint: Double, norm: Double)) -> Fitted? {
        let h = FitHistogram(values, weights: weights, lower: 0, upper: upper, bins: bins)
        let counts = h.counts, w = h.width, scales = h.scales
        let expected = { (p: [Double]) -> [Double] in
            let c = abs(p[0]), e = abs(p[1])
            let shape = AntlerShape(edges: AntlerEdges(cusp: min(c, e), endpoint: max(c, e)), nodes: 64)
            var mu = [Double](repeating: 0, count: bins)
            var below = shape.cdf(0, resolution: resolution)
            for k in 0..<bins {
                let next = shape.cdf(Double(k + 1) * w, resolution: resolution)
                mu[k] = p[2] * (next - below)
                below = next
            }
            return mu
        }
        guard let sol = LeastSquares.fit(initial: [start.cusp, start.endpoint, start.norm], residualCount: bins,
                                         residuals: { p, r in
            let mu = expected(p)
            if let scales {
                for k in 0..<bins { r[k] = LeastSquares.devianceResidual(observed: counts[k] / scales[k], expected: mu[k] / scales[k]) }
            } else {
                for k in 0..<bins { r[k] = LeastSquares.devianceResidual(observed: counts[k], expected: mu[k]) }
            }
        }) else { return nil }
        let p = sol.parameters
        guard p.allSatisfy(\.isFinite), p[0] != 0, p[1] != 0 else { return nil }
        let swapped = abs(p[0]) > abs(p[1])
        let cov = LeastSquares.poissonCovariance(at: p, scales: scales, expected: expected) ?? sol.covariance
        let ec = cov[0].squareRoot(), ee = cov[4].squareRoot()
        let rho = ec > 0 && ee > 0 ? cov[1] / (ec * ee) : 0
        return Fitted(edges: AntlerEdges(cusp: min(abs(p[0]), abs(p[1])), endpoint: max(abs(p[0]), abs(p[1]))),
                      cuspError: swapped ? ee : ec, endpointError: swapped ? ec : ee, correlation: rho,
                      converged: sol.converged)
    }
}
