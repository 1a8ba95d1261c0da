import Core
import Foundation

/// The random stream of one event of the smeared-solution reconstruction: Core's SplitMix64
/// keyed by (seed, event key), with Gaussian deviates. A value type on the stack, so a stream costs
/// no allocation, and every event's draws depend only on the seed and its index: the output is
/// the same for any thread count or chunking.
struct KinRecoRandom {
    private var bits: SplitMix64
    /// Second Box-Muller deviate, waiting.
    private var spare = 0.0, hasSpare = false

    init(seed: UInt64, event: Int) {
        bits = SplitMix64(seed: SeedHasher.splitMix64(SeedHasher.splitMix64(seed)
                                                      ^ (UInt64(truncatingIfNeeded: event) &* 0xD6E8_FEB8_6659_FD93)))
    }

    /// Uniform in [0, 1) with 53 random bits.
    @inline(__always)
    mutating func uniform() -> Double { bits.uniform() }

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
