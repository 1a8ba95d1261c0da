import Core
import Events
import Foundation
import Testing
@testable import Detector
@testable import Generation

@Suite struct PipelineTests {
    @Test func keysAreInContractOrder() throws {
        let t = try EventPipeline(card: try card("ttbar"), detector: .cms, isr: true, seed: 1, threads: 1)
        #expect(t.keys == ["a1", "a2", "b1", "b2", "met", "isr", "pairing", "event", "true_A1", "true_A2", "true_B1",
                           "true_B2", "true_C1", "true_C2", "true_a1", "true_a2", "true_b1", "true_b2", "true_isr"])
        let s = try t.generateSample(events: 500)
        #expect(s.keys == t.keys && s.count == 500)
        try s.validate(requiring: t.keys)
        let a = try EventPipeline(card: try card("hww"), detector: .atlas, isr: false, seed: 1, threads: 1)
        #expect(a.keys == ["a1", "a2", "met", "event", "true_D", "true_B1", "true_B2", "true_C1", "true_C2",
                           "true_a1", "true_a2"])
        let sa = try a.generateSample(events: 300)
        #expect(sa.keys == a.keys && sa.count == 300 && sa.kind == .antler)
    }

    /// Ideal detector with ISR: reco equals truth through the pairing flag, chain 1 is the
    /// chain of the harder a, MET equals the invisible pT sum, and the chains still conserve
    /// four-momentum after the reordering.
    @Test func idealDetectorKeepsTruthAndPairing() throws {
        let p = try EventPipeline(card: try card("ttbar"), detector: .ideal, isr: true, seed: 7, threads: 1)
        let s = try p.generateSample(events: 3000)
        let a1 = try s.fourVectors("a1"), a2 = try s.fourVectors("a2"), b1 = try s.fourVectors("b1")
        let b2 = try s.fourVectors("b2"), met = try s.transverse("met")
        let ta1 = try s.fourVectors("true_a1"), ta2 = try s.fourVectors("true_a2")
        let tb1 = try s.fourVectors("true_b1"), tb2 = try s.fourVectors("true_b2")
        let tc1 = try s.fourVectors("true_C1"), tc2 = try s.fourVectors("true_C2")
        let tB1 = try s.fourVectors("true_B1"), tA1 = try s.fourVectors("true_A1")
        let pairing = s[Key.pairing]!.integers!
        #expect(Set(pairing).isSubset(of: [0, 1]) && pairing.contains(0) && pairing.contains(1))
        for i in 0..<s.count {
            #expect(row(a1, i) == row(ta1, i) && row(a2, i) == row(ta2, i))
            let (rb1, rb2) = pairing[i] == 0 ? (row(b1, i), row(b2, i)) : (row(b2, i), row(b1, i))
            #expect(rb1 == row(tb1, i) && rb2 == row(tb2, i))
            #expect(pt(row(a1, i)) >= pt(row(a2, i)) && pt(row(b1, i)) >= pt(row(b2, i)))
            let cx = tc1[4 * i + 1] + tc2[4 * i + 1], cy = tc1[4 * i + 2] + tc2[4 * i + 2]
            #expect(abs(met[2 * i] - cx) < 1e-9 * 1000 && abs(met[2 * i + 1] - cy) < 1e-9 * 1000)
            // Reordered truth chain 1 is still one chain: B1 = b1 + C1, A1 = a1 + B1.
            for k in 0..<4 {
                #expect(abs(tB1[4 * i + k] - tb1[4 * i + k] - tc1[4 * i + k]) <= 1e-9 * tB1[4 * i])
                #expect(abs(tA1[4 * i + k] - ta1[4 * i + k] - tB1[4 * i + k]) <= 1e-9 * tA1[4 * i])
            }
        }
    }

    @Test func acceptedEventsPassTheCutsAndEfficiencyIsReported() throws {
        let c = try card("ttbar")
        let p = try EventPipeline(card: c, detector: .cms, seed: 3, threads: 1)
        var rows = 0
        var sizes: [Int] = []
        let summary = try p.generate(events: 5000, chunkSize: 1500) { s in
            sizes.append(s.count)
            rows += s.count
            for key in ["a1", "a2", "b1", "b2"] {
                let v = try s.fourVectors(key)
                let minPt = key.hasPrefix("a") ? c.cuts.jetPtMin : c.cuts.leptonPtMin
                for i in 0..<s.count {
                    let r = row(v, i)
                    let eta = asinh(r.3 / pt(r))
                    #expect(pt(r) > minPt && abs(eta) < c.cuts.etaMax)
                }
            }
        }
        #expect(rows == 5000 && sizes == [1500, 1500, 1500, 500])
        #expect(summary.accepted == 5000 && summary.generated > 5000)
        #expect(abs(summary.efficiency - 5000.0 / Double(summary.generated)) < 1e-15)
        #expect(summary.efficiency > 0.3 && summary.efficiency < 0.95)
        #expect(summary.unweightingEfficiency > 0.05 && summary.unweightingEfficiency <= 1)
        #expect(summary.envelopeViolations == 0)
        #expect(summary.provenance.efficiency == summary.efficiency && summary.provenance.generated == summary.generated)

        // Without cuts every event is accepted.
        var open = c
        open.cuts = AcceptanceCuts(etaMax: .infinity, jetPtMin: 0, leptonPtMin: 0)
        let all = try EventPipeline(card: open, detector: .ideal, seed: 3, threads: 1)
        let s2 = try all.generate(events: 2000, chunkSize: 4096) { _ in }
        #expect(s2.efficiency == 1 && s2.generated == 2000)
    }

    /// The optional Gaussian soft term: MET minus the invisible pT sum has width sigma x s per
    /// component (ideal objects, so nothing else contributes).
    @Test func metSoftTermHasItsWidth() throws {
        let p = try EventPipeline(card: try card("toy"), detector: .ideal, smearScale: 0.5, isr: false, seed: 2,
                                  threads: 1, softTermSigma: 20)
        let s = try p.generateSample(events: 20_000)
        let met = try s.transverse("met"), c1 = try s.fourVectors("true_C1"), c2 = try s.fourVectors("true_C2")
        var dx: [Double] = [], dy: [Double] = []
        for i in 0..<s.count {
            dx.append(met[2 * i] - c1[4 * i + 1] - c2[4 * i + 1])
            dy.append(met[2 * i + 1] - c1[4 * i + 2] - c2[4 * i + 2])
        }
        for d in [dx, dy] {
            let (mean, sd) = moments(d)
            #expect(abs(sd - 10) < 0.3 && abs(mean) < 0.3, "soft term mean \(mean) sd \(sd)")
        }
        #expect(throws: DetectorError.badSoftTerm(-1)) {
            try EventPipeline(card: try card("toy"), detector: .ideal, seed: 2, softTermSigma: -1)
        }
    }

    @Test func provenanceIsFilled() throws {
        let c = try card("stop")
        let p = try EventPipeline(card: c, detector: .atlas, smearScale: 0.5, isr: true, seed: 11, shard: 2, shards: 4,
                                  rng: .mt19937, threads: 1)
        let s = try p.generateSample(events: 200)
        let prov = try #require(s.provenance)
        #expect(prov.card == "stop" && prov.cardDigest == c.digest && prov.topology == .ttbarLike)
        #expect(prov.seed == 11 && prov.shard == 2 && prov.shards == 4 && prov.rng == "mt19937")
        #expect(prov.shardSeed == SeedHasher.streamSeed(seed: 11, shard: 2, stream: 0))
        #expect(prov.detector == "atlas" && prov.smearScale == 0.5 && prov.isr)
        #expect(prov.generated >= 200 && prov.efficiency > 0 && prov.unweightingEfficiency > 0)
        #expect(prov.toolVersion == ToolInfo.version && prov.layout == "native")
    }

    @Test func badRequestsThrow() throws {
        let c = try card("ttbar")
        let p = try EventPipeline(card: c, detector: .cms, seed: 1, threads: 1)
        #expect(throws: PipelineError.badEventCount(0)) { try p.generate(events: 0) { _ in } }
        #expect(throws: PipelineError.badChunkSize(0)) { try p.generate(events: 10, chunkSize: 0) { _ in } }
        #expect(throws: PipelineError.badShard(shard: 3, shards: 3)) {
            try EventPipeline(card: c, detector: .cms, seed: 1, shard: 3, shards: 3)
        }
        #expect(throws: DetectorError.badSmearScale(-2)) { try EventPipeline(card: c, detector: .cms, smearScale: -2, seed: 1) }
        #expect(throws: DetectorError.self) { try EventPipeline(card: c, detector: .cms, smearScale: .nan, seed: 1) }
        #expect(PipelineError.badEventCount(-5).description.contains("-5"))
        // A card built in code is validated like a decoded one.
        var broken = c
        broken.particles[.C] = nil
        #expect(throws: CardError(file: "ttbar", key: "particles.C", reason: "missing role for ttbar-like")) {
            try EventPipeline(card: broken, detector: .cms, seed: 1)
        }
        var heavyB = c
        heavyB.particles[.B] = ParticleSpec(pdg: 24, mass: 180, width: 2)
        #expect(throws: CardError.self) { try EventPipeline(card: heavyB, detector: .cms, seed: 1) }
    }
}
