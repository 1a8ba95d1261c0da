import Baselines
import Core
import Events
import Kinematics
import Testing
import TestSupport

@Suite struct ExtractionAntlerTests {
    /// m(a1 a2) of every event of an antler fixture.
    func visibleMasses(_ s: Sample) throws -> [Double] {
        let a1 = try s.fourVectors(Key.a1), a2 = try s.fourVectors(Key.a2)
        return (0..<s.count).map { max((fourVector(a1, $0) + fourVector(a2, $0)).mass, 0) }
    }

    @Test func closedFormPositionsAndInversion() throws {
        // By hand: E0 = (400^2 - 100^2) / (2 * 400) = 187.5 GeV; cosh eta = 1000 / 800 = 1.25,
        // so e^eta = 1.25 + sqrt(1.25^2 - 1) = 2: cusp = 2 E0 / 2 = 187.5, endpoint = 2 E0 * 2 = 750.
        let e = try #require(AntlerEdges(mD: 1000, mB: 400, mC: 100))
        #expect(abs(e.cusp - 187.5) < 1e-9 && abs(e.endpoint - 750) < 1e-9)
        let m = try #require(e.masses(mC: 100))
        #expect(abs(m.mD - 1000) < 1e-9 && abs(m.mB - 400) < 1e-9)
        #expect(AntlerEdges(mD: 700, mB: 400, mC: 100) == nil)
    }

    @Test func positionsMatchSampleMinMaxAndCusp() throws {
        let s = ChainFixture.antler(n: 30000, mD: 1000, mB: 400, mC: 100, seed: 17)
        let m = try visibleMasses(s)
        let edges = try #require(AntlerEdges(mD: 1000, mB: 400, mC: 100))
        // The maximum approaches the endpoint from below; the minimum is 0 (collinear visibles).
        #expect(m.max()! <= edges.endpoint * (1 + 1e-9) && m.max()! > 0.97 * edges.endpoint, "max \(m.max()!)")
        #expect(m.min()! >= 0 && m.min()! < 0.05 * edges.cusp, "min \(m.min()!)")
        // The cusp is a kink: the density rises linearly from 0 and its slope drops at the cusp.
        // A broken line (through the origin, kink at k) fitted to the 5 GeV histogram on [0, 260]
        // by weighted least squares, scanning k, puts the kink within 15 GeV of 187.5.
        var counts = [Double](repeating: 0, count: 52)
        for v in m where v < 260 { counts[Int(v / 5)] += 1 }
        var bestK = 0.0, bestChi2 = Double.infinity
        for k in stride(from: 120.0, through: 240, by: 2.5) {
            // Basis f1 = min(x, k), f2 = max(x - k, 0); solve the 2x2 normal equations.
            var h11 = 0.0, h12 = 0.0, h22 = 0.0, g1 = 0.0, g2 = 0.0
            for (j, y) in counts.enumerated() {
                let x = 5 * (Double(j) + 0.5), w = 1 / max(y, 1)
                let f1 = min(x, k), f2 = max(x - k, 0)
                h11 += w * f1 * f1; h12 += w * f1 * f2; h22 += w * f2 * f2; g1 += w * f1 * y; g2 += w * f2 * y
            }
            let det = h11 * h22 - h12 * h12
            let s1 = (h22 * g1 - h12 * g2) / det, s2 = (h11 * g2 - h12 * g1) / det
            var chi2 = 0.0
            for (j, y) in counts.enumerated() {
                let x = 5 * (Double(j) + 0.5)
                let r = y - s1 * min(x, k) - s2 * max(x - k, 0)
                chi2 += r * r / max(y, 1)
            }
            if chi2 < bestChi2 { bestChi2 = chi2; bestK = k }
        }
        #expect(abs(bestK - edges.cusp) < 15, "kink at \(bestK)")
        // The analytic shape: Kolmogorov-Smirnov distance to the empirical CDF (the 1% critical
        // value for n = 30000 is 1.63 / sqrt(30000) = 0.0094).
        let sorted = m.sorted()
        var ks = 0.0
        for (i, v) in sorted.enumerated() where i % 50 == 0 {
            let f = edges.cdf(v)
            ks = max(ks, abs(f - Double(i) / Double(sorted.count)), abs(f - Double(i + 1) / Double(sorted.count)))
        }
        #expect(ks < 0.0094, "KS distance \(ks)")
    }

    @Test func fitRecoversParentMasses() throws {
        // 30000 events: the fit uncertainty on m_B is about 3 GeV (0.8%), so 2% is about 2.5 sigma.
        let s = ChainFixture.antler(n: 30000, mD: 1000, mB: 400, mC: 100, seed: 18)
        let r = try AntlerCuspEstimator.run(sample: s, mC: 100, options: .init(bins: 50, bootstrap: 6, seed: 2))
        let mD = try #require(r.masses.first { $0.name == "M_D" }), mB = try #require(r.masses.first { $0.name == "M_B" })
        #expect(abs(mD.value - 1000) < 0.02 * 1000, "m_D \(mD.value) +- \(mD.uncertainty)")
        #expect(abs(mB.value - 400) < 0.02 * 400, "m_B \(mB.value) +- \(mB.uncertainty)")
        #expect(mD.uncertainty > 0 && mD.uncertainty < 20 && mB.uncertainty > 0 && mB.uncertainty < 8)
        #expect(r.perEvent["m_a1a2"]?.rows == 30000)
    }
}

@Suite struct ExtractionAntlerResolutionTests {
    @Test func fitWithKnownResolutionRecoversEdges() throws {
        // m(a1 a2) smeared by a known 15 GeV Gaussian; the fit folds the same resolution in.
        let s = ChainFixture.antler(n: 20000, mD: 1000, mB: 400, mC: 100, seed: 19)
        let a1 = try s.fourVectors(Key.a1), a2 = try s.fourVectors(Key.a2)
        let r = RandomStream(seed: 77)
        let m = (0..<s.count).map { max((fourVector(a1, $0) + fourVector(a2, $0)).mass + 15 * r.gaussian(), 0) }
        let fit = try AntlerFit.fit(values: m, options: .init(bins: 40, resolution: 15, bootstrap: 0))
        #expect(abs(fit.edges.cusp - 187.5) < 3 * fit.cuspError, "cusp \(fit.edges.cusp) +- \(fit.cuspError)")
        #expect(abs(fit.edges.endpoint - 750) < 3 * fit.endpointError, "endpoint \(fit.edges.endpoint) +- \(fit.endpointError)")
        let masses = try #require(fit.masses(mC: 100))
        #expect(abs(masses.mB - 400) < 3 * masses.mBError && abs(masses.mD - 1000) < 3 * masses.mDError,
                "m_D \(masses.mD) +- \(masses.mDError), m_B \(masses.mB) +- \(masses.mBError)")
    }
}
