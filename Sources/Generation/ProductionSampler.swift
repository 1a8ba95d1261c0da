#if canImport(Glibc)
import Glibc
#endif
import Core

/// Leading-order partonic cross sections of heavy-quark-like pair production, as functions
/// of rho = 4 m^2 / shat and beta = sqrt(1 - rho), in units of pi alpha_s^2 / (3 shat)
/// (Nason, Dawson, Ellis, Nucl. Phys. B303 (1988) 607; also Ellis, Stirling, Webber eq. 10.12):
/// sigma_gg = pi as^2/(3 shat) [(1 + rho + rho^2/16) ln((1+beta)/(1-beta)) - beta (7/4 + 31 rho/16)],
/// sigma_qq = 8 pi as^2/(27 shat) beta (1 + rho/2).
public enum HeavyPairCrossSection {
    /// gg -> A A-bar in units of pi alpha_s^2 / (3 shat) (0 for rho >= 1).
    @inlinable @inline(__always)
    public static func gg(rho: Double) -> Double { gg(rho: Lanes(repeating: rho))[0] }

    /// Lane-wise `gg(rho:)` (0 where rho >= 1).
    @inlinable @inline(__always)
    public static func gg(rho: Lanes) -> Lanes {
        let open = rho .< 1
        let r = rho.replacing(with: 0, where: .!open)
        let beta = (1 - r).squareRoot()
        let coefficient: Lanes = 1 + r + r * r / 16
        let logarithm = FastMath.log((1 + beta) / (1 - beta))
        let linear: Lanes = 1.75 + 31 * r / 16
        let value = coefficient * logarithm - beta * linear
        return value.replacing(with: 0, where: .!open)
    }

    /// Lane-wise `qq(rho:)` (0 where rho >= 1).
    @inlinable @inline(__always)
    public static func qq(rho: Lanes) -> Lanes {
        let open = rho .< 1
        let r = rho.replacing(with: 0, where: .!open)
        let beta = (1 - r).squareRoot()
        let value: Lanes = 8.0 / 9.0 * beta * (1 + r / 2)
        return value.replacing(with: 0, where: .!open)
    }

    /// q q-bar -> A A-bar in units of pi alpha_s^2 / (3 shat) (0 for rho >= 1).
    @inlinable @inline(__always)
    public static func qq(rho: Double) -> Double { qq(rho: Lanes(repeating: rho))[0] }
}

/// Samples the produced system's shat = tau s and rapidity y, unweighted.
///
/// dsigma = dtau dy sum_ij f_i(x1) f_j(x2) sigma_ij(shat), x1,2 = sqrt(tau) e^(+-y). The rapidity
/// is written y = v Y(tau), Y = -ln(tau)/2, v in [-1, 1].
/// - coloured pair: the first coordinate is t = ln tau from the threshold 4 m_A^2 / s to 0; the
///   density in (t, v) is Y/tau [L_gg F_gg(rho) + L_qq F_qq(rho)] (Nason-Dawson-Ellis, nominal
///   m_A), with the luminosities L_gg = x1 g(x1) x2 g(x2) and
///   L_qq = sum_q x1 q(x1) x2 q-bar(x2) + (1 <-> 2) of GRV 94 LO at mu_F (`PartonGrid`), or of the
///   toy densities: L_gg = N_g^2 P^eta_g, L_qq = N_q^2 P^eta_q, P = (1 - x1)(1 - x2).
/// - s-channel: the first coordinate is the tan-mapping angle theta of the Breit-Wigner of D,
///   m^2 = M^2 + M Gamma tan(theta) (uniform theta is the Breit-Wigner in shat exactly), over
///   the 15-Gamma window; the density in (theta, v) is L_gg Y / tau (gluon fusion, the partonic
///   cross section's own shat dependence besides the Breit-Wigner not modelled), mu_F =
///   sqrt(shat) unless the card fixes it. Narrow D: m = M.
/// Proposal: piecewise constant over 128 x 32 cells (alias table), each cell's height the
/// maximum of the density over a 9 x 9 grid including its edges times 1.1 (the toy densities
/// fall monotonically in |v|, so that direction is exact; GRV's need not, but the grid maximum
/// alone was exceeded by 1e-5 of the trials and 1.1 times it by none in 23 M trials of the
/// four GRV cards); accept-reject on the exact density. Trials above their cell's height are counted as
/// `violations` (0 means the envelope was safe; every test checks it). For pair production
/// the gluon-fusion share L_gg F_gg / (L_gg F_gg + L_qq F_qq) of each accepted point can be
/// returned: the production angle depends on the channel.
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
    /// The tabulated GRV 94 LO densities (nil for the toy densities).
    public let grid: PartonGrid?
    /// A fixed factorisation scale (GeV) for the s-channel, or nil when it is sqrt(shat).
    @usableFromInline let fixedScale: Double?
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
        let real = card.densities.set == .grv94lo
        switch card.model {
        case .colouredPair:
            let mA = card.mass(.A)
            tau0 = 4 * mA * mA / s
            resonance = BreitWigner(pole: 0, width: 0, lower: 0, upper: 0)
            x0 = log(tau0)
            dx = -x0 / Double(Self.binsX)
            fixedScale = nil
            grid = real ? PartonGrid(xMin: tau0, scales: [card.densities.scale ?? mA],
                                     flavours: PartonGrid.Flavour.allCases) : nil
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
            fixedScale = card.densities.scale
            let lowest = resonance.isNarrow ? resonance.pole : resonance.lower
            let scales: [Double]
            if let fixed = card.densities.scale {
                scales = [fixed]
            } else if resonance.isNarrow {
                scales = [resonance.pole]
            } else {
                // Nodes evenly spaced in ln m across the window for the event-by-event scale.
                let n = Self.scaleNodes, lower = resonance.lower, ratio = resonance.upper / resonance.lower
                scales = (0..<n).map { k in lower * pow(ratio, Double(k) / Double(n - 1)) }
            }
            grid = real ? PartonGrid(xMin: lowest * lowest / s, scales: scales, flavours: [.gluon]) : nil
        }
        nv = Self.binsV
        let nx = dx == 0 ? 1 : Self.binsX
        var env = [Double](repeating: 0, count: nx * Self.binsV)
        let toy = (model, s, tau0, gluon, quark, etaG, etaQ, resonance)
        let (grid, fixedScale) = (grid, fixedScale)
        for ix in 0..<nx {
            for iv in 0..<Self.binsV {
                var top = 0.0
                for a in 0...8 {
                    for b in 0...8 {
                        let x = x0 + (Double(ix) + Double(a) / 8) * dx
                        let v = -1 + (Double(iv) + Double(b) / 8) * (2 / Double(Self.binsV))
                        if let grid {
                            top = max(top, Self.density(x: x, v: v, grid: grid, fixedScale: fixedScale, sampler: toy))
                        } else {
                            top = max(top, Self.density(x: x, v: v, sampler: toy))
                        }
                    }
                }
                env[ix * Self.binsV + iv] = 1.1 * top
            }
        }
        envelope = env
        cells = AliasTable(weights: env)
    }

    /// Scale nodes across an s-channel window (the densities are interpolated linearly in
    /// ln mu_F^2 between them).
    public static let scaleNodes = 9

    /// tau = shat / s at the first proposal coordinate x (ln tau, or the Breit-Wigner's
    /// tan-mapping angle), for the envelope's slow path.
    static func tau(x: Double, model: ProductionModel, s: Double, resonance bw: BreitWigner) -> Double {
        switch model {
        case .colouredPair: return exp(x)
        case .sChannel:
            let m2 = bw.isNarrow ? bw.pole * bw.pole : bw.pole * bw.pole + bw.pole * bw.width * tan(x)
            return m2 / s
        }
    }

    /// The density in (x, v) with the tabulated GRV densities: the formulas of `weight`, on
    /// one point.
    static func density(x: Double, v: Double, grid: PartonGrid, fixedScale: Double?,
                        sampler p: (ProductionModel, Double, Double, Double, Double, Double, Double, BreitWigner)) -> Double {
        let (model, s, tau0, _, _, _, _, bw) = p
        let tau = Self.tau(x: x, model: model, s: s, resonance: bw)
        guard tau > 0, tau < 1 else { return 0 }
        let lnTau = log(tau), bigY = -0.5 * lnTau, y = v * bigY
        let l1 = 0.5 * lnTau + y, l2 = 0.5 * lnTau - y
        switch model {
        case .colouredPair:
            let rho = tau0 / tau
            let lum = grid.luminosities(lnX1: l1, lnX2: l2)
            return (lum.gg * HeavyPairCrossSection.gg(rho: rho) + lum.qq * HeavyPairCrossSection.qq(rho: rho)) * bigY / tau
        case .sChannel:
            return grid.gluonGluon(lnX1: l1, lnX2: l2, scale: fixedScale ?? (tau * s).squareRoot()) * bigY / tau
        }
    }

    /// The density in (x, v) used to build the envelope (slow path, same formulas as `sample`).
    static func density(x: Double, v: Double,
                        sampler p: (ProductionModel, Double, Double, Double, Double, Double, Double, BreitWigner)) -> Double {
        let (model, s, tau0, gluon, quark, etaG, etaQ, bw) = p
        let tau = Self.tau(x: x, model: model, s: s, resonance: bw)
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

    /// `count` unweighted production points into shat[0..<count] (GeV^2) and
    /// expY[0..<count] (e^y of the system's rapidity). Rounds of proposals, four at a time
    /// (`Lanes`): first every missing point is proposed (cell, coordinates, tau, e^y; the
    /// last group of a round is completed to four lanes, its extra lanes drawn and discarded),
    /// then a second loop weighs them, draws the accept-reject uniforms and appends the
    /// accepted ones in order, until all are filled. Each trial is independent, so the
    /// accepted points are distributed as one-at-a-time accept-reject would give them.
    /// Returns the trials (extra lanes not counted) and the envelope violations. With
    /// `gluonShare`, the gluon-fusion share of each accepted point's density is written there
    /// (pair production; 1 for an s-channel).
    @inlinable
    public func sample(shat: UnsafeMutablePointer<Double>, expY: UnsafeMutablePointer<Double>, count n: Int,
                       gluonShare: UnsafeMutablePointer<Double>? = nil,
                       rng: inout EventRandom) -> (trials: Int, violations: Int) {
        let capacity = max(4, (n + 3) & ~3)
        let scratch = UnsafeMutablePointer<Double>.allocate(capacity: 4 * capacity)
        let cell = UnsafeMutablePointer<Int32>.allocate(capacity: capacity)
        defer { scratch.deallocate(); cell.deallocate() }
        let tau = scratch, ey = scratch + capacity, lnTau = scratch + 2 * capacity, yy = scratch + 3 * capacity
        var filled = 0, trials = 0, violations = 0
        while filled < n {
            let m = n - filled
            var j = 0
            while j < m {
                let p = propose(&rng)
                p.tau.store(tau + j); p.expY.store(ey + j); p.lnTau.store(lnTau + j); p.y.store(yy + j)
                for l in 0..<4 { cell[j + l] = p.cell[l] }
                j += 4
            }
            var k = filled
            j = 0
            while j < m && k < n {
                let t = Lanes.load(tau + j), e = Lanes.load(ey + j)
                let (w, share) = weight(tau: t, expY: e, lnTau: Lanes.load(lnTau + j), y: Lanes.load(yy + j))
                let bound = Lanes(envelope[Int(cell[j])], envelope[Int(cell[j + 1])],
                                  envelope[Int(cell[j + 2])], envelope[Int(cell[j + 3])])
                let over = w .> bound, accept = rng.uniforms() * bound .< w
                for l in 0..<min(4, m - j) {
                    violations &+= over[l] ? 1 : 0
                    // k <= filled + j + l: never past the point being read.
                    shat[k] = t[l] * s; expY[k] = e[l]
                    if let gluonShare { gluonShare[k] = share[l] }
                    k &+= accept[l] ? 1 : 0
                }
                j += 4
            }
            trials &+= m
            filled = k
        }
        return (trials, violations)
    }

    /// Four proposals from the piecewise-constant envelope: cells, tau, ln tau, y and e^y.
    @inlinable @inline(__always)
    func propose(_ rng: inout EventRandom) -> (cell: SIMD4<Int32>, tau: Lanes, lnTau: Lanes, y: Lanes, expY: Lanes) {
        let dv = 2 / Double(nv)
        let cell = cells.indices(rng.uniforms())
        // binsV is a power of two: shift and mask instead of an integer division.
        let ix = Lanes(cell &>> Int32(Self.binsVShift)), iv = Lanes(cell & Int32(Self.binsV - 1))
        let x = x0 + (ix + rng.uniforms()) * dx
        let v = -1 + (iv + rng.uniforms()) * dv
        let tau: Lanes, lnTau: Lanes
        switch model {
        case .colouredPair:
            lnTau = x
            tau = FastMath.exp(x, tables)
        case .sChannel:
            let m: Lanes
            if resonance.isNarrow {
                m = Lanes(repeating: resonance.pole)
            } else {
                let m2 = resonance.pole * resonance.pole + resonance.mg * FastMath.tan(x, tables)
                m = m2.squareRoot().clamped(below: Lanes(repeating: resonance.lower),
                                            above: Lanes(repeating: resonance.upper))
            }
            tau = m * m / s
            lnTau = FastMath.log(tau)
        }
        let y = v * (-0.5 * lnTau)
        return (cell, tau, lnTau, y, FastMath.exp(y, tables))
    }

    /// The exact density at four proposed points (the formulas of `density`) and the gluon-fusion
    /// share of it.
    @inlinable @inline(__always)
    func weight(tau: Lanes, expY ey: Lanes, lnTau: Lanes, y: Lanes) -> (Lanes, Lanes) {
        let bigY = -0.5 * lnTau
        if let grid { return weight(grid: grid, tau: tau, lnTau: lnTau, y: y, bigY: bigY) }
        let rt = tau.squareRoot()
        let x1 = rt * ey, x2 = rt / ey
        let p = (1 - x1) * (1 - x2)
        switch model {
        case .colouredPair:
            let rho = tau0 / tau
            let gg = gluon * Self.power(p, etaG, intG) * HeavyPairCrossSection.gg(rho: rho)
            let qq = quark * Self.power(p, etaQ, intQ) * HeavyPairCrossSection.qq(rho: rho)
            return ((gg + qq) * bigY / tau, gg / (gg + qq))
        case .sChannel:
            return (gluon * Self.power(p, etaG, intG) * bigY / tau, Lanes(repeating: 1))
        }
    }

    /// `weight` with the tabulated densities: ln x1,2 = ln(tau)/2 +- y, one lookup per lane.
    @inlinable @inline(__always)
    func weight(grid: PartonGrid, tau: Lanes, lnTau: Lanes, y: Lanes, bigY: Lanes) -> (Lanes, Lanes) {
        let l1 = 0.5 * lnTau + y, l2 = 0.5 * lnTau - y
        switch model {
        case .colouredPair:
            let (lgg, lqq) = grid.luminosities(lnX1: l1, lnX2: l2)
            let rho = tau0 / tau
            let gg = lgg * HeavyPairCrossSection.gg(rho: rho), qq = lqq * HeavyPairCrossSection.qq(rho: rho)
            let total = gg + qq
            return (total * bigY / tau, gg / total.replacing(with: 1, where: total .<= 0))
        case .sChannel:
            var lgg = Lanes()
            let m = (tau * s).squareRoot()
            for l in 0..<4 { lgg[l] = grid.gluonGluon(lnX1: l1[l], lnX2: l2[l], scale: fixedScale ?? m[l]) }
            return (lgg * bigY / tau, Lanes(repeating: 1))
        }
    }

    /// Lane-wise `power(_:_:_:)`.
    @inlinable @inline(__always)
    static func power(_ p: Lanes, _ eta: Double, _ n: Int) -> Lanes {
        switch n {
        case 3: return p * (p * p)
        case 5: let p2 = p * p; return p * (p2 * p2)
        default: return Lanes(power(p[0], eta, n), power(p[1], eta, n), power(p[2], eta, n), power(p[3], eta, n))
        }
    }
}
