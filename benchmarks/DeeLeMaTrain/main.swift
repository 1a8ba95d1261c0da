// DeeLeMa training runs and speed measurements on fixture samples (release build):
//   swift run -c release DeeLeMaTrain [--fixture toy|ttbar|antler] [--events N] [--pairing true|unknown]
//       [--mode none|pt|mc|pt_mc] [--epochs E] [--batch B] [--hidden H] [--layers L] [--hypotheses K] [--lr X] [--mass-lr X]
//       [--initial-mB GeV] [--initial-mA GeV] [--loss l1|huber] [--completion met|visible-balance] [--threads T] [--seed S]
//   swift run -c release DeeLeMaTrain --speed [--batch 2048] [--hidden 256] [--layers 5] [--threads T] [--steps N]
import DeeLeMa
import Events
import Fixtures
import Foundation
import Network

var options: [String: String] = [:]
var flags: Set<String> = []
var args = Array(CommandLine.arguments.dropFirst())
while let a = args.first {
    args.removeFirst()
    guard a.hasPrefix("--") else { fatalError("unexpected argument \(a)") }
    if a == "--speed" { flags.insert("speed"); continue }
    guard let v = args.first else { fatalError("missing value for \(a)") }
    args.removeFirst()
    options[String(a.dropFirst(2))] = v
}
@MainActor func opt(_ k: String, _ d: String) -> String { options[k] ?? d }

let fixture = opt("fixture", "toy")
var config = DeeLeMaConfig()
config.mode = LearnMode(rawValue: opt("mode", "none"))!
config.pairing = PairingMode(rawValue: opt("pairing", "true"))!
config.completion = Completion(rawValue: opt("completion", "met"))!
config.loss = LossMetric(rawValue: opt("loss", config.loss.rawValue))!
config.initialMassB = options["initial-mB"].flatMap(Double.init)
config.initialMassA = options["initial-mA"].flatMap(Double.init)
config.epochs = Int(opt("epochs", "20"))!
config.batchSize = Int(opt("batch", "2048"))!
config.hidden = Int(opt("hidden", "256"))!
config.hypotheses = Int(opt("hypotheses", flags.contains("speed") ? "1" : "\(config.hypotheses)"))!
config.layers = Int(opt("layers", "5"))!
config.learningRate = Double(opt("lr", "\(config.learningRate)"))!
config.massLearningRate = Double(opt("mass-lr", "\(config.massLearningRate)"))!
config.threads = Int(opt("threads", "1"))!
config.seed = UInt64(opt("seed", "1"))!
let events = Int(opt("events", "100000"))!

func seconds(_ d: Duration) -> Double { Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18 }

if flags.contains("speed") {
    // Training-step time at the given batch vs the time of the same sgemm calls alone, and inference rate.
    let steps = Int(opt("steps", "20"))!
    config.mC = 700; config.scale = 1000
    let sample = ChainFixture.ttbarLike(n: config.batchSize * 2, mA: 1000, mB: 800, mC: 700, seed: 5)
    config.trainFraction = 0.5; config.validationFraction = 0.0
    let trainer = try DeeLeMaTrainer(sample: sample, config: config)
    let net = trainer.model.net
    let idx = Array(trainer.trainIndices.prefix(config.batchSize))
    let clock = ContinuousClock()
    func step() {
        _ = idx.withUnsafeBufferPointer { trainer.model.evaluate(trainer.data, indices: $0, gradients: true) }
    }
    var adam = Adam<Float>(count: net.parameterCount)
    for _ in 0..<3 { step() }
    var t0 = clock.now
    for _ in 0..<steps {
        step()
        net.parameters.withUnsafeMutableBufferPointer { p in net.gradients.withUnsafeBufferPointer { adam.update(p.baseAddress!, $0.baseAddress!, lr: 1e-6) } }
    }
    let stepTime = seconds(clock.now - t0) / Double(steps)
    // The same sgemm calls (shapes and operands) the step makes, alone.
    let b = config.batchSize, sizes = net.sizes
    let widest = sizes.max()!
    let x = [Float](repeating: 0.1, count: b * widest), y0 = [Float](repeating: 0, count: b * widest)
    var y = y0, dW = [Float](repeating: 0, count: widest * widest)
    let w = [Float](repeating: 0.01, count: widest * widest)
    func gemms() {
        for l in 0..<(sizes.count - 1) {
            let i = sizes[l], o = sizes[l + 1]
            Float.gemm(transA: false, transB: true, m: b, n: o, k: i, alpha: 1, a: x, lda: i, b: w, ldb: i, beta: 1, c: &y, ldc: o)
            Float.gemm(transA: true, transB: false, m: o, n: i, k: b, alpha: 1, a: x, lda: o, b: x, ldb: i, beta: 0, c: &dW, ldc: i)
            if l > 0 {
                Float.gemm(transA: false, transB: false, m: b, n: i, k: o, alpha: 1, a: x, lda: o, b: w, ldb: i, beta: 0, c: &y, ldc: i)
            }
        }
    }
    gemms()
    t0 = clock.now
    for _ in 0..<steps { gemms() }
    let gemmTime = seconds(clock.now - t0) / Double(steps)
    // Inference: forward + completion + masses over 2 batches of events.
    let all = Array(0..<sample.count)
    var results = [(EventEvaluation, Int32)](repeating: (EventEvaluation(), 0), count: net.maxBatch)
    t0 = clock.now
    var done = 0
    for _ in 0..<max(1, steps / 2) {
        var lo = 0
        while lo < all.count {
            let hi = min(all.count, lo + net.maxBatch)
            all.withUnsafeBufferPointer { ix in results.withUnsafeMutableBufferPointer { trainer.model.infer(trainer.data, indices: UnsafeBufferPointer(rebasing: ix[lo..<hi]), into: $0) } }
            done += hi - lo
            lo = hi
        }
    }
    let rate = Double(done) / seconds(clock.now - t0)
    print(String(format: "swift step_ms %.3f sgemm_ms %.3f ratio %.3f infer_events_per_s %.0f params %d threads %d batch %d",
                 stepTime * 1e3, gemmTime * 1e3, stepTime / gemmTime, rate, net.parameterCount, config.threads, b))
    exit(0)
}

let sample: Sample
switch fixture {
case "toy":
    config.mC = 700; config.scale = 1000
    sample = ChainFixture.ttbarLike(n: events, mA: 1000, mB: 800, mC: 700, seed: UInt32(opt("sample-seed", "2024"))!)
case "ttbar":
    config.mC = 0; config.scale = 100
    sample = ChainFixture.ttbarLike(n: events, mA: 172.5, mB: 80.38, mC: 0, ma: 4.7, mb: 0, seed: UInt32(opt("sample-seed", "2024"))!)
case "antler":
    config.mC = 100; config.scale = 1000
    sample = ChainFixture.antler(n: events, mD: 1000, mB: 400, mC: 100, seed: UInt32(opt("sample-seed", "2024"))!)
default: fatalError("unknown fixture \(fixture)")
}
if let s = options["scale"] { config.scale = Double(s)! }
print("fixture \(fixture) events \(events) config \(config)")
let clock = ContinuousClock(), start = clock.now
let trainer = try DeeLeMaTrainer(sample: sample, config: config)
let initial = trainer.massesGeV
print(String(format: "start M_B %.1f M_A %.1f steps/epoch %d", initial[0], initial[1], trainer.stepsPerEpoch))
try trainer.train { p in
    if let r = p.finishedEpoch {
        print(String(format: "epoch %3d train %.5f val %.5f M_B %.2f M_A %.2f (%.1f s)", r.epoch, r.trainLoss, r.validationLoss, r.massB, r.massA, r.seconds))
    }
}
let trainSeconds = seconds(clock.now - start)
let test = sample.selecting(trainer.testIndices)
let result = try DeeLeMaEstimator.run(sample: test, trainer: trainer)
for m in result.masses { print(String(format: "%@ = %.2f +- %.2f GeV", m.name, m.value, m.uncertainty)) }
// Where the per-event masses of the test split sit relative to the learned ones.
if test.kind == .ttbarLike {
    for (name, keys, M) in [("m_A", ["m_A1", "m_A2"], trainer.massesGeV[1]), ("m_B", ["m_B1", "m_B2"], trainer.massesGeV[0])] {
        let m = (result.perEvent[keys[0]]!.doubles! + result.perEvent[keys[1]]!.doubles!).sorted()
        let below = Double(m.filter { $0 < M }.count) / Double(m.count)
        print(String(format: "%@ per event: 16/50/84%% quantiles %.2f / %.2f / %.2f GeV, fraction below the learned mass %.3f",
                     name, m[m.count * 16 / 100], m[m.count / 2], m[m.count * 84 / 100], below))
    }
}
// Invisible-momentum resolution on the test split: RMS and median |.| of C_reco - C_true per component.
let c1 = result.perEvent["C1"]!.doubles!, c2 = result.perEvent["C2"]!.doubles!
let t1 = try test.fourVectors(Key.trueC1), t2 = try test.fourVectors(Key.trueC2)
var line = "C resolution (test split, both chains) GeV:"
for (k, name) in ["E", "px", "py", "pz"].enumerated() {
    var d: [Double] = []
    for i in 0..<test.count { d.append(c1[4 * i + k] - t1[4 * i + k]); d.append(c2[4 * i + k] - t2[4 * i + k]) }
    let rms = (d.reduce(0) { $0 + $1 * $1 } / Double(d.count)).squareRoot()
    let med = d.map(abs).sorted()[d.count / 2]
    line += String(format: " %@ rms %.1f med|d| %.1f;", name, rms, med)
}
print(line)
if test.kind == .ttbarLike, config.pairing == .unknown, let truth = test[Key.pairing]?.integers {
    let chosen = result.perEvent["pairing_chosen"]!.integers!
    let right = zip(chosen, truth).filter { $0 == $1 }.count
    print(String(format: "pairing chosen correctly: %.1f%% of %d test events", 100 * Double(right) / Double(truth.count), truth.count))
}
print(String(format: "training wall time %.1f s", trainSeconds))
