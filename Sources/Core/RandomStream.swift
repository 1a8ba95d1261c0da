import CGSL

/// The GSL generator algorithms offered (see docs/physics.md#random-numbers).
public enum RandomAlgorithm: String, Sendable, CaseIterable, Codable {
    /// L'Ecuyer's maximally equidistributed Tausworthe generator: fast (~4 ns per uniform).
    case taus2
    /// Mersenne Twister (~10 ns per uniform).
    case mt19937
}

/// One GSL random stream. Not thread-safe: give each thread its own stream, seeded from
/// `SeedHasher.streamSeed`.
public final class RandomStream {
    @usableFromInline let rng: UnsafeMutablePointer<gsl_rng>
    public let algorithm: RandomAlgorithm
    public let seed: UInt32

    /// A stream of `algorithm` seeded with `seed` (use a non-zero seed: GSL aliases 0).
    public init(algorithm: RandomAlgorithm = .taus2, seed: UInt32) {
        let type = switch algorithm {
        case .taus2: deelema_rng_taus2()
        case .mt19937: deelema_rng_mt19937()
        }
        guard let r = gsl_rng_alloc(type) else { fatalError("gsl_rng_alloc failed: out of memory") }
        gsl_rng_set(r, UInt(seed))
        self.rng = r
        self.algorithm = algorithm
        self.seed = seed
    }

    deinit { gsl_rng_free(rng) }

    /// Uniform in [0, 1).
    @inlinable public func uniform() -> Double { gsl_rng_uniform(rng) }
    /// The next raw output (32 bits for taus2 and mt19937; `uniform()` is it divided by 2^32).
    @inlinable public func bits() -> UInt32 { UInt32(truncatingIfNeeded: gsl_rng_get(rng)) }
    /// Uniform in (0, 1): never exactly zero (safe for logarithms).
    @inlinable public func uniformPositive() -> Double { gsl_rng_uniform_pos(rng) }
    /// Standard normal deviate (GSL ziggurat).
    @inlinable public func gaussian() -> Double { gsl_ran_gaussian_ziggurat(rng, 1.0) }
    /// Uniform integer in [0, n).
    @inlinable public func integer(below n: UInt) -> UInt { gsl_rng_uniform_int(rng, n) }

    /// The generator's internal state (for checkpoints).
    public var state: [UInt8] {
        let size = gsl_rng_size(rng)
        guard let p = gsl_rng_state(rng) else { return [] }
        return Array(UnsafeRawBufferPointer(start: p, count: size))
    }

    /// Restores a state produced by `state` of a stream of the same algorithm.
    public func restore(state bytes: [UInt8]) -> Bool {
        let size = gsl_rng_size(rng)
        guard bytes.count == size, let p = gsl_rng_state(rng) else { return false }
        bytes.withUnsafeBytes { p.copyMemory(from: $0.baseAddress!, byteCount: size) }
        return true
    }
}
