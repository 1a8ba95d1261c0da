import Baselines
import Events
import Testing
import TestSupport

/// The mass scan gives no number rather than a wrong one: a grid centred far below the true
/// masses (as a failed MT2 endpoint start would place it) leaves the best hypothesis outside the
/// scanned ranges or solving no event, and the result says so.
@Suite struct MassScanNoEstimateTests {
    @Test func farGridGivesNoEstimate() throws {
        let s = ChainFixture.ttbarLike(n: 300, mA: 172.5, mB: 80.38, mC: 0, ma: 4.7, seed: 11, maxBeta: 0.5)
        let far = try MassScanEstimator.run(sample: s, pairing: .truth, mC: 0,
                                            grid: MassScanGrid.around(mA: 40, mB: 3, fraction: 0.3, points: 9),
                                            bootstrap: 5)
        #expect(far.masses.isEmpty, "\(far.masses)")
        #expect(far.notes.contains { $0.hasPrefix("no estimate: the best hypothesis") }, "\(far.notes)")
        // Centred on the truth the same scan measures.
        let near = try MassScanEstimator.run(sample: s, pairing: .truth, mC: 0,
                                             grid: MassScanGrid.around(mA: 172.5, mB: 80.38, fraction: 0.3, points: 9),
                                             bootstrap: 5)
        let mA = try #require(near.masses.first { $0.name == MassName.a })
        #expect(abs(mA.value - 172.5) < 3, "\(mA.value)")
    }
}
