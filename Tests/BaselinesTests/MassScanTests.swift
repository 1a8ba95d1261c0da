import Baselines
import Events
import Kinematics
import Testing
import TestSupport

@Suite struct MassScanTests {
    @Test func toyScanRecoversMasses() throws {
        let s = ChainFixture.ttbarLike(n: 300, mA: 1000, mB: 800, mC: 700, seed: 21)
        // Coarse grid deliberately off-centre so the truth is not a coarse grid point.
        let grid = MassScanGrid(mA: 870...1230, mB: 690...960, points: 9, refinements: 3)
        let r = try MassScanEstimator.run(sample: s, pairing: .truth, mC: 700, grid: grid, bootstrap: 20, seed: 5)
        let mA = r.masses.first { $0.name == "M_A" }!, mB = r.masses.first { $0.name == "M_B" }!
        // Stated tolerance: 0.5% of the true mass, and within 3 sigma of the quoted uncertainty.
        #expect(abs(mA.value - 1000) < 5 && abs(mA.value - 1000) < 3 * mA.uncertainty)
        #expect(abs(mB.value - 800) < 4 && abs(mB.value - 800) < 3 * mB.uncertainty)
        #expect(mA.uncertainty > 0 && mA.uncertainty < 10)
        #expect(r.handledFraction > 0.99)
    }

    @Test func ttbarScanUnknownPairingRecoversMasses() throws {
        let s = ChainFixture.ttbarLike(n: 300, mA: 172.5, mB: 80.38, mC: 0, ma: 4.7, seed: 22)
        let grid = MassScanGrid.around(mA: 160, mB: 90, fraction: 0.25, points: 9, refinements: 3)
        let r = try MassScanEstimator.run(sample: s, pairing: .unknown, mC: 0, grid: grid, bootstrap: 20, seed: 6)
        let mA = r.masses.first { $0.name == "M_A" }!, mB = r.masses.first { $0.name == "M_B" }!
        #expect(abs(mA.value - 172.5) < 0.01 * 172.5)
        #expect(abs(mB.value - 80.38) < 0.01 * 80.38)
    }
}
