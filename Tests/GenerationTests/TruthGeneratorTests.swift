import Events
import Foundation
import Testing
@testable import Generation

func card(_ name: String) throws -> Card { try Card.load(nameOrPath: name, directory: topologiesFolder) }

func truthEvents(_ card: Card, isr: Bool, n: Int, seed: UInt32 = 4242) -> (EventBuffer, TruthGenerator, Int, Int) {
    let gen = TruthGenerator(card: card, isr: isr)
    let buffer = EventBuffer(roles: gen.roleCount, capacity: n)
    var rng = EventRandom(algorithm: .taus2, seed: seed)
    let r = gen.fill(buffer, range: 0..<n, rng: &rng)
    return (buffer, gen, r.trials, r.violations)
}

@Suite struct TruthGeneratorTests {
    @Test func pairChainsConserveFourMomentum() throws {
        let c = try card("ttbar")
        let n = 4000
        let (buf, gen, _, violations) = truthEvents(c, isr: true, n: n)
        #expect(gen.keys == Key.truth(.ttbarLike) + [Key.trueISR])
        #expect(violations == 0)
        var worst = 0.0
        for i in 0..<n {
            let v = (0..<11).map { V4(buf.row($0, i)) }
            let (A1, A2, B1, B2, C1, C2, a1, a2, b1, b2, isr) = (v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7], v[8], v[9], v[10])
            worst = max(worst, A1.distance(a1 + B1), A2.distance(a2 + B2), B1.distance(b1 + C1), B2.distance(b2 + C2))
            // Whole event: the final state including the ISR jet has no net pT, and its
            // light-cone momenta are those of two incoming partons with 0 < x < 1.
            let all = a1 + b1 + C1 + a2 + b2 + C2 + isr
            worst = max(worst, abs(all.x) / all.e, abs(all.y) / all.e, all.distance(A1 + A2 + isr))
            let x1 = (all.e + all.z) / c.sqrtS, x2 = (all.e - all.z) / c.sqrtS
            #expect(x1 > 0 && x1 < 1 && x2 > 0 && x2 < 1)
            // Masses within the Breit-Wigner windows and below what the parent affords.
            let mA1 = A1.m2.squareRoot(), mB1 = B1.m2.squareRoot()
            #expect(mA1 > 172.5 - 19.8 - 1e-9 && mA1 < 172.5 + 19.8 + 1e-9)
            #expect(mB1 > 80.38 - 15 * 2.085 - 1e-9 && mB1 < 80.38 + 15 * 2.085 + 1e-9 && mB1 < mA1 - 4.7)
        }
        #expect(worst < 1e-9, "worst relative violation \(worst)")
    }

    @Test func antlerConservesFourMomentum() throws {
        let c = try card("hww")
        let n = 4000
        let (buf, _, _, violations) = truthEvents(c, isr: true, n: n)
        #expect(violations == 0)
        var worst = 0.0
        for i in 0..<n {
            let v = (0..<8).map { V4(buf.row($0, i)) }
            let (D, B1, B2, C1, C2, a1, a2, isr) = (v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7])
            worst = max(worst, D.distance(B1 + B2), B1.distance(a1 + C1), B2.distance(a2 + C2))
            let all = a1 + C1 + a2 + C2 + isr
            worst = max(worst, abs(all.x) / all.e, abs(all.y) / all.e)
            let mD = D.m2.squareRoot()
            #expect(mD > 700 - 15 * 25 - 1e-9 && mD < 700 + 15 * 25 + 1e-9)
        }
        #expect(worst < 1e-9, "worst relative violation \(worst)")
    }

    @Test func zeroWidthMassesAreTheCardMasses() throws {
        for (name, roles) in [("toy", [(0, 1000.0), (1, 1000.0), (2, 800.0), (3, 800.0), (4, 700.0), (5, 700.0),
                                        (6, 0.0), (7, 0.0), (8, 0.0), (9, 0.0)]),
                              ("antler_toy", [(0, 1000.0), (1, 400.0), (2, 400.0), (3, 100.0), (4, 100.0), (5, 0.0), (6, 0.0)])] {
            let c = try card(name)
            let n = 3000
            let (buf, _, _, _) = truthEvents(c, isr: false, n: n)
            var worst = 0.0
            for i in 0..<n {
                for (r, m) in roles {
                    let v = V4(buf.row(r, i))
                    // Relative to m^2 for massive roles, to E^2 for massless ones.
                    worst = max(worst, abs(v.m2 - m * m) / (m > 0 ? m * m : v.e * v.e))
                }
            }
            #expect(worst < 1e-9, "\(name): worst relative mass deviation \(worst)")
        }
    }

    /// With `angles = "isotropic"` and `decays.model = "isotropic"` every decay is flat in its
    /// rest frame.
    @Test func decaysAreIsotropicInTheRestFrames() throws {
        var c = try card("ttbar")
        c.angles = .isotropic
        c.decays = .isotropic
        let n = 10_000
        let (buf, _, _, _) = truthEvents(c, isr: true, n: n, seed: 99)
        var cosA: [Double] = [], cosB: [Double] = [], cosProd: [Double] = []
        for i in 0..<n {
            let A1 = V4(buf.row(0, i)), A2 = V4(buf.row(1, i))
            let system = A1 + A2
            // Production angle of A1 in the system rest frame against the beam axis.
            let a1s = A1.inRestFrame(of: system)
            cosProd.append(a1s.z / a1s.p)
            for chain in 0..<2 {
                let A = V4(buf.row(chain, i)), B = V4(buf.row(2 + chain, i))
                let a = V4(buf.row(6 + chain, i)), b = V4(buf.row(8 + chain, i))
                // Helicity angles: daughter direction in the parent rest frame against the
                // parent's lab direction.
                let ar = a.inRestFrame(of: A)
                cosA.append((ar.x * A.x + ar.y * A.y + ar.z * A.z) / (ar.p * A.p))
                let br = b.inRestFrame(of: B)
                cosB.append((br.x * B.x + br.y * B.y + br.z * B.z) / (br.p * B.p))
            }
        }
        let flat = { (x: Double) in min(max((x + 1) / 2, 0), 1) }
        for (label, values) in [("A -> a B", cosA), ("B -> b C", cosB), ("production", cosProd)] {
            let d = KS.statistic(values, cdf: flat)
            #expect(d < KS.critical1(values.count), "\(label): KS D = \(d)")
        }
    }

    /// `count` production points from the event loop's batch sampler, in batches of 999 (not a
    /// multiple of its four lanes): shat values, trials and envelope violations.
    static func production(_ sampler: ProductionSampler, count: Int, rng: inout EventRandom)
        -> (shat: [Double], trials: Int, violations: Int) {
        var shat: [Double] = [], trials = 0, violations = 0
        let batch = 999
        let s = UnsafeMutablePointer<Double>.allocate(capacity: batch), y = UnsafeMutablePointer<Double>.allocate(capacity: batch)
        defer { s.deallocate(); y.deallocate() }
        while shat.count < count {
            let n = min(batch, count - shat.count)
            let r = sampler.sample(shat: s, expY: y, count: n, rng: &rng)
            shat.append(contentsOf: UnsafeBufferPointer(start: s, count: n))
            trials += r.trials; violations += r.violations
        }
        return (shat, trials, violations)
    }

    /// The ln tau marginal of the unweighted production sample against a direct numerical
    /// integral of dsigma/dtau dy (NDE LO cross sections re-typed here, trapezoid rule in y).
    @Test func productionMatchesNumericalIntegral() throws {
        var c = try card("ttbar")
        c.densities = .toy()
        let sampler = ProductionSampler(card: c)
        let s = c.sqrtS * c.sqrtS, m = c.mass(.A)
        let tau0 = 4 * m * m / s
        let ag2 = 9.0, aq2 = 0.36, eg = 5.0, eq = 3.0  // defaults: x g = 3 (1-x)^5, x q = 0.6 (1-x)^3
        func density(lnTau u: Double) -> Double {
            let tau = exp(u), rho = tau0 / tau, beta = (1 - rho).squareRoot()
            let fgg = (1 + rho + rho * rho / 16) * log((1 + beta) / (1 - beta)) - beta * (7.0 / 4 + 31 * rho / 16)
            let fqq = 8.0 / 9 * beta * (1 + rho / 2)
            let ymax = -0.5 * u
            let ny = 200
            var sum = 0.0
            for j in 0...ny {
                let y = -ymax + 2 * ymax * Double(j) / Double(ny)
                let x1 = tau.squareRoot() * exp(y), x2 = tau.squareRoot() * exp(-y)
                let p = (1 - x1) * (1 - x2)
                let w = (ag2 * pow(p, eg) * fgg + aq2 * pow(p, eq) * fqq) / (tau * tau)
                sum += (j == 0 || j == ny) ? 0.5 * w : w
            }
            return sum * 2 * ymax / Double(ny) * tau  // d/d ln tau
        }
        let nu = 3000
        let u0 = log(tau0)
        var grid = [Double](repeating: 0, count: nu + 1)
        var cdf = [Double](repeating: 0, count: nu + 1)
        for k in 0...nu { grid[k] = u0 * (1 - Double(k) / Double(nu)) }
        var prev = density(lnTau: grid[0])
        for k in 1...nu {
            let cur = density(lnTau: grid[k])
            cdf[k] = cdf[k - 1] + 0.5 * (prev + cur) * (grid[k] - grid[k - 1])
            prev = cur
        }
        let total = cdf[nu]
        func F(_ u: Double) -> Double {
            let t = (u - u0) / (-u0) * Double(nu)
            let k = min(max(Int(t), 0), nu - 1)
            let f = t - Double(k)
            return min(max((cdf[k] * (1 - f) + cdf[k + 1] * f) / total, 0), 1)
        }
        var rng = EventRandom(algorithm: .taus2, seed: 31)
        let n = 40_000
        let (shat, trials, violations) = Self.production(sampler, count: n, rng: &rng)
        let draws = shat.map { log($0 / s) }
        #expect(violations == 0)
        let d = KS.statistic(draws, cdf: F)
        #expect(d < KS.critical1(n), "KS D = \(d)")
        let eff = Double(n) / Double(trials)
        #expect(eff > 0.5 && eff <= 1, "unweighting efficiency \(eff)")
    }

    /// The antler's m_D: theta = atan((m^2 - M^2)/(M Gamma)) of the unweighted sample against a
    /// numerical integral of the Breit-Wigner (uniform in theta) times the gluon luminosity
    /// integrated over y (x g = 3 (1-x)^5, re-typed here).
    @Test func resonanceProductionMatchesNumericalIntegral() throws {
        var c = try card("hww")
        c.densities = .toy(quarkNorm: 0)
        let gen = TruthGenerator(card: c, isr: false)
        let sampler = gen.production
        let M = 700.0, G = 25.0, s = c.sqrtS * c.sqrtS
        let lo = sampler.resonance.lower, hi = sampler.resonance.upper
        #expect(abs(lo - 325) < 1e-9 && abs(hi - 1075) < 1e-9)
        let t0 = atan((lo * lo - M * M) / (M * G)), t1 = atan((hi * hi - M * M) / (M * G))
        func density(_ t: Double) -> Double {
            let tau = (M * M + M * G * tan(t)) / s
            let ymax = -0.5 * log(tau)
            let ny = 200
            var sum = 0.0
            for j in 0...ny {
                let y = -ymax + 2 * ymax * Double(j) / Double(ny)
                let p = (1 - tau.squareRoot() * exp(y)) * (1 - tau.squareRoot() * exp(-y))
                let w = 9 * pow(p, 5) / tau
                sum += (j == 0 || j == ny) ? 0.5 * w : w
            }
            return sum * 2 * ymax / Double(ny)
        }
        let nt = 3000
        var cdf = [Double](repeating: 0, count: nt + 1)
        var prev = density(t0)
        for k in 1...nt {
            let cur = density(t0 + (t1 - t0) * Double(k) / Double(nt))
            cdf[k] = cdf[k - 1] + 0.5 * (prev + cur)
            prev = cur
        }
        func F(_ t: Double) -> Double {
            let x = (t - t0) / (t1 - t0) * Double(nt)
            let k = min(max(Int(x), 0), nt - 1)
            let f = x - Double(k)
            return min(max((cdf[k] * (1 - f) + cdf[k + 1] * f) / cdf[nt], 0), 1)
        }
        var rng = EventRandom(algorithm: .taus2, seed: 17)
        let n = 40_000
        let (shat, trials, violations) = Self.production(sampler, count: n, rng: &rng)
        let draws = shat.map { atan(($0 - M * M) / (M * G)) }
        #expect(violations == 0)
        let d = KS.statistic(draws, cdf: F)
        #expect(d < KS.critical1(n), "KS D = \(d)")
        #expect(Double(n) / Double(trials) > 0.5, "unweighting efficiency \(Double(n) / Double(trials))")
    }

    /// The ISR kick follows dP/dpT = 2 pT pt0^2/(pT^2 + pt0^2)^2 truncated per event at
    /// min(pt_max, (W^2 - shat)/(2W)), W = sqrt(s) e^-|y|: the probability integral transform
    /// with each event's own truncation must be uniform.
    @Test func isrSpectrumMatchesItsCDF() throws {
        let c = try card("ttbar")
        let n = 20_000
        let (buf, _, _, _) = truthEvents(c, isr: true, n: n, seed: 8)
        let pt0 = c.isr.pt0
        var pit: [Double] = []
        for i in 0..<n {
            let v = V4(buf.row(10, i))
            let sys = V4(buf.row(0, i)) + V4(buf.row(1, i))
            let pt = (v.x * v.x + v.y * v.y).squareRoot()
            let y = 0.5 * log((sys.e + sys.z) / (sys.e - sys.z))
            let w = c.sqrtS * exp(-abs(y))
            let limit = min(c.isr.ptMax, (w * w - sys.m2) / (2 * w))
            #expect(pt <= limit * (1 + 1e-9))
            let f = { (x: Double) in x * x / (x * x + pt0 * pt0) }
            pit.append(f(pt) / f(limit))
        }
        let d = KS.statistic(pit) { min(max($0, 0), 1) }
        #expect(d < KS.critical1(n), "KS D = \(d)")
    }
}
