import Foundation
import Testing
@testable import Generation

@Suite struct BreitWignerTests {
    /// Analytic truncated CDF of the relativistic Breit-Wigner in m^2 (written out independently
    /// of the sampler): F(m) = [atan((m^2 - M^2)/(M G)) - atan((lo^2 - M^2)/(M G))] / [same at hi].
    static func cdf(_ m: Double, pole: Double, width: Double, lo: Double, hi: Double) -> Double {
        let t = { (x: Double) in atan((x * x - pole * pole) / (pole * width)) }
        if m <= lo { return 0 }
        if m >= hi { return 1 }
        return (t(m) - t(lo)) / (t(hi) - t(lo))
    }

    @Test func topMassMatchesTruncatedCDF() {
        // t-tbar card top: M = 172.5, Gamma = 1.32, window |m - M| < 15 Gamma.
        let bw = BreitWigner(pole: 172.5, width: 1.32)
        #expect(abs(bw.lower - (172.5 - 19.8)) < 1e-12 && abs(bw.upper - (172.5 + 19.8)) < 1e-12)
        var rng = EventRandom(algorithm: .taus2, seed: 2024)
        let n = 100_000
        // Both entry points of the tan mapping: an explicit uniform, and the generator.
        let tanDraws = (0..<n).map { _ in bw.mass(rng.uniform()) }
        let rngDraws = (0..<n).map { _ in bw.mass(&rng) }
        for draws in [tanDraws, rngDraws] {
            #expect(draws.allSatisfy { $0 >= bw.lower && $0 <= bw.upper })
            let d = KS.statistic(draws) { Self.cdf($0, pole: 172.5, width: 1.32, lo: bw.lower, hi: bw.upper) }
            #expect(d < KS.critical1(n), "KS D = \(d), 1% critical \(KS.critical1(n))")
        }
        // The sampler's own cdf agrees with the independent formula.
        #expect(abs(bw.cdf(171) - Self.cdf(171, pole: 172.5, width: 1.32, lo: bw.lower, hi: bw.upper)) < 1e-12)
    }

    @Test func kinematicallyClippedWindowIsExact() {
        // A wide W-like state clipped by what its parent can afford (upper limit 78 < M).
        let bw = BreitWigner(pole: 80.38, width: 2.085, floor: 0)
        var rng = EventRandom(algorithm: .taus2, seed: 77)
        let n = 100_000, limit = 78.0
        let draws = (0..<n).map { _ in bw.mass(&rng, below: limit) }
        #expect(draws.allSatisfy { $0 >= bw.lower && $0 <= limit })
        let d = KS.statistic(draws) { Self.cdf($0, pole: 80.38, width: 2.085, lo: bw.lower, hi: limit) }
        #expect(d < KS.critical1(n), "KS D = \(d)")
        // A wrong hypothesis (the unclipped window) is rejected: the test has power.
        let wrong = KS.statistic(draws) { Self.cdf($0, pole: 80.38, width: 2.085, lo: bw.lower, hi: bw.upper) }
        #expect(wrong > KS.critical1(n))
    }

    /// A narrow window (1 GeV of a 10 GeV-wide state, above the pole) is sampled exactly.
    @Test func narrowWindowIsExact() {
        let bw = BreitWigner(pole: 100, width: 10, lower: 100, upper: 101)
        var rng = EventRandom(algorithm: .taus2, seed: 3)
        let n = 100_000
        let draws = (0..<n).map { _ in bw.mass(&rng) }
        let d = KS.statistic(draws) { Self.cdf($0, pole: 100, width: 10, lo: 100, hi: 101) }
        #expect(d < KS.critical1(n), "KS D = \(d)")
    }

    @Test func zeroWidthIsOnShell() {
        let bw = BreitWigner(pole: 800, width: 0)
        #expect(bw.mass(0.3) == 800 && bw.mass(0.9, below: 900) == 800 && bw.isNarrow)
    }
}
