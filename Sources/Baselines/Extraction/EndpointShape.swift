import Foundation

/// The density an endpoint fit describes, near the upper end of a kinematic variable x (GeV):
///
///   f(x) = A E[(m + sigma Z - x)_+^p] + B,
///
/// an edge A (m - x)^p below each event's own endpoint m, averaged over the endpoints: m follows
/// the relativistic Breit-Wigner of the parent, density proportional to
/// 1 / ((m^2 - M^2)^2 + M^2 Gamma^2), truncated to |m - M| < cutoff Gamma as the event generator
/// truncates it (Gamma = 0: every m is M), and Z ~ N(0, 1) is the detector resolution sigma
/// (Gaussian smearing of x is a shift of the edge). B is a flat background (events per GeV).
///
/// p = 1 is the generic linear edge; p = 1/2 is the square-root edge of MT2 with a massless
/// invisible particle (its distribution vanishes as sqrt(m - x) at the endpoint, as the events
/// of the t-tbar and H -> WW cards show). The expectation is taken by quadrature: midpoints of
/// the Breit-Wigner's inverse CDF (its tan mapping, 64 points) times 12-point Gauss-Hermite.
/// With p = 1 and Gamma = 0 the closed form A [t Phi(t/sigma) + sigma phi(t/sigma)], t = M - x,
/// is used instead.
struct EndpointShape: Sendable {
    /// Pole mass M (GeV): the endpoint of the narrow-width distribution.
    var endpoint: Double
    /// Edge amplitude A (events per GeV^(1 + p)).
    var amplitude: Double
    /// Edge exponent p (> -1).
    var power: Double
    /// Gaussian resolution sigma (GeV, >= 0).
    var sigma: Double
    /// Flat background B (events per GeV).
    var background: Double
    /// Breit-Wigner width Gamma of the parent (GeV, >= 0) and its truncation in widths.
    var width: Double
    var cutoff: Double

    static let breitWignerPoints = 64

    var isLinearNarrow: Bool { power == 1 && width == 0 }

    /// Endpoints m + sigma z and their probabilities.
    func endpointNodes() -> (m: [Double], w: [Double]) {
        var masses: [Double] = [endpoint], weights: [Double] = [1]
        if width > 0 {
            let n = Self.breitWignerPoints, mg = endpoint * width, m2 = endpoint * endpoint
            let lo = max(endpoint - cutoff * width, 0), hi = endpoint + cutoff * width
            let tLo = atan((lo * lo - m2) / mg), tHi = atan((hi * hi - m2) / mg)
            masses = (0..<n).map { j in
                let u = (Double(j) + 0.5) / Double(n)
                return max(m2 + mg * tan(tLo + u * (tHi - tLo)), 0).squareRoot()
            }
            weights = [Double](repeating: 1 / Double(n), count: n)
        }
        guard sigma > 0 else { return (masses, weights) }
        let rule = GaussHermite.twelve
        var m: [Double] = [], w: [Double] = []
        m.reserveCapacity(masses.count * rule.nodes.count); w.reserveCapacity(m.capacity)
        for (mj, wj) in zip(masses, weights) {
            for (z, v) in zip(rule.nodes, rule.weights) { m.append(mj + sigma * z); w.append(wj * v) }
        }
        return (m, w)
    }

    /// t_+^q / q with q = p + 1: the integral of the edge from x = m - t up to its endpoint m.
    @inline(__always)
    static func edgeIntegral(_ t: Double, _ q: Double) -> Double {
        guard t > 0 else { return 0 }
        if q == 1.5 { return t * t.squareRoot() / 1.5 }
        if q == 2 { return 0.5 * t * t }
        return pow(t, q) / q
    }

    /// Expected counts in `bins` bins of width `binWidth` from `lower` (GeV).
    func binCounts(lower: Double, binWidth: Double, bins: Int) -> [Double] {
        var mu = [Double](repeating: 0, count: bins)
        if isLinearNarrow {
            var upper = Self.linearIntegral(endpoint - lower, sigma)
            for k in 0..<bins {
                let next = Self.linearIntegral(endpoint - (lower + Double(k + 1) * binWidth), sigma)
                mu[k] = amplitude * (upper - next) + background * binWidth
                upper = next
            }
            return mu
        }
        let (m, w) = endpointNodes(), q = power + 1
        // Integral of the edge above each bin edge.
        var above = [Double](repeating: 0, count: bins + 1)
        for j in 0..<m.count {
            // Edges rise, so t = m - e falls: the first edge above the endpoint ends the loop.
            for k in 0...bins {
                let t = m[j] - (lower + Double(k) * binWidth)
                if t <= 0 { break }
                above[k] += w[j] * Self.edgeIntegral(t, q)
            }
        }
        for k in 0..<bins { mu[k] = amplitude * (above[k] - above[k + 1]) + background * binWidth }
        return mu
    }

    /// The density at x (events per GeV).
    func density(at x: Double) -> Double {
        if isLinearNarrow {
            let t = endpoint - x
            guard sigma > 0 else { return (t > 0 ? amplitude * t : 0) + background }
            let z = t / sigma
            return amplitude * (t * ExtractionMath.Phi(z) + sigma * ExtractionMath.phi(z)) + background
        }
        let (m, w) = endpointNodes()
        var s = 0.0
        for j in 0..<m.count where m[j] > x { s += w[j] * pow(m[j] - x, power) }
        return amplitude * s + background
    }

    /// Antiderivative in t = M - x of t Phi(t/s) + s phi(t/s): ((t^2 + s^2)/2) Phi(t/s) + (s t / 2) phi(t/s).
    @inline(__always)
    static func linearIntegral(_ t: Double, _ s: Double) -> Double {
        guard s > 0 else { return t > 0 ? 0.5 * t * t : 0 }
        let z = t / s
        return 0.5 * (t * t + s * s) * ExtractionMath.Phi(z) + 0.5 * s * t * ExtractionMath.phi(z)
    }
}
