#if canImport(Glibc)
import Glibc
#endif
import Core

/// The random source of the event loops: a value type with inlined draws.
///
/// For `taus2` it runs GSL's taus2 recurrence (L'Ecuyer 1996, the same shifts and masks
/// as gsl/rng/taus.c) in Swift, starting from the state GSL's own seeding routine
/// produces, so `uniform()` returns exactly the doubles `gsl_rng_uniform` would, without
/// a library call per draw; `init(taus2Seeds:)` interleaves four such streams word by word,
/// their recurrences side by side in one vector (the event loops' form, four times the
/// throughput); for `mt19937` the words come from GSL. Either way the raw 32-bit
/// words are produced `batch` at a time into a small buffer by a tight loop (the recurrence
/// state in registers) and a draw is a load from it: the sequence is the generator's own,
/// in order. Value semantics: a copy shares the buffer until one of them refills, which then
/// writes into a fresh buffer (copy-on-write), so copies continue the same sequence
/// independently (`mt19937` copies share the GSL generator, as before). Gaussian deviates come
/// from our 128-layer ziggurat (`Ziggurat`, one 32-bit draw per deviate in 97 % of the cases),
/// directions and azimuths from uniforms through `FastMath.sinCos` (both algorithms alike).
public struct EventRandom {
    @usableFromInline var s1: UInt32
    @usableFromInline var s2: UInt32
    @usableFromInline var s3: UInt32
    /// The states of four interleaved taus2 streams (`init(taus2Seeds:)`), one per lane.
    @usableFromInline var v1: SIMD4<UInt32>
    @usableFromInline var v2: SIMD4<UInt32>
    @usableFromInline var v3: SIMD4<UInt32>
    @usableFromInline let source: WordSource
    @usableFromInline let zig: UnsafePointer<ZigguratLayer>
    @usableFromInline let tables: FastMathTables
    @usableFromInline var storage: RandomWords
    @usableFromInline var words: UnsafeMutablePointer<UInt32>
    /// Next unread word of `words`; `batch` when the buffer is used up.
    @usableFromInline var index: Int

    /// Words generated per refill.
    @inlinable public static var batch: Int { 256 }

    /// A stream of `algorithm` seeded with `seed` (non-zero; see `SeedHasher`).
    public init(algorithm: RandomAlgorithm, seed: UInt32) {
        let stream = RandomStream(algorithm: algorithm, seed: seed)
        zig = Ziggurat.shared.layers
        tables = .shared
        storage = RandomWords(count: Self.batch)
        words = storage.words
        index = Self.batch
        v1 = .zero; v2 = .zero; v3 = .zero
        switch algorithm {
        case .taus2:
            (s1, s2, s3) = Self.taus2State(stream)
            source = .taus2
        case .mt19937:
            s1 = 0; s2 = 0; s3 = 0
            source = .gsl(stream)
        }
    }

    /// Four taus2 streams seeded with `seeds` (non-zero), interleaved word by word: word
    /// 4 j + l of this generator is word j of GSL's taus2 seeded with `seeds[l]`. The four
    /// recurrences run side by side in one vector (the same shifts in every lane), four times
    /// the throughput of one stream; the event loops use this form.
    public init(taus2Seeds seeds: SIMD4<UInt32>) {
        zig = Ziggurat.shared.layers
        tables = .shared
        storage = RandomWords(count: Self.batch)
        words = storage.words
        index = Self.batch
        s1 = 0; s2 = 0; s3 = 0
        v1 = .zero; v2 = .zero; v3 = .zero
        for l in 0..<4 {
            (v1[l], v2[l], v3[l]) = Self.taus2State(RandomStream(algorithm: .taus2, seed: seeds[l]))
        }
        source = .interleavedTaus2
    }

    /// The three 32-bit words of a GSL taus2 generator's state (gsl/rng/taus.c keeps three
    /// `unsigned long`; only the low 32 bits matter).
    static func taus2State(_ stream: RandomStream) -> (UInt32, UInt32, UInt32) {
        let w = stream.state.withUnsafeBytes { raw in
            (0..<3).map { raw.loadUnaligned(fromByteOffset: $0 * MemoryLayout<UInt>.size, as: UInt.self) }
        }
        return (UInt32(truncatingIfNeeded: w[0]), UInt32(truncatingIfNeeded: w[1]), UInt32(truncatingIfNeeded: w[2]))
    }

    /// The next raw 32-bit output of the generator (the integer behind `uniform()`).
    @inlinable @inline(__always)
    public mutating func next32() -> UInt32 {
        if index == Self.batch { refill() }
        let w = words[index]
        index &+= 1
        return w
    }

    /// Generates the next `batch` words into the buffer (a fresh one when a copy still uses it).
    @inlinable @inline(never)
    mutating func refill() {
        if !isKnownUniquelyReferenced(&storage) {
            storage = RandomWords(count: Self.batch)
            words = storage.words
        }
        switch source {
        case .gsl(let gsl):
            for k in 0..<Self.batch { words[k] = gsl.bits() }
        case .interleavedTaus2:
            var a = v1, b = v2, c = v3
            var k = 0
            while k < Self.batch {
                a = ((a & 0xFFFF_FFFE) &<< 12) ^ (((a &<< 13) ^ a) &>> 19)
                b = ((b & 0xFFFF_FFF8) &<< 4) ^ (((b &<< 2) ^ b) &>> 25)
                c = ((c & 0xFFFF_FFF0) &<< 17) ^ (((c &<< 3) ^ c) &>> 11)
                UnsafeMutableRawPointer(words + k).storeBytes(of: a ^ b ^ c, as: SIMD4<UInt32>.self)
                k &+= 4
            }
            v1 = a; v2 = b; v3 = c
        case .taus2:
            var a = s1, b = s2, c = s3
            for k in 0..<Self.batch {
                a = ((a & 0xFFFF_FFFE) << 12) ^ (((a << 13) ^ a) >> 19)
                b = ((b & 0xFFFF_FFF8) << 4) ^ (((b << 2) ^ b) >> 25)
                c = ((c & 0xFFFF_FFF0) << 17) ^ (((c << 3) ^ c) >> 11)
                words[k] = a ^ b ^ c
            }
            s1 = a; s2 = b; s3 = c
        }
        index = 0
    }

    /// Uniform in [0, 1): `next32()` / 2^32.
    @inlinable @inline(__always)
    public mutating func uniform() -> Double {
        Double(next32()) * (1.0 / 4_294_967_296.0)
    }

    /// Uniform in (0, 1): never exactly 0.
    @inlinable @inline(__always)
    public mutating func uniformPositive() -> Double {
        var u = uniform()
        while u == 0 { u = uniform() }
        return u
    }

    /// Standard normal deviate (128-layer ziggurat, `Ziggurat`): one 32-bit draw gives the
    /// layer (7 bits), the sign (1 bit) and the abscissa (24 bits); draws outside the layer's
    /// inner rectangle take the exact wedge or tail test.
    @inlinable @inline(__always)
    public mutating func gaussian() -> Double {
        while true {
            let u = next32()
            let layer = zig[Int(u & 127)]
            let j = Double(u >> 8)
            let x = j * layer.scale
            let sign: Double = u & 128 == 0 ? 1 : -1
            if j < layer.limit { return sign * x }
            if let g = gaussianEdge(u & 127, x) { return sign * g }
        }
    }

    /// The rare part of the ziggurat: the tail beyond r (layer 0) or the wedge test (other
    /// layers). Returns |g|, or nil to start over.
    @inlinable @inline(never)
    mutating func gaussianEdge(_ index: UInt32, _ x: Double) -> Double? {
        if index == 0 {
            // Marsaglia's tail method: x = -ln(u1)/r, accepted when -2 ln(u2) > x^2.
            let r = Ziggurat.r
            while true {
                let a = -log(uniformPositive()) / r
                let b = -log(uniformPositive())
                if b + b > a * a { return r + a }
            }
        }
        let layer = zig[Int(index)]
        let y = layer.fLow + uniform() * (layer.fHigh - layer.fLow)
        return y < exp(-0.5 * x * x) ? x : nil
    }

    /// An isotropic unit vector: cos theta = 2 u1 - 1, phi = 2 pi u2 (`FastMath.sinCos`).
    /// Returns (x, y, z).
    @inlinable @inline(__always)
    public mutating func direction() -> (Double, Double, Double) {
        let c = 2 * uniform() - 1
        let s = ((1 - c) * (1 + c)).squareRoot()
        let (sp, cp) = FastMath.sinCos(turns: uniform(), tables)
        return (s * cp, s * sp, c)
    }

    /// A uniform azimuth as (cos phi, sin phi), phi = 2 pi u.
    @inlinable @inline(__always)
    public mutating func azimuth() -> (Double, Double) {
        let (sp, cp) = FastMath.sinCos(turns: uniform(), tables)
        return (cp, sp)
    }
}

/// Where an `EventRandom`'s words come from: one taus2 stream run in Swift (`s1 s2 s3`), four
/// interleaved ones (`v1 v2 v3`), or a GSL generator (mt19937).
@usableFromInline enum WordSource {
    case taus2
    case interleavedTaus2
    case gsl(RandomStream)
}

/// The word buffer of an `EventRandom` (owned, freed with the last copy).
public final class RandomWords {
    public let words: UnsafeMutablePointer<UInt32>

    @usableFromInline init(count: Int) {
        words = .allocate(capacity: count)
        words.initialize(repeating: 0, count: count)
    }

    deinit { words.deallocate() }
}
