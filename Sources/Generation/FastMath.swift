#if canImport(Glibc)
import Glibc
#endif

/// Inlined elementary functions for the event loops: no library call, accurate to a few
/// units in the last place over the ranges the generator uses (checked against libm in
/// `FastMathTests`). Reductions use small tables (`FastMathTables`); the polynomials are
/// Taylor series truncated where the first dropped term is below 1e-16 relative.
public enum FastMath {
    // Rounding to nearest is done by adding and subtracting 1.5 * 2^52 (`rounded()` is a libm
    // call on baseline x86-64, which has no SSE4.1).

    /// ln 2 split for Cody-Waite reduction (`ln2Hi` has 32 significant bits, so k * ln2Hi is
    /// exact for |k| < 2^21).
    @inlinable static var ln2Hi: Double { 0.6931471803691238 }
    @inlinable static var ln2Lo: Double { 1.9082149292705877e-10 }

    /// (sin, cos) of the angle 2 pi f / 256 (|f| < 2^50): the nearest of 256 table angles
    /// 2 pi k / 256 plus a remainder |d| <= pi/256, whose sine and cosine are Taylor series to
    /// d^5 and d^6 (truncation < 1e-17), combined by the addition theorem. The table index is
    /// read from the bits of the rounding sum (no float-to-integer conversion).
    @inlinable @inline(__always)
    static func sinCos(steps f: Double, _ tables: FastMathTables) -> (sin: Double, cos: Double) {
        let b = f + 6_755_399_441_055_744.0
        let k = b - 6_755_399_441_055_744.0
        let d = (f - k) * (2 * Double.pi / 256)
        let z = d * d
        let sd = d + d * z * (z * (1.0 / 120) - 1.0 / 6)
        let cd = 1 - z * (0.5 - z * (1.0 / 24 - z * (1.0 / 720)))
        let p = tables.sinCos + 2 * Int(truncatingIfNeeded: b.bitPattern & 255)
        let sa = p[0], ca = p[1]
        return (sa * cd + ca * sd, ca * cd - sa * sd)
    }

    /// (sin, cos) of the angle 2 pi t for a fraction of a turn t (|t| < 2^40), e.g. the azimuth
    /// of a uniform t: 256 t is exact, so the reduction adds no error.
    ///
    /// Every function takes the tables explicitly (hot loops keep them in a stored property:
    /// reading the global `FastMathTables.shared` costs a lazy-initialisation check per call).
    @inlinable @inline(__always)
    public static func sinCos(turns t: Double, _ tables: FastMathTables = .shared) -> (sin: Double, cos: Double) {
        sinCos(steps: t * 256, tables)
    }

    /// (sin x, cos x) for |x| < 1e6 (radians).
    @inlinable @inline(__always)
    public static func sinCos(_ x: Double, _ tables: FastMathTables = .shared) -> (sin: Double, cos: Double) {
        sinCos(steps: x * (256 / (2 * Double.pi)), tables)
    }

    /// tan x for |x| < pi/2 (radians), as sin/cos.
    @inlinable @inline(__always)
    public static func tan(_ x: Double, _ tables: FastMathTables = .shared) -> Double {
        let sc = sinCos(x, tables)
        return sc.sin / sc.cos
    }

    /// e^x for -708 <= x <= 709: 2^(k/64) from the table times e^r, |r| <= ln2/128, Taylor
    /// to r^5 (truncation < 4e-17).
    @inlinable @inline(__always)
    public static func exp(_ x: Double, _ tables: FastMathTables = .shared) -> Double {
        // b = 1.5 * 2^52 + k: its mantissa holds 2^51 + k, read without a conversion.
        let b = x * (64 / 0.6931471805599453) + 6_755_399_441_055_744.0
        let kd = b - 6_755_399_441_055_744.0
        let r = (x - kd * (ln2Hi / 64)) - kd * (ln2Lo / 64)
        let p = 1 + (r + r * r * (0.5 + r * (1.0 / 6 + r * (1.0 / 24 + r * (1.0 / 120)))))
        let mantissa = b.bitPattern & 0x000F_FFFF_FFFF_FFFF
        let scale = Double(bitPattern: (mantissa >> 6 &+ (1023 &- (1 << 45))) << 52)
        return p * tables.exp2[Int(truncatingIfNeeded: mantissa & 63)] * scale
    }

    /// ln x for a positive normal x: x = 2^k m, m in [sqrt(1/2), sqrt(2)), ln m = 2 atanh(f),
    /// f = (m - 1)/(m + 1), |f| <= 0.1716 (series to f^21: truncation < 5e-18).
    @inlinable @inline(__always)
    public static func log(_ x: Double) -> Double {
        // Branch-free split: subtracting the bits of sqrt(1/2) makes the exponent field of the
        // difference k, with m = x / 2^k in [sqrt(1/2), sqrt(2)).
        let bits = Int64(bitPattern: x.bitPattern)
        let k = (bits &- 0x3FE6_A09E_667F_3BCD) >> 52
        let m = Double(bitPattern: UInt64(bitPattern: bits &- (k << 52)))
        let f = (m - 1) / (m + 1)
        let z = f * f
        // Series 1/3 + z/5 + ... + z^9/21 by Estrin's scheme (short dependency chains).
        let z2 = z * z, z4 = z2 * z2, z8 = z4 * z4
        let q0 = 1.0 / 3 + z * (1.0 / 5), q1 = 1.0 / 7 + z * (1.0 / 9), q2 = 1.0 / 11 + z * (1.0 / 13)
        let q3 = 1.0 / 15 + z * (1.0 / 17), q4 = 1.0 / 19 + z * (1.0 / 21)
        let p = (q0 + z2 * q1) + z4 * (q2 + z2 * q3) + z8 * q4
        let kd = Double(k)
        return kd * ln2Hi + (2 * f + (2 * f * z * p + kd * ln2Lo))
    }
}

/// The tables of `FastMath`, built once and never freed: sin and cos of 2 pi k / 256
/// (k = 0..255, interleaved) and 2^(j/64) (j = 0..63), computed in 80-bit extended precision
/// (libm's sinl, cosl, exp2l) and rounded to double, so each entry is within 0.5 ulp (a double
/// angle 2 pi k / 256 alone would carry up to 4e-16 absolute error into the table).
public struct FastMathTables: @unchecked Sendable, Equatable {
    public let sinCos: UnsafePointer<Double>
    public let exp2: UnsafePointer<Double>

    /// The shared tables.
    public static let shared = FastMathTables()

    init() {
        let t = UnsafeMutablePointer<Double>.allocate(capacity: 512)
        for k in 0..<256 {
            let a = 2 * Float80.pi * Float80(k) / 256
            t[2 * k] = Double(Glibc.sinl(a)); t[2 * k + 1] = Double(Glibc.cosl(a))
        }
        // Exact values at the quarter turns (sinl gives ~1e-20 instead of 0 at pi).
        for k in stride(from: 0, to: 256, by: 64) {
            let q = k / 64
            t[2 * k] = [0.0, 1, 0, -1][q]; t[2 * k + 1] = [1.0, 0, -1, 0][q]
        }
        let e = UnsafeMutablePointer<Double>.allocate(capacity: 64)
        for j in 0..<64 { e[j] = Double(Glibc.exp2l(Float80(j) / 64)) }
        sinCos = UnsafePointer(t)
        exp2 = UnsafePointer(e)
    }
}
