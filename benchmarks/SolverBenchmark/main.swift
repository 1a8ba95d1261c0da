// Speed of the analytic dilepton solver and the mass-hypothesis scan (docs/physics.md#mass-scan).
// Usage: swift run -c release SolverBenchmark [events] [dump-directory]; SCAN_ONLY=1 times only the
// mass scan, SCAN_SCORE=violation (or fraction) only that score, SCAN_PREVIOUS=0 leaves out the
// scan before issue 13, FIXTURE_SEED draws another sample (default 99).
// Run it pinned to one core (taskset -c 0) for the one-core numbers. With a dump directory it
// writes each sample's chain-ordered visibles and MET (raw float64) and the per-event solution
// counts (raw int32), which benchmarks/SolverBenchmark/solver_numpy.py reads as its peer input.
import Baselines
import Events
import Fixtures
import Foundation
import Kinematics

let arguments = CommandLine.arguments
let events = arguments.count > 1 ? Int(arguments[1]) ?? 20000 : 20000
let dump = arguments.count > 2 ? arguments[2] : nil

func vector(_ flat: [Double], _ i: Int) -> FourVector {
    FourVector(e: flat[4 * i], px: flat[4 * i + 1], py: flat[4 * i + 2], pz: flat[4 * i + 3])
}

func seconds(_ body: () throws -> Void) rethrows -> Double {
    let clock = ContinuousClock()
    let start = clock.now
    try body()
    return (clock.now - start) / .seconds(1)
}

/// CPU time of the whole process, all threads (s): unlike the wall time, it leaves out the time
/// other processes held the cores.
func processCPUSeconds() -> Double {
    var u = rusage()
    getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &u)
    return Double(u.ru_utime.tv_sec) + 1e-6 * Double(u.ru_utime.tv_usec) + Double(u.ru_stime.tv_sec) + 1e-6 * Double(u.ru_stime.tv_usec)
}

/// Largest component difference of two solutions relative to the larger invisible energy.
func difference(_ u: (c1: FourVector, c2: FourVector), _ v: (c1: FourVector, c2: FourVector)) -> Double {
    var d = 0.0
    for (a, b) in [(u.c1, v.c1), (u.c2, v.c2)] {
        d = max(d, abs(a.e - b.e), abs(a.px - b.px))
        d = max(d, abs(a.py - b.py), abs(a.pz - b.pz))
    }
    return d / max(v.c1.e, v.c2.e)
}

print("events per sample: \(events); active processors: \(ProcessInfo.processInfo.activeProcessorCount)")
let cases: [(String, ChainMasses, Double)] = [
    ("ttbar", ChainMasses(mA: 172.5, mB: 80.38, mC: 0), 4.7),
    ("toy", ChainMasses(mA: 1000, mB: 800, mC: 700), 0),
]
for (name, masses, ma) in cases {
    // FIXTURE_SEED (default 99) draws another sample, e.g. the tests' samples.
    let fixtureSeed = UInt32(ProcessInfo.processInfo.environment["FIXTURE_SEED"] ?? "99") ?? 99
    let s = ChainFixture.ttbarLike(n: events, mA: masses.mA, mB: masses.mB, mC: masses.mC, ma: ma, seed: fixtureSeed)
    let a1 = try s.fourVectors(Key.a1), a2 = try s.fourVectors(Key.a2)
    let b1 = try s.fourVectors(Key.b1), b2 = try s.fourVectors(Key.b2)
    let met = try s.transverse(Key.met), pairing = s[Key.pairing]!.integers!
    // Chain-ordered visibles (a1, b on a1's chain, a2, other b).
    var chainB1 = [FourVector](), chainB2 = [FourVector]()
    for i in 0..<events {
        let (x, y) = pairing[i] == 0 ? (vector(b1, i), vector(b2, i)) : (vector(b2, i), vector(b1, i))
        chainB1.append(x); chainB2.append(y)
    }
    var counts = [Int32](repeating: 0, count: events)
    // SCAN_ONLY=1 times the mass scan alone.
    if ProcessInfo.processInfo.environment["SCAN_ONLY"] == nil {
        let solver = KinematicSolver()
        // Warm-up, then the timed single-thread loop (best of 3).
        for i in 0..<min(events, 1000) {
            _ = solver.solve(a1: vector(a1, i), b1: chainB1[i], a2: vector(a2, i), b2: chainB2[i],
                             metX: met[2 * i], metY: met[2 * i + 1], masses: masses)
        }
        var best = Double.infinity
        for _ in 0..<3 {
            let t = seconds {
                for i in 0..<events {
                    counts[i] = Int32(solver.solve(a1: vector(a1, i), b1: chainB1[i], a2: vector(a2, i), b2: chainB2[i],
                                                   metX: met[2 * i], metY: met[2 * i + 1], masses: masses).count)
                }
            }
            best = min(best, t)
        }
        let total = counts.reduce(0) { $0 + Int($1) }
        print(String(format: "%@ solver, one thread: %.0f events/s (%.2f us/event), mean solutions %.3f",
                     name, Double(events) / best, 1e6 * best / Double(events), Double(total) / Double(events)))
        // The previous root finder (GSL companion matrix) on the same events, same loop: the peer
        // of issue 13, with the largest relative difference of the solutions.
        let reference = KinematicSolver(quarticMethod: .companionMatrix)
        var bestReference = Double.infinity
        for _ in 0..<3 {
            let t = seconds {
                for i in 0..<events {
                    _ = reference.solve(a1: vector(a1, i), b1: chainB1[i], a2: vector(a2, i), b2: chainB2[i],
                                        metX: met[2 * i], metY: met[2 * i + 1], masses: masses)
                }
            }
            bestReference = min(bestReference, t)
        }
        var countMismatch = 0, worst = 0.0
        for i in 0..<events {
            let x = solver.solve(a1: vector(a1, i), b1: chainB1[i], a2: vector(a2, i), b2: chainB2[i],
                                 metX: met[2 * i], metY: met[2 * i + 1], masses: masses)
            let y = reference.solve(a1: vector(a1, i), b1: chainB1[i], a2: vector(a2, i), b2: chainB2[i],
                                    metX: met[2 * i], metY: met[2 * i + 1], masses: masses)
            guard x.count == y.count else { countMismatch += 1; continue }
            for j in 0..<x.count {
                // The same solution, in any order: the closest of the reference's.
                let d = (0..<y.count).map { k in difference(x[j], y[k]) }.min() ?? 0
                if d > 1e-9 && ProcessInfo.processInfo.environment["SOLVER_VERBOSE"] != nil {
                    print("event \(i) solution \(j): difference \(d)\n  new \(x.all)\n  old \(y.all)")
                }
                worst = max(worst, d)
            }
        }
        print(String(format: "%@ solver, previous root finder (GSL companion matrix), one thread: %.2f us/event; ratio %.2f; count mismatches %d, largest relative difference %.1e",
                     name, 1e6 * bestReference / Double(events), bestReference / best, countMismatch, worst))
        // Whole estimator (unknown pairing: both pairings solved, closest approach where needed).
        var result: EstimatorResult? = nil
        let te = try seconds { result = try KinematicSolutionEstimator.run(sample: s, pairing: .unknown, masses: masses) }
        print(String(format: "%@ estimator, unknown pairing, all threads: %.0f events/s, handled %.4f",
                     name, Double(events) / te, result!.handledFraction))
    }
    // Mass scan on the first 2000 events: 9x9 grid, 3 refinements, Nelder-Mead, 20 bootstraps.
    let scanEvents = min(events, 2000)
    let sub = s.selecting(Array(0..<scanEvents))
    let grid = MassScanGrid.around(mA: masses.mA * 1.03, mB: masses.mB * 0.98, fraction: 0.2, points: 9, refinements: 3)
    // SCAN_SCORE=violation (or fraction) times that score alone; SCAN_PREVIOUS=0 leaves out the
    // scan before issue 13 (for profiling the current path).
    let environment = ProcessInfo.processInfo.environment
    for score in MassScanScore.allCases where environment["SCAN_SCORE"].map({ $0 == score.rawValue }) ?? true {
        // The scan with per-event warm starts (default) and the scan before issue 13, same events.
        var timing: [Double] = []
        for warm in [true, false] where warm || (score == .violation && environment["SCAN_PREVIOUS"] != "0") {
            var scan: EstimatorResult? = nil
            let cpu0 = processCPUSeconds()
            let ts = try seconds {
                scan = try MassScanEstimator.run(sample: sub, pairing: .truth, mC: masses.mC, grid: grid, score: score,
                                                 bootstrap: 20, warmStart: warm)
            }
            timing.append(ts)
            let cpu = processCPUSeconds() - cpu0
            print(String(format: "%@ mass scan (%@%@): process CPU %.0f us/event", name, score.rawValue,
                         warm ? "" : ", previous", 1e6 * cpu / Double(scanEvents)))
            let mA = scan!.masses[0], mB = scan!.masses[1]
            print(String(format: "%@ mass scan (%@%@), all threads: %.2f s for %d events = %.0f events/s (%.0f us/event); M_A %.2f +- %.2f, M_B %.2f +- %.2f",
                         name, score.rawValue, warm ? "" : ", previous: no warm start", ts, scanEvents, Double(scanEvents) / ts,
                         1e6 * ts / Double(scanEvents), mA.value, mA.uncertainty, mB.value, mB.uncertainty))
        }
        if timing.count == 2 { print(String(format: "%@ mass scan (violation): ratio previous / now %.1f", name, timing[1] / timing[0])) }
    }
    if let dump {
        var flat = [Double]()
        flat.reserveCapacity(events * 18)
        for i in 0..<events {
            for v in [vector(a1, i), chainB1[i], vector(a2, i), chainB2[i]] { flat += [v.e, v.px, v.py, v.pz] }
            flat += [met[2 * i], met[2 * i + 1]]
        }
        try flat.withUnsafeBytes { try Data($0).write(to: URL(fileURLWithPath: "\(dump)/\(name)_events.f64")) }
        try counts.withUnsafeBytes { try Data($0).write(to: URL(fileURLWithPath: "\(dump)/\(name)_counts.i32")) }
    }
}
