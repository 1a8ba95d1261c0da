import Baselines
import Events
import Fixtures
import Foundation
import Kinematics

// Constrained M2 benchmark and reference-input dumper.
//
//   M2Benchmark bench [events] [method]  events/s of each M2 variable on one core (truth pairing)
//                                     for the ttbar and toy fixtures, and of the antler M2s;
//                                     method newton (default) or augmentedLagrangian
//   M2Benchmark compare [events]      all four variables by the Newton path and by the augmented
//                                     Lagrangian (the code before issue 13) on the same events,
//                                     one core: us/event, ratio, per-variable agreement
//   M2Benchmark all [events] [method] [ab|b]  solveAll alone, one subsystem (default ab), both
//                                     fixtures (for perf stat)
//   M2Benchmark values [events] FILE  every event's four values by solveAll (Newton path), both
//                                     fixtures, both subsystems, as CSV (fixture, subsystem, event,
//                                     xx, cx, xc, cc, status codes, violations): compared across
//                                     commits by benchmarks/M2Benchmark/compare_values.py
//   M2Benchmark peerdump ttbar|toy N FILE  four-vectors, MET and our four M2 values (CSV) for
//                                     the YAM2 peer, benchmarks/yam2_peer/run.sh
//   M2Benchmark dump ttbar|toy N FILE the (a b) systems, the b visibles and MET of a fixture as CSV,
//                                     input of benchmarks/M2Benchmark/mt2_reference.py

/// The fixture samples used by the tests and the benchmark.
func fixture(_ name: String, n: Int) -> (Sample, Double)? {
    switch name {
    case "ttbar": (ChainFixture.ttbarLike(n: n, mA: 172.5, mB: 80.38, mC: 0, ma: 4.7, mb: 0), 0)
    case "toy": (ChainFixture.ttbarLike(n: n, mA: 1000, mB: 800, mC: 700), 700)
    default: nil
    }
}

func row(_ flat: [Double], _ i: Int) -> FourVector {
    FourVector(e: flat[4 * i], px: flat[4 * i + 1], py: flat[4 * i + 2], pz: flat[4 * i + 3])
}

/// Paired inputs of event i under the true pairing: (a1, b of chain 1, a2, b of chain 2, metX, metY).
func paired(_ s: Sample, _ i: Int) throws -> (FourVector, FourVector, FourVector, FourVector, Double, Double) {
    let a1 = try s.fourVectors(Key.a1), a2 = try s.fourVectors(Key.a2)
    let b1 = try s.fourVectors(Key.b1), b2 = try s.fourVectors(Key.b2), met = try s.transverse(Key.met)
    let p = s[Key.pairing]!.integers![i]
    let (bA, bB) = p == 0 ? (row(b1, i), row(b2, i)) : (row(b2, i), row(b1, i))
    return (row(a1, i), bA, row(a2, i), bB, met[2 * i], met[2 * i + 1])
}

func dump(_ name: String, n: Int, to path: String) throws {
    guard let (s, mC) = fixture(name, n: n) else { throw CocoaError(.featureUnsupported) }
    var text = "m1,px1,py1,m2,px2,py2,metx,mety,chi,bm1,bpx1,bpy1,bm2,bpx2,bpy2\n"
    for i in 0..<s.count {
        let (a1, b1, a2, b2, mx, my) = try paired(s, i)
        let p1 = a1 + b1, p2 = a2 + b2
        let fields = [p1.mass, p1.px, p1.py, p2.mass, p2.px, p2.py, mx, my, mC,
                      b1.mass, b1.px, b1.py, b2.mass, b2.px, b2.py]
        text += fields.map { String(format: "%.17g", $0) }.joined(separator: ",") + "\n"
    }
    try text.write(toFile: path, atomically: true, encoding: .utf8)
}

func bench(n: Int, method: M2Method) throws {
    let solver = M2Solver(method: method)
    for name in ["ttbar", "toy"] {
        guard let (s, mC) = fixture(name, n: n) else { continue }
        let events = try (0..<s.count).map { try paired(s, $0) }
        for v in M2Variable.allCases {
            var checksum = 0.0, exact = 0
            let t0 = Date()
            for e in events {
                let r = solver.solve(a1: e.0, b1: e.1, a2: e.2, b2: e.3, metX: e.4, metY: e.5, mC: mC, variable: v)
                checksum += r.value
                if r.status == .exact { exact += 1 }
            }
            let dt = Date().timeIntervalSince(t0)
            print(String(format: "%@ %@: %.0f events/s (one core), exact %d/%d, mean %.4f GeV",
                         name, v.key, Double(n) / dt, exact, n, checksum / Double(n)))
        }
        let t0 = Date()
        var checksum = 0.0
        for e in events {
            let r = solver.solveAll(a1: e.0, b1: e.1, a2: e.2, b2: e.3, metX: e.4, metY: e.5, mC: mC)
            checksum += r.cc.value
        }
        let dt = Date().timeIntervalSince(t0)
        print(String(format: "%@ all four (solveAll): %.0f events/s (one core), mean m2cc %.4f GeV",
                     name, Double(n) / dt, checksum / Double(n)))
    }
    let s = ChainFixture.antler(n: n, mD: 1000, mB: 400, mC: 100)
    let a1 = try s.fourVectors(Key.a1), a2 = try s.fourVectors(Key.a2), met = try s.transverse(Key.met)
    for mD in [nil, 1000.0] {
        let t0 = Date()
        for i in 0..<n {
            _ = solver.solveAntler(a1: row(a1, i), a2: row(a2, i), metX: met[2 * i], metY: met[2 * i + 1],
                                   mC: 100, resonanceMass: mD)
        }
        let dt = Date().timeIntervalSince(t0)
        print(String(format: "antler %@: %.0f events/s (one core)", mD == nil ? "m2" : "m2_res", Double(n) / dt))
    }
}

/// The Newton path against the augmented Lagrangian (today's code before issue 13) on the same
/// events, one core: time per event of `solveAll` for each, their ratio, and per variable the
/// largest relative difference and how many events differ by more than 1e-6 (lower / higher).
func compare(n: Int) throws {
    let fast = M2Solver(method: .newton), slow = M2Solver(method: .augmentedLagrangian)
    for name in ["ttbar", "toy"] {
        guard let (s, mC) = fixture(name, n: n) else { continue }
        let events = try (0..<s.count).map { try paired(s, $0) }
        for sub in M2Subsystem.allCases {
            func runAll(_ solver: M2Solver) -> ([SIMD4<Double>], Double) {
                let t0 = Date()
                let v = events.map { e in
                    let r = solver.solveAll(a1: e.0, b1: e.1, a2: e.2, b2: e.3, metX: e.4, metY: e.5, mC: mC, subsystem: sub)
                    return SIMD4(r.xx.value, r.cx.value, r.xc.value, r.cc.value)
                }
                return (v, Date().timeIntervalSince(t0) / Double(n))
            }
            let (vs, ts) = runAll(slow)
            let (vf, tf) = runAll(fast)
            print(String(format: "%@ (%@) all four: augmented Lagrangian %.1f us/event, Newton %.2f us/event, ratio %.1f",
                         name, sub.rawValue, ts * 1e6, tf * 1e6, ts / tf))
            for (k, v) in M2Variable.allCases.enumerated() {
                var worst = 0.0, lower = 0, higher = 0, nan = 0
                for i in 0..<n {
                    let a = vs[i][k], b = vf[i][k]
                    if a.isNaN || b.isNaN { if a.isNaN != b.isNaN { nan += 1 }; continue }
                    // Relative to the value, with a 1 GeV floor: MT2(b) is often exactly 0.
                    let d = (b - a) / max(a, 1)
                    if abs(d) > abs(worst) { worst = d }
                    if d < -1e-6 {
                        lower += 1
                        if ProcessInfo.processInfo.environment["M2_VERBOSE"] != nil {
                            print("    event \(i) lower: augmented Lagrangian \(vs[i]), Newton \(vf[i])")
                        }
                    }
                    if d > 1e-6 {
                        higher += 1
                        if ProcessInfo.processInfo.environment["M2_VERBOSE"] != nil {
                            print("    event \(i): augmented Lagrangian \(vs[i]), Newton \(vf[i])")
                        }
                    }
                }
                print(String(format: "  %@: largest relative difference (1 GeV floor) %+.2e; Newton lower by >1e-6 on %d, higher on %d, NaN mismatch %d",
                             v.key, worst, lower, higher, nan))
            }
        }
    }
}

/// CPU time of the calling thread (s): unlike the wall time, it leaves out the time other
/// processes held the core.
func threadCPUSeconds() -> Double {
    var t = timespec()
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t)
    return Double(t.tv_sec) + 1e-9 * Double(t.tv_nsec)
}

/// `solveAll` of one method alone on the (ab) subsystem of both fixtures, for `perf stat` (the
/// instruction count does not depend on the load of a shared machine, the time does).
func solveAllOnly(n: Int, method: M2Method, subsystem: M2Subsystem = .ab) throws {
    let solver = M2Solver(method: method)
    for name in ["ttbar", "toy"] {
        guard let (s, mC) = fixture(name, n: n) else { continue }
        let events = try (0..<s.count).map { try paired(s, $0) }
        let t0 = Date(), c0 = threadCPUSeconds()
        var checksum = 0.0
        for e in events {
            let r = solver.solveAll(a1: e.0, b1: e.1, a2: e.2, b2: e.3, metX: e.4, metY: e.5, mC: mC, subsystem: subsystem)
            checksum += r.xc.value + r.cc.value
        }
        print(String(format: "%@ (%@) solveAll %@: %.1f us/event wall, %.1f us/event CPU, mean m2xc + m2cc %.6f GeV",
                     name, subsystem.rawValue, method.rawValue, Date().timeIntervalSince(t0) / Double(n) * 1e6,
                     (threadCPUSeconds() - c0) / Double(n) * 1e6, checksum / Double(n)))
    }
}

/// Every event's four values and statuses (`solveAll`, Newton path) as CSV, for comparing two
/// builds of the solver on the same events.
func values(n: Int, to path: String) throws {
    let solver = M2Solver(method: .newton)
    var text = "fixture,subsystem,event,xx,cx,xc,cc,sxx,scx,sxc,scc,vxc,vcc\n"
    for name in ["ttbar", "toy"] {
        guard let (s, mC) = fixture(name, n: n) else { continue }
        let events = try (0..<s.count).map { try paired(s, $0) }
        for sub in M2Subsystem.allCases {
            for (i, e) in events.enumerated() {
                let r = solver.solveAll(a1: e.0, b1: e.1, a2: e.2, b2: e.3, metX: e.4, metY: e.5, mC: mC, subsystem: sub)
                let v = [r.xx, r.cx, r.xc, r.cc].map { String(format: "%.17g", $0.value) }
                let st = [r.xx, r.cx, r.xc, r.cc].map { "\($0.status)" }
                let viol = [r.xc, r.cc].map { String(format: "%.3g", $0.violation) }
                text += ([name, sub.rawValue, "\(i)"] + v + st + viol).joined(separator: ",") + "\n"
            }
        }
    }
    try text.write(toFile: path, atomically: true, encoding: .utf8)
}

let args = CommandLine.arguments
switch args.count > 1 ? args[1] : "bench" {
case "dump" where args.count == 5:
    try dump(args[2], n: Int(args[3]) ?? 0, to: args[4])
case "peerdump" where args.count == 5:
    try peerDump(args[2], n: Int(args[3]) ?? 0, to: args[4])
case "values" where args.count == 4:
    try values(n: Int(args[2]) ?? 1000, to: args[3])
case "all":
    try solveAllOnly(n: args.count > 2 ? Int(args[2]) ?? 1000 : 1000,
                     method: args.count > 3 ? M2Method(rawValue: args[3]) ?? .newton : .newton,
                     subsystem: args.count > 4 ? M2Subsystem(rawValue: args[4]) ?? .ab : .ab)
case "compare":
    try compare(n: args.count > 2 ? Int(args[2]) ?? 1000 : 1000)
case "bench":
    try bench(n: args.count > 2 ? Int(args[2]) ?? 1000 : 1000,
              method: args.count > 3 ? M2Method(rawValue: args[3]) ?? .newton : .newton)
default:
    print("usage: M2Benchmark bench [events] [newton|augmentedLagrangian] | M2Benchmark compare [events] | M2Benchmark dump ttbar|toy N FILE")
}
