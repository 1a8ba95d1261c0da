#if canImport(Glibc)
import Glibc
#endif

/// Leading-order partonic cross sections of heavy-quark-like pair production, as functions
/// of rho = 4 m^2 / shat and beta = sqrt(1 - rho), in units of pi alpha_s^2 / (3 shat)
/// (Nason, Dawson, Ellis, Nucl. Phys. B303 (1988) 607; also Ellis, Stirling, Webber eq. 10.12):
/// sigma_gg = pi as^2/(3 shat) [(1 + rho + rho^2/16) ln((1+beta)/(1-beta)) - beta (7/4 + 31 rho/16)],
/// sigma_qq = 8 pi as^2/(27 shat) beta (1 + rho/2).
public enum HeavyPairCrossSection {
    /// gg -> A A-bar in units of pi alpha_s^2 / (3 shat).
    @inlinable @inline(__always)
    public static func gg(rho: Double) -> Double {
        if rho >= 1 { return 0 }
        let beta = (1 - rho).squareRoot()
        return (1 + rho + rho * rho / 16) * log((1 + beta) / (1 - beta)) - beta * (1.75 + 31 * rho / 16)
    }

    /// q q-bar -> A A-bar in units of pi alpha_s^2 / (3 shat).
    @inlinable @inline(__always)
    public static func qq(rho: Double) -> Double {
        if rho >= 1 { return 0 }
        return 8.0 / 9.0 * (1 - rho).squareRoot() * (1 + rho / 2)
    }
}

/// Samples the produced system's shat = tau s and rapidity y, unweighted.
///
/// dsigma = dtau dy f(x1) f(x2) sigma(shat), x1,2 = sqrt(tau) e^(+-y), with the card's
/// parametrised densities x f(x) = N (1 - x)^eta (gluon and an effective quark).
/// - coloured pair: proposal piecewise in ln tau (256 bins from the threshold 4 m_A^2 / s to 1,
///   each bin's height the maximum over 33 points of the y = 0 weight times a 1.1 safety
///   factor; since (1 - x1)(1 - x2) <= (1 - sqrt(tau))^2, y = 0 bounds every y), y uniform in
///   |y| < -ln(tau)/2, then accept-reject on the exact weight.
/// - s-channel: shat from the Breit-Wigner of D (tan mapping), y uniform, accept-reject on the
///   gluon luminosity against its maximum at the smallest tau of the window.
/// Trials whose weight exceeds the envelope are counted (`violations`): they mean the
/// envelope was not safe (expected 0).
public struct ProductionSampler: Sendable {
    public let model: ProductionModel
    /// s = sqrt_s^2 (GeV^2).
    public let s: Double
    @usableFromInline let tau0: Double
    @usableFromInline let lnTau0: Double
    @usableFromInline let binWidth: Double
    @usableFromInline let envelope: [Double]
    @usableFromInline let cumulative: [Double]
    @usableFromInline let gluon: Double
    @usableFromInline let quark: Double
    @usableFromInline let etaG: Double
    @usableFromInline let etaQ: Double
    /// Breit-Wigner of D in mass (s-channel only).
    public let resonance: BreitWigner
    @usableFromInline let resonanceBound: Double

    /// Number of ln tau bins of the coloured-pair envelope.
    public static let bins = 256

    /// A sampler for `card`. `minimumMass` is the lightest mass the produced system may have
    /// (s-channel: 2 x lightest B); the coloured pair uses the nominal threshold 2 m_A.
    public init(card: Card, minimumMass: Double = 0) {
        model = card.model
        s = card.sqrtS * card.sqrtS
        gluon = card.densities.gluonNorm * card.densities.gluonNorm
        quark = card.densities.quarkNorm * card.densities.quarkNorm
        etaG = card.densities.gluonPower
        etaQ = card.densities.quarkPower
        switch card.model {
        case .colouredPair:
            let mA = card.mass(.A)
            tau0 = 4 * mA * mA / s
            lnTau0 = log(tau0)
            binWidth = -lnTau0 / Double(Self.bins)
            var env = [Double](repeating: 0, count: Self.bins)
            var cum = [Double](repeating: 0, count: Self.bins)
            var total = 0.0
            for k in 0..<Self.bins {
                var top = 0.0
                for j in 0...32 {
                    let lt = lnTau0 + (Double(k) + Double(j) / 32) * binWidth
                    top = max(top, Self.weightAtCentre(tau: exp(lt), tau0: tau0, gluon: gluon, quark: quark,
                                                       etaG: etaG, etaQ: etaQ))
                }
                env[k] = 1.1 * top
                total += env[k]
                cum[k] = total
            }
            envelope = env
            cumulative = cum.map { $0 / total }
            resonance = BreitWigner(pole: 0, width: 0, lower: 0, upper: 0)
            resonanceBound = 0
        case .sChannel:
            let d = card.particle(.D)
            let bw = BreitWigner(pole: d.mass, width: d.width, floor: minimumMass)
            resonance = BreitWigner(pole: d.mass, width: d.width, lower: bw.lower,
                                    upper: min(bw.upper, card.sqrtS * (1 - 1e-9)))
            let tauMin = resonance.lower * resonance.lower / s
            tau0 = tauMin; lnTau0 = log(tauMin); binWidth = 0
            envelope = []; cumulative = []
            let r = 1 - tauMin.squareRoot()
            resonanceBound = 1.1 * gluon * pow(r * r, etaG) * (-lnTau0) / tauMin
        }
    }

    /// The y = 0 weight in (ln tau, y) of the coloured-pair model (an upper bound for all y).
    static func weightAtCentre(tau: Double, tau0: Double, gluon: Double, quark: Double,
                               etaG: Double, etaQ: Double) -> Double {
        let r = 1 - tau.squareRoot()
        let rho = tau0 / tau
        let lum = (-log(tau)) / tau
        return (gluon * pow(r * r, etaG) * HeavyPairCrossSection.gg(rho: rho)
            + quark * pow(r * r, etaQ) * HeavyPairCrossSection.qq(rho: rho)) * lum
    }

    /// Upper bound of the envelope's acceptance: the exact weight integral over the envelope
    /// area, estimated by the caller as accepted / trials.
    public var envelopeArea: Double { envelope.reduce(0, +) * binWidth }

    /// One unweighted production point: shat (GeV^2), e^y of the system's rapidity, the
    /// number of trials it took, and how many of them exceeded the envelope.
    @inlinable
    public func sample(_ rng: inout EventRandom) -> (shat: Double, expY: Double, trials: Int, violations: Int) {
        var trials = 0, violations = 0
        switch model {
        case .colouredPair:
            while true {
                trials += 1
                // Pick a bin from the cumulative table (binary search), ln tau uniform inside.
                let u = rng.uniform()
                var lo = 0, hi = cumulative.count - 1
                while lo < hi {
                    let mid = (lo + hi) >> 1
                    if cumulative[mid] > u { hi = mid } else { lo = mid + 1 }
                }
                let lnTau = lnTau0 + (Double(lo) + rng.uniform()) * binWidth
                let tau = exp(lnTau)
                let bigY = -0.5 * lnTau
                let y = (2 * rng.uniform() - 1) * bigY
                let ey = exp(y)
                let rt = tau.squareRoot()
                let x1 = rt * ey, x2 = rt / ey
                let lp = log((1 - x1) * (1 - x2))
                let rho = tau0 / tau
                let w = (gluon * exp(etaG * lp) * HeavyPairCrossSection.gg(rho: rho)
                    + quark * exp(etaQ * lp) * HeavyPairCrossSection.qq(rho: rho)) * (2 * bigY) / tau
                let bound = envelope[lo]
                if w > bound { violations += 1 }
                if rng.uniform() * bound < w { return (tau * s, ey, trials, violations) }
            }
        case .sChannel:
            while true {
                trials += 1
                let m = resonance.mass(rng.uniform())
                let shat = m * m
                let tau = shat / s
                let lnTau = log(tau)
                let bigY = -0.5 * lnTau
                let y = (2 * rng.uniform() - 1) * bigY
                let ey = exp(y)
                let rt = tau.squareRoot()
                let x1 = rt * ey, x2 = rt / ey
                let w = gluon * exp(etaG * log((1 - x1) * (1 - x2))) * (2 * bigY) / tau
                if w > resonanceBound { violations += 1 }
                if rng.uniform() * resonanceBound < w { return (shat, ey, trials, violations) }
            }
        }
    }
}
