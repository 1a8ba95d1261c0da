import Core
import Foundation
import Testing
@testable import Generation

/// The ziggurat Gaussian of `EventRandom` against the normal distribution.
@Suite struct ZigguratTests {
    /// Standard normal CDF, Phi(x) = erfc(-x / sqrt 2) / 2.
    static func phi(_ x: Double) -> Double { 0.5 * erfc(-x / 2.0.squareRoot()) }

    /// The tables close: every layer has area v, the top one included, and the base strip plus
    /// the tail beyond r has area v (r, v solved with mpmath, see `Ziggurat`).
    @Test func layersHaveEqualArea() {
        let z = Ziggurat.shared
        let f = { (x: Double) in Foundation.exp(-0.5 * x * x) }
        let v = Ziggurat.v, r = Ziggurat.r
        // Base strip + tail: r f(r) + sqrt(pi/2) erfc(r / sqrt 2).
        #expect(abs(r * f(r) + (Double.pi / 2).squareRoot() * erfc(r / 2.0.squareRoot()) - v) < 1e-15)
        #expect(abs(z.boundary(0) * f(r) - v) < 1e-15)
        for i in 1..<127 {
            #expect(abs(z.boundary(i) * (f(z.boundary(i + 1)) - f(z.boundary(i))) - v) < 1e-14, "layer \(i)")
        }
        #expect(abs(z.boundary(127) * (1 - f(z.boundary(127))) - v) < 1e-12, "top layer")
    }

    /// KS test of 1e5 draws against Phi, for both generator algorithms; moments.
    @Test(arguments: [RandomAlgorithm.taus2, .mt19937])
    func matchesTheNormalCDF(algorithm: RandomAlgorithm) {
        var rng = EventRandom(algorithm: algorithm, seed: 2718)
        let n = 100_000
        let g = (0..<n).map { _ in rng.gaussian() }
        let d = KS.statistic(g, cdf: Self.phi)
        #expect(d < KS.critical1(n), "KS D = \(d)")
        let mean = g.reduce(0, +) / Double(n)
        let variance = g.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(n - 1)
        // sd of the mean 1/sqrt(n) = 0.0032, of the variance sqrt(2/n) = 0.0045: 5 sigma.
        #expect(abs(mean) < 0.016 && abs(variance - 1) < 0.023, "mean \(mean), variance \(variance)")
        // Power: a Gaussian of width 1.02 is rejected.
        #expect(KS.statistic(g.map { $0 * 1.02 }, cdf: Self.phi) > KS.critical1(n))
    }

    /// Tails: |g| > 3.5 occurs with probability 2 Phi(-3.5) = 4.6527e-4 (465.3 expected in
    /// 1e6, sd 21.6) and |g| > r = 3.4426 (the tail method) with 2 Phi(-r) = 5.76e-4; both
    /// signs alike.
    @Test func tailsHaveTheRightRate() {
        var rng = EventRandom(algorithm: .taus2, seed: 1618)
        let n = 1_000_000
        var beyond35 = 0, beyondR = 0, positive35 = 0, largest = 0.0
        for _ in 0..<n {
            let g = rng.gaussian()
            if abs(g) > 3.5 { beyond35 += 1; if g > 0 { positive35 += 1 } }
            if abs(g) > Ziggurat.r { beyondR += 1 }
            largest = max(largest, abs(g))
        }
        let p35 = 2 * Self.phi(-3.5), pR = 2 * Self.phi(-Ziggurat.r)
        let e35 = p35 * Double(n), eR = pR * Double(n)
        #expect(abs(Double(beyond35) - e35) < 5 * e35.squareRoot(), "\(beyond35) beyond 3.5, expected \(e35)")
        #expect(abs(Double(beyondR) - eR) < 5 * eR.squareRoot(), "\(beyondR) beyond r, expected \(eR)")
        #expect(abs(Double(positive35) - e35 / 2) < 5 * (e35 / 4).squareRoot(), "\(positive35) above +3.5")
        // The tail is unbounded: values beyond 4.5 sigma are expected (6.8 in 1e6).
        #expect(largest > 4.5)
    }
}
