#if canImport(Glibc)
import Glibc
#endif
import Core

/// Inlined elementary functions for the event loops: no library call, accurate to a few
/// units in the last place over the ranges the generator uses (checked against libm in
/// `FastMathTests`). Reductions use small tables (`FastMathTables`); the polynomials are
/// Taylor series truncated where the first dropped term is below 1e-16 relative. They are
/// written once, on four lanes (`FastMath+Lanes.swift`); the scalar forms take lane 0.
public enum FastMath {
    // Rounding to nearest is done by adding and subtracting 1.5 * 2^52 (`rounded()` is a libm
    // call on baseline x86-64, which has no SSE4.1).

    /// ln 2 split for Cody-Waite reduction (`ln2Hi` has 32 significant bits, so k * ln2Hi is
    /// exact for |k| < 2^21).
    @inlinable static var ln2Hi: Double { 0.6931471803691238 }
    @inlinable static var ln2Lo: Double { 1.9082149292705877e-10 }

    /// (sin, cos) of the angle 2 pi f / 256 (|f| < 2^50): lane 0 of the four-lane version
    /// (`FastMath+Lanes.swift`, the one implementation).
    @inlinable @inline(__always)
    static func sinCos(steps f: Double, _ tables: FastMathTables) -> (sin: Double, cos: Double) {
        let sc = sinCos(steps: Lanes(repeating: f), tables)
        return (sc.sin[0], sc.cos[0])
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

    /// e^x for -708 <= x <= 709: lane 0 of the four-lane version.
    @inlinable @inline(__always)
    public static func exp(_ x: Double, _ tables: FastMathTables = .shared) -> Double {
        exp(Lanes(repeating: x), tables)[0]
    }

    /// ln x for a positive normal x: lane 0 of the four-lane version.
    @inlinable @inline(__always)
    public static func log(_ x: Double) -> Double {
        log(Lanes(repeating: x))[0]
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
