import Core
/// The leading-order polar-angle distributions of heavy-pair production, gg -> Q Q-bar and
/// q q-bar -> Q Q-bar, in the pair rest frame (Combridge, Nucl. Phys. B151 (1979) 429; the
/// spin- and colour-summed squared matrix elements as in Ellis, Stirling, Webber, "QCD and
/// collider physics", table 10.2):
///
///     gg:     (1/(6 t1 t2) - 3/8) (t1^2 + t2^2 + rho - rho^2 / (4 t1 t2))
///     q q-bar: (4/9) (t1^2 + t2^2 + rho/2)
///
/// with t1,2 = (1 -+ beta c)/2, rho = 4 m^2 / shat, beta = sqrt(1 - rho) and c the cosine of
/// the angle between Q and the beam axis. At fixed shat, t-hat is linear in c, so these are
/// d sigma / d c up to normalisation. Written with w = 1 - beta^2 c^2 = 4 t1 t2 in [rho, 1]:
/// gg = (2/(3w) - 3/8)(1 - w/2 + rho - rho^2/w), q q-bar = (4/9)(1 - w/2 + rho/2).
/// Both are even in c: which beam holds the quark does not matter.
public enum PairProductionAngle {
    /// d sigma / d cos theta of gg -> Q Q-bar, up to normalisation (rho in (0, 1]).
    public static func gluonFusion(cosTheta c: Double, rho: Double) -> Double {
        let w = 1 - (1 - rho) * c * c
        return (2 / (3 * w) - 0.375) * (1 - 0.5 * w + rho - rho * rho / w)
    }

    /// d sigma / d cos theta of q q-bar -> Q Q-bar, up to normalisation.
    public static func quarkAnnihilation(cosTheta c: Double, rho: Double) -> Double {
        let w = 1 - (1 - rho) * c * c
        return 4.0 / 9.0 * (1 - 0.5 * w + 0.5 * rho)
    }

    /// Four cos theta draws: lane l from gg where `gluon[l]`, else from q q-bar, at
    /// rho = 4 m^2 / shat (lane-wise, in (0, 1]).
    ///
    /// gg: proposal density proportional to 1/w, sampled exactly as c = tanh(z)/beta with z
    /// uniform in [-atanh(beta), atanh(beta)]; acceptance g(w)/g_max with
    /// g = w * gg = (2/3 - 3w/8)(1 - w/2 + rho - rho^2/w). Both factors are positive on
    /// [rho, 1]; the first is largest at w = rho, the second (concave) at w = sqrt(2) rho when
    /// rho <= 1/sqrt(2), else at w = 1, so g_max = (2/3 - 3 rho/8) h_max bounds g: a proven
    /// envelope. q q-bar: uniform proposal, acceptance 1 - w/2 + rho/2 (at most 1, at w = rho).
    /// Each round draws four proposal uniforms then four acceptance uniforms; lanes already
    /// accepted keep their value.
    @inlinable
    static func sample(rho: Lanes, gluon: SIMDMask<SIMD4<Int64>>, rng: inout EventRandom,
                       tables: FastMathTables) -> Lanes {
        let r = rho.clamped(below: Lanes(repeating: 0), above: Lanes(repeating: 1))
        let beta = (1 - r).squareRoot()
        let tiny = beta .< 1e-6
        let safeBeta = beta.replacing(with: 1, where: tiny)
        let span = 0.5 * FastMath.log((1 + safeBeta) / (1 - safeBeta).replacing(with: 1e-300, where: tiny))
        let hMax = (1 + r - 2.0.squareRoot() * r).replacing(with: 0.5 + r - r * r, where: r .> 0.5.squareRoot())
        // The acceptance bound per lane: g_max for gg, 1 for q q-bar (compared as u bound < f).
        let bound = Lanes(repeating: 1).replacing(with: (2.0 / 3 - 0.375 * r) * hMax, where: gluon)
        let inverseBeta = 1 / safeBeta, r2 = r * r, twoSpan = 2 * span
        var c = Lanes(repeating: 0)
        var pending = SIMDMask<SIMD4<Int64>>(repeating: true)
        while any(pending) {
            let u = rng.uniforms(), accept = rng.uniforms()
            let flat = 2 * u - 1
            let e2z = FastMath.exp(flat * twoSpan, tables)
            let fused = ((e2z - 1) / (e2z + 1) * inverseBeta).replacing(with: flat, where: tiny)
            let trial = flat.replacing(with: fused, where: gluon)
            let w = 1 - beta * beta * trial * trial
            let q = 1 - 0.5 * w + 0.5 * r
            let g = (2.0 / 3 - 0.375 * w) * (q + 0.5 * r - r2 / w)
            let ok = pending .& (accept * bound .< q.replacing(with: g, where: gluon))
            c = c.replacing(with: trial, where: ok)
            pending = pending .& .!ok
        }
        return c
    }
}
