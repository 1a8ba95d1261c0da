import Events
import Formats
import Foundation
import Testing

/// `deelema estimate` on bad input: a clear message naming the file, key or event, and a
/// non-zero exit.
@Suite struct EstimateCLITests {
    @Test func badSamplesAreRefused() throws {
        let dir = try CLIRunner.scratch("estimate")
        defer { try? FileManager.default.removeItem(at: dir) }
        let tt = dir.appendingPathComponent("tt.npz").path
        #expect(try CLIRunner.run(["generate", "--topology", "ttbar", "--events", "300", "--output", tt]).status == 0)
        let result = dir.appendingPathComponent("r.npz").path

        let notNPZ = dir.appendingPathComponent("text.npz").path
        try "hello".write(toFile: notNPZ, atomically: true, encoding: .utf8)
        let r1 = try CLIRunner.run(["estimate", notNPZ, "--method", "mt2", "--output", result])
        #expect(r1.status != 0 && r1.stderr.contains("text.npz"), "\(r1.output)")

        var sample = try NPZ.read(path: tt)
        sample[Key.b2] = nil
        let missing = dir.appendingPathComponent("missing.npz").path
        try NPZ.write(sample, to: missing)
        let r2 = try CLIRunner.run(["estimate", missing, "--method", "mt2", "--output", result])
        #expect(r2.status != 0 && r2.stderr.contains("b2"), "\(r2.output)")

        var nan = try NPZ.read(path: tt)
        var a1 = try nan.fourVectors(Key.a1)
        a1[4 * 17 + 2] = .nan
        nan[Key.a1] = .fourVectors(a1)
        let nanPath = dir.appendingPathComponent("nan.npz").path
        try NPZ.write(nan, to: nanPath)
        let r3 = try CLIRunner.run(["estimate", nanPath, "--method", "mt2", "--output", result])
        #expect(r3.status != 0 && r3.stderr.contains("event 17") && r3.stderr.contains("a1"), "\(r3.output)")

        var shape = try NPZ.read(path: tt)
        shape[Key.met] = .fourVectors(Array(repeating: 1, count: 4 * shape.count))
        let shapePath = dir.appendingPathComponent("shape.npz").path
        try NPZ.write(shape, to: shapePath)
        let r4 = try CLIRunner.run(["estimate", shapePath, "--method", "mt2", "--output", result])
        #expect(r4.status != 0 && r4.stderr.contains("met"), "\(r4.output)")

        let antler = dir.appendingPathComponent("antler.npz").path
        #expect(try CLIRunner.run(["generate", "--topology", "antler_toy", "--events", "200", "--output", antler]).status == 0)
        let r5 = try CLIRunner.run(["estimate", antler, "--method", "kinsolve", "--masses", "1000,400,100", "--output", result])
        #expect(r5.status != 0 && r5.stderr.contains("t-tbar-like"), "\(r5.output)")

        let r6 = try CLIRunner.run(["estimate", tt, "--method", "nonsense", "--output", result])
        #expect(r6.status != 0 && r6.stderr.contains("nonsense"), "\(r6.output)")
        #expect(!FileManager.default.fileExists(atPath: result))
    }

    @Test func mt2EstimateWritesPerEventArraysAndMasses() throws {
        let dir = try CLIRunner.scratch("estimate-ok")
        defer { try? FileManager.default.removeItem(at: dir) }
        let tt = dir.appendingPathComponent("tt.npz").path
        #expect(try CLIRunner.run(["generate", "--topology", "ttbar", "--events", "2000", "--output", tt]).status == 0)
        let result = dir.appendingPathComponent("r.npz").path
        let r = try CLIRunner.run(["estimate", tt, "--method", "mt2", "--pairing", "true", "--output", result])
        #expect(r.status == 0, "\(r.output)")
        let out = try NPZ.read(path: result)
        #expect(out["mt2_bl"]?.shape == [2000])
        #expect(out["status"]?.shape == [2000])
        let mA = try #require(out["M_A"]?.doubles?.first)
        // MT2(bl) endpoint of an ideal-detector t-tbar sample: m_t = 172.5 GeV (card), within 3%.
        #expect(abs(mA - 172.5) < 0.03 * 172.5, "M_A \(mA)")
    }
}
