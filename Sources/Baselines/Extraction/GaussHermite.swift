import Foundation

/// Gauss-Hermite quadrature for the standard normal weight: sum_i w_i f(z_i) approximates
/// E[f(Z)], Z ~ N(0, 1), exactly for polynomials of degree up to 2n - 1. The nodes are the
/// roots of the probabilists' Hermite polynomial He_n (recurrence He_{k+1} = z He_k - k He_{k-1}),
/// bracketed on a fine grid and bisected; the weights n! / (n He_{n-1}(z_i))^2 sum to 1.
enum GaussHermite {
    struct Rule: Sendable { let nodes: [Double], weights: [Double] }

    /// (He_n(z), He_{n-1}(z)).
    static func hermite(_ n: Int, _ z: Double) -> (Double, Double) {
        var previous = 1.0, current = z
        if n == 0 { return (1, 0) }
        for k in 1..<n {
            let next = z * current - Double(k) * previous
            previous = current; current = next
        }
        return (current, previous)
    }

    /// The n-point rule (1 <= n <= 40).
    static func rule(_ n: Int) -> Rule {
        precondition(n >= 1 && n <= 40, "Gauss-Hermite rule of \(n) points")
        if n == 1 { return Rule(nodes: [0], weights: [1]) }
        // Every root of He_n lies within |z| < sqrt(4n + 2); the grid step is far below their spacing.
        let bound = (4 * Double(n) + 2).squareRoot() + 1, steps = 400 * n
        var roots: [Double] = []
        var a = -bound, fa = hermite(n, a).0
        for i in 1...steps {
            let b = -bound + 2 * bound * Double(i) / Double(steps), fb = hermite(n, b).0
            if fa == 0 { roots.append(a) } else if fa * fb < 0 {
                var lo = a, hi = b, flo = fa
                for _ in 0..<80 {
                    let mid = 0.5 * (lo + hi), fm = hermite(n, mid).0
                    if (fm < 0) == (flo < 0) { lo = mid; flo = fm } else { hi = mid }
                }
                roots.append(0.5 * (lo + hi))
            }
            a = b; fa = fb
        }
        var factorial = 1.0
        for k in 1...n { factorial *= Double(k) }
        let weights = roots.map { z -> Double in
            let h = hermite(n, z).1
            return factorial / (Double(n * n) * h * h)
        }
        return Rule(nodes: roots, weights: weights)
    }

    /// The rule the endpoint fit folds its Gaussian resolution with.
    static let twelve = rule(12)
}
