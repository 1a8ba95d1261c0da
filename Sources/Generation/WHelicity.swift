import Core
/// The helicity of a W-like boson from the V-A decay of a heavy fermion (the top quark:
/// t -> b W+, W+ -> l+ nu) at leading order with a massless b. The fractions of longitudinal,
/// left- and right-handed W are
///
///     F0 = m_A^2 / (m_A^2 + 2 m_B^2),   FL = 2 m_B^2 / (m_A^2 + 2 m_B^2),   FR = 0
///
/// (about 0.70 / 0.30 / 0 for m_t = 172.5, m_W = 80.38; a b mass of 4.7 GeV changes them by
/// O(m_b^2/m_t^2) < 1e-3, not modelled). The charged lepton's angle theta* in the W rest frame,
/// measured from the W direction in the top rest frame, follows
///
///     dN/dcos = 3/4 F0 (1 - c^2) + 3/8 FL (1 - c)^2 + 3/8 FR (1 + c)^2,
///
/// the same for the anti-top's l- (CP). In the W rest frame the top and its b move opposite to
/// the W's flight direction in the top frame, so that direction is minus the b's direction
/// there: the axis is taken from the b-type daughter of the same parent.
public enum WHelicity {
    /// (F0, FL, FR) for parent mass mA and W-like mass mB (GeV), massless first visible.
    public static func fractions(parent mA: Double, boson mB: Double) -> (longitudinal: Double, left: Double, right: Double) {
        let a2 = mA * mA, b2 = 2 * mB * mB
        return (a2 / (a2 + b2), b2 / (a2 + b2), 0)
    }

    /// dN/dcos theta* for fractions (F0, FL, FR).
    public static func density(cosTheta c: Double, longitudinal f0: Double, left fl: Double, right fr: Double) -> Double {
        0.75 * f0 * (1 - c * c) + 0.375 * fl * (1 - c) * (1 - c) + 0.375 * fr * (1 + c) * (1 + c)
    }

    /// The cumulative distribution of `density` from -1 to c.
    public static func cdf(cosTheta c: Double, longitudinal f0: Double, left fl: Double, right fr: Double) -> Double {
        f0 * (2 + 3 * c - c * c * c) / 4 + fl * (1 - (1 - c) * (1 - c) * (1 - c) / 8) + fr * (1 + c) * (1 + c) * (1 + c) / 8
    }

    /// Four cos theta* draws at per-lane masses (FR = 0), exactly: a uniform picks the helicity,
    /// three more give the shape. 3/4 (1 - c^2) is the density of the median of three uniforms
    /// on [-1, 1]; 3/8 (1 - c)^2 is that of 1 - 2 max(u1, u2, u3).
    @inlinable @inline(__always)
    static func sample(parent mA: Lanes, boson mB: Lanes, rng: inout EventRandom) -> Lanes {
        let a2 = mA * mA, f0 = a2 / (a2 + 2 * mB * mB)
        let pick = rng.uniforms()
        let u1 = rng.uniforms(), u2 = rng.uniforms(), u3 = rng.uniforms()
        let low = u1.replacing(with: u2, where: u2 .< u1), high = u1.replacing(with: u2, where: u1 .< u2)
        // median(u1, u2, u3) = max(min(u1, u2), min(max(u1, u2), u3)).
        let capped = high.replacing(with: u3, where: u3 .< high)
        let median = capped.replacing(with: low, where: capped .< low)
        let largest = high.replacing(with: u3, where: high .< u3)
        let longitudinal = 2 * median - 1, left = 1 - 2 * largest
        return left.replacing(with: longitudinal, where: pick .< f0)
    }
}
