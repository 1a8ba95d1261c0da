import Baselines
import Events
import Core
import Testing
import TestSupport

/// The sample-level extraction the methods own (moved out of the harness, issue 10): the
/// endpoint window and the names of the arrays the estimators write.
@Suite struct EndpointWindowTests {
    /// Triangle density 2 (M - x) / M^2 on [0, M] (inverse CDF x = M (1 - sqrt(u))), smeared by a
    /// Gaussian of width sigma: the linear edge the window fit models near M.
    func triangle(n: Int, endpoint m: Double, sigma: Double, seed: UInt32) -> [Double] {
        let r = RandomStream(seed: seed)
        return (0..<n).map { _ in m * (1 - r.uniform().squareRoot()) + sigma * r.gaussian() }
    }

    @Test func windowFitRecoversTheEdgeAndIgnoresNonFiniteValues() throws {
        var v = triangle(n: 20000, endpoint: 100, sigma: 3, seed: 41)
        let clean = try #require(EndpointWindow.fit(v))
        #expect(abs(clean.endpoint - 100) < max(3 * clean.fitError, 2), "endpoint \(clean.endpoint) +- \(clean.fitError)")
        v += [.nan, .infinity, -.infinity]
        let dirty = try #require(EndpointWindow.fit(v))
        #expect(dirty.endpoint == clean.endpoint)
        // A mass estimate carries the bootstrap error and the given name and wording.
        let m = EndpointWindow.mass(v, name: MassName.a, how: "test fit", bootstrap: 5, seed: 3)
        #expect(m.count == 1 && m[0].name == "M_A" && m[0].how == "test fit" && m[0].uncertainty > 0 && m[0].value == clean.endpoint)
        #expect(EndpointWindow.mass(nil, name: MassName.a, how: "", bootstrap: 0, seed: 1).isEmpty)
        #expect(EndpointWindow.fit([])?.endpoint == nil)
    }

    /// The estimators write the names `OutputKey` spells, and `EndpointWindow.mt2Masses` reads them.
    @Test func estimatorsWriteTheOutputKeys() throws {
        let tt = ChainFixture.ttbarLike(n: 2000, mA: 172.5, mB: 80.38, mC: 0, ma: 4.7, seed: 5, maxBeta: 0.5)
        let r = try MT2Estimator.run(sample: tt, pairing: .truth, chi: 0)
        #expect(Set(r.perEvent.keys) == [OutputKey.mt2L, OutputKey.mt2BL, OutputKey.mt2B, OutputKey.pairingBL, OutputKey.status])
        // The fits read those arrays: MT2(l) -> M_B (the window fit itself is tested on a known edge above).
        let ends = EndpointWindow.mt2Masses(r.perEvent, bootstrap: 5, seed: 1)
        #expect(ends.contains { $0.name == MassName.b && $0.how == "MT2(l) endpoint fit" })
        #expect(M2Variable.cc.key == OutputKey.m2cc)
        let maos = try MAOSEstimator.run(sample: tt, pairing: .unknown, parentMass: 172.5)
        #expect(Set(maos.perEvent.keys) == [OutputKey.c1, OutputKey.c2, OutputKey.c1Alt, OutputKey.c2Alt, OutputKey.mt2BL,
                                            OutputKey.pairingBL, OutputKey.status])
    }
}
