/// A small seeded generator (SplitMix64, Steele, Lea & Flood 2014) whose whole state is one
/// `UInt64`, so checkpoints can store and restore it exactly. Used for the network's weight
/// initialisation and epoch shuffles, the bench's train/test split, and (one step of it) for
/// `SeedHasher`'s stream seeds.
public struct SplitMix64: Sendable, Equatable {
    /// The full generator state.
    public var state: UInt64

    public init(seed: UInt64) { state = seed }

    /// The next 64 random bits.
    @inlinable
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// Uniform in [0, 1) with 53 random bits.
    @inlinable
    public mutating func uniform() -> Double { Double(next() >> 11) * 0x1.0p-53 }

    /// Uniform integer in [0, n), n > 0 (Lemire's multiply-shift with rejection: unbiased).
    @inlinable
    public mutating func integer(below n: Int) -> Int {
        precondition(n > 0, "integer(below:) needs n > 0")
        let bound = UInt64(n)
        let threshold = (0 &- bound) % bound
        while true {
            let r = next().multipliedFullWidth(by: bound)
            if r.low >= threshold { return Int(r.high) }
        }
    }

    /// Fisher-Yates shuffle of `indices` in place.
    public mutating func shuffle(_ indices: inout [Int]) {
        var i = indices.count - 1
        while i > 0 {
            let j = integer(below: i + 1)
            indices.swapAt(i, j)
            i -= 1
        }
    }
}
