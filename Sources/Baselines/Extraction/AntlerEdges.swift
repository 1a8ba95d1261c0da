import Foundation

/// Cusp and endpoint of the visible invariant mass m(a1 a2) in the antler topology
/// D -> B1 B2, B_i -> a_i C_i with massless visibles (Han, Kim, Song, arXiv:0906.5009).
///
/// With E0 = (m_B^2 - m_C^2) / (2 m_B), the visible energy in the B rest frame, and eta the
/// rapidity of each B in the D rest frame (cosh eta = m_D / (2 m_B)):
/// cusp = 2 E0 e^-eta (both visibles emitted backwards, back to back) and
/// endpoint = 2 E0 e^+eta (both forwards). The distribution rises from 0 to the cusp and falls
/// to zero at the endpoint. Inversion with m_C given: E0 = sqrt(cusp * endpoint) / 2,
/// e^(2 eta) = endpoint / cusp, m_B = E0 + sqrt(E0^2 + m_C^2), m_D = 2 m_B cosh eta.
public struct AntlerEdges: Sendable, Equatable {
    /// Cusp position, GeV.
    public var cusp: Double
    /// Upper endpoint, GeV.
    public var endpoint: Double

    public init(cusp: Double, endpoint: Double) {
        self.cusp = cusp; self.endpoint = endpoint
    }

    /// Closed-form positions for masses (GeV); nil unless m_D > 2 m_B and m_B > m_C >= 0.
    public init?(mD: Double, mB: Double, mC: Double) {
        guard mD >= 2 * mB, mB > mC, mC >= 0 else { return nil }
        let e0 = (mB * mB - mC * mC) / (2 * mB)
        let gamma = mD / (2 * mB), eta = acosh(gamma)
        self.init(cusp: 2 * e0 * exp(-eta), endpoint: 2 * e0 * exp(eta))
    }

    /// Visible energy in the B rest frame, GeV.
    public var restEnergy: Double { 0.5 * (cusp * endpoint).squareRoot() }
    /// Rapidity of each B in the D rest frame.
    public var rapidity: Double { 0.5 * log(endpoint / cusp) }

    /// (m_D, m_B) for a given m_C (GeV); nil when the edges are not positive and ordered.
    public func masses(mC: Double) -> (mD: Double, mB: Double)? {
        guard cusp > 0, endpoint >= cusp, mC >= 0 else { return nil }
        let e0 = restEnergy
        let mB = e0 + (e0 * e0 + mC * mC).squareRoot()
        return (2 * mB * cosh(rapidity), mB)
    }

    /// Cumulative distribution of m(a1 a2) at `m` (GeV) for isotropic decays, optionally smeared
    /// by a Gaussian resolution (GeV). In the D frame, with c_i the cosine of a_i's emission
    /// angle relative to its parent's direction (in the B rest frame) and dphi their relative
    /// azimuth, m^2 / (2 E0^2) = P - Q cos(dphi) with
    /// P = gamma^2 [(1 + beta^2)(1 - c1 c2) + 2 beta (c1 - c2)] (c2 measured along -z) and
    /// Q = sqrt((1 - c1^2)(1 - c2^2)). The dphi integral is done analytically
    /// (Pr(cos dphi >= t) = arccos(t) / pi), the (c1, c2) integral by a midpoint rule.
    public func cdf(_ m: Double, resolution: Double = 0) -> Double {
        AntlerShape(edges: self, nodes: 96).cdf(m, resolution: resolution)
    }
}

/// The integration behind `AntlerEdges.cdf` for one set of edges.
///
/// For fixed c1 and u = m^2 / (2 E0^2), P - u is linear in c2 and Q^2 quadratic, so the points
/// where |P - u| = Q (the limits of the arccos region) are the roots of a quadratic in c2.
/// Outside them the dphi probability is 0 or 1; inside, arccos((P - u)/Q)/pi is integrated by
/// Gauss-Legendre after the substitution c2 = mid - half cos(theta), which removes the
/// square-root behaviour at the limits. The c1 integral is a midpoint rule.
struct AntlerShape {
    let gamma2: Double, beta: Double, twoE02: Double
    let outerNodes: Int

    init(edges: AntlerEdges, nodes: Int) {
        let eta = edges.rapidity
        let gamma = cosh(eta)
        gamma2 = gamma * gamma
        beta = tanh(eta)
        let e0 = edges.restEnergy
        twoE02 = 2 * e0 * e0
        outerNodes = nodes
    }

    /// Unsmeared CDF at m.
    func cdf(_ m: Double) -> Double {
        guard m > 0 else { return 0 }
        let u = m * m / twoE02
        let b2 = 1 + beta * beta
        var total = 0.0
        for i in 0..<outerNodes {
            let c1 = -1 + (2 * Double(i) + 1) / Double(outerNodes)
            let s12 = 1 - c1 * c1
            // P(c2) - u = d + a1 c2.
            let d = gamma2 * (b2 + 2 * beta * c1) - u
            let a1 = -gamma2 * (b2 * c1 + 2 * beta)
            // (d + a1 c2)^2 = s12 (1 - c2^2): A c2^2 + B c2 + C = 0.
            let qa = a1 * a1 + s12, qb = 2 * d * a1, qc = d * d - s12
            let disc = qb * qb - 4 * qa * qc
            var inner = 0.0
            if disc <= 0 {
                inner = d + a1 * 0 < 0 ? 2 : 0
            } else {
                let root = disc.squareRoot()
                let r1 = max(-1, (-qb - root) / (2 * qa)), r2 = min(1, (-qb + root) / (2 * qa))
                if r1 >= r2 {
                    inner = d < 0 ? 2 : 0
                } else {
                    // Outer pieces: probability 1 where P - u < -Q.
                    if r1 > -1 && d + a1 * (0.5 * (r1 - 1)) < 0 { inner += r1 + 1 }
                    if r2 < 1 && d + a1 * (0.5 * (r2 + 1)) < 0 { inner += 1 - r2 }
                    let mid = 0.5 * (r1 + r2), half = 0.5 * (r2 - r1)
                    var sum = 0.0
                    for k in 0..<GaussLegendre.nodes.count {
                        let theta = 0.5 * Double.pi * (GaussLegendre.nodes[k] + 1)
                        let c2 = mid - half * cos(theta)
                        let q = (s12 * max(1 - c2 * c2, 0)).squareRoot()
                        let t = q > 0 ? (d + a1 * c2) / q : (d + a1 * c2 < 0 ? -1 : 1)
                        sum += GaussLegendre.weights[k] * acos(min(1, max(-1, t))) * sin(theta)
                    }
                    inner += half * 0.5 * Double.pi * sum / Double.pi
                }
            }
            total += 0.5 * inner
        }
        return total / Double(outerNodes)
    }

    /// CDF smeared by a Gaussian of width `resolution` (5-point Gauss-Hermite).
    func cdf(_ m: Double, resolution: Double) -> Double {
        guard resolution > 0 else { return cdf(m) }
        // Gauss-Hermite nodes and weights, n = 5 (Abramowitz & Stegun table 25.10).
        let nodes = (2.020182870456086, 0.9585724646138185)
        let weights = (0.01995324205904591, 0.3936193231522412, 0.9453087204829419)
        let s = 2.0.squareRoot() * resolution
        let sum = weights.0 * (cdf(m - s * nodes.0) + cdf(m + s * nodes.0))
            + weights.1 * (cdf(m - s * nodes.1) + cdf(m + s * nodes.1)) + weights.2 * cdf(m)
        return sum / Double.pi.squareRoot()
    }
}

/// 12-point Gauss-Legendre rule on [-1, 1], computed once by Newton's method on P_12.
enum GaussLegendre {
    static let rule: (nodes: [Double], weights: [Double]) = {
        let n = 12
        var x = [Double](repeating: 0, count: n), w = [Double](repeating: 0, count: n)
        for i in 0..<n {
            var z = cos(Double.pi * (Double(i) + 0.75) / (Double(n) + 0.5))
            var dp = 0.0
            for _ in 0..<100 {
                var p0 = 1.0, p1 = z
                for k in 2...n {
                    let p2 = ((2 * Double(k) - 1) * z * p1 - (Double(k) - 1) * p0) / Double(k)
                    p0 = p1; p1 = p2
                }
                dp = Double(n) * (z * p1 - p0) / (z * z - 1)
                let dz = p1 / dp
                z -= dz
                if abs(dz) < 1e-15 { break }
            }
            x[i] = z
            w[i] = 2 / ((1 - z * z) * dp * dp)
        }
        return (x, w)
    }()
    static var nodes: [Double] { rule.nodes }
    static var weights: [Double] { rule.weights }
}
