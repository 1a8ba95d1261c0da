import Events
import Foundation
import Testing
@testable import Detector
@testable import Generation

/// Jet and lepton energy-scale factors: applied to the measured objects before the cuts, MET
/// recomputed from them, the nominal path untouched.
@Suite struct EnergyScaleTests {
    /// Rows of a sample by event number.
    static func byEvent(_ s: Sample) -> [Int64: Int] {
        var out: [Int64: Int] = [:]
        for (i, e) in s[Key.event]!.integers!.enumerated() { out[e] = i }
        return out
    }

    /// Ideal detector, same seed: with JES 1.03 every jet of an event kept in both samples is
    /// 1.03 times the nominal one, the leptons are unchanged, MET moves by -0.03 times the jets'
    /// transverse sum; events whose jets cross the pT cut differ in acceptance only.
    @Test func jetScaleMultipliesJetsAndMovesMET() throws {
        let c = try card("ttbar")
        let nominal = try EventPipeline(card: c, detector: .ideal, seed: 21, threads: 1).generateSample(events: 2000)
        let shifted = try EventPipeline(card: c, detector: .ideal, seed: 21, threads: 1,
                                        energyScales: EnergyScales(jet: 1.03)).generateSample(events: 2000)
        let rows = Self.byEvent(nominal)
        var compared = 0, worst = 0.0
        for (e, j) in Self.byEvent(shifted) {
            guard let i = rows[e] else { continue }
            compared += 1
            for k in 0..<4 {
                for key in [Key.a1, Key.a2] {
                    worst = max(worst, abs(shifted[key]!.doubles![4 * j + k] - 1.03 * nominal[key]!.doubles![4 * i + k]))
                }
                for key in [Key.b1, Key.b2] {
                    #expect(shifted[key]!.doubles![4 * j + k] == nominal[key]!.doubles![4 * i + k])
                }
            }
            for axis in 1...2 {
                let jets = nominal[Key.a1]!.doubles![4 * i + axis] + nominal[Key.a2]!.doubles![4 * i + axis]
                let expected = nominal[Key.met]!.doubles![2 * i + axis - 1] - 0.03 * jets
                worst = max(worst, abs(shifted[Key.met]!.doubles![2 * j + axis - 1] - expected))
            }
        }
        #expect(compared > 1800, "only \(compared) events in both samples")
        #expect(worst < 1e-9, "largest deviation \(worst) GeV")
    }

    /// LES 0.98 on the cms preset: lepton momenta scale by 0.98 with the mass kept, jets equal,
    /// relative to the same smeared sample (same seed: the smearing draws do not depend on it).
    @Test func leptonScaleKeepsTheMass() throws {
        let c = try card("ttbar")
        let nominal = try EventPipeline(card: c, detector: .cms, seed: 22, threads: 1).generateSample(events: 1500)
        let shifted = try EventPipeline(card: c, detector: .cms, seed: 22, threads: 1,
                                        energyScales: EnergyScales(lepton: 0.98)).generateSample(events: 1500)
        let rows = Self.byEvent(nominal)
        var compared = 0
        for (e, j) in Self.byEvent(shifted) {
            guard let i = rows[e] else { continue }
            compared += 1
            for key in [Key.b1, Key.b2] {
                let n = nominal[key]!.doubles!, s = shifted[key]!.doubles!
                for k in 1...3 { #expect(abs(s[4 * j + k] - 0.98 * n[4 * i + k]) < 1e-9) }
            }
            for k in 0..<4 { #expect(shifted[Key.a1]!.doubles![4 * j + k] == nominal[Key.a1]!.doubles![4 * i + k]) }
        }
        #expect(compared > 1300)
    }

    @Test func badFactorsAreRefused() {
        #expect(throws: DetectorError.self) { try Detector(preset: .cms, energyScales: EnergyScales(jet: 0)) }
        #expect(throws: DetectorError.self) { try Detector(preset: .cms, energyScales: EnergyScales(lepton: -1)) }
        #expect(throws: DetectorError.self) { try Detector(preset: .cms, energyScales: EnergyScales(jet: .nan)) }
    }
}
