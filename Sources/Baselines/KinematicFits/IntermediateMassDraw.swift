#if canImport(Glibc)
import Glibc
#endif

/// The m_B draws of the smeared-solution trials: a relativistic Breit-Wigner in m^2, density
/// proportional to 1 / ((m^2 - M^2)^2 + M^2 Gamma^2), on the window |m - M| < 15 Gamma above a
/// floor, as the generator truncates it; sampled exactly by the inverse CDF, the tan mapping
/// m^2 = M^2 + M Gamma tan(theta) with theta uniform between the window's ends. (The generator's
/// own sampler runs four lanes on fast-math tables for bit-identical events; a fit needs neither.)
/// Width 0: every draw is the pole.
struct IntermediateMassDraw: Sendable {
    let pole: Double, width: Double
    /// The window (GeV).
    let lower: Double, upper: Double

    init(pole: Double, width: Double, floor: Double) {
        self.pole = pole; self.width = width
        lower = width > 0 ? max(pole - 15 * width, floor) : pole
        upper = width > 0 ? max(pole + 15 * width, lower) : pole
    }

    /// theta(m) = atan((m^2 - M^2) / (M Gamma)).
    func theta(_ m: Double) -> Double { atan((m * m - pole * pole) / (pole * width)) }

    /// The mass for a uniform u in [0, 1) within [lower, min(upper, limit)] (limit >= lower).
    func mass(_ u: Double, below limit: Double) -> Double {
        guard width > 0 else { return pole }
        let hi = min(upper, limit), t0 = theta(lower), t1 = theta(hi)
        let m2 = pole * pole + pole * width * tan(t0 + u * (t1 - t0))
        return min(max(m2.squareRoot(), lower), hi)
    }
}
