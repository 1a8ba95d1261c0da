// Speed and resolution of the resolution-aware kinematic fits (neutrino weighting, likelihood
// fit) beside the exact analytic solutions (kinsolve) and the mass scan (massscan), on the same
// generated t-tbar samples (ideal and CMS detector, unknown pairing).
// Usage: swift run -c release KinematicFitBenchmark [events] [massscan-events]
// Run it pinned to one core (taskset -c 0) for one-core numbers. Truth is read here only to score.
import Baselines
import Detector
import Events
import Foundation
import Generation
import Kinematics

let arguments = CommandLine.arguments
let events = arguments.count > 1 ? Int(arguments[1]) ?? 1000 : 1000
let scanEvents = arguments.count > 2 ? Int(arguments[2]) ?? 300 : 300

func row(_ flat: [Double], _ i: Int) -> FourVector {
    FourVector(e: flat[4 * i], px: flat[4 * i + 1], py: flat[4 * i + 2], pz: flat[4 * i + 3])
}

/// Median of |x - truth| over finite x, and the fraction within 10 GeV.
func massResolution(_ values: [Double], truth: Double) -> String {
    let d = values.filter(\.isFinite).map { abs($0 - truth) }.sorted()
    guard !d.isEmpty else { return "no values" }
    let within = Double(d.filter { $0 < 10 }.count) / Double(values.count)
    return String(format: "per-event mass: median |m - m_A| %.1f GeV, within 10 GeV %.1f%%", d[d.count / 2], 100 * within)
}

/// RMS of (C - true C) per component over the handled events, both invisibles (GeV).
func momentumResolution(_ r: EstimatorResult, _ s: Sample) throws -> String {
    guard r.perEvent["C1"] != nil else { return "no per-event invisible momenta" }
    let c1 = try r.perEvent.fourVectors("C1"), c2 = try r.perEvent.fourVectors("C2")
    let t1 = try s.fourVectors(Key.trueC1), t2 = try s.fourVectors(Key.trueC2)
    var sum = SIMD3<Double>(repeating: 0), n = 0
    var dx: [Double] = [], dy: [Double] = [], dz: [Double] = []
    for i in 0..<s.count {
        for (c, t) in [(row(c1, i), row(t1, i)), (row(c2, i), row(t2, i))] where c.e.isFinite {
            let d = SIMD3(c.px - t.px, c.py - t.py, c.pz - t.pz)
            sum += d * d; n += 1
            dx.append(abs(d[0])); dy.append(abs(d[1])); dz.append(abs(d[2]))
        }
    }
    guard n > 0 else { return "no momenta" }
    let rms = (sum / Double(n)).squareRoot()
    func median(_ v: [Double]) -> Double { v.sorted()[v.count / 2] }
    return String(format: "invisible momentum RMS px %.1f py %.1f pz %.1f GeV; median |d| px %.1f py %.1f pz %.1f GeV",
                  rms[0], rms[1], rms[2], median(dx), median(dy), median(dz))
}

func report(_ name: String, _ r: EstimatorResult, _ s: Sample, massKey: String?) throws {
    let m = r.masses.first.map { String(format: "%.2f +- %.2f", $0.value, $0.uncertainty) } ?? "-"
    print(String(format: "  %-9@ %8.3f ms/event  handled %5.1f%%  sample M_A %@", name as NSString,
                 1e3 * r.secondsPerEvent, 100 * r.handledFraction, m as NSString))
    if let k = massKey, let v = r.perEvent[k]?.doubles { print("            " + massResolution(v, truth: 172.5)) }
    print("            " + (try momentumResolution(r, s)))
    if let chosen = (r.perEvent["pairing_chosen"] ?? r.perEvent["pairing_used"])?.integers, let truth = s[Key.pairing]?.integers {
        let right = zip(chosen, truth).filter { $0 == $1 }.count
        print(String(format: "            pairing right in %.1f%% of events", 100 * Double(right) / Double(truth.count)))
    }
}

let card = try Card.load(nameOrPath: "ttbar")
print("events per sample: \(events) (massscan: \(scanEvents)); active processors: \(ProcessInfo.processInfo.activeProcessorCount)")
for preset in [DetectorPreset.ideal, .cms] {
    let sample = try EventPipeline(card: card, detector: preset, seed: 7, threads: 1).generateSample(events: events)
    print("ttbar, detector \(preset.rawValue), pairing unknown, \(sample.count) events")
    var nw = NeutrinoWeightingOptions(mB: 80.38, mC: 0)
    nw.bootstrapReplicates = 100
    let nuw = try NeutrinoWeightingEstimator.run(sample: sample, pairing: .unknown, options: nw)
    try report("nuweight", nuw, sample, massKey: "nuw_mass")
    print("            grid: m_A \(nw.mAValues.count) points (\(nw.mALow)...\(nw.mAHigh) step \(nw.mAStep)), rapidity "
          + "\(nw.etaValues.count) x \(nw.etaValues.count) (step \(nw.etaStep)), 2 pairings")
    nw.momentumMass = 172.5
    let fixed = try NeutrinoWeightingEstimator.run(sample: sample, pairing: .unknown, options: nw)
    try report("nuw@172.5", fixed, sample, massKey: nil)
    if preset == .cms {
        // The resolution model mis-modelled on purpose: half and twice the true smearing.
        for scale in [0.5, 2.0] {
            var wrong = nw
            wrong.momentumMass = nil
            wrong.resolution = try ResolutionModel(preset: .cms, scale: scale)
            let r = try NeutrinoWeightingEstimator.run(sample: sample, pairing: .unknown, options: wrong)
            let m = r.masses.first.map { String(format: "%.2f +- %.2f", $0.value, $0.uncertainty) } ?? "-"
            print("  nuweight with the model at cms x \(scale): sample M_A \(m), handled \(r.handledFraction)")
        }
    }
    var kl = LikelihoodFitOptions(mB: 80.38, mC: 0)
    kl.grid.bootstrapReplicates = 100
    let klf = try LikelihoodFitEstimator.run(sample: sample, pairing: .unknown, options: kl)
    try report("klfit", klf, sample, massKey: "klf_mass")
    kl.fixedMass = 172.5
    let klFixed = try LikelihoodFitEstimator.run(sample: sample, pairing: .unknown, options: kl)
    try report("klf@172.5", klFixed, sample, massKey: nil)
    let kin = try KinematicSolutionEstimator.run(sample: sample, pairing: .unknown,
                                                 masses: ChainMasses(mA: 172.5, mB: 80.38, mC: 0))
    try report("kinsolve", kin, sample, massKey: nil)
    let sub = sample.selecting(Array(0..<min(scanEvents, sample.count)))
    let grid = MassScanGrid.around(mA: 172.5 * 1.03, mB: 80.38 * 0.98, fraction: 0.2, points: 9, refinements: 3)
    let scan = try MassScanEstimator.run(sample: sub, pairing: .unknown, mC: 0, grid: grid)
    try report("massscan", scan, sub, massKey: nil)
    print(String(format: "  ratios: nuweight / kinsolve %.1f, klfit / kinsolve %.1f, nuweight / massscan %.2f",
                 nuw.secondsPerEvent / kin.secondsPerEvent, klf.secondsPerEvent / kin.secondsPerEvent,
                 nuw.secondsPerEvent / scan.secondsPerEvent))
}
