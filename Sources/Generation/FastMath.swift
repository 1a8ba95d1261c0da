/// Inlined elementary functions for the event loops: no library call, no table, accurate to a
/// few units in the last place over the ranges the generator uses (checked against libm in
/// `FastMathTests`). Polynomials are Taylor series truncated where the first dropped term is
/// below 1e-17 relative on the reduced interval.
public enum FastMath {
    /// pi / 2 split for Cody-Waite reduction: `pio2Hi` has 33 significant bits, so q * pio2Hi
    /// is exact for |q| < 2^20; `pio2Lo` = pi/2 - pio2Hi.
    @inlinable static var pio2Hi: Double { 1.5707963267341256 }
    @inlinable static var pio2Lo: Double { 6.077100506506192e-11 }
    /// ln 2 split the same way (`ln2Hi` has 32 significant bits).
    @inlinable static var ln2Hi: Double { 0.6931471803691238 }
    @inlinable static var ln2Lo: Double { 1.9082149292705877e-10 }

    /// (sin r, cos r) for |r| <= pi/4 (Taylor series to r^17 and r^18: truncation < 5e-17).
    @inlinable @inline(__always)
    static func sinCosReduced(_ r: Double) -> (Double, Double) {
        let z = r * r
        var s = 1.0 / 355_687_428_096_000      // 1/17!
        s = s * z - 1.0 / 1_307_674_368_000    // 1/15!
        s = s * z + 1.0 / 6_227_020_800        // 1/13!
        s = s * z - 1.0 / 39_916_800           // 1/11!
        s = s * z + 1.0 / 362_880              // 1/9!
        s = s * z - 1.0 / 5040
        s = s * z + 1.0 / 120
        s = s * z - 1.0 / 6
        let sinR = r + r * z * s
        var c = 1.0 / 6_402_373_705_728_000    // 1/18!
        c = c * z - 1.0 / 20_922_789_888_000   // 1/16!
        c = c * z + 1.0 / 87_178_291_200       // 1/14!
        c = c * z - 1.0 / 479_001_600          // 1/12!
        c = c * z + 1.0 / 3_628_800            // 1/10!
        c = c * z - 1.0 / 40320
        c = c * z + 1.0 / 720
        c = c * z - 1.0 / 24
        c = c * z + 0.5
        let cosR = 1 - z * c
        return (sinR, cosR)
    }

    /// Rotates (sin r, cos r) by q quarter turns: (sin, cos) of r + q pi/2.
    @inlinable @inline(__always)
    static func quadrant(_ q: Int, _ sc: (Double, Double)) -> (sin: Double, cos: Double) {
        switch q & 3 {
        case 0: return (sc.0, sc.1)
        case 1: return (sc.1, -sc.0)
        case 2: return (-sc.0, -sc.1)
        default: return (-sc.1, sc.0)
        }
    }

    /// (sin x, cos x) for |x| < 1e5 (radians).
    @inlinable @inline(__always)
    public static func sinCos(_ x: Double) -> (sin: Double, cos: Double) {
        let qd = (x * (2 / Double.pi)).rounded()
        let r = (x - qd * pio2Hi) - qd * pio2Lo
        return quadrant(Int(qd), sinCosReduced(r))
    }

    /// (sin, cos) of the angle 2 pi t for a fraction of a turn t in [0, 1] (the azimuth of a
    /// uniform t): the quadrant comes from 4 t exactly, no reduction error.
    @inlinable @inline(__always)
    public static func sinCos(turns t: Double) -> (sin: Double, cos: Double) {
        let f = 4 * t
        let qd = f.rounded()
        return quadrant(Int(qd), sinCosReduced((f - qd) * (Double.pi / 2)))
    }

    /// tan x for |x| < pi/2 (radians), as sin/cos.
    @inlinable @inline(__always)
    public static func tan(_ x: Double) -> Double {
        let sc = sinCos(x)
        return sc.sin / sc.cos
    }

    /// e^x for -708 <= x <= 709 (2^k e^r, |r| <= ln2/2, Taylor to r^13: truncation < 5e-18).
    @inlinable @inline(__always)
    public static func exp(_ x: Double) -> Double {
        let kd = (x * (1 / 0.6931471805599453)).rounded()
        let r = (x - kd * ln2Hi) - kd * ln2Lo
        var p = 1.0 / 6_227_020_800            // 1/13!
        p = p * r + 1.0 / 479_001_600
        p = p * r + 1.0 / 39_916_800
        p = p * r + 1.0 / 3_628_800
        p = p * r + 1.0 / 362_880
        p = p * r + 1.0 / 40320
        p = p * r + 1.0 / 5040
        p = p * r + 1.0 / 720
        p = p * r + 1.0 / 120
        p = p * r + 1.0 / 24
        p = p * r + 1.0 / 6
        p = p * r + 0.5
        let er = 1 + (r + r * r * p)
        // 2^k in two factors so that k down to -1074 + 52 stays representable.
        let k = Int(kd), k1 = k >> 1, k2 = k - k1
        return er * Double(bitPattern: UInt64(1023 + k1) << 52) * Double(bitPattern: UInt64(1023 + k2) << 52)
    }

    /// ln x for a positive normal x: x = 2^k m, m in [sqrt(1/2), sqrt(2)), ln m = 2 atanh(f),
    /// f = (m - 1)/(m + 1), |f| <= 0.1716 (series to f^21: truncation < 5e-18).
    @inlinable @inline(__always)
    public static func log(_ x: Double) -> Double {
        let bits = x.bitPattern
        var k = Int((bits >> 52) & 0x7FF) - 1023
        var m = Double(bitPattern: (bits & 0x000F_FFFF_FFFF_FFFF) | 0x3FF0_0000_0000_0000)
        if m > 1.4142135623730951 { m *= 0.5; k += 1 }
        let f = (m - 1) / (m + 1)
        let z = f * f
        var p = 1.0 / 21
        p = p * z + 1.0 / 19
        p = p * z + 1.0 / 17
        p = p * z + 1.0 / 15
        p = p * z + 1.0 / 13
        p = p * z + 1.0 / 11
        p = p * z + 1.0 / 9
        p = p * z + 1.0 / 7
        p = p * z + 1.0 / 5
        p = p * z + 1.0 / 3
        let kd = Double(k)
        return kd * ln2Hi + (2 * f + (2 * f * z * p + kd * ln2Lo))
    }
}
