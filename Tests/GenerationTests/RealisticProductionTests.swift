import Foundation
import Testing
@testable import Generation

/// The realistic production model end to end: GRV 94 LO production against a direct integral
/// of the closed-form densities, the pair's polar angle event by event against the gg matrix
/// element, the leptons' helicity angles against the V-A formula.
@Suite struct RealisticProductionTests {
    /// The ln tau marginal of the unweighted t-tbar production (GRV 94 LO at mu_F = m_A) against
    /// dsigma/dln tau = integral dy tau^-1 [L_gg F_gg + L_qq F_qq] with the closed-form densities
    /// (not the sampler's grid) and the NDE cross sections re-typed here, trapezoid rule in y.
    @Test func productionMatchesClosedFormDensities() throws {
        let c = try card("ttbar")
        #expect(c.densities.set == .grv94lo)
        let sampler = ProductionSampler(card: c)
        let s = c.sqrtS * c.sqrtS, m = c.mass(.A), q2 = m * m
        let tau0 = 4 * m * m / s
        func density(lnTau u: Double) -> Double {
            let tau = exp(u), rho = tau0 / tau, beta = (1 - rho).squareRoot()
            let fgg = (1 + rho + rho * rho / 16) * log((1 + beta) / (1 - beta)) - beta * (7.0 / 4 + 31 * rho / 16)
            let fqq = 8.0 / 9 * beta * (1 + rho / 2)
            let ymax = -0.5 * u
            let ny = 100
            var sum = 0.0
            for j in 0...ny {
                let y = -ymax + 2 * ymax * Double(j) / Double(ny)
                let p1 = GRV94LO.densities(x: tau.squareRoot() * exp(y), q2: q2)
                let p2 = GRV94LO.densities(x: tau.squareRoot() * exp(-y), q2: q2)
                let gg = p1.gluon * p2.gluon
                let qq = p1.up * p2.upBar + p1.upBar * p2.up + p1.down * p2.downBar + p1.downBar * p2.down
                    + 2 * p1.strange * p2.strange
                let w = (gg * fgg + qq * fqq) / tau
                sum += (j == 0 || j == ny) ? 0.5 * w : w
            }
            return sum * 2 * ymax / Double(ny)
        }
        let nu = 1200, u0 = log(tau0)
        var cdf = [Double](repeating: 0, count: nu + 1)
        // Points crowd towards the threshold, where the density is steepest: u = u0 (1 - t^2)...
        func grid(_ k: Int) -> Double { let t = Double(k) / Double(nu); return u0 * (1 - t) * (1 - t) }
        var prev = density(lnTau: grid(0))
        for k in 1...nu {
            let cur = density(lnTau: grid(k))
            cdf[k] = cdf[k - 1] + 0.5 * (prev + cur) * (grid(k) - grid(k - 1))
            prev = cur
        }
        let total = cdf[nu]
        func F(_ u: Double) -> Double {
            // Invert u = u0 (1 - t)^2 for the grid index.
            let t = (1 - (u / u0).squareRoot()) * Double(nu)
            let k = min(max(Int(t), 0), nu - 1)
            let f = t - Double(k)
            return min(max((cdf[k] * (1 - f) + cdf[k + 1] * f) / total, 0), 1)
        }
        var rng = EventRandom(algorithm: .taus2, seed: 41)
        let n = 40_000
        let (shat, trials, violations) = TruthGeneratorTests.production(sampler, count: n, rng: &rng)
        #expect(violations == 0)
        let d = KS.statistic(shat.map { log($0 / s) }, cdf: F)
        #expect(d < KS.critical1(n), "KS D = \(d)")
        #expect(Double(n) / Double(trials) > 0.4, "unweighting efficiency \(Double(n) / Double(trials))")
    }

    /// The s-channel with GRV 94 LO gluons at mu_F = sqrt(shat) draws no envelope violations and
    /// keeps its Breit-Wigner window.
    @Test func resonanceProductionIsSafe() throws {
        let c = try card("hww")
        #expect(c.densities.set == .grv94lo && c.densities.scale == nil)
        let sampler = ProductionSampler(card: c, minimumMass: 2 * 78.0)
        #expect(sampler.grid?.scales.count == ProductionSampler.scaleNodes)
        var rng = EventRandom(algorithm: .taus2, seed: 43)
        let (shat, _, violations) = TruthGeneratorTests.production(sampler, count: 40_000, rng: &rng)
        #expect(violations == 0)
        #expect(shat.allSatisfy { $0 >= sampler.resonance.lower * sampler.resonance.lower * (1 - 1e-12) })
    }

    /// The closed-form CDF in cos theta of gg -> Q Q-bar at rho (from -1), by integrating
    /// (2/(3w) - 3/8)(1 + rho - w/2 - rho^2/w), w = 1 - beta^2 c^2, term by term:
    /// integral dc/w = atanh(beta c)/beta, integral dc/w^2 = c/(2w) + atanh(beta c)/(2 beta).
    static func gluonFusionCDF(_ c: Double, rho: Double) -> Double {
        let beta2 = 1 - rho, beta = beta2.squareRoot(), a = 1 + rho
        func G(_ c: Double) -> Double {
            let w = 1 - beta2 * c * c, at = atanh(beta * c) / beta
            return (2 * a / 3 + 3 * rho * rho / 8) * at - 2 * rho * rho / 3 * (c / (2 * w) + at / 2)
                - (1.0 / 3 + 3 * a / 8) * c + 3.0 / 16 * (c - beta2 * c * c * c / 3)
        }
        return (G(c) - G(-1)) / (G(1) - G(-1))
    }

    /// Pure gluon fusion (toy densities without quarks), no ISR: the polar angle of A1 in the
    /// pair rest frame, transformed by each event's own gg CDF (rho = 4 m_A^2 / shat), is uniform.
    @Test func pairAngleFollowsGluonFusionEventByEvent() throws {
        var c = try card("ttbar")
        c.densities = .toy(quarkNorm: 0)
        #expect(c.angles == .leadingOrder)
        // The closed-form CDF agrees with the density (numerical integral) first.
        let numeric = AngularDistributionTests.cdf { PairProductionAngle.gluonFusion(cosTheta: $0, rho: 0.2) }
        for x in [-0.8, -0.1, 0.5] { #expect(abs(numeric(x) - Self.gluonFusionCDF(x, rho: 0.2)) < 1e-6) }
        let n = 20_000
        let (buf, _, _, _) = truthEvents(c, isr: false, n: n, seed: 5)
        var pit: [Double] = [], forward = 0
        let m = c.mass(.A)
        for i in 0..<n {
            let A1 = V4(buf.row(0, i)), A2 = V4(buf.row(1, i))
            let system = A1 + A2
            let a = A1.inRestFrame(of: system)
            let cos = a.z / a.p
            pit.append(Self.gluonFusionCDF(cos, rho: 4 * m * m / system.m2))
            forward += abs(cos) > 0.8 ? 1 : 0
        }
        let d = KS.statistic(pit) { min(max($0, 0), 1) }
        #expect(d < KS.critical1(n), "KS D = \(d)")
        // Isotropic would put 20 % above |cos| = 0.8.
        #expect(Double(forward) / Double(n) > 0.22)
    }

    /// The leptons of a narrow t-tbar card with V-A decays: cos theta* of b (the muon) in the B
    /// rest frame against minus the direction of a (the b quark) there follows
    /// 3/4 F0 (1 - c^2) + 3/8 FL (1 - c)^2 (KS, both chains), and the fractions from the moments
    /// match F0 = m_t^2/(m_t^2 + 2 m_W^2) within their statistical errors.
    @Test func leptonAnglesFollowWHelicity() throws {
        var c = try card("ttbar")
        #expect(c.decays == .vMinusA)
        c.particles[.A]!.width = 0
        c.particles[.B]!.width = 0
        let n = 20_000
        let (buf, _, _, _) = truthEvents(c, isr: true, n: n, seed: 6)
        var cosines: [Double] = []
        for i in 0..<n {
            for chain in 0..<2 {
                let B = V4(buf.row(2 + chain, i)), a = V4(buf.row(6 + chain, i)), b = V4(buf.row(8 + chain, i))
                let ar = a.inRestFrame(of: B), br = b.inRestFrame(of: B)
                cosines.append(-(ar.x * br.x + ar.y * br.y + ar.z * br.z) / (ar.p * br.p))
            }
        }
        let f = WHelicity.fractions(parent: 172.5, boson: 80.38)
        let d = KS.statistic(cosines) { WHelicity.cdf(cosTheta: $0, longitudinal: f.longitudinal, left: f.left, right: 0) }
        #expect(d < KS.critical1(cosines.count), "KS D = \(d)")
        let k = Double(cosines.count)
        let mean = cosines.reduce(0, +) / k, square = cosines.reduce(0) { $0 + $1 * $1 } / k
        // 40k angles: sigma(F0) = 5 sd(c^2)/sqrt(k) ~ 0.007, sigma(FL) = 2 sd(c)/sqrt(k) ~ 0.006.
        #expect(abs((2 - 5 * square) - f.longitudinal) < 0.025, "F0 \(2 - 5 * square)")
        #expect(abs(-2 * mean - f.left) < 0.02, "FL \(-2 * mean)")
        // Isotropic decays give F0 = 2 - 5/3: far outside.
        #expect(abs((2 - 5 * square) - 1.0 / 3) > 0.2)
    }
}
