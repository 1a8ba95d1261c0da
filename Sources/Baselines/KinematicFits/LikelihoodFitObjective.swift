#if canImport(Glibc)
import Glibc
#endif
import Kinematics

/// A four-vector of `FitDual`s.
struct DualVector {
    var e: FitDual, x: FitDual, y: FitDual, z: FitDual

    /// The measured four-vector v scaled by the factor k (direction kept).
    @inline(__always) init(_ k: FitDual, _ v: FourVector) { e = k.times(v.e); x = k.times(v.px); y = k.times(v.py); z = k.times(v.pz) }
    @inline(__always) init(e: FitDual, x: FitDual, y: FitDual, z: FitDual) { self.e = e; self.x = x; self.y = y; self.z = z }
    @inline(__always) static func + (a: DualVector, b: DualVector) -> DualVector {
        DualVector(e: a.e + b.e, x: a.x + b.x, y: a.y + b.y, z: a.z + b.z)
    }
    @inline(__always) var mass2: FitDual { e * e - x * x - y * y - z * z }
}

/// Minus the log-likelihood of the dilepton likelihood fit for one event and pairing, with its
/// gradient. Parameters p (scaled so that each is O(1)):
/// p0 = (m_A - mRef) / 10 GeV; p1...p4 = (E_k - E_k^meas) / sigma_k for the visibles
/// (a1, a2, b1, b2); p5, p6 = rapidities y1, y2 of the invisibles of chain 1 (the chain of a1) and 2.
///
/// -log L = -log w + sum_k p_k^2 / 2 + (y1^2 + y2^2) / (2 omega^2) - log pi_pairing, where w is the
/// neutrino weight at these values: each fitted visible is its measured four-vector scaled by
/// E_k / E_k^meas, the MET follows (the unclustered recoil held: MET + sum_k (v_k^meas - v_k)T),
/// each chain's roots at (m_A, y_i) come from the algebra of `NeutrinoWeightingChain`, and
/// w = sum over root pairs exp(-chi^2/2), chi^2 = |W d|^2 with W the whitening of the MET
/// covariance left once the visibles are fitted (soft term and floor). Where a chain has no root
/// (discriminant D < 0) its double root at D = 0 stands in and D / sigma^2 is added (a
/// continuous penalty pulling the fit back to where solutions exist).
final class LikelihoodFitObjective {
    var visibles: [FourVector] = Array(repeating: FourVector(e: 0, px: 0, py: 0, pz: 0), count: 4)
    var sigma = SIMD4<Double>(repeating: 1)
    /// Which b (index 2 or 3 of `visibles`) sits on chain 1.
    var pairing: Int32 = 0
    var met = SIMD2<Double>()
    var whitening = Whitening(covariance: SIMD3(1, 0, 1), floor: 0)!
    /// 1 / sigma^2 of the no-root penalty (GeV^-2).
    var penaltyScale = 1.0
    var mRef = 0.0, mB2 = 0.0, mC2 = 0.0
    var etaWidth = 1.3
    var logPairingPrior = 0.0
    /// Holds m_A at mRef: the gradient's m_A component is zeroed, so the minimiser never moves it.
    var fixMass = false

    static let massUnit = 10.0
    /// Returned when a chain has no positive-energy root or an energy turns negative.
    static let infeasible = 1e10

    /// One chain's roots in dual numbers: (qx, qy) each, and the no-root penalty.
    struct Roots {
        var count = 0
        var q0 = (FitDual(0), FitDual(0)), q1 = (FitDual(0), FitDual(0))
        var penalty = FitDual(0)
    }

    @inline(__always)
    func roots(b: DualVector, s: DualVector, y: FitDual, kA: FitDual, kB: FitDual) -> Roots {
        var out = Roots()
        let (ch, sh) = y.hyperbolic
        let ab = b.e * ch - b.z * sh, asum = s.e * ch - s.z * sh
        let nx = asum * b.x - ab * s.x, ny = asum * b.y - ab * s.y
        let n2 = nx * nx + ny * ny
        guard n2.v > 1e-24 * (asum.v * asum.v * (b.x.v * b.x.v + b.y.v * b.y.v) + ab.v * ab.v * (s.x.v * s.x.v + s.y.v * s.y.v)),
              ab.v > 0 else { return out }
        let c = ab * kA - asum * kB
        let inv = FitDual(1) / n2, invN = inv.squareRoot
        let fx = c * nx * inv, fy = c * ny * inv
        let ux = -(ny * invN), uy = nx * invN
        let a = (kB + b.x * fx + b.y * fy) / ab, bb = (b.x * ux + b.y * uy) / ab
        let k = (fx * fx + fy * fy).plus(mC2)
        let oneMinus = FitDual(1) - bb * bb
        let d = a * a - oneMinus * k
        if d.v < 0 {
            // Double root at the vertex of the quadratic; penalty for the missing discriminant.
            guard oneMinus.v > 1e-12 else { return out }
            out.penalty = d.times(-penaltyScale)
            let t = a * bb / oneMinus
            guard (a + bb * t).v > 0 else { return out }
            out.q0 = (fx + t * ux, fy + t * uy); out.q1 = out.q0; out.count = 2
            return out
        }
        let r = d.squareRoot
        let big = a * bb + (a.v * bb.v >= 0 ? r : -r)
        guard big.v != 0 else { return out }
        let tSmall = -((a * a - k) / big)
        if (a + bb * tSmall).v > 0 { out.q0 = (fx + tSmall * ux, fy + tSmall * uy); out.count = 1 }
        if oneMinus.v > 1e-12 {
            let tBig = big / oneMinus
            if (a + bb * tBig).v > 0 {
                let q = (fx + tBig * ux, fy + tBig * uy)
                if out.count == 0 { out.q0 = q } else { out.q1 = q }
                out.count += 1
            }
        }
        return out
    }

    /// The fitted quantities at p: fitted visibles and MET, each chain's roots.
    struct State {
        var value: FitDual
        var r1: Roots, r2: Roots
        /// Index of the largest term (root of chain 1, root of chain 2).
        var best: (Int, Int)
    }

    /// -log L and its gradient at p (lanes 0...6).
    func evaluate(_ p: SIMD8<Double>) -> State {
        let dead = State(value: FitDual(Self.infeasible), r1: Roots(), r2: Roots(), best: (0, 0))
        let zero = DualVector(FitDual(0), visibles[0])
        var scaled = (zero, zero, zero, zero)
        var metX = FitDual(met.x), metY = FitDual(met.y)
        var transfer = FitDual(0)
        for k in 0..<4 {
            let pk = FitDual.variable(p[k + 1], k + 1)
            let v = visibles[k]
            let factor = pk.times(sigma[k] / v.e).plus(1)
            guard factor.v > 0.05 else { return dead }
            let fitted = DualVector(factor, v)
            switch k {
            case 0: scaled.0 = fitted
            case 1: scaled.1 = fitted
            case 2: scaled.2 = fitted
            default: scaled.3 = fitted
            }
            // The MET absorbs the change of the visible: MET + (1 - factor) vT.
            metX = metX - factor.plus(-1).times(v.px)
            metY = metY - factor.plus(-1).times(v.py)
            transfer = transfer + (pk * pk).times(0.5)
        }
        let mA = FitDual.variable(p[0], 0).times(Self.massUnit).plus(mRef)
        let y1 = FitDual.variable(p[5], 5), y2 = FitDual.variable(p[6], 6)
        let (bOne, bTwo) = pairing == 0 ? (scaled.2, scaled.3) : (scaled.3, scaled.2)
        let s1 = scaled.0 + bOne, s2 = scaled.1 + bTwo
        let mA2 = mA * mA
        let kA1 = (mA2 - s1.mass2).plus(-mC2).times(0.5), kB1 = (FitDual(mB2 - mC2) - bOne.mass2).times(0.5)
        let kA2 = (mA2 - s2.mass2).plus(-mC2).times(0.5), kB2 = (FitDual(mB2 - mC2) - bTwo.mass2).times(0.5)
        let r1 = roots(b: bOne, s: s1, y: y1, kA: kA1, kB: kB1)
        let r2 = roots(b: bTwo, s: s2, y: y2, kA: kA2, kB: kB2)
        guard r1.count > 0, r2.count > 0 else { return dead }
        // log-sum-exp of -chi^2/2 over the root pairs.
        let w = whitening
        @inline(__always) func term(_ i: Int, _ j: Int) -> FitDual {
            let q1 = i == 0 ? r1.q0 : r1.q1, q2 = j == 0 ? r2.q0 : r2.q1
            let dx = metX - q1.0 - q2.0, dy = metY - q1.1 - q2.1
            let wx = dx.times(w.w11), wy = dx.times(w.w21) + dy.times(w.w22)
            return (wx * wx + wy * wy).times(-0.5)
        }
        // Up to four root pairs, fixed storage (no allocation per evaluation).
        let zeroTerm = FitDual(-Double.infinity)
        var terms = (zeroTerm, zeroTerm, zeroTerm, zeroTerm)
        var top = 0, topValue = -Double.infinity
        for i in 0..<r1.count {
            for j in 0..<r2.count {
                let t = term(i, j), slot = 2 * i + j
                switch slot {
                case 0: terms.0 = t
                case 1: terms.1 = t
                case 2: terms.2 = t
                default: terms.3 = t
                }
                if t.v > topValue { topValue = t.v; top = slot }
            }
        }
        var sum = FitDual(0)
        for t in 0..<4 {
            let x = t == 0 ? terms.0 : t == 1 ? terms.1 : t == 2 ? terms.2 : terms.3
            if x.v > -Double.infinity { sum = sum + x.plus(-topValue).exponential }
        }
        let logW = sum.logarithm.plus(topValue) - r1.penalty - r2.penalty
        let prior = (y1 * y1 + y2 * y2).times(0.5 / (etaWidth * etaWidth))
        var value = (transfer + prior - logW).plus(-logPairingPrior)
        if fixMass { value.g[0] = 0 }
        return State(value: value, r1: r1, r2: r2, best: (top / 2, top % 2))
    }

    /// The fitted energies (GeV) of (a1, a2, b1, b2) at p.
    func energies(_ p: SIMD8<Double>) -> SIMD4<Double> {
        var e = SIMD4<Double>()
        for k in 0..<4 { e[k] = visibles[k].e + sigma[k] * p[k + 1] }
        return e
    }

    /// The invisible four-vectors (GeV) of the largest term at p (C1 on the chain of a1), nil when infeasible.
    func invisibles(_ p: SIMD8<Double>) -> (FourVector, FourVector)? {
        let s = evaluate(p)
        guard s.value.v < Self.infeasible, s.r1.count > 0, s.r2.count > 0 else { return nil }
        let q1 = s.best.0 == 0 ? s.r1.q0 : s.r1.q1, q2 = s.best.1 == 0 ? s.r2.q0 : s.r2.q1
        return (NeutrinoWeightingChain.invisible(SIMD2(q1.0.v, q1.1.v), ch: cosh(p[5]), sh: sinh(p[5]), mC2: mC2),
                NeutrinoWeightingChain.invisible(SIMD2(q2.0.v, q2.1.v), ch: cosh(p[6]), sh: sinh(p[6]), mC2: mC2))
    }

    /// The fitted MET (GeV) at p: the measured one with the visibles' changes absorbed.
    func fittedMET(_ p: SIMD8<Double>) -> SIMD2<Double> {
        var m = met
        for k in 0..<4 {
            let v = visibles[k], change = sigma[k] * p[k + 1] / v.e
            m.x -= change * v.px; m.y -= change * v.py
        }
        return m
    }

    /// The fitted visible four-vectors at p.
    func fittedVisibles(_ p: SIMD8<Double>) -> [FourVector] {
        (0..<4).map { k in (1 + sigma[k] * p[k + 1] / visibles[k].e) * visibles[k] }
    }
}
