import Core
/// Draws for four events at once (`Lanes`): four consecutive uniforms of the stream, lane 0
/// first, exactly as four calls of `uniform()` would give them.
extension EventRandom {
    /// The next four raw 32-bit words of the stream.
    @inlinable @inline(__always)
    public mutating func words4() -> SIMD4<UInt32> {
        guard index &+ 4 <= Self.batch else { return SIMD4(next32(), next32(), next32(), next32()) }
        let w = UnsafeRawPointer(words + index).loadUnaligned(as: SIMD4<UInt32>.self)
        index &+= 4
        return w
    }

    /// Four uniforms in [0, 1): the next four words / 2^32.
    @inlinable @inline(__always)
    public mutating func uniforms() -> Lanes {
        Lanes(words4()) * (1.0 / 4_294_967_296.0)
    }

    /// Four standard normal deviates: one word per lane through the ziggurat's inner
    /// rectangles as in `gaussian()`; a lane that falls outside (3 % of them) takes the wedge or
    /// tail test, and when that rejects, a fresh `gaussian()` (in lane order, after the four
    /// words).
    @inlinable @inline(__always)
    public mutating func gaussians() -> Lanes {
        let u = words4()
        let layer = u & 127
        let j = Lanes(u &>> 8)
        let l0 = zig[Int(layer[0])], l1 = zig[Int(layer[1])], l2 = zig[Int(layer[2])], l3 = zig[Int(layer[3])]
        let x = j * Lanes(l0.scale, l1.scale, l2.scale, l3.scale)
        let inner = j .< Lanes(l0.limit, l1.limit, l2.limit, l3.limit)
        let sign = 1 - Lanes(u & 128) * (2.0 / 128)
        var g = sign * x
        if !all(inner) {
            for l in 0..<4 where !inner[l] {
                g[l] = gaussianEdge(layer[l], x[l]).map { sign[l] * $0 } ?? gaussian()
            }
        }
        return g
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
