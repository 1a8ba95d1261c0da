@testable import Baselines
import Detector
import Events
import Generation
import Kinematics
import Testing
import TestSupport

/// The MET covariance the kinematic fits assume against the detector that made the sample.
@Suite struct ResolutionModelTests {
    /// On a CMS-smeared t-tbar sample the measured MET minus the true invisible sum, whitened by
    /// the model's covariance read from the provenance, has unit variance per component (the
    /// resolutions are evaluated at the measured momenta, so only approximately; 3000 events give
    /// a statistical error of about 0.026 on each variance).
    @Test func metPullsHaveUnitVariance() throws {
        let card = try Card.load(nameOrPath: "ttbar")
        let s = try EventPipeline(card: card, detector: .cms, seed: 17, threads: 1).generateSample(events: 3000)
        let input = try KinematicFitInput(sample: s, pairing: .unknown, resolution: nil)
        #expect(input.model.preset == .cms && input.model.scale == 1)
        #expect(input.model.aClass == .jet && input.model.bClass == .muon)
        let t1 = try s.fourVectors(Key.trueC1), t2 = try s.fourVectors(Key.trueC2)
        var sum = SIMD2<Double>(repeating: 0), sum2 = SIMD2<Double>(repeating: 0)
        for i in 0..<s.count {
            let w = try #require(Whitening(covariance: input.metCovariance(i), floor: 0))
            let truth = SIMD2(t1[4 * i + 1] + t2[4 * i + 1], t1[4 * i + 2] + t2[4 * i + 2])
            let pull = w.apply(input.met(i) - truth)
            sum += pull; sum2 += pull * pull
        }
        let n = Double(s.count)
        let mean = sum / n, variance = sum2 / n - mean * mean
        #expect(abs(mean.x) < 0.1 && abs(mean.y) < 0.1, "mean \(mean)")
        #expect(abs(variance.x - 1) < 0.1 && abs(variance.y - 1) < 0.1, "variance \(variance)")
    }

    /// An explicit model overrides the provenance; a doubled scale doubles every sigma.
    @Test func overrideScalesSigmas() throws {
        let v = FourVector(mass: 4.7, px: 60, py: -20, pz: 35)
        let one = try ResolutionModel(preset: .cms, scale: 1), two = try ResolutionModel(preset: .cms, scale: 2)
        #expect(abs(two.energySigma(.jet, v) - 2 * one.energySigma(.jet, v)) < 1e-12)
        // CMS jet: sigma(E) = sqrt(E^2 0.05^2 + E 1.5^2).
        #expect(abs(one.energySigma(.jet, v) - (v.e * v.e * 0.0025 + v.e * 2.25).squareRoot()) < 1e-12)
        #expect(throws: DetectorError.self) { try ResolutionModel(preset: .cms, scale: -1) }
        var p = Provenance(card: "ttbar", topology: .ttbarLike, seed: 1, detector: "nonsense")
        #expect(throws: DetectorError.self) { try ResolutionModel(provenance: p) }
        p.detector = "atlas"; p.smearScale = 0.5
        let m = try ResolutionModel(provenance: p)
        #expect(m.preset == .atlas && m.scale == 0.5)
    }
}
