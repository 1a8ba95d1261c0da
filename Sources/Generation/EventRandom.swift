#if canImport(Glibc)
import Glibc
#endif

/// The random source of the event loops: a value type with inlined draws.
///
/// For `taus2` it runs GSL's taus2 recurrence (L'Ecuyer 1996, the same shifts and masks
/// as gsl/rng/taus.c) in Swift, starting from the state GSL's own seeding routine
/// produces, so `uniform()` returns exactly the doubles `gsl_rng_uniform` would, without
/// a library call per draw. For `mt19937` every draw calls GSL. Gaussian deviates come
/// from the Marsaglia polar method on these uniforms (both algorithms alike).
public struct EventRandom {
    @usableFromInline var s1: UInt32
    @usableFromInline var s2: UInt32
    @usableFromInline var s3: UInt32
    @usableFromInline let gsl: RandomStream?
    @usableFromInline var spare: Double = 0
    @usableFromInline var hasSpare = false

    /// A stream of `algorithm` seeded with `seed` (non-zero; see `SeedHasher`).
    public init(algorithm: RandomAlgorithm, seed: UInt32) {
        let stream = RandomStream(algorithm: algorithm, seed: seed)
        switch algorithm {
        case .taus2:
            // gsl/rng/taus.c keeps three `unsigned long` words; only the low 32 bits matter.
            let words = stream.state.withUnsafeBytes { raw in
                (0..<3).map { raw.loadUnaligned(fromByteOffset: $0 * MemoryLayout<UInt>.size, as: UInt.self) }
            }
            s1 = UInt32(truncatingIfNeeded: words[0])
            s2 = UInt32(truncatingIfNeeded: words[1])
            s3 = UInt32(truncatingIfNeeded: words[2])
            gsl = nil
        case .mt19937:
            s1 = 0; s2 = 0; s3 = 0
            gsl = stream
        }
    }

    /// Uniform in [0, 1).
    @inlinable @inline(__always)
    public mutating func uniform() -> Double {
        if let gsl { return gsl.uniform() }
        s1 = ((s1 & 0xFFFF_FFFE) << 12) ^ (((s1 << 13) ^ s1) >> 19)
        s2 = ((s2 & 0xFFFF_FFF8) << 4) ^ (((s2 << 2) ^ s2) >> 25)
        s3 = ((s3 & 0xFFFF_FFF0) << 17) ^ (((s3 << 3) ^ s3) >> 11)
        return Double(s1 ^ s2 ^ s3) * (1.0 / 4_294_967_296.0)
    }

    /// Uniform in (0, 1): never exactly 0.
    @inlinable @inline(__always)
    public mutating func uniformPositive() -> Double {
        var u = uniform()
        while u == 0 { u = uniform() }
        return u
    }

    /// Standard normal deviate (Marsaglia polar method; the second deviate is kept).
    @inlinable @inline(__always)
    public mutating func gaussian() -> Double {
        if hasSpare { hasSpare = false; return spare }
        while true {
            let u = 2 * uniform() - 1, v = 2 * uniform() - 1
            let s = u * u + v * v
            if s < 1, s > 0 {
                let f = (-2 * log(s) / s).squareRoot()
                spare = v * f
                hasSpare = true
                return u * f
            }
        }
    }

    /// An isotropic unit vector (Marsaglia 1972: a point in the unit disk mapped onto the
    /// sphere; no trigonometric calls). Returns (x, y, z).
    @inlinable @inline(__always)
    public mutating func direction() -> (Double, Double, Double) {
        while true {
            let u = 2 * uniform() - 1, v = 2 * uniform() - 1
            let s = u * u + v * v
            if s < 1 {
                let f = 2 * (1 - s).squareRoot()
                return (u * f, v * f, 1 - 2 * s)
            }
        }
    }

    /// A uniform azimuth as (cos phi, sin phi), without trigonometric calls.
    @inlinable @inline(__always)
    public mutating func azimuth() -> (Double, Double) {
        while true {
            let u = 2 * uniform() - 1, v = 2 * uniform() - 1
            let s = u * u + v * v
            if s < 1, s > 0 {
                return ((u * u - v * v) / s, 2 * u * v / s)
            }
        }
    }
}
