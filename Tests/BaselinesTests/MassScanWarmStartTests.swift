import Baselines
import Events
import Testing
import TestSupport

/// The warm-started mass scan (issue 13) against the scan before it (`warmStart: false`) on the
/// same events: the same masses within the quoted uncertainties.
@Suite struct MassScanWarmStartTests {
    @Test(arguments: [(1000.0, 800.0, 700.0, 0.0), (172.5, 80.38, 0.0, 4.7)])
    func sameMassesAsThePreviousScan(truth: (Double, Double, Double, Double)) throws {
        let (mA, mB, mC, ma) = truth
        let s = ChainFixture.ttbarLike(n: 300, mA: mA, mB: mB, mC: mC, ma: ma, seed: 23)
        let grid = MassScanGrid.around(mA: 1.03 * mA, mB: 0.98 * mB, fraction: 0.2, points: 9, refinements: 3)
        let now = try MassScanEstimator.run(sample: s, pairing: .truth, mC: mC, grid: grid, bootstrap: 20, seed: 3)
        let before = try MassScanEstimator.run(sample: s, pairing: .truth, mC: mC, grid: grid, bootstrap: 20, seed: 3,
                                               warmStart: false)
        for k in 0..<2 {
            let a = now.masses[k], b = before.masses[k]
            #expect(a.name == b.name)
            #expect(abs(a.value - b.value) <= max(a.uncertainty, b.uncertainty), "\(a.name): \(a.value) vs \(b.value)")
        }
        #expect(now.perEvent["solvable"]?.integers?.count == s.count)
    }
}
