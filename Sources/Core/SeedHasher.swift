/// Derives independent stream seeds from a user seed (docs/physics.md#random-numbers): SplitMix64 over
/// (seed, shard, stream), folded to a non-zero 32-bit GSL seed.
public enum SeedHasher {
    /// One SplitMix64 step from state `x`: the first output of `SplitMix64(seed: x)`.
    @inlinable
    public static func splitMix64(_ x: UInt64) -> UInt64 {
        var generator = SplitMix64(seed: x)
        return generator.next()
    }

    /// Non-zero 32-bit seed for shard `shard` (0-based) and per-thread stream `stream` of user seed `seed`.
    public static func streamSeed(seed: UInt64, shard: Int, stream: Int = 0) -> UInt32 {
        var h = splitMix64(seed)
        h = splitMix64(h ^ UInt64(truncatingIfNeeded: shard))
        h = splitMix64(h ^ (UInt64(truncatingIfNeeded: stream) &* 0xD6E8_FEB8_6659_FD93))
        let folded = UInt32(truncatingIfNeeded: h ^ (h >> 32))
        return folded == 0 ? 0x9E37_79B9 : folded
    }
}
