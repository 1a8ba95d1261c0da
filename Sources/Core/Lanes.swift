/// Four events side by side: the event loops compute four candidates at once, one per lane of
/// a `SIMD4<Double>` (one AVX register when the build targets AVX2, two SSE2 registers
/// otherwise; the arithmetic is the same, lane by lane, so the results do not depend on the
/// instruction set: no operation is fused).
public typealias Lanes = SIMD4<Double>

/// Four-momenta (E, px, py, pz) of four events, one per lane (GeV).
public struct LaneVectors {
    public var e: Lanes
    public var x: Lanes
    public var y: Lanes
    public var z: Lanes

    @inlinable @inline(__always)
    public init(e: Lanes, x: Lanes, y: Lanes, z: Lanes) {
        self.e = e; self.x = x; self.y = y; self.z = z
    }

    /// The four-vectors at rows p0, p1, p2, p3 (each four doubles E, px, py, pz), one per lane.
    @inlinable @inline(__always)
    public init(rows p0: UnsafePointer<Double>, _ p1: UnsafePointer<Double>, _ p2: UnsafePointer<Double>,
                _ p3: UnsafePointer<Double>) {
        let r0 = Lanes.load(p0), r1 = Lanes.load(p1), r2 = Lanes.load(p2), r3 = Lanes.load(p3)
        e = Lanes(r0[0], r1[0], r2[0], r3[0])
        x = Lanes(r0[1], r1[1], r2[1], r3[1])
        y = Lanes(r0[2], r1[2], r2[2], r3[2])
        z = Lanes(r0[3], r1[3], r2[3], r3[3])
    }

    /// The four-vectors at rows row..<row + count of a row-major (N, 4) array; lanes past
    /// `count` repeat the first row.
    @inlinable @inline(__always)
    public init(rows base: UnsafeMutablePointer<Double>, row: Int, count: Int) {
        let p = base + 4 * row
        self.init(rows: p, count > 1 ? p + 4 : p, count > 2 ? p + 8 : p, count > 3 ? p + 12 : p)
    }

    /// Lane j as a tuple (E, px, py, pz).
    @inlinable @inline(__always)
    public subscript(lane j: Int) -> (Double, Double, Double, Double) { (e[j], x[j], y[j], z[j]) }

    /// Writes lanes 0..<count to rows row, row + 1, ... of a row-major (N, 4) array.
    @inlinable @inline(__always)
    public func store(_ base: UnsafeMutablePointer<Double>, row: Int, count: Int) {
        let p = base + 4 * row
        if count == 4 {
            // The 4 x 4 transpose: one vector store per row.
            Lanes(e[0], x[0], y[0], z[0]).store(p)
            Lanes(e[1], x[1], y[1], z[1]).store(p + 4)
            Lanes(e[2], x[2], y[2], z[2]).store(p + 8)
            Lanes(e[3], x[3], y[3], z[3]).store(p + 12)
            return
        }
        var j = 0
        while j < count {
            let q = p + 4 * j
            q[0] = e[j]; q[1] = x[j]; q[2] = y[j]; q[3] = z[j]
            j &+= 1
        }
    }

    /// Whether each lane points inside the cone pz^2 < pT^2 c (and pT > 0).
    @inlinable @inline(__always)
    public func inside(_ c: Double) -> SIMDMask<SIMD4<Int64>> {
        let pt2 = x * x + y * y
        return (pt2 .> 0) .& (z * z .< pt2 * c)
    }
}

extension Lanes {
    /// Lanes loaded from `p[0..<4]` (unaligned).
    @inlinable @inline(__always)
    public static func load(_ p: UnsafePointer<Double>) -> Lanes {
        UnsafeRawPointer(p).loadUnaligned(as: Lanes.self)
    }

    /// Writes the lanes to `p[0..<4]` (unaligned).
    @inlinable @inline(__always)
    public func store(_ p: UnsafeMutablePointer<Double>) {
        UnsafeMutableRawPointer(p).storeBytes(of: self, as: Lanes.self)
    }

    /// Lane-wise max(self, floor) and min(., ceiling) with `Swift.max`/`Swift.min` semantics.
    @inlinable @inline(__always)
    public func clamped(below floor: Lanes, above ceiling: Lanes) -> Lanes {
        let low = replacing(with: floor, where: self .< floor)
        return low.replacing(with: ceiling, where: ceiling .< low)
    }
}
