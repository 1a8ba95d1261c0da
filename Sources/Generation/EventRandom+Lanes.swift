/// Draws for four events at once (`Lanes`): four consecutive uniforms of the stream, lane 0
/// first, exactly as four calls of `uniform()` would give them.
extension EventRandom {
    /// Four uniforms in [0, 1): the next four words / 2^32.
    @inlinable @inline(__always)
    public mutating func uniforms() -> Lanes {
        guard index &+ 4 <= Self.batch else { return Lanes(uniform(), uniform(), uniform(), uniform()) }
        let w = UnsafeRawPointer(words + index).loadUnaligned(as: SIMD4<UInt32>.self)
        index &+= 4
        return Lanes(w) * (1.0 / 4_294_967_296.0)
    }

    /// Four isotropic unit vectors (x, y, z): cos theta = 2 u1 - 1 from one draw of four,
    /// phi = 2 pi u2 from the next (`FastMath.sinCos(turns:)`).
    @inlinable @inline(__always)
    public mutating func directions() -> (Lanes, Lanes, Lanes) {
        let c = 2 * uniforms() - 1
        let s = ((1 - c) * (1 + c)).squareRoot()
        let (sp, cp) = FastMath.sinCos(turns: uniforms(), tables)
        return (s * cp, s * sp, c)
    }

    /// Four uniform azimuths as (cos phi, sin phi).
    @inlinable @inline(__always)
    public mutating func azimuths() -> (Lanes, Lanes) {
        let (sp, cp) = FastMath.sinCos(turns: uniforms(), tables)
        return (cp, sp)
    }
}
