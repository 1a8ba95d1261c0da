import Baselines
import Events
import Fixtures
import Foundation

// MT2 benchmark and reference-input writer.
//   MT2Benchmark bench INPUTS.f64 [OUT.f64]   time MT2.value on one core over N x 10 float64 rows
//                                             (m1 px1 py1 m2 px2 py2 metx mety chi1 chi2)
//   MT2Benchmark momenta INPUTS.f64 OUT.f64   write N x 5 (MT2, q1x, q1y, q2x, q2y)
//   MT2Benchmark fixture N OUT.f64            write MT2(bl) inputs of a ChainFixture t-tbar sample
//   MT2Benchmark estimators N                 events/s of the MT2 subsystems and MAOS

func readRows(_ path: String) -> MT2Inputs {
    guard let data = FileManager.default.contents(atPath: path) else {
        FileHandle.standardError.write(Data("cannot read \(path)\n".utf8)); exit(1)
    }
    let n = data.count / 80
    var x = MT2Inputs(count: n)
    data.withUnsafeBytes { raw in
        let v = raw.bindMemory(to: Double.self)
        for i in 0..<n {
            let r = 10 * i
            x.m1[i] = v[r]; x.px1[i] = v[r + 1]; x.py1[i] = v[r + 2]
            x.m2[i] = v[r + 3]; x.px2[i] = v[r + 4]; x.py2[i] = v[r + 5]
            x.metx[i] = v[r + 6]; x.mety[i] = v[r + 7]; x.chi1[i] = v[r + 8]; x.chi2[i] = v[r + 9]
        }
    }
    return x
}

func write(_ v: [Double], _ path: String) {
    let data = v.withUnsafeBufferPointer { Data(buffer: $0) }
    _ = FileManager.default.createFile(atPath: path, contents: data)
}

func bench(_ x: MT2Inputs, out: String?) {
    let n = x.count
    var res = [Double](repeating: 0, count: n)
    var best = Double.infinity
    for _ in 0..<5 {
        let t0 = DispatchTime.now().uptimeNanoseconds
        for i in 0..<n {
            res[i] = MT2.value(m1: x.m1[i], px1: x.px1[i], py1: x.py1[i], m2: x.m2[i], px2: x.px2[i],
                               py2: x.py2[i], metx: x.metx[i], mety: x.mety[i], chi1: x.chi1[i], chi2: x.chi2[i])
        }
        best = min(best, Double(DispatchTime.now().uptimeNanoseconds - t0) * 1e-9)
    }
    print(String(format: "swift MT2.value: %d events, best of 5: %.4f s, %.0f evaluations/s", n, best, Double(n) / best))
    if let out { write(res, out) }
}

func momenta(_ x: MT2Inputs, out: String) {
    let s = MT2.solutions(x)
    var flat = [Double]()
    flat.reserveCapacity(5 * x.count)
    for i in 0..<x.count { flat += [s.value[i], s.q1x[i], s.q1y[i], s.q2x[i], s.q2y[i]] }
    write(flat, out)
}

func fixture(_ n: Int, out: String) {
    let s = ChainFixture.ttbarLike(n: n, mA: 172.5, mB: 80.4, mC: 0, ma: 4.7, mb: 0, seed: 2024)
    let rows = (try? MT2Estimator.blInputs(sample: s, pairing: .truth, chi: 0)) ?? MT2Inputs(count: 0)
    var flat = [Double]()
    flat.reserveCapacity(10 * n)
    for i in 0..<rows.count {
        flat += [rows.m1[i], rows.px1[i], rows.py1[i], rows.m2[i], rows.px2[i], rows.py2[i],
                 rows.metx[i], rows.mety[i], rows.chi1[i], rows.chi2[i]]
    }
    write(flat, out)
}

func estimators(_ n: Int) {
    let t = ChainFixture.ttbarLike(n: n, mA: 172.5, mB: 80.4, mC: 0, ma: 4.7, mb: 0, seed: 7)
    let a = ChainFixture.antler(n: n, mD: 1000, mB: 400, mC: 100, seed: 8)
    func time(_ label: String, _ body: () throws -> EstimatorResult) {
        let t0 = DispatchTime.now().uptimeNanoseconds
        let r = try? body()
        let dt = Double(DispatchTime.now().uptimeNanoseconds - t0) * 1e-9
        print(String(format: "%@: %d events, %.3f s, %.0f events/s (all cores), handled %.4f",
                     label, n, dt, Double(n) / dt, r?.handledFraction ?? -1))
    }
    time("MT2 subsystems l, bl, b (true pairing)") { try MT2Estimator.run(sample: t, pairing: .truth, chi: 0, chiB: 80.4) }
    time("MT2 subsystems l, bl, b (unknown pairing)") { try MT2Estimator.run(sample: t, pairing: .unknown, chi: 0, chiB: 80.4) }
    time("MT2 antler") { try MT2Estimator.run(sample: a, pairing: .truth, chi: 100) }
    time("MAOS t-tbar (given m_A)") { try MAOSEstimator.run(sample: t, pairing: .truth, parentMass: 172.5, chi: 0) }
    time("MAOS t-tbar (modified, unknown pairing)") { try MAOSEstimator.run(sample: t, pairing: .unknown, parentMass: nil, chi: 0) }
    time("MAOS antler (given m_B)") { try MAOSEstimator.run(sample: a, pairing: .truth, parentMass: 400, chi: 100) }
}

let args = CommandLine.arguments
switch args.count > 1 ? args[1] : "" {
case "bench" where args.count >= 3: bench(readRows(args[2]), out: args.count > 3 ? args[3] : nil)
case "momenta" where args.count >= 4: momenta(readRows(args[2]), out: args[3])
case "fixture" where args.count >= 4: fixture(Int(args[2]) ?? 100_000, out: args[3])
case "estimators": estimators(args.count > 2 ? Int(args[2]) ?? 100_000 : 100_000)
default:
    FileHandle.standardError.write(Data("usage: MT2Benchmark bench|momenta|fixture|estimators ...\n".utf8))
    exit(2)
}
