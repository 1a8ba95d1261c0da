import Baselines
import Detector
import Foundation
import Events
import Generation
import Kinematics
import Testing
import TestSupport

/// The inputs of the smeared-solution method: the resolution model and the m(a b) prior.
@Suite struct KinRecoInputTests {
    /// The model is the detector's own formula: a jet moves by s sigma(E) g in energy with its
    /// direction kept, a muon by s sigma(pT) g in pT with mass and direction kept.
    @Test func resolutionModelIsTheDetectorFormula() throws {
        let prov = Provenance(card: "ttbar", topology: .ttbarLike, seed: 1, detector: "cms", smearScale: 1.5)
        let m = try ResolutionModel(provenance: prov, classes: ChainClasses(card: try KinRecoSamples.ttbarCard()))
        #expect(m.preset == .cms && m.scale == 1.5 && m.aClass == .jet && m.bClass == .muon && m.smears)
        let jet = FourVector(mass: 4.7, px: 60, py: -20, pz: 35), mu = FourVector(mass: 0.105, px: -40, py: 10, pz: 80)
        // CMS jet sigma(E) = sqrt(E^2 0.05^2 + E 1.5^2) (Delphes CMS card), times the scale.
        let sj = m.sigma(.jet, jet)
        #expect(abs(sj - 1.5 * (jet.e * jet.e * 0.0025 + jet.e * 2.25).squareRoot()) < 1e-12 * sj)
        let j1 = m.smeared(.jet, jet, gaussian: 1)
        #expect(abs(j1.e - (jet.e + sj)) < 1e-9)
        #expect(abs(j1.px / j1.pz - jet.px / jet.pz) < 1e-12)  // direction kept: no angular smearing
        let sm = m.sigma(.muon, mu)
        let m1 = m.smeared(.muon, mu, gaussian: -0.5)
        #expect(abs(m1.pt - (mu.pt - 0.5 * sm)) < 1e-9)
        #expect(abs(m1.mass - mu.mass) < 1e-6 && abs(m1.py / m1.px - mu.py / mu.px) < 1e-12)
        #expect(m.smeared(.jet, jet, gaussian: 0) == jet)
        // Override: a deliberately wrong model keeps the classes.
        let wrong = try m.overriding(preset: .atlas, scale: 0.5)
        #expect(wrong.preset == .atlas && wrong.scale == 0.5 && wrong.aClass == .jet)
        let ideal = try m.overriding(scale: 0)
        #expect(!ideal.smears && ideal.sigma(.jet, jet) == 0 && ideal.smeared(.jet, jet, gaussian: 2) == jet)
        #expect(throws: DetectorError.badSmearScale(-1)) { _ = try m.overriding(scale: -1) }
        // Provenance that names no preset, or none at all, is a clear error.
        var imported = prov; imported.detector = "delphes-run2"
        #expect(throws: ResolutionModelError.unknownDetector("delphes-run2")) {
            _ = try ResolutionModel(provenance: imported, aClass: .jet, bClass: .muon)
        }
        #expect(throws: ResolutionModelError.noProvenance) { _ = try ResolutionModel(provenance: nil, aClass: .jet, bClass: .muon) }
    }

    /// The prior is a normalised histogram of the training truth; stretched to another m_A it
    /// reproduces that m_A's m(a b) distribution (massless visibles: m(a b) / sqrt(m_A^2 - m_B^2)
    /// has an m_A-independent shape), checked on the mean and on the fraction below a cut.
    @Test func priorNormalisationAndStretch() throws {
        let train = ChainFixture.ttbarLike(n: 20000, mA: 172.5, mB: 80.38, mC: 0, seed: 41)
        let p = try KinRecoPrior.fromTruth(train, bins: 80)
        #expect(abs(p.density.reduce(0, +) * p.width - 1) < 1e-12)
        #expect(abs(p.referenceParentMass - 172.5) < 1e-9 && abs(p.referenceIntermediateMass - 80.38) < 1e-9)
        #expect(p.sourceCard == "fixture" && p.sourceSeed == 41)
        // Stored as an input: a JSON round trip gives the same prior.
        #expect(try JSONDecoder().decode(KinRecoPrior.self, from: try JSONEncoder().encode(p)) == p)
        // Exact endpoint for massless visibles: sqrt(m_A^2 - m_B^2) = 152.6 GeV.
        let end = (172.5 * 172.5 - 80.38 * 80.38).squareRoot()
        #expect(p.density(end + p.width) == 0 && p.density(0.5 * end) > 0)
        // Stretched to m_A = 230: compare with a sample generated there.
        let other = ChainFixture.ttbarLike(n: 20000, mA: 230, mB: 80.38, mC: 0, seed: 42)
        let a1 = try other.fourVectors(Key.truea1), b1 = try other.fourVectors(Key.trueb1)
        let values = (0..<other.count).map { (FourVector(a1, row: $0) + FourVector(b1, row: $0)).mass }
        let mean = values.reduce(0, +) / Double(values.count)
        let cut = 120.0, below = Double(values.filter { $0 < cut }.count) / Double(values.count)
        var pMean = 0.0, pBelow = 0.0, norm = 0.0
        let dm = 0.05
        for k in 0..<8000 {
            let m = (Double(k) + 0.5) * dm
            let d = p.density(m, parentMass: 230, intermediateMass: 80.38)
            norm += d * dm; pMean += m * d * dm
            if m < cut { pBelow += d * dm }
        }
        #expect(abs(norm - 1) < 1e-3)
        // Statistical precision of 20000 events: about 0.5% on the mean, 0.004 on the fraction.
        #expect(abs(pMean - mean) < 0.015 * mean, "stretched mean \(pMean) vs \(mean)")
        #expect(abs(pBelow - below) < 0.015, "fraction below \(cut): \(pBelow) vs \(below)")
        #expect(abs(p.stretch(parentMass: 172.5, intermediateMass: 80.38) - 1) < 1e-12)
        #expect(p.stretch(parentMass: 70, intermediateMass: 80.38).isNaN)
        #expect(throws: SmearedSolutionError.self) {
            _ = try KinRecoPrior.fromTruth(ChainFixture.ttbarLike(n: 50, mA: 172.5, mB: 80.38, mC: 0, seed: 43))
        }
    }

    /// The scan's sample mass on synthetic curves with a known maximum: Gaussian log-curves
    /// centred at 171.3 GeV give the parabola vertex there, and the bootstrap error shrinks like
    /// 1/sqrt(N).
    @Test func scanMaximumOfSyntheticCurves() throws {
        let grid = SmearedSolutionOptions.grid(160...185, points: 11)
        func curves(_ n: Int) -> [Double] {
            var out: [Double] = []
            for i in 0..<n {
                let centre = 171.3 + 6 * sin(Double(i) * 1.7)  // spread of the per-event maxima
                for m in grid { out.append(exp(-0.5 * (m - centre) * (m - centre) / 64)) }
            }
            return out
        }
        let small = try #require(SmearedSolutionScan.sampleMass(curves(200), grid: grid, bootstrap: 200, seed: 1))
        let large = try #require(SmearedSolutionScan.sampleMass(curves(3200), grid: grid, bootstrap: 200, seed: 1))
        // The summed log of Gaussians is a Gaussian in m centred at the mean centre (171.3 up to
        // the mean of the sine terms, below 0.1 GeV); the parabola through 2.5 GeV-spaced
        // points of an exact parabola (log of a Gaussian) finds it exactly.
        var meanCentre = 0.0
        for i in 0..<3200 { meanCentre += 171.3 + 6 * sin(Double(i) * 1.7) }
        meanCentre /= 3200
        #expect(abs(large.value - meanCentre) < 1e-9)
        #expect(!large.atEdge && large.events == 3200)
        let ratio = small.bootstrapError / large.bootstrapError
        #expect(ratio > 2.5 && ratio < 6, "bootstrap error ratio \(ratio), expected about 4")
        // Per-event peaks: the vertex of each curve's log is not the parabola of the curve, but
        // within a grid step of the centre.
        let peaks = SmearedSolutionScan.peaks(curves(5), grid: grid)
        for (i, p) in peaks.enumerated() { #expect(abs(p - (171.3 + 6 * sin(Double(i) * 1.7))) < 2.5) }
        #expect(SmearedSolutionScan.sampleMass([Double](repeating: 0, count: 33), grid: grid, bootstrap: 10, seed: 1) == nil)
    }
}
