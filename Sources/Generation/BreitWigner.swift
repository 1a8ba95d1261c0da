#if canImport(Glibc)
import Glibc
#endif
import Core

/// A relativistic Breit-Wigner in m^2, density proportional to 1 / ((m^2 - M^2)^2 + M^2 Gamma^2),
/// truncated to `lower <= m <= upper` (GeV) and sampled exactly by inverting its CDF, the tan
/// mapping m^2 = M^2 + M Gamma tan(theta), theta uniform on [theta(lower), theta(upper)]: one
/// uniform per mass, no rejection; tan from the inlined `FastMath.tan`.
/// `width == 0` means on shell: every draw is M.
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
    @usableFromInline let tables = FastMathTables.shared

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
            thetaLower = atan((lower * lower - pole * pole) / mg)
            thetaUpper = atan((upper * upper - pole * pole) / mg)
        } else {
            thetaLower = 0; thetaUpper = 0
        }
    }

    /// A mass drawn with `rng` over the full window.
    @inlinable @inline(__always)
    public func mass(_ rng: inout EventRandom) -> Double {
        if width == 0 { return pole }
        return mass(rng.uniform())
    }

    /// A mass drawn with `rng` within [lower, min(upper, limit)] (limit >= lower): the tan
    /// mapping over the full or the reduced interval.
    @inlinable @inline(__always)
    public func mass(_ rng: inout EventRandom, below limit: Double) -> Double {
        if width == 0 { return pole }
        return mass(rng.uniform(), below: limit)
    }

    /// Whether draws are fixed at the pole.
    @inlinable public var isNarrow: Bool { width == 0 }

    /// theta(m) = atan((m^2 - M^2) / (M Gamma)).
    @inlinable public func theta(_ m: Double) -> Double { atan((m * m - pole * pole) / mg) }

    /// The mass for a uniform u in [0, 1) within the window.
    @inlinable @inline(__always)
    public func mass(_ u: Double) -> Double {
        mass(u, below: upper)
    }

    /// The mass for a uniform u within [lower, min(upper, limit)] (limit >= lower): the
    /// kinematic clip of a parent that cannot afford the full window. Exact: the tan
    /// mapping over the reduced interval, no rejection. Lane 0 of `masses(_:below:)`.
    @inlinable @inline(__always)
    public func mass(_ u: Double, below limit: Double) -> Double {
        if width == 0 { return pole }
        return masses(Lanes(repeating: u), below: Lanes(repeating: limit))[0]
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

extension BreitWigner {
    /// Four masses, one uniform each from `rng` (none when on shell), each within
    /// [lower, min(upper, limit)] (limit >= lower).
    @inlinable @inline(__always)
    public func masses(_ rng: inout EventRandom, below limit: Lanes) -> Lanes {
        if width == 0 { return Lanes(repeating: pole) }
        return masses(rng.uniforms(), below: limit)
    }

    /// The masses for four uniforms u within [lower, min(upper, limit)] (limit >= lower): the tan
    /// mapping m^2 = M^2 + M Gamma tan(theta), theta uniform over [theta(lower), theta(end)]
    /// (the one implementation; the scalar forms take lane 0). The clipped interval's end,
    /// atan of the limit, is computed only for the lanes that need it.
    @inlinable @inline(__always)
    public func masses(_ u: Lanes, below limit: Lanes) -> Lanes {
        if width == 0 { return Lanes(repeating: pole) }
        let full = limit .>= upper
        var t1 = Lanes(repeating: thetaUpper), hi = Lanes(repeating: upper)
        if !all(full) {
            for j in 0..<4 where !full[j] {
                t1[j] = theta(limit[j]); hi[j] = limit[j]
            }
        }
        let m2 = pole * pole + mg * FastMath.tan(thetaLower + u * (t1 - thetaLower), tables)
        return m2.squareRoot().clamped(below: Lanes(repeating: lower), above: hi)
    }
}
