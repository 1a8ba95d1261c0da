// Smeared analytic solutions (kinreco, issue 11) against the exact solutions (kinsolve) on
// t-tbar samples of the `ttbar` card through the CMS and ideal detectors: handled fraction,
// invisible-momentum resolution against truth, pairing, time per event, and the parent-mass scan.
// Usage: swift run -c release KinRecoBenchmark [events] [trials] [scan-events] [dump-directory]
// With a dump directory it writes each scan's weight curves (raw float64, events x 19, GeV^-2)
// as kinreco_curves_<detector>.f64, to study the sample-level estimator offline.
// The m(a b) prior comes from a separate training sample (seed 202); measured samples use seed 101.
import Baselines
import Detector
import Events
import Foundation
import Generation
import Kinematics
import Fixtures

let arguments = CommandLine.arguments
let events = arguments.count > 1 ? Int(arguments[1]) ?? 3000 : 3000
let trials = arguments.count > 2 ? Int(arguments[2]) ?? 100 : 100
let scanEvents = arguments.count > 3 ? Int(arguments[3]) ?? 1000 : 1000
let dump = arguments.count > 4 ? arguments[4] : nil

let card = try Card.load(nameOrPath: "ttbar")
let masses = ChainMasses(mA: card.particle(.A).mass, mB: card.particle(.B).mass, mC: card.particle(.C).mass)
print("events \(events), trials K = \(trials), scan events \(scanEvents); active processors "
      + "\(ProcessInfo.processInfo.activeProcessorCount); hypothesis (\(masses.mA), \(masses.mB), \(masses.mC)) GeV")
let training = try EventPipeline(card: card, detector: .cms, seed: 202).generateSample(events: 20000)
let prior = try KinRecoPrior.fromTruth(training)

/// RMS of (estimate - truth) per component over both invisibles of `rows`, and the median |dpz|.
func resolution(_ est: Sample, _ s: Sample, _ rows: [Int]) throws -> (SIMD3<Double>, Double) {
    let c1 = try est.fourVectors("C1"), c2 = try est.fourVectors("C2")
    let t1 = try s.fourVectors(Key.trueC1), t2 = try s.fourVectors(Key.trueC2)
    var sum = SIMD3<Double>.zero, dz: [Double] = []
    for i in rows {
        for (c, t) in [(c1, t1), (c2, t2)] {
            let d = SIMD3(c[4 * i + 1] - t[4 * i + 1], c[4 * i + 2] - t[4 * i + 2], c[4 * i + 3] - t[4 * i + 3])
            sum += d * d
            dz.append(abs(d.z))
        }
    }
    dz.sort()
    return ((sum / Double(2 * max(rows.count, 1))).squareRoot(), dz.isEmpty ? .nan : dz[dz.count / 2])
}

/// The card's hypotheses (m_A, m_B, Gamma_B, m_C), as an analysis takes the known top and W masses.
func options(resolution: ResolutionModel, trials: Int, parentMassScan: [Double] = []) -> SmearedSolutionOptions {
    SmearedSolutionOptions(trials: trials, parentMass: card.particle(.A).mass, intermediateMass: card.particle(.B).mass,
                           intermediateWidth: card.particle(.B).width, invisibleMass: card.particle(.C).mass,
                           resolution: resolution, parentMassScan: parentMassScan)
}

func f(_ x: Double, _ d: Int = 1) -> String { String(format: "%.\(d)f", x) }

for preset in [DetectorPreset.cms, .ideal] {
    let s = try EventPipeline(card: card, detector: preset, seed: 101).generateSample(events: events)
    let truthPairing = s[Key.pairing]!.integers!
    let res = try ResolutionModel(provenance: s.provenance, classes: ChainClasses(card: card))
    let k = try KinematicSolutionEstimator.run(sample: s, pairing: .unknown, masses: masses)
    let r = try SmearedSolutionEstimator.run(sample: s, pairing: .unknown,
                                             options: options(resolution: res, trials: trials), prior: prior)
    let kStatus = k.perEvent["status"]!.integers!, rStatus = r.perEvent["status"]!.integers!
    let kHandled = (0..<s.count).filter { kStatus[$0] != 2 }, kExact = (0..<s.count).filter { kStatus[$0] == 0 }
    let rHandled = (0..<s.count).filter { rStatus[$0] == 0 }
    let both = rHandled.filter { kStatus[$0] != 2 }
    let kPair = k.perEvent["pairing_used"]!.integers!, rPair = r.perEvent["pairing_chosen"]!.integers!
    func pairingRight(_ p: [Int64], _ rows: [Int]) -> Double {
        Double(rows.filter { p[$0] == truthPairing[$0] }.count) / Double(max(rows.count, 1))
    }
    print("\n== \(preset.rawValue) detector, \(s.count) events, unknown pairing, resolution model \(res.summary)")
    print("kinsolve: exact \(f(100 * Double(kExact.count) / Double(s.count)))%, handled (with closest approach) "
          + "\(f(100 * Double(kHandled.count) / Double(s.count)))%, \(f(1e6 * k.secondsPerEvent)) us/event")
    print("kinreco:  handled \(f(100 * r.handledFraction))%, \(f(1e6 * r.secondsPerEvent)) us/event "
          + "(\(f(r.secondsPerEvent / k.secondsPerEvent)) x kinsolve, wall clock, all cores)")
    for (name, rows) in [("kinsolve exact", kExact.filter { rStatus[$0] == 0 }), ("both handled", both)] {
        let (kr, kz) = try resolution(k.perEvent, s, rows), (rr, rz) = try resolution(r.perEvent, s, rows)
        print("  RMS (px, py, pz) over \(name) (\(rows.count) events): kinsolve (\(f(kr.x)), \(f(kr.y)), \(f(kr.z))) "
              + "median |dpz| \(f(kz)); kinreco (\(f(rr.x)), \(f(rr.y)), \(f(rr.z))) median |dpz| \(f(rz)) GeV")
    }
    let (ko, _) = try resolution(k.perEvent, s, kHandled), (ro, _) = try resolution(r.perEvent, s, rHandled)
    print("  RMS (px, py, pz) each over its own handled events: kinsolve (\(f(ko.x)), \(f(ko.y)), \(f(ko.z))) over "
          + "\(kHandled.count); kinreco (\(f(ro.x)), \(f(ro.y)), \(f(ro.z))) over \(rHandled.count) GeV")
    print("  pairing right: kinsolve \(f(100 * pairingRight(kPair, both)))%, kinreco \(f(100 * pairingRight(rPair, both)))% "
          + "over both handled")
    // A deliberately wrong resolution model (the sweep's robustness check): scale 0 and 2.
    if preset == .cms {
        for wrongScale in [0.0, 0.5, 2.0] {
            let wrong = try res.overriding(scale: wrongScale)
            let w = try SmearedSolutionEstimator.run(sample: s, pairing: .unknown,
                                                     options: options(resolution: wrong, trials: trials),
                                                     prior: prior)
            let wHandled = (0..<s.count).filter { w.perEvent["status"]!.integers![$0] == 0 }
            let (wr, wz) = try resolution(w.perEvent, s, wHandled)
            print("  mis-modelled resolution \(wrong.summary): handled \(f(100 * w.handledFraction))%, RMS (\(f(wr.x)), "
                  + "\(f(wr.y)), \(f(wr.z))) median |dpz| \(f(wz)) GeV over its \(wHandled.count) handled events")
        }
    }
    // The parent-mass scan on the first scanEvents events.
    let sub = s.selecting(Array(0..<min(scanEvents, s.count)))
    let grid = SmearedSolutionOptions.grid(150...195, points: 19)
    let scan = try SmearedSolutionEstimator.run(
        sample: sub, pairing: .unknown,
        options: options(resolution: res, trials: trials, parentMassScan: grid), prior: prior)
    let peaks = scan.perEvent["m_A_peak"]!.doubles!.filter(\.isFinite).sorted()
    let q = { (p: Double) in peaks.isEmpty ? Double.nan : peaks[min(peaks.count - 1, Int(p * Double(peaks.count)))] }
    let m = scan.masses.first { $0.name == "M_A" }
    print("  scan m_A 150...195 GeV (19 points), \(sub.count) events: sample M_A = \(m.map { f($0.value, 2) } ?? "none") +- "
          + "\(m.map { f($0.uncertainty, 2) } ?? "-") GeV; per-event peaks median \(f(q(0.5))), 16-84% \(f(q(0.16)))-\(f(q(0.84))) GeV "
          + "(\(peaks.count) events); \(f(1e3 * scan.secondsPerEvent, 2)) ms/event")
    if let dump, let curves = scan.perEvent["weight_curve"]?.doubles {
        let data = curves.withUnsafeBufferPointer { Data(buffer: $0) }
        try data.write(to: URL(fileURLWithPath: dump).appendingPathComponent("kinreco_curves_\(preset.rawValue).f64"))
    }
    for note in scan.notes where note.contains("summed-log") || note.contains("edge") { print("  note: \(note)") }
}
