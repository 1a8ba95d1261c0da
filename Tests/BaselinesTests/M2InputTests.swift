import Baselines
import Events
import TestSupport
import Testing

/// Bad input to the M2 estimators gives errors that name the problem.
struct M2InputTests {
    static func sample() -> Sample { ChainFixture.ttbarLike(n: 5, mA: 172.5, mB: 80.38, mC: 0, ma: 4.7) }

    @Test("NaN in an input array names the array and the event")
    func nanInput() {
        var s = Self.sample()
        var b2 = s[Key.b2]!.doubles!
        b2[4 * 3 + 2] = .nan
        s[Key.b2] = .fourVectors(b2)
        #expect(throws: M2Error.sample(.nonFinite(key: Key.b2, event: 3))) {
            try M2Estimator.run(sample: s, pairing: .truth, mC: 0)
        }
        var message = ""
        do { _ = try M2Estimator.run(sample: s, pairing: .unknown, mC: 0) } catch { message = error.description }
        #expect(message.contains("'b2'") && message.contains("event 3"))
    }

    @Test("wrong topology, missing arrays, bad pairing and bad masses are rejected")
    func badInput() {
        let antler = ChainFixture.antler(n: 3, mD: 1000, mB: 400, mC: 100)
        #expect(throws: M2Error.wrongTopology(expected: .ttbarLike, found: .antler)) {
            try M2Estimator.run(sample: antler, pairing: .truth, mC: 0)
        }
        #expect(throws: M2Error.wrongTopology(expected: .antler, found: .ttbarLike)) {
            try M2Estimator.runAntler(sample: Self.sample(), mC: 0, mD: 1000)
        }
        var noMet = Self.sample()
        noMet[Key.met] = nil
        #expect(throws: M2Error.sample(.missingKey(Key.met))) {
            try M2Estimator.run(sample: noMet, pairing: .unknown, mC: 0)
        }
        var badPairing = Self.sample()
        badPairing[Key.pairing] = .ints([0, 1, 0, 2, 0])
        #expect(throws: M2Error.invalidPairing(event: 3, value: 2)) {
            try M2Estimator.run(sample: badPairing, pairing: .truth, mC: 0)
        }
        // The unknown-pairing mode never reads the pairing array.
        #expect(throws: Never.self) { try M2Estimator.run(sample: badPairing, pairing: .unknown, variable: .xx, mC: 0) }
        #expect(throws: M2Error.invalidMass(name: "mC", value: -1)) {
            try M2Estimator.run(sample: Self.sample(), pairing: .truth, mC: -1)
        }
        #expect(throws: M2Error.invalidMass(name: "mD", value: .infinity)) {
            try M2Estimator.runAntler(sample: antler, mC: 100, mD: .infinity)
        }
        #expect(String(describing: M2Error.invalidPairing(event: 3, value: 2)).contains("event 3"))
    }

    @Test("an empty sample gives empty arrays")
    func empty() throws {
        let r = try M2Estimator.run(sample: Self.sample().selecting([]), pairing: .truth, variable: .cc, mC: 0)
        #expect(r.perEvent["m2cc"]?.doubles == [])
        #expect(r.handledFraction == 1)
    }
}
