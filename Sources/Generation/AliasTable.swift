import Core
/// Walker's alias method (Vose's construction): O(1) draws of an index with probability
/// proportional to the given non-negative weights.
public struct AliasTable: Sendable {
    @usableFromInline let probability: [Double]
    @usableFromInline let alias: [Int32]

    /// Weights must be finite, >= 0, not all zero.
    public init(weights: [Double]) {
        let n = weights.count
        let total = weights.reduce(0, +)
        var scaled = weights.map { $0 * Double(n) / total }
        var prob = [Double](repeating: 1, count: n)
        var alias = [Int32](repeating: 0, count: n)
        var small: [Int] = [], large: [Int] = []
        for (i, w) in scaled.enumerated() { if w < 1 { small.append(i) } else { large.append(i) } }
        while let s = small.popLast() {
            guard let l = large.popLast() else { prob[s] = 1; alias[s] = Int32(s); continue }
            prob[s] = scaled[s]
            alias[s] = Int32(l)
            scaled[l] -= 1 - scaled[s]
            if scaled[l] < 1 { small.append(l) } else { large.append(l) }
        }
        for l in large { prob[l] = 1; alias[l] = Int32(l) }
        probability = prob
        self.alias = alias
    }

    public var count: Int { probability.count }

    /// The index for a uniform u in [0, 1): lane 0 of `indices(_:)`.
    @inlinable @inline(__always)
    public func index(_ u: Double) -> Int {
        Int(indices(Lanes(repeating: u))[0])
    }

    /// Four indices for four uniforms in [0, 1): k = floor(u n), kept when the fraction of u n
    /// is below the cell's probability, else the cell's alias.
    @inlinable @inline(__always)
    public func indices(_ u: Lanes) -> SIMD4<Int32> {
        let n = probability.count
        let x = u * Double(n)
        // Int(x) for 0 <= x < 2^31 without a conversion call: round to nearest through the
        // bits of 1.5 * 2^52 + x, then step down where that rounded up.
        let rounded = (x + 6_755_399_441_055_744.0) - 6_755_399_441_055_744.0
        let whole = rounded.replacing(with: rounded - 1, where: rounded .> x)
        let bits = unsafeBitCast(whole + 6_755_399_441_055_744.0, to: SIMD4<UInt64>.self)
        var out = SIMD4<Int32>.zero
        probability.withUnsafeBufferPointer { prob in
            alias.withUnsafeBufferPointer { alias in
                for l in 0..<4 {
                    let k = min(Int(truncatingIfNeeded: bits[l] & 0xFFFF_FFFF), n - 1)
                    out[l] = x[l] - Double(k) < prob[k] ? Int32(truncatingIfNeeded: k) : alias[k]
                }
            }
        }
        return out
    }
}
