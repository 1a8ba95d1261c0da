import Baselines
import Events
import Kinematics
import Testing
import TestSupport

@Suite struct SolutionBadInputTests {
    let masses = ChainMasses(mA: 1000, mB: 800, mC: 700)

    @Test func nanAtEventIsNamed() throws {
        var s = ChainFixture.ttbarLike(n: 20, mA: 1000, mB: 800, mC: 700)
        var b2 = try s.fourVectors(Key.b2)
        b2[4 * 13 + 2] = .nan
        s[Key.b2] = .fourVectors(b2)
        #expect(throws: SampleError.nonFinite(key: Key.b2, event: 13)) {
            try KinematicSolutionEstimator.run(sample: s, pairing: .truth, masses: masses)
        }
        #expect(throws: SampleError.nonFinite(key: Key.b2, event: 13)) {
            try MassScanEstimator.run(sample: s, pairing: .unknown, mC: 700, grid: .around(mA: 1000, mB: 800))
        }
        let message = String(describing: SampleError.nonFinite(key: Key.b2, event: 13))
        #expect(message.contains("event 13") && message.contains("b2"))
    }

    @Test func antlerSampleIsRejectedByTtbarSolvers() {
        let s = ChainFixture.antler(n: 10, mD: 1000, mB: 400, mC: 100)
        #expect(throws: SampleError.wrongTopology(expected: .ttbarLike, found: .antler)) {
            try KinematicSolutionEstimator.run(sample: s, pairing: .unknown, masses: masses)
        }
        #expect(throws: SampleError.wrongTopology(expected: .ttbarLike, found: .antler)) {
            try MassScanEstimator.run(sample: s, pairing: .unknown, mC: 700, grid: .around(mA: 1000, mB: 800))
        }
        let t = ChainFixture.ttbarLike(n: 10, mA: 1000, mB: 800, mC: 700)
        #expect(throws: SampleError.wrongTopology(expected: .antler, found: .ttbarLike)) {
            try AntlerCuspEstimator.run(sample: t, mC: 100)
        }
    }

    @Test func badPairingMassesAndGridAreRejected() {
        var s = ChainFixture.ttbarLike(n: 10, mA: 1000, mB: 800, mC: 700)
        var p = s[Key.pairing]!.integers!.map(Int32.init)
        p[4] = 7
        s[Key.pairing] = .ints(p)
        #expect(throws: KinematicSolutionError.badPairing(event: 4, value: 7)) {
            try KinematicSolutionEstimator.run(sample: s, pairing: .truth, masses: masses)
        }
        #expect(throws: KinematicSolutionError.invalidMasses(mA: 800, mB: 900, mC: 700)) {
            try KinematicSolutionEstimator.run(sample: s, pairing: .unknown, masses: ChainMasses(mA: 800, mB: 900, mC: 700))
        }
        #expect(throws: KinematicSolutionError.self) {
            try MassScanEstimator.run(sample: s, pairing: .unknown, mC: 700, grid: MassScanGrid(mA: 500...600, mB: 400...450))
        }
        var missing = ChainFixture.ttbarLike(n: 10, mA: 1000, mB: 800, mC: 700)
        missing[Key.met] = nil
        #expect(throws: SampleError.missingKey(Key.met)) {
            try KinematicSolutionEstimator.run(sample: missing, pairing: .unknown, masses: masses)
        }
    }
}
