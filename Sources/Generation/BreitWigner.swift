#if canImport(Glibc)
import Glibc
#endif

/// A relativistic Breit-Wigner in m^2, density proportional to 1 / ((m^2 - M^2)^2 + M^2 Gamma^2),
/// truncated to `lower <= m <= upper` (GeV) and sampled exactly by the tan mapping
/// m^2 = M^2 + M Gamma tan(theta), theta uniform on [theta(lower), theta(upper)].
/// `width == 0` means on shell: every draw is M.
///
/// Two exact ways to get tan(theta): `mass(_ u:)` evaluates tan(theta0 + u (theta1 - theta0));
/// `mass(_ rng:)` takes the slope y/x of a uniform point of the unit half-disk that falls in
/// the sector between the slopes tan(theta0) = (lower^2 - M^2)/(M Gamma) and tan(theta1) (the
/// angle of a uniform point in a disk is uniform), which needs no trigonometric call. It is
/// used when the sector holds at least a quarter of the half-disk (acceptance >= 0.2);
/// narrower windows, and windows clipped below `upper`, use the tan evaluation, so no
/// rejection loop can run long.
public struct BreitWigner: Sendable, Equatable {
    /// Pole mass M and width Gamma (GeV).
    public let pole: Double
    public let width: Double
    /// Mass window (GeV).
    public let lower: Double
    public let upper: Double
    @usableFromInline let mg: Double
    @usableFromInline let thetaLower: Double
    @usableFromInline let thetaUpper: Double
    @usableFromInline let slopeLower: Double
    @usableFromInline let slopeUpper: Double
    @usableFromInline let useSector: Bool

    /// The MadGraph `bwcutoff` window: |m - M| < cutoff Gamma, intersected with [floor, +inf).
    public init(pole: Double, width: Double, cutoff: Double = 15, floor: Double = 0) {
        let lo = width > 0 ? max(pole - cutoff * width, floor) : pole
        let hi = width > 0 ? max(pole + cutoff * width, lo) : pole
        self.init(pole: pole, width: width, lower: lo, upper: hi)
    }

    /// Explicit window [lower, upper] (GeV).
    public init(pole: Double, width: Double, lower: Double, upper: Double) {
        self.pole = pole; self.width = width; self.lower = lower; self.upper = upper
        mg = pole * width
        if width > 0 {
            slopeLower = (lower * lower - pole * pole) / mg
            slopeUpper = (upper * upper - pole * pole) / mg
            thetaLower = atan(slopeLower)
            thetaUpper = atan(slopeUpper)
            useSector = thetaUpper - thetaLower >= Double.pi / 4
        } else {
            thetaLower = 0; thetaUpper = 0; slopeLower = 0; slopeUpper = 0; useSector = false
        }
    }

    /// A mass drawn with `rng` over the full window (sector method when wide, else tan).
    @inlinable @inline(__always)
    public func mass(_ rng: inout EventRandom) -> Double {
        if width == 0 { return pole }
        guard useSector else { return mass(rng.uniform(), thetaLower, thetaUpper, upper) }
        while true {
            let x = rng.uniformPositive(), y = 2 * rng.uniform() - 1
            if x * x + y * y <= 1, y >= slopeLower * x, y <= slopeUpper * x {
                let m2 = pole * pole + mg * (y / x)
                return min(max(m2.squareRoot(), lower), upper)
            }
        }
    }

    /// A mass drawn with `rng` within [lower, min(upper, limit)] (limit >= lower): the sector
    /// method for the full window, the tan mapping over the reduced interval when clipped.
    @inlinable @inline(__always)
    public func mass(_ rng: inout EventRandom, below limit: Double) -> Double {
        if width == 0 { return pole }
        if limit >= upper { return mass(&rng) }
        return mass(rng.uniform(), thetaLower, theta(limit), limit)
    }

    /// Whether draws are fixed at the pole.
    @inlinable public var isNarrow: Bool { width == 0 }

    /// theta(m) = atan((m^2 - M^2) / (M Gamma)).
    @inlinable public func theta(_ m: Double) -> Double { atan((m * m - pole * pole) / mg) }

    /// The mass for a uniform u in [0, 1) within the window.
    @inlinable @inline(__always)
    public func mass(_ u: Double) -> Double {
        if width == 0 { return pole }
        return mass(u, thetaLower, thetaUpper, upper)
    }

    /// The mass for a uniform u within [lower, min(upper, limit)] (limit >= lower): the
    /// kinematic clip of a parent that cannot afford the full window. Exact: the tan
    /// mapping over the reduced interval, no rejection.
    @inlinable @inline(__always)
    public func mass(_ u: Double, below limit: Double) -> Double {
        if width == 0 { return pole }
        if limit >= upper { return mass(u, thetaLower, thetaUpper, upper) }
        return mass(u, thetaLower, theta(limit), limit)
    }

    @inlinable @inline(__always)
    func mass(_ u: Double, _ t0: Double, _ t1: Double, _ hi: Double) -> Double {
        let m2 = pole * pole + mg * tan(t0 + u * (t1 - t0))
        return min(max(m2.squareRoot(), lower), hi)
    }

    /// The truncated CDF at m for the window [lower, hi] (hi defaults to `upper`).
    public func cdf(_ m: Double, upTo hi: Double? = nil) -> Double {
        let top = min(hi ?? upper, upper)
        if width == 0 { return m >= pole ? 1 : 0 }
        if m <= lower { return 0 }
        if m >= top { return 1 }
        return (theta(m) - thetaLower) / (theta(top) - thetaLower)
    }
}
