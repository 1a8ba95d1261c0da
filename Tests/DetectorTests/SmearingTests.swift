import Core
import Events
import Foundation
import Testing
@testable import Detector
@testable import Generation

@Suite struct SmearingTests {
    @Test func unknownPresetListsPresets() {
        #expect(throws: DetectorError.unknownPreset("delphi")) { try DetectorPreset(name: "delphi") }
        #expect(DetectorError.unknownPreset("delphi").description.contains("ideal, atlas, cms"))
        #expect(throws: DetectorError.badSmearScale(-1)) { try Detector(preset: .cms, scale: -1) }
        #expect((try? DetectorPreset(name: "CMS")) == .cms)
    }

    @Test func resolutionsAreTheDelphesFormulas() throws {
        #expect(abs(Resolution.sinh05 - sinh(0.5)) < 1e-15 && abs(Resolution.sinh15 - sinh(1.5)) < 1e-15)
        #expect(abs(Resolution.sinh17 - sinh(1.7)) < 1e-15)
        // Hand-evaluated from the resolutions of docs/physics.md#resolutions (Delphes ATLAS/CMS cards).
        // Muon, pT 50, eta 0: sqrt(0.01^2 + 2500 * 1e-8) = 0.0111803.
        #expect(abs(Resolution.muonRelative(pt: 50, absPz: 0) - 0.011180339887) < 1e-10)
        // Muon, pT 50, eta 2 (pz = 50 sinh 2): sqrt(0.025^2 + 2500 * 3.5e-4^2) = 0.0305164 (python).
        #expect(abs(Resolution.muonRelative(pt: 50, absPz: 50 * 3.626860407847019) - 0.030516389039334) < 1e-10)
        // Electron, pT 100, eta 1: sqrt(0.05^2 + 1e4 * 1.7e-3^2) = 0.1772005.
        #expect(abs(Resolution.electronRelative(pt: 100, absPz: 100 * 1.1752011936438014) - 0.177200451467) < 1e-10)
        // CMS jet E = 100: sqrt(1e4 * 0.0025 + 100 * 2.25) = 15.8113883.
        #expect(abs(Resolution.cmsJet(energy: 100) - 15.811388300842) < 1e-9)
        // ATLAS jet E = 100 central: sqrt(1e4 * 0.0302^2 + 100 * 0.5205^2 + 1.59^2) = 6.22766.
        #expect(abs(Resolution.atlasJet(energy: 100, pt: 100, absPz: 0) - (9.1204 + 27.092025 + 2.5281).squareRoot()) < 1e-12)
        // ATLAS forward (eta 2): sqrt(1e4 * 0.05^2 + 100 * 0.706^2).
        #expect(abs(Resolution.atlasJet(energy: 100, pt: 26.6, absPz: 26.6 * 3.626860407847019) - (25 + 49.8436).squareRoot()) < 1e-12)
    }

    /// Pulls (measured - true) / sigma of every object class under each preset: width 1
    /// within 2%, mean 0. Truth objects come from the t-tbar generator (b-jets and muons;
    /// the leptons are also smeared as electrons). Jets whose true energy is below 5 sigma are
    /// skipped (their measured energy may be clipped at 0).
    @Test(arguments: [DetectorPreset.atlas, .cms])
    func pullsHaveUnitWidth(preset: DetectorPreset) throws {
        let n = 30_000
        var rng = EventRandom(algorithm: .taus2, seed: 1234)
        let buf = try ttbarTruth(n, rng: &rng)
        let det = try Detector(preset: preset, scale: 1)
        var pulls: [VisibleClass: [Double]] = [.jet: [], .muon: [], .electron: []]
        for i in 0..<n {
            for r in [6, 7, 10] {  // b jets and the ISR jet
                let v = buf.row(r, i)
                let sigma = det.resolution(.jet, v)
                guard v.0 > 5 * sigma else { continue }
                let m = det.smear(.jet, v, rng: &rng)
                pulls[.jet]!.append((m.0 - v.0) / sigma)
            }
            for r in [8, 9] {
                let v = buf.row(r, i)
                guard pt(v) > 1 else { continue }
                for cls in [VisibleClass.muon, .electron] {
                    let m = det.smear(cls, v, rng: &rng)
                    pulls[cls]!.append((pt(m) - pt(v)) / det.resolution(cls, v))
                }
            }
        }
        for (cls, p) in pulls {
            let (mean, sd) = moments(p)
            #expect(p.count > 20_000)
            #expect(abs(sd - 1) < 0.02, "\(preset) \(cls): pull width \(sd)")
            #expect(abs(mean) < 0.03, "\(preset) \(cls): pull mean \(mean)")
        }
        // The global scale multiplies the resolution: s = 0.5 halves the pull width.
        let half = try Detector(preset: preset, scale: 0.5)
        var p: [Double] = []
        for i in 0..<n {
            let v = buf.row(8, i)
            let m = half.smear(.muon, v, rng: &rng)
            p.append((pt(m) - pt(v)) / half.resolution(.muon, v))
        }
        #expect(abs(moments(p).sd - 0.5) < 0.01)
    }

    @Test func idealAndZeroScaleDoNotSmear() throws {
        var rng = EventRandom(algorithm: .taus2, seed: 1)
        let v = (100.0, 30.0, 40.0, 86.6)
        for det in [try Detector(preset: .ideal), try Detector(preset: .cms, scale: 0)] {
            let m = det.smear(.jet, v, rng: &rng)
            #expect(m == v)
            #expect(det.smear(.muon, v, rng: &rng) == v)
        }
        #expect(try Detector(preset: .ideal).resolution(.jet, v) == 0)
    }
}

/// The four-lane smearing and pT cut used by the event loop against the scalar formulas:
/// bit-identical lane by lane, for every preset and object class (the pull test above checks the
/// scalar formulas).
@Suite struct LaneSmearingTests {
    @Test(arguments: [DetectorPreset.atlas, .cms])
    func laneSmearingIsTheScalarSmearing(preset: DetectorPreset) throws {
        let n = 8_000
        var rng = EventRandom(algorithm: .taus2, seed: 77)
        let buf = try ttbarTruth(n, rng: &rng)
        let det = try Detector(preset: preset, scale: 1.7)
        for role in [6, 7, 8, 9, 10] {
            for i in stride(from: 0, to: n, by: 4) {
                let p = buf.role(role) + 4 * i
                let t = LaneVectors(rows: p, p + 4, p + 8, p + 12)
                let g = rng.gaussians() * 2
                for cls in [VisibleClass.jet, .muon, .electron] {
                    let m = det.smear(cls, t, gaussian: g)
                    let pass = det.acceptsPt(cls, m)
                    for l in 0..<4 {
                        let s = det.smear(cls, t[lane: l], gaussian: g[l])
                        let v = m[lane: l]
                        #expect(v.0.bitPattern == s.0.bitPattern && v.1.bitPattern == s.1.bitPattern
                            && v.2.bitPattern == s.2.bitPattern && v.3.bitPattern == s.3.bitPattern,
                            "\(preset) \(cls) role \(role) row \(i + l)")
                        #expect(pass[l] == det.acceptsPt(cls, s))
                    }
                }
            }
        }
    }
}
