import Foundation
import Generation

/// The random stream of one event of the smeared-solution reconstruction: SplitMix64 (Steele,
/// Lea, Flood 2014) keyed by (seed, event key). A value type on the stack, so a stream costs
/// no allocation, and every event's draws depend only on the seed and its index: the output is
/// the same for any thread count or chunking.
struct KinRecoRandom {
    private var state: UInt64
    /// Second Box-Muller deviate, waiting.
    private var spare = 0.0, hasSpare = false

    init(seed: UInt64, event: Int) {
        state = SeedHasher.splitMix64(SeedHasher.splitMix64(seed) ^ (UInt64(truncatingIfNeeded: event) &* 0xD6E8_FEB8_6659_FD93))
    }

    @inline(__always)
    mutating func next() -> UInt64 {
        let z = SeedHasher.splitMix64(state)
        state &+= 0x9E37_79B9_7F4A_7C15
        return z
    }

    /// Uniform in [0, 1) with 53 random bits.
    @inline(__always)
    mutating func uniform() -> Double { Double(next() >> 11) * 0x1p-53 }

    /// Standard normal deviate (Box-Muller, both deviates of a pair used).
    @inline(__always)
    mutating func gaussian() -> Double {
        if hasSpare { hasSpare = false; return spare }
        let u1 = 1 - uniform(), u2 = uniform()  // u1 in (0, 1]: log finite
        let r = (-2 * log(u1)).squareRoot(), phi = 2 * Double.pi * u2
        spare = r * sin(phi); hasSpare = true
        return r * cos(phi)
    }
}
