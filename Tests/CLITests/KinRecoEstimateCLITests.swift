import Events
import Formats
import Foundation
import Testing

/// `deelema estimate --method kinreco`: the m(a b) prior from a separate `--simulation` sample
/// (refused when absent, without truth, or the measured file itself), `--fit-resolution` in the
/// notes, per-event arrays and the sample-level M_A in the output.
@Suite struct KinRecoEstimateCLITests {
    @Test func kinrecoRunsEndToEndWithASimulationSample() throws {
        let dir = try CLIRunner.scratch("kinreco")
        defer { try? FileManager.default.removeItem(at: dir) }
        func path(_ name: String) -> String { dir.appendingPathComponent(name).path }
        // The measured sample is small (the default K = 100 x 2 x 22 solves per event, debug
        // build); the simulation needs at least 100 events for the prior. Different seeds.
        #expect(try CLIRunner.run(["generate", "--topology", "ttbar", "--events", "30", "--detector", "cms", "--seed", "11",
                                   "--output", path("data.npz")]).status == 0)
        #expect(try CLIRunner.run(["generate", "--topology", "ttbar", "--events", "400", "--detector", "cms", "--seed", "12",
                                   "--output", path("sim.npz")]).status == 0)
        let base = ["estimate", path("data.npz"), "--method", "kinreco", "--masses", "172.5,80.38,0", "--bootstrap", "4"]

        let missing = try CLIRunner.run(base + ["--output", path("r0.npz")])
        #expect(missing.status != 0 && missing.stderr.contains("--simulation"), "\(missing.output)")

        // A simulation without truth arrays (a reconstructed-only file) is refused naming it.
        var reco = try NPZ.read(path: path("sim.npz"))
        for key in reco.keys where key.hasPrefix("true_") { reco[key] = nil }
        try NPZ.write(reco, to: path("reco.npz"))
        let noTruth = try CLIRunner.run(base + ["--simulation", path("reco.npz"), "--output", path("r1.npz")])
        #expect(noTruth.status != 0 && noTruth.stderr.contains("--simulation") && noTruth.stderr.contains("reco.npz")
                && noTruth.stderr.contains("true_"), "\(noTruth.output)")
        let itself = try CLIRunner.run(base + ["--simulation", path("data.npz"), "--output", path("r2.npz")])
        #expect(itself.status != 0 && itself.stderr.contains("separate"), "\(itself.output)")
        let badFit = try CLIRunner.run(base + ["--simulation", path("sim.npz"), "--fit-resolution", "cms", "--output", path("r3.npz")])
        #expect(badFit.status != 0 && badFit.stderr.contains("PRESET:SCALE"), "\(badFit.output)")
        #expect(!FileManager.default.fileExists(atPath: path("r1.npz")) && !FileManager.default.fileExists(atPath: path("r3.npz")))

        let ok = try CLIRunner.run(base + ["--simulation", path("sim.npz"), "--fit-resolution", "cms:1", "--output", path("r.npz")])
        #expect(ok.status == 0, "\(ok.output)")
        #expect(ok.stdout.contains("--fit-resolution cms:1") && ok.stdout.contains("separate simulated sample of 400 events"),
                "\(ok.stdout)")
        let out = try NPZ.read(path: path("r.npz"))
        #expect(out["C1"]?.shape == [30, 4] && out["m_A_peak"]?.shape == [30] && out["weight_curve"]?.shape == [30, 21])
        let mA = try #require(out["M_A"]?.doubles?.first)
        // The scan spans 0.7...1.3 x 172.5 GeV; its summed-log maximum lies inside it.
        #expect(mA > 0.7 * 172.5 && mA < 1.3 * 172.5, "M_A \(mA)")
        let status = try #require(out["status"]?.integers)
        #expect(status.filter { $0 == 0 }.count >= 24, "\(status)")
    }
}
