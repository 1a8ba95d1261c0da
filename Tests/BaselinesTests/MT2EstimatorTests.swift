import Baselines
import Events
import Kinematics
import Testing
import TestSupport

/// Reco-only copy of a sample (no truth arrays).
func recoOnly(_ s: Sample) -> Sample {
    var out = Sample(kind: s.kind)
    for k in Key.reconstructed(s.kind) + [Key.met, Key.pairing] { if let c = s[k] { out[k] = c } }
    return out
}

func doubles(_ r: EstimatorResult, _ key: String) -> [Double] { r.perEvent[key]?.doubles ?? [] }
func ints(_ r: EstimatorResult, _ key: String) -> [Int64] { r.perEvent[key]?.integers ?? [] }

@Suite struct MT2EstimatorTests {
    static let mA = 172.5, mB = 80.4
    static let ttbar = ChainFixture.ttbarLike(n: 10_000, mA: mA, mB: mB, mC: 0, ma: 4.7, mb: 0, seed: 31)

    /// Endpoints (Burns et al. 0810.5576): on-shell, true pairing, chi = m_C = 0:
    /// MT2(l) <= m_B, MT2(bl) <= m_A, MT2(b) with chiB = m_B <= m_A, all saturated to 0.5%.
    @Test func subsystemEndpoints() throws {
        let r = try MT2Estimator.run(sample: Self.ttbar, pairing: .truth, chi: 0, chiB: Self.mB)
        #expect(r.perEvent.count == Self.ttbar.count)
        #expect(r.handledFraction == 1)
        #expect(ints(r, "status").allSatisfy { $0 == 0 })
        for (key, end) in [("mt2_l", Self.mB), ("mt2_bl", Self.mA), ("mt2_b", Self.mA)] {
            let v = doubles(r, key)
            let top = v.max() ?? 0
            #expect(v.count == Self.ttbar.count)
            #expect(top <= end * (1 + 1e-6), "\(key) max \(top) above endpoint \(end)")
            #expect(top >= end * 0.995, "\(key) max \(top) does not reach endpoint \(end)")
            #expect(v.allSatisfy { $0 >= 0 })
        }
    }

    /// Unknown pairing: MT2(bl) is the smaller of the two pairings, so never above the
    /// true-pairing value; the chosen pairing is right for most events.
    @Test func unknownPairingIsTheMinimum() throws {
        let t = try MT2Estimator.run(sample: Self.ttbar, pairing: .truth, chi: 0)
        let u = try MT2Estimator.run(sample: recoOnly(Self.ttbar), pairing: .unknown, chi: 0)
        let vt = doubles(t, "mt2_bl"), vu = doubles(u, "mt2_bl")
        #expect(zip(vu, vt).allSatisfy { $0 <= $1 })
        let truth = Self.ttbar[Key.pairing]!.integers!
        let right = zip(ints(u, "pairing_bl"), truth).filter { $0 == $1 }.count
        #expect(Double(right) / Double(truth.count) > 0.6)
        #expect(doubles(u, "mt2_l") == doubles(t, "mt2_l"))
    }

    /// Samples without truth arrays give the same numbers.
    @Test func truthIsNotNeeded() throws {
        let a = try MT2Estimator.run(sample: Self.ttbar, pairing: .truth, chi: 0, chiB: 80)
        let b = try MT2Estimator.run(sample: recoOnly(Self.ttbar), pairing: .truth, chi: 0, chiB: 80)
        for k in ["mt2_l", "mt2_bl", "mt2_b"] { #expect(doubles(a, k) == doubles(b, k)) }
    }

    /// Antler: MT2(a1, a2) with chi = m_C is bounded by m_B and reaches it.
    @Test func antlerEndpoint() throws {
        let s = ChainFixture.antler(n: 3000, mD: 1000, mB: 400, mC: 100, seed: 77)
        let r = try MT2Estimator.run(sample: recoOnly(s), pairing: .unknown, chi: 100)
        let v = doubles(r, "mt2")
        #expect(v.count == 3000)
        let top = v.max() ?? 0
        #expect(top <= 400 * (1 + 1e-6) && top >= 400 * 0.995, "max \(top)")
        #expect(v.allSatisfy { $0 >= 100 * (1 - 1e-12) })
    }

    /// Bad input: NaN at an event, wrong topology, bad pairing value, negative chi.
    @Test func badInputGivesClearErrors() throws {
        var s = recoOnly(ChainFixture.ttbarLike(n: 20, mA: 1000, mB: 800, mC: 700, seed: 5))
        var a1 = s[Key.a1]!.doubles!
        a1[4 * 7 + 1] = .nan
        s[Key.a1] = .fourVectors(a1)
        #expect(throws: SampleError.nonFinite(key: "a1", event: 7)) { try MT2Estimator.run(sample: s, pairing: .truth) }
        let e = SampleError.nonFinite(key: "a1", event: 7)
        #expect(e.description.contains("'a1'") && e.description.contains("event 7"))

        let antler = ChainFixture.antler(n: 10, mD: 1000, mB: 400, mC: 100)
        #expect(throws: SampleError.wrongTopology(expected: .ttbarLike, found: .antler)) {
            try MT2Estimator.subsystems(sample: antler, pairing: .truth, chi: 100, chiB: 400)
        }
        #expect(throws: SampleError.wrongTopology(expected: .ttbarLike, found: .antler)) {
            try MT2Estimator.blInputs(sample: antler, pairing: .truth, chi: 100)
        }

        var p = recoOnly(ChainFixture.ttbarLike(n: 10, mA: 1000, mB: 800, mC: 700))
        var pairing = p[Key.pairing]!.integers!.map(Int32.init)
        pairing[3] = 5
        p[Key.pairing] = .ints(pairing)
        #expect(throws: BaselineInputError.badPairing(event: 3, value: 5)) { try MT2Estimator.run(sample: p, pairing: .truth) }
        #expect(BaselineInputError.badPairing(event: 3, value: 5).description.contains("event 3"))
        // With unknown pairing the pairing array is not read.
        #expect(throws: Never.self) { try MT2Estimator.run(sample: p, pairing: .unknown, chi: 700) }
        #expect(throws: BaselineInputError.self) { try MT2Estimator.run(sample: p, pairing: .unknown, chi: -1) }

        var m = recoOnly(ChainFixture.ttbarLike(n: 10, mA: 1000, mB: 800, mC: 700))
        m[Key.met] = nil
        #expect(throws: SampleError.missingKey("met")) { try MT2Estimator.run(sample: m, pairing: .truth) }
    }
}
