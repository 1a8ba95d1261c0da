import Core
import Events
import Testing
@testable import Detector
@testable import Generation

/// Pins the exact output of the pipeline: performance work on the generator and the detector
/// must not change a single bit of the events (same random sequence, same arithmetic), unless
/// the change is deliberate and the physics tests pass; then the digests are re-recorded.
@Suite struct RegressionTests {
    /// FNV-1a (64 bit) over the bit patterns of every array of `sample`, in key order.
    static func digest(_ sample: Sample) -> UInt64 {
        var h: UInt64 = 0xCBF2_9CE4_8422_2325
        func mix(_ x: UInt64) {
            for k in 0..<8 { h = (h ^ ((x >> (8 * UInt64(k))) & 0xFF)) &* 0x0000_0100_0000_01B3 }
        }
        for key in sample.keys {
            if let d = sample[key]!.doubles { d.forEach { mix($0.bitPattern) } }
            if let n = sample[key]!.integers { n.forEach { mix(UInt64(bitPattern: $0)) } }
        }
        return h
    }

    /// Digests re-recorded for the realistic production model (fourth session: GRV 94 LO
    /// densities, LO production angles, V-A decays on the ttbar card; recorded once the physics
    /// tests of PartonDensityTests, AngularDistributionTests and RealisticProductionTests passed;
    /// the digests before were those of the four-lane generator, kept in
    /// `toyProductionPathIsUnchanged`), for a t-tbar card (cms, ISR), an s-channel antler card
    /// (atlas, soft term) and the mt19937 path.
    @Test(arguments: [
        ("ttbar", DetectorPreset.cms, true, RandomAlgorithm.taus2, 0.0, UInt64(11_213_674_495_973_537_406)),
        ("hww", DetectorPreset.atlas, false, RandomAlgorithm.taus2, 5.0, UInt64(15_770_725_034_307_912_734)),
        ("toy", DetectorPreset.cms, false, RandomAlgorithm.mt19937, 0.0, UInt64(7_903_564_087_850_780_692)),
    ])
    func outputIsUnchanged(name: String, preset: DetectorPreset, isr: Bool, rng: RandomAlgorithm,
                           soft: Double, expected: UInt64) throws {
        let p = try EventPipeline(card: card(name), detector: preset, isr: isr, seed: 11, rng: rng, threads: 1,
                                  softTermSigma: soft)
        let d = Self.digest(try p.generateSample(events: 3000))
        #expect(d == expected, "\(name): digest \(d)")
    }

    /// The production model of the second session's cards (toy densities, flat production
    /// angles, isotropic decays), chosen in the card, gives the very bits it gave before GRV
    /// densities, LO angles and V-A decays were added (the digests of the lane-loop generator
    /// above as recorded then): the new options leave the old path untouched.
    @Test(arguments: [
        ("ttbar", DetectorPreset.cms, true, RandomAlgorithm.taus2, 0.0, UInt64(3_786_130_430_079_245_149)),
        ("hww", DetectorPreset.atlas, false, RandomAlgorithm.taus2, 5.0, UInt64(14_908_960_553_571_253_190)),
        ("toy", DetectorPreset.cms, false, RandomAlgorithm.mt19937, 0.0, UInt64(15_453_654_569_663_516_963)),
    ])
    func toyProductionPathIsUnchanged(name: String, preset: DetectorPreset, isr: Bool, rng: RandomAlgorithm,
                                      soft: Double, expected: UInt64) throws {
        var c = try card(name)
        c.densities = .toy(quarkNorm: c.model == .sChannel ? 0 : 0.6)
        c.angles = .isotropic
        c.decays = .isotropic
        let p = try EventPipeline(card: c, detector: preset, isr: isr, seed: 11, rng: rng, threads: 1, softTermSigma: soft)
        let d = Self.digest(try p.generateSample(events: 3000))
        #expect(d == expected, "\(name): digest \(d)")
    }

    /// The chunk builder reuses its arrays when the consumer drops each sample: the chunks
    /// must be the same as when every sample is kept (copy-on-write path), row counts included.
    @Test func droppedAndKeptChunksAgree() throws {
        let p = try EventPipeline(card: card("ttbar"), detector: .cms, isr: true, seed: 3, threads: 1)
        var dropped: [UInt64] = [], rows: [Int] = []
        _ = try p.generate(events: 5000, chunkSize: 1500) { dropped.append(Self.digest($0)); rows.append($0.count) }
        var kept: [Sample] = []
        _ = try p.generate(events: 5000, chunkSize: 1500) { kept.append($0) }
        #expect(rows == [1500, 1500, 1500, 500])
        #expect(kept.map(\.count) == rows)
        #expect(kept.map(Self.digest) == dropped)
        #expect(Set(dropped).count == 4)
    }
}
