#if canImport(Glibc)
import Glibc
#endif

/// The GRV 94 leading-order proton parton densities (Glück, Reya, Vogt, Z. Phys. C67 (1995)
/// 433, "Dynamical parton distributions of the proton and small-x physics"): the paper's
/// closed-form parametrisation of its LO evolution, valid for 1e-5 <= x < 1 and
/// 0.4 <= Q^2 <= 1e6 GeV^2. Every density is returned as x f(x, Q^2).
///
/// The Q^2 dependence enters through s = ln[ln(Q^2/L^2) / ln(mu^2/L^2)] with mu^2 = 0.23 GeV^2
/// and L = 0.2322 GeV (the set's LO Lambda for three flavours). Three functional forms:
/// - valence-like (u_v, d_v and the flavour asymmetry d-bar - u-bar):
///   N x^a (1 + A x^b + B x + C x^(3/2)) (1 - x)^D;
/// - sea-like (u-bar + d-bar, gluon):
///   [x^a (A + B x + C x^2) (ln 1/x)^b + s^alpha exp(-E + sqrt(E' s^beta ln 1/x))] (1 - x)^D;
/// - strange (s = s-bar, threshold s_s = 0):
///   s^alpha / (ln 1/x)^a (1 + A sqrt(x) + B x) (1 - x)^D exp(-E + sqrt(E' s^beta ln 1/x)).
/// The set has three light flavours in the evolution (no charm or bottom partons), so its
/// momentum sum rule reads x(u_v + d_v + 2(u-bar + d-bar) + 2 s + g) integrated = 1
/// (`PartonDensityTests` checks it and the valence number sum rules).
public enum GRV94LO {
    /// x times each density at one (x, Q^2).
    public struct Densities: Sendable, Equatable {
        /// x u_v = x (u - u-bar).
        public var upValence: Double
        /// x d_v = x (d - d-bar).
        public var downValence: Double
        /// x u-bar.
        public var upBar: Double
        /// x d-bar.
        public var downBar: Double
        /// x s = x s-bar.
        public var strange: Double
        /// x g.
        public var gluon: Double

        /// x u = x (u_v + u-bar).
        public var up: Double { upValence + upBar }
        /// x d = x (d_v + d-bar).
        public var down: Double { downValence + downBar }
        /// The momentum fraction carried at this x: x (u + u-bar + d + d-bar + s + s-bar + g).
        public var momentum: Double { up + upBar + down + downBar + 2 * strange + gluon }
    }

    /// mu^2 (GeV^2), the input scale of the evolution.
    public static let inputScale2 = 0.23
    /// Lambda^2 (GeV^2) of the LO running coupling with three flavours.
    public static let lambda2 = 0.2322 * 0.2322
    /// The ranges the parametrisation was fitted over.
    public static let xRange = 1e-5...1.0, q2Range = 0.4...1e6

    /// The evolution variable s = ln[ln(Q^2/L^2) / ln(mu^2/L^2)] at Q^2 (GeV^2).
    public static func evolution(q2: Double) -> Double {
        log(log(q2 / lambda2) / log(inputScale2 / lambda2))
    }

    /// x f(x, Q^2) of every parton at momentum fraction x in (0, 1) and scale Q^2 (GeV^2).
    /// Outside (0, 1) every density is 0.
    public static func densities(x: Double, q2: Double) -> Densities {
        guard x > 0, x < 1 else {
            return Densities(upValence: 0, downValence: 0, upBar: 0, downBar: 0, strange: 0, gluon: 0)
        }
        let s = evolution(q2: q2), s2 = s * s, rs = s.squareRoot()
        let uv = valence(x, n: 2.284 + 0.802 * s + 0.055 * s2, a: 0.590 - 0.024 * s, b: 0.131 + 0.063 * s,
                         A: -0.449 - 0.138 * s - 0.076 * s2, B: 0.213 + 2.669 * s - 0.728 * s2,
                         C: 8.854 - 9.135 * s + 1.979 * s2, D: 2.997 + 0.753 * s - 0.076 * s2)
        let dv = valence(x, n: 0.371 + 0.083 * s + 0.039 * s2, a: 0.376, b: 0.486 + 0.062 * s,
                         A: -0.509 + 3.310 * s - 1.248 * s2, B: 12.41 - 10.52 * s + 2.267 * s2,
                         C: 6.373 - 6.208 * s + 1.418 * s2, D: 3.691 + 0.799 * s - 0.071 * s2)
        // d-bar - u-bar (the Gottfried-sum-rule asymmetry).
        let delta = valence(x, n: 0.082 + 0.014 * s + 0.008 * s2, a: 0.409 - 0.005 * s, b: 0.799 + 0.071 * s,
                            A: -38.07 + 36.13 * s - 0.656 * s2, B: 90.31 - 74.15 * s + 7.645 * s2,
                            C: 0, D: 7.486 + 1.217 * s - 0.159 * s2)
        let light = sea(x, s: s, alpha: 1.451, beta: 0.271, a: 0.410 - 0.232 * s, b: 0.534 - 0.457 * s,
                        A: 0.890 - 0.140 * s, B: -0.981, C: 0.320 + 0.683 * s,
                        D: 4.752 + 1.164 * s + 0.286 * s2, E: 4.119 + 1.713 * s, E1: 0.682 + 2.978 * s)
        let strange = strangeSea(x, s: s, alpha: 0.914, beta: 0.577, a: 1.798 - 0.596 * s,
                                 A: -5.548 + 3.669 * rs - 0.616 * s, B: 18.92 - 16.73 * rs + 5.168 * s,
                                 D: 6.379 - 0.350 * s + 0.142 * s2, E: 3.981 + 1.638 * s, E1: 6.402)
        let gluon = sea(x, s: s, alpha: 0.524, beta: 1.088, a: 1.742 - 0.930 * s, b: -0.399 * s2,
                        A: 7.486 - 2.185 * s, B: 16.69 - 22.74 * s + 5.779 * s2, C: -25.59 + 29.71 * s - 7.296 * s2,
                        D: 2.792 + 2.215 * s + 0.422 * s2 - 0.104 * s2 * s, E: 0.807 + 2.005 * s, E1: 3.841 + 0.316 * s)
        return Densities(upValence: uv, downValence: dv, upBar: 0.5 * (light - delta), downBar: 0.5 * (light + delta),
                         strange: strange, gluon: gluon)
    }

    /// N x^a (1 + A x^b + B x + C x^(3/2)) (1 - x)^D.
    static func valence(_ x: Double, n: Double, a: Double, b: Double, A: Double, B: Double, C: Double,
                        D: Double) -> Double {
        n * pow(x, a) * (1 + A * pow(x, b) + x * (B + C * x.squareRoot())) * pow(1 - x, D)
    }

    /// [x^a (A + B x + C x^2) (ln 1/x)^b + s^alpha exp(-E + sqrt(E' s^beta ln 1/x))] (1 - x)^D.
    static func sea(_ x: Double, s: Double, alpha: Double, beta: Double, a: Double, b: Double, A: Double,
                    B: Double, C: Double, D: Double, E: Double, E1: Double) -> Double {
        let lx = log(1 / x)
        let soft = pow(x, a) * (A + x * (B + x * C)) * pow(lx, b)
        let rise = pow(s, alpha) * exp(-E + (E1 * pow(s, beta) * lx).squareRoot())
        return (soft + rise) * pow(1 - x, D)
    }

    /// s^alpha / (ln 1/x)^a (1 + A sqrt(x) + B x) (1 - x)^D exp(-E + sqrt(E' s^beta ln 1/x)).
    static func strangeSea(_ x: Double, s: Double, alpha: Double, beta: Double, a: Double, A: Double, B: Double,
                           D: Double, E: Double, E1: Double) -> Double {
        guard s > 0 else { return 0 }
        let lx = log(1 / x)
        return pow(s, alpha) / pow(lx, a) * (1 + A * x.squareRoot() + B * x) * pow(1 - x, D)
            * exp(-E + (E1 * pow(s, beta) * lx).squareRoot())
    }
}
