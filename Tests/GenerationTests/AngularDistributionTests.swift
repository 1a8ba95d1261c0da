import Core
import Foundation
import Testing
@testable import Generation

/// The production-angle and W-helicity samplers against their analytic distributions.
@Suite struct AngularDistributionTests {
    /// The CDF of `density` on [-1, 1] by Simpson's rule on a fine grid, linearly interpolated.
    static func cdf(_ density: (Double) -> Double) -> (Double) -> Double {
        let n = 20_000
        var table = [Double](repeating: 0, count: n + 1)
        let h = 2.0 / Double(n)
        for k in 1...n {
            let a = -1 + Double(k - 1) * h, b = a + h
            table[k] = table[k - 1] + h / 6 * (density(a) + 4 * density(0.5 * (a + b)) + density(b))
        }
        let total = table[n]
        return { c in
            let t = (c + 1) / h
            let k = min(max(Int(t), 0), n - 1)
            let f = t - Double(k)
            return (table[k] * (1 - f) + table[k + 1] * f) / total
        }
    }

    /// gg -> Q Q-bar and q q-bar -> Q Q-bar at several rho: the accept-reject sampler against the
    /// analytic d sigma / d cos theta (KS at 1 %), 40k draws each, rho from near threshold to
    /// far above it (where gg is strongly forward-backward peaked).
    @Test(arguments: [(0.9, true), (0.3, true), (0.05, true), (0.002, true), (0.9, false), (0.05, false)])
    func pairAngleMatchesMatrixElement(rho: Double, gluon: Bool) {
        var rng = EventRandom(algorithm: .taus2, seed: gluon ? 7 : 8)
        let tables = FastMathTables.shared
        let n = 40_000
        var draws: [Double] = []
        draws.reserveCapacity(n)
        let mask = SIMDMask<SIMD4<Int64>>(repeating: gluon)
        while draws.count < n {
            let c = PairProductionAngle.sample(rho: Lanes(repeating: rho), gluon: mask, rng: &rng, tables: tables)
            for l in 0..<4 { draws.append(c[l]) }
        }
        let F = Self.cdf { c in
            gluon ? PairProductionAngle.gluonFusion(cosTheta: c, rho: rho)
                : PairProductionAngle.quarkAnnihilation(cosTheta: c, rho: rho)
        }
        let d = KS.statistic(draws, cdf: F)
        #expect(d < KS.critical1(n), "rho \(rho) gg \(gluon): KS D = \(d)")
        // The forward-backward peaking of gg at small rho is real: more than 3 times as many
        // draws with |c| > 0.9 as a flat distribution gives.
        if gluon && rho < 0.01 {
            let forward = Double(draws.filter { abs($0) > 0.9 }.count) / Double(n)
            #expect(forward > 0.3, "fraction with |cos| > 0.9: \(forward)")
        }
    }

    /// A mixed batch: each lane follows its own channel (lanes 0 and 2 gg, 1 and 3 q q-bar).
    @Test func lanesFollowTheirOwnChannel() {
        var rng = EventRandom(algorithm: .taus2, seed: 9)
        let mask = Lanes(1, 0, 1, 0) .> 0.5
        var gg: [Double] = [], qq: [Double] = []
        for _ in 0..<10_000 {
            let c = PairProductionAngle.sample(rho: Lanes(0.01, 0.01, 0.01, 0.01), gluon: mask, rng: &rng,
                                               tables: .shared)
            gg += [c[0], c[2]]; qq += [c[1], c[3]]
        }
        let Fg = Self.cdf { PairProductionAngle.gluonFusion(cosTheta: $0, rho: 0.01) }
        let Fq = Self.cdf { PairProductionAngle.quarkAnnihilation(cosTheta: $0, rho: 0.01) }
        #expect(KS.statistic(gg, cdf: Fg) < KS.critical1(gg.count))
        #expect(KS.statistic(qq, cdf: Fq) < KS.critical1(qq.count))
    }

    /// The helicity fractions of a 172.5 GeV top and an 80.38 GeV W: F0 = mt^2/(mt^2 + 2 mW^2),
    /// FL = 1 - F0, FR = 0 (values re-computed here by hand: F0 = 29756.25 / 42678.24).
    @Test func topHelicityFractions() {
        let f = WHelicity.fractions(parent: 172.5, boson: 80.38)
        #expect(abs(f.longitudinal - 29756.25 / (29756.25 + 2 * 6460.9444)) < 1e-15)
        #expect(abs(f.longitudinal - 0.6972) < 1e-4 && abs(f.left - 0.3028) < 1e-4 && f.right == 0)
        // The CDF is that of the density (numerically integrated).
        let F = Self.cdf { WHelicity.density(cosTheta: $0, longitudinal: 0.7, left: 0.25, right: 0.05) }
        for c in [-0.9, -0.3, 0.2, 0.8] {
            #expect(abs(F(c) - WHelicity.cdf(cosTheta: c, longitudinal: 0.7, left: 0.25, right: 0.05)) < 1e-6)
        }
    }

    /// The lane sampler of cos theta* against the helicity formula (KS), and its moments give
    /// back the fractions: F0 = 2 - 5 <c^2>, FL - FR = -2 <c>.
    @Test func helicitySamplerMatchesFormula() {
        var rng = EventRandom(algorithm: .taus2, seed: 12)
        var draws: [Double] = []
        for _ in 0..<20_000 {
            let c = WHelicity.sample(parent: Lanes(repeating: 172.5), boson: Lanes(repeating: 80.38), rng: &rng)
            for l in 0..<4 { draws.append(c[l]) }
        }
        let f = WHelicity.fractions(parent: 172.5, boson: 80.38)
        let d = KS.statistic(draws) { WHelicity.cdf(cosTheta: $0, longitudinal: f.longitudinal, left: f.left, right: 0) }
        #expect(d < KS.critical1(draws.count), "KS D = \(d)")
        let n = Double(draws.count)
        let mean = draws.reduce(0, +) / n, square = draws.reduce(0) { $0 + $1 * $1 } / n
        // Statistical errors of the moment estimators with 80k draws: about 0.005 (F0) and 0.004 (FL).
        #expect(abs((2 - 5 * square) - f.longitudinal) < 0.02, "F0 from moments \(2 - 5 * square)")
        #expect(abs(-2 * mean - f.left) < 0.015, "FL from moments \(-2 * mean)")
    }
}
