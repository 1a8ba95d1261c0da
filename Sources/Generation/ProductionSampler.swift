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
        return (1 + rho + rho * rho / 16) * FastMath.log((1 + beta) / (1 - beta)) - beta * (1.75 + 31 * rho / 16)
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
/// parametrised densities x f(x) = N (1 - x)^eta (gluon and an effective quark). The rapidity
/// is written y = v Y(tau), Y = -ln(tau)/2, v in [-1, 1].
/// - coloured pair: the first coordinate is t = ln tau from the threshold 4 m_A^2 / s to 0; the
///   density in (t, v) is Y/tau [N_g^2 P^eta_g F_gg(rho) + N_q^2 P^eta_q F_qq(rho)],
///   P = (1 - x1)(1 - x2) (Nason-Dawson-Ellis, nominal m_A).
/// - s-channel: the first coordinate is the tan-mapping angle theta of the Breit-Wigner of D,
///   m^2 = M^2 + M Gamma tan(theta) (uniform theta is the Breit-Wigner in shat exactly), over
///   the 15-Gamma window; the density in (theta, v) is N_g^2 P^eta_g Y / tau. Narrow D: m = M.
/// Proposal: piecewise constant over 128 x 32 cells (alias table), each cell's height the
/// maximum of the density over a 9 x 9 grid including its edges times a 1.1 safety factor (the
/// density falls monotonically in |v|, so the v-maximum is exact); accept-reject on the exact
/// density. Trials above their cell's height are counted as `violations` (0 means the
/// envelope was safe; every test checks it).
public struct ProductionSampler: Sendable {
    public let model: ProductionModel
    /// s = sqrt_s^2 (GeV^2).
    public let s: Double
    @usableFromInline let tau0: Double
    @usableFromInline let gluon: Double
    @usableFromInline let quark: Double
    @usableFromInline let etaG: Double
    @usableFromInline let etaQ: Double
    /// The powers as small integers when they are (then x^eta is a product, not exp/log).
    @usableFromInline let intG: Int
    @usableFromInline let intQ: Int
    /// Breit-Wigner of D in mass (s-channel only; a zero-width placeholder otherwise).
    public let resonance: BreitWigner
    @usableFromInline let x0: Double
    @usableFromInline let dx: Double
    @usableFromInline let nv: Int
    @usableFromInline let envelope: [Double]
    @usableFromInline let cells: AliasTable
    @usableFromInline let tables = FastMathTables.shared

    /// Cells of the proposal along the first coordinate and along v.
    public static let binsX = 128, binsV = 32
    @usableFromInline static let binsVShift = 5

    /// A sampler for `card`. `minimumMass` is the lightest mass the produced system may have
    /// (s-channel: 2 x lightest B); the coloured pair uses the nominal threshold 2 m_A.
    public init(card: Card, minimumMass: Double = 0) {
        model = card.model
        s = card.sqrtS * card.sqrtS
        gluon = card.densities.gluonNorm * card.densities.gluonNorm
        quark = card.model == .colouredPair ? card.densities.quarkNorm * card.densities.quarkNorm : 0
        etaG = card.densities.gluonPower
        etaQ = card.densities.quarkPower
        intG = Self.smallInteger(etaG)
        intQ = Self.smallInteger(etaQ)
        switch card.model {
        case .colouredPair:
            let mA = card.mass(.A)
            tau0 = 4 * mA * mA / s
            resonance = BreitWigner(pole: 0, width: 0, lower: 0, upper: 0)
            x0 = log(tau0)
            dx = -x0 / Double(Self.binsX)
        case .sChannel:
            let d = card.particle(.D)
            let bw = BreitWigner(pole: d.mass, width: d.width, floor: minimumMass)
            resonance = BreitWigner(pole: d.mass, width: d.width, lower: bw.lower,
                                    upper: min(bw.upper, card.sqrtS * (1 - 1e-9)))
            tau0 = 0
            if resonance.isNarrow {
                x0 = 0; dx = 0
            } else {
                x0 = resonance.thetaLower
                dx = (resonance.thetaUpper - resonance.thetaLower) / Double(Self.binsX)
            }
        }
        nv = Self.binsV
        let nx = dx == 0 ? 1 : Self.binsX
        var env = [Double](repeating: 0, count: nx * Self.binsV)
        for ix in 0..<nx {
            for iv in 0..<Self.binsV {
                var top = 0.0
                for a in 0...8 {
                    for b in 0...8 {
                        let x = x0 + (Double(ix) + Double(a) / 8) * dx
                        let v = -1 + (Double(iv) + Double(b) / 8) * (2 / Double(Self.binsV))
                        top = max(top, Self.density(x: x, v: v, sampler: (model, s, tau0, gluon, quark, etaG, etaQ, resonance)))
                    }
                }
                env[ix * Self.binsV + iv] = 1.1 * top
            }
        }
        envelope = env
        cells = AliasTable(weights: env)
    }

    /// The density in (x, v) used to build the envelope (slow path, same formulas as `sample`).
    static func density(x: Double, v: Double,
                        sampler p: (ProductionModel, Double, Double, Double, Double, Double, Double, BreitWigner)) -> Double {
        let (model, s, tau0, gluon, quark, etaG, etaQ, bw) = p
        let tau: Double
        switch model {
        case .colouredPair: tau = exp(x)
        case .sChannel:
            let m2 = bw.isNarrow ? bw.pole * bw.pole : bw.pole * bw.pole + bw.pole * bw.width * tan(x)
            tau = m2 / s
        }
        guard tau > 0, tau < 1 else { return 0 }
        let bigY = -0.5 * log(tau)
        let y = v * bigY
        let x1 = tau.squareRoot() * exp(y), x2 = tau.squareRoot() * exp(-y)
        guard x1 < 1, x2 < 1 else { return 0 }
        let pp = (1 - x1) * (1 - x2)
        switch model {
        case .colouredPair:
            let rho = tau0 / tau
            return (gluon * power(pp, etaG, smallInteger(etaG)) * HeavyPairCrossSection.gg(rho: rho)
                + quark * power(pp, etaQ, smallInteger(etaQ)) * HeavyPairCrossSection.qq(rho: rho)) * bigY / tau
        case .sChannel:
            return gluon * power(pp, etaG, smallInteger(etaG)) * bigY / tau
        }
    }

    /// `x` as an Int when it is a whole number in 0...16, else -1.
    static func smallInteger(_ x: Double) -> Int {
        x >= 0 && x <= 16 && x == x.rounded() ? Int(x) : -1
    }

    /// p^eta, by repeated squaring when eta is a small integer (`n >= 0`). The default
    /// exponents 3 and 5 are unrolled with the same products as the loop (bit-identical).
    @inlinable @inline(__always)
    static func power(_ p: Double, _ eta: Double, _ n: Int) -> Double {
        switch n {
        case 3: return p * (p * p)
        case 5: let p2 = p * p; return p * (p2 * p2)
        default: return n < 0 ? exp(eta * log(p)) : powerBySquaring(p, n)
        }
    }

    /// p^n (n >= 0) by repeated squaring.
    @inlinable @inline(__always)
    static func powerBySquaring(_ p: Double, _ n: Int) -> Double {
        var result = 1.0, base = p, k = n
        while k > 0 {
            if k & 1 == 1 { result *= base }
            base *= base
            k >>= 1
        }
        return result
    }

    /// One unweighted production point: shat (GeV^2), e^y of the system's rapidity, the
    /// number of trials it took, and how many of them exceeded the envelope.
    @inlinable @inline(__always)
    public func sample(_ rng: inout EventRandom) -> (shat: Double, expY: Double, trials: Int, violations: Int) {
        var trials = 0, violations = 0
        while true {
            trials += 1
            let p = propose(&rng)
            let w = weight(tau: p.tau, expY: p.expY, lnTau: p.lnTau)
            let bound = envelope[p.cell]
            if w > bound { violations += 1 }
            if rng.uniform() * bound < w { return (p.tau * s, p.expY, trials, violations) }
        }
    }

    /// `count` unweighted production points into shat[0..<count] and expY[0..<count]. Rounds
    /// of proposals: first every missing point is proposed (cell, coordinates, tau, e^y), then
    /// a second loop weighs them, draws the accept-reject uniforms and compacts the accepted
    /// ones in place, until all are filled. Both loops have short bodies with no data-dependent
    /// branch, so consecutive trials overlap in the processor. Returns the trials and the
    /// envelope violations.
    @inlinable
    public func sample(shat: UnsafeMutablePointer<Double>, expY: UnsafeMutablePointer<Double>, count n: Int,
                       rng: inout EventRandom) -> (trials: Int, violations: Int) {
        let lnTau = UnsafeMutablePointer<Double>.allocate(capacity: max(n, 1))
        let cell = UnsafeMutablePointer<Int32>.allocate(capacity: max(n, 1))
        defer { lnTau.deallocate(); cell.deallocate() }
        var filled = 0, trials = 0, violations = 0
        while filled < n {
            let m = n - filled
            for j in 0..<m {
                let p = propose(&rng)
                shat[filled + j] = p.tau; expY[filled + j] = p.expY
                lnTau[j] = p.lnTau; cell[j] = Int32(truncatingIfNeeded: p.cell)
            }
            var k = filled
            for j in 0..<m {
                let tau = shat[filled + j], ey = expY[filled + j]
                let w = weight(tau: tau, expY: ey, lnTau: lnTau[j])
                let bound = envelope[Int(cell[j])]
                violations &+= w > bound ? 1 : 0
                let accept = rng.uniform() * bound < w
                // k <= filled + j: the slot written is never one still to be read.
                shat[k] = tau * s; expY[k] = ey
                k &+= accept ? 1 : 0
            }
            trials &+= m
            filled = k
        }
        return (trials, violations)
    }

    /// A proposal from the piecewise-constant envelope: its cell, tau, ln tau and e^y.
    @inlinable @inline(__always)
    func propose(_ rng: inout EventRandom) -> (cell: Int, tau: Double, lnTau: Double, expY: Double) {
        let dv = 2 / Double(nv)
        let cell = cells.index(rng.uniform())
        // binsV is a power of two: shift and mask instead of an integer division.
        let ix = cell >> Self.binsVShift, iv = cell & (Self.binsV - 1)
        let x = x0 + (Double(ix) + rng.uniform()) * dx
        let v = -1 + (Double(iv) + rng.uniform()) * dv
        let tau: Double, lnTau: Double
        switch model {
        case .colouredPair:
            lnTau = x
            tau = FastMath.exp(x, tables)
        case .sChannel:
            let m = resonance.isNarrow ? resonance.pole
                : min(max((resonance.pole * resonance.pole + resonance.mg * FastMath.tan(x, tables)).squareRoot(), resonance.lower),
                      resonance.upper)
            tau = m * m / s
            lnTau = FastMath.log(tau)
        }
        return (cell, tau, lnTau, FastMath.exp(v * (-0.5 * lnTau), tables))
    }

    /// The exact density at a proposed point (same formulas as `density`).
    @inlinable @inline(__always)
    func weight(tau: Double, expY ey: Double, lnTau: Double) -> Double {
        let bigY = -0.5 * lnTau
        let rt = tau.squareRoot()
        let x1 = rt * ey, x2 = rt / ey
        let p = (1 - x1) * (1 - x2)
        switch model {
        case .colouredPair:
            let rho = tau0 / tau
            return (gluon * Self.power(p, etaG, intG) * HeavyPairCrossSection.gg(rho: rho)
                + quark * Self.power(p, etaQ, intQ) * HeavyPairCrossSection.qq(rho: rho)) * bigY / tau
        case .sChannel:
            return gluon * Self.power(p, etaG, intG) * bigY / tau
        }
    }
}
