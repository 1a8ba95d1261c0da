import Core
/// `FastMath` on four lanes at once, the implementation behind the scalar forms too; table
/// entries are loaded lane by lane.
extension FastMath {
    /// (sin, cos) of the angles 2 pi f / 256 (|f| < 2^50): the nearest of 256 table angles
    /// 2 pi k / 256 plus a remainder |d| <= pi/256, whose sine and cosine are Taylor series to
    /// d^5 and d^6 (truncation < 1e-17), combined by the addition theorem. The table index is
    /// read from the bits of the rounding sum (no float-to-integer conversion).
    @inlinable @inline(__always)
    static func sinCos(steps f: Lanes, _ tables: FastMathTables) -> (sin: Lanes, cos: Lanes) {
        let b = f + 6_755_399_441_055_744.0
        let k = b - 6_755_399_441_055_744.0
        let d = (f - k) * (2 * Double.pi / 256)
        let z = d * d
        let sd = d + d * z * (z * (1.0 / 120) - 1.0 / 6)
        let cd = 1 - z * (0.5 - z * (1.0 / 24 - z * (1.0 / 720)))
        let index = (unsafeBitCast(b, to: SIMD4<UInt64>.self) & 255) &* 2
        let t = tables.sinCos
        let i0 = Int(truncatingIfNeeded: index[0]), i1 = Int(truncatingIfNeeded: index[1])
        let i2 = Int(truncatingIfNeeded: index[2]), i3 = Int(truncatingIfNeeded: index[3])
        let sa = Lanes(t[i0], t[i1], t[i2], t[i3])
        let ca = Lanes(t[i0 + 1], t[i1 + 1], t[i2 + 1], t[i3 + 1])
        return (sa * cd + ca * sd, ca * cd - sa * sd)
    }

    /// Lane-wise `sinCos(turns:_:)`: sin and cos of 2 pi t.
    @inlinable @inline(__always)
    public static func sinCos(turns t: Lanes, _ tables: FastMathTables = .shared) -> (sin: Lanes, cos: Lanes) {
        sinCos(steps: t * 256, tables)
    }

    /// Lane-wise `tan(_:_:)` for |x| < pi/2 (radians).
    @inlinable @inline(__always)
    public static func tan(_ x: Lanes, _ tables: FastMathTables = .shared) -> Lanes {
        let sc = sinCos(steps: x * (256 / (2 * Double.pi)), tables)
        return sc.sin / sc.cos
    }

    /// e^x for -708 <= x <= 709: 2^(k/64) from the table times e^r, |r| <= ln2/128, Taylor to
    /// r^5 (truncation < 4e-17); 2^(k/64) is split into its exponent and a table entry read from
    /// the bits of the rounding sum.
    @inlinable @inline(__always)
    public static func exp(_ x: Lanes, _ tables: FastMathTables = .shared) -> Lanes {
        let b = x * (64 / 0.6931471805599453) + 6_755_399_441_055_744.0
        let kd = b - 6_755_399_441_055_744.0
        let r = (x - kd * (ln2Hi / 64)) - kd * (ln2Lo / 64)
        let inner: Lanes = 1.0 / 24 + r * (1.0 / 120)
        let cubic: Lanes = 0.5 + r * (1.0 / 6 + r * inner)
        let p: Lanes = 1 + (r + r * r * cubic)
        let mantissa = unsafeBitCast(b, to: SIMD4<UInt64>.self) & 0x000F_FFFF_FFFF_FFFF
        let scale = unsafeBitCast(((mantissa &>> 6) &+ (1023 &- (1 << 45))) &<< 52, to: Lanes.self)
        let j = mantissa & 63
        let e = tables.exp2
        let table = Lanes(e[Int(truncatingIfNeeded: j[0])], e[Int(truncatingIfNeeded: j[1])],
                          e[Int(truncatingIfNeeded: j[2])], e[Int(truncatingIfNeeded: j[3])])
        return p * table * scale
    }

    /// ln x for positive normal x: x = 2^k m, m in [sqrt(1/2), sqrt(2)), ln m = 2 atanh(f),
    /// f = (m - 1)/(m + 1), |f| <= 0.1716 (series to f^21 by Estrin's scheme: truncation
    /// < 5e-18). Subtracting the bits of sqrt(1/2) makes the exponent field of the difference k.
    @inlinable @inline(__always)
    public static func log(_ x: Lanes) -> Lanes {
        let bits = unsafeBitCast(x, to: SIMD4<Int64>.self)
        let k = (bits &- 0x3FE6_A09E_667F_3BCD) &>> 52
        let m = unsafeBitCast(bits &- (k &<< 52), to: Lanes.self)
        let f = (m - 1) / (m + 1)
        let z = f * f
        let z2 = z * z, z4 = z2 * z2, z8 = z4 * z4
        let q0 = 1.0 / 3 + z * (1.0 / 5), q1 = 1.0 / 7 + z * (1.0 / 9), q2 = 1.0 / 11 + z * (1.0 / 13)
        let q3 = 1.0 / 15 + z * (1.0 / 17), q4 = 1.0 / 19 + z * (1.0 / 21)
        let p = (q0 + z2 * q1) + z4 * (q2 + z2 * q3) + z8 * q4
        // Double(k) exactly, |k| < 2^51: the bits of 1.5 * 2^52 + k, minus 1.5 * 2^52.
        let kd = unsafeBitCast(k &+ 0x4338_0000_0000_0000, to: Lanes.self) - 6_755_399_441_055_744.0
        return kd * ln2Hi + (2 * f + (2 * f * z * p + kd * ln2Lo))
    }
}
