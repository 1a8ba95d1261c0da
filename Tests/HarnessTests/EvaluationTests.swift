import Events
import Foundation
import Testing
import TestSupport
@testable import Harness

@Suite struct EvaluationTests {
    /// An estimator that returns the true invisible momenta must score zero residuals, and the
    /// parent masses rebuilt from them must be the fixture's on-shell masses exactly.
    @Test func perfectAnsatzScoresZero() throws {
        let sample = ChainFixture.ttbarLike(n: 200, mA: 172.5, mB: 80.38, mC: 0, mb: 4.7, seed: 3)
        var perEvent = Sample(kind: .ttbarLike)
        perEvent["C1"] = sample[Key.trueC1]
        perEvent["C2"] = sample[Key.trueC2]
        let result = EstimatorResult(method: "oracle", perEvent: perEvent,
                                     masses: [MassEstimate(name: "M_A", value: 173.5, uncertainty: 0.5, how: "test")])
        let r = Evaluation.report(result, on: sample, trueMasses: ["M_A": 172.5, "M_B": 80.38])
        #expect(r.invisibleResolutions.map(\.name) == ["C.E", "C.px", "C.py", "C.pz"])
        for res in r.invisibleResolutions { #expect(res.width68 == 0 && res.rms == 0 && res.events == 400) }
        #expect(Set(r.massResolutions.map(\.name)) == ["m_A", "m_B"])
        for res in r.massResolutions { #expect(abs(res.median) < 1e-6 && res.width68 < 1e-6) }
        #expect(abs(r.masses[0].bias! - 1.0) < 1e-12)
    }

    /// With the pairing swapped in every event the rebuilt masses are wrong: the resolutions must see it.
    @Test func wrongPairingIsVisible() throws {
        let sample = ChainFixture.ttbarLike(n: 200, mA: 172.5, mB: 80.38, mC: 0, mb: 4.7, seed: 4)
        var perEvent = Sample(kind: .ttbarLike)
        perEvent["C1"] = sample[Key.trueC1]
        perEvent["C2"] = sample[Key.trueC2]
        let flipped = sample[Key.pairing]!.integers!.map { Int32(1 - $0) }
        perEvent["pairing_chosen"] = .ints(flipped)
        let r = Evaluation.report(EstimatorResult(method: "flip", perEvent: perEvent), on: sample, trueMasses: ["M_A": 172.5, "M_B": 80.38])
        let mA = try #require(r.massResolutions.first { $0.name == "m_A" })
        #expect(mA.width68 > 5)
    }

    /// A per-event mass the method measures itself (`perEventMassKeys`) is scored as m_A in place
    /// of the mass rebuilt from C1, C2 (here the true momenta, which would score 0).
    @Test func ownPerEventMassIsScored() throws {
        let sample = ChainFixture.ttbarLike(n: 200, mA: 172.5, mB: 80.38, mC: 0, mb: 4.7, seed: 5)
        var perEvent = Sample(kind: .ttbarLike)
        perEvent["C1"] = sample[Key.trueC1]
        perEvent["C2"] = sample[Key.trueC2]
        // 172.5 + 3 + (-2, -1, 0, 1, 2) repeating: median +3, 16-84% half range 1.5.
        perEvent["x_mass"] = .scalars((0..<sample.count).map { 175.5 + Double($0 % 5 - 2) })
        var result = EstimatorResult(method: "own", perEvent: perEvent)
        result.perEventMassKeys = ["M_A": "x_mass"]
        let r = Evaluation.report(result, on: sample, trueMasses: ["M_A": 172.5, "M_B": 80.38])
        let mA = try #require(r.massResolutions.first { $0.name == "m_A" })
        #expect(abs(mA.median - 3) < 1e-9 && mA.events == 200 && mA.width68 > 1)
        let mB = try #require(r.massResolutions.first { $0.name == "m_B" })
        #expect(abs(mB.median) < 1e-6 && mB.events == 400)
    }

    @Test func reportRoundTripsThroughJSON() throws {
        let config = BenchReport.Configuration(topology: "ttbar", detector: "cms", smearScale: 0.5, pairing: "unknown", isr: false,
                                               events: 10, trainEvents: 5, testEvents: 5, seed: 3, methods: ["mt2"])
        let m = MethodReport(method: "mt2", events: 5, masses: [MassComparison(name: "M_A", value: 170, uncertainty: .nan, truth: 172.5, bias: -2.5, how: "x")],
                             massResolutions: [], invisibleResolutions: [], handledFraction: 1, secondsPerEvent: 1e-6, notes: [])
        var report = BenchReport(configuration: config, trueMasses: ["M_A": 172.5], methods: [m], figures: ["a.png"])
        report.reproduce = ["mt2": "deelema estimate t.npz --method mt2"]
        let back = try BenchReport.decode(report.json())
        #expect(back.configuration == config)
        #expect(back.methods[0].masses[0].value == 170 && back.methods[0].masses[0].uncertainty.isNaN)
        #expect(back.reproduce == report.reproduce)
        let md = report.markdown()
        #expect(md.contains("| mt2 | M_A 170.0 ± nan") && md.contains("M_A -2.5<") == false && md.contains("| M_A -2.5 |") && md.contains("deelema estimate t.npz"))
    }

    @Test func splitIsSeededDisjointAndComplete() {
        let (train, test) = Bench.split(count: 1000, testFraction: 0.3, seed: 9)
        #expect(test.count == 300 && train.count == 700)
        #expect(Set(train).isDisjoint(with: test) && Set(train + test) == Set(0..<1000))
        let again = Bench.split(count: 1000, testFraction: 0.3, seed: 9)
        #expect(again.train == train && again.test == test)
        #expect(Bench.split(count: 1000, testFraction: 0.3, seed: 10).test != test)
    }
}
