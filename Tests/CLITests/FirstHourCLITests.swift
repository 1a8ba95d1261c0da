import Foundation
import Testing

/// Issue 16 items 3 and 6: defaults that do not mislead, help texts and messages that say what
/// they mean.
@Suite struct FirstHourCLITests {
    /// The help text of a command with its line breaks and indentation folded to single spaces.
    func help(_ command: String) throws -> String {
        let r = try CLIRunner.run(["help", command])
        #expect(r.status == 0, "\(r.output)")
        return r.stdout.split(whereSeparator: \.isWhitespace).joined(separator: " ")
    }

    @Test func helpStatesEachDefaultOnce() throws {
        let generate = try help("generate")
        let bench = try help("bench")
        let train = try help("train")
        #expect(generate.contains("Worker threads (default: all cores;"))
        #expect(!generate.contains("(default: all cores). (default:"), "a second, machine-specific default")
        #expect(bench.contains("(default: all cores;") && !bench.contains("(default: 0)"))
        #expect(train.contains("--mass-lr <mass-lr> Adam learning rate of the two mass parameters at epoch 0 (default: 5e-2"))
        // One detector default, said in both helps.
        #expect(generate.contains("ideal (no smearing; the default here and in bench and sweep)"))
        #expect(bench.contains("ideal (no smearing; the default here and in generate)"))
        #expect(generate.contains("(default: ideal)") && bench.contains("(default: ideal)"))
        #expect(train.contains("--pairing <pairing> Pairing: unknown") && train.contains("default: unknown)"), "train's pairing default matches estimate's")
    }

    @Test func unknownHelpTopicFails() throws {
        let r = try CLIRunner.run(["help", "nope"])
        #expect(r.status != 0)
        #expect(r.stderr.contains("no command named 'nope'") && r.stderr.contains("generate"), "\(r.output)")
    }

    @Test func negativeValuesWithoutEqualsReachValidation() throws {
        let dir = try CLIRunner.scratch("negative")
        defer { try? FileManager.default.removeItem(at: dir) }
        let out = dir.appendingPathComponent("x.npz").path
        let r = try CLIRunner.run(["generate", "--topology", "toy", "--events", "10", "--smear-scale", "-1", "--output", out])
        #expect(r.status != 0 && r.stderr.contains("--smear-scale must be >= 0, got -1"), "\(r.output)")
        #expect(!r.stderr.contains("Missing value"))
        #expect(!FileManager.default.fileExists(atPath: out))
    }

    @Test func massOrderingIsExplainedAndMCIsSaid() throws {
        let dir = try CLIRunner.scratch("masses")
        defer { try? FileManager.default.removeItem(at: dir) }
        let tt = dir.appendingPathComponent("tt.npz").path
        let g = try CLIRunner.run(["generate", "--topology", "ttbar", "--events", "600", "--threads", "1", "--output", tt])
        #expect(g.status == 0, "\(g.output)")
        let out = dir.appendingPathComponent("r.npz").path
        let bad = try CLIRunner.run(["estimate", tt, "--method", "mt2", "--masses", "80,172,0", "--output", out])
        #expect(bad.status != 0 && bad.stderr.contains("mA > mB > mC"), "\(bad.output)")
        let ok = try CLIRunner.run(["estimate", tt, "--method", "mt2", "--output", out])
        #expect(ok.status == 0, "\(ok.output)")
        let estimates = ok.stdout.split(separator: "\n").filter { $0.contains(" GeV") && $0.contains(" = ") && $0.contains("±") }
        #expect(!estimates.isEmpty, "\(ok.output)")
        #expect(estimates.allSatisfy { $0.contains("assuming m_C = 0 GeV") }, "\(ok.output)")
        let massive = try CLIRunner.run(["estimate", tt, "--method", "mt2", "--mc", "50", "--output", out])
        #expect(massive.stdout.contains("assuming m_C = 50 GeV"), "\(massive.output)")
    }

    @Test func threadsAreCappedAtTheCores() throws {
        let dir = try CLIRunner.scratch("threads")
        defer { try? FileManager.default.removeItem(at: dir) }
        let out = dir.appendingPathComponent("t.npz").path
        let start = Date()
        let r = try CLIRunner.run(["generate", "--topology", "ttbar", "--events", "100", "--threads", "10000", "--output", out])
        #expect(r.status == 0, "\(r.output)")
        #expect(Date().timeIntervalSince(start) < 20, "10000 threads' buffers were allocated")
        let one = dir.appendingPathComponent("one.npz").path
        #expect(try CLIRunner.run(["generate", "--topology", "ttbar", "--events", "100", "--threads", "1", "--output", one]).status == 0)
        #expect(try Data(contentsOf: URL(fileURLWithPath: out)) == Data(contentsOf: URL(fileURLWithPath: one)))
    }

    @Test func trainDefaultsToUnknownPairingAndASampleScale() throws {
        let dir = try CLIRunner.scratch("train-defaults")
        defer { try? FileManager.default.removeItem(at: dir) }
        let tt = dir.appendingPathComponent("tt.npz").path
        #expect(try CLIRunner.run(["generate", "--topology", "ttbar", "--events", "400", "--threads", "1", "--output", tt]).status == 0)
        let model = dir.appendingPathComponent("tt.model").path
        let r = try CLIRunner.run(["train", tt, "--checkpoint", model, "--epochs", "1", "--hidden", "8", "--layers", "1",
                                   "--batch", "128"])
        #expect(r.status == 0, "\(r.output)")
        #expect(r.stdout.contains("momentum scale 100 GeV"), "\(r.output)")
        #expect(r.stdout.contains("after 1 epoch;"), "\(r.output)")
        let e = try CLIRunner.run(["estimate", tt, "--method", "deelema", "--model", model,
                                   "--output", dir.appendingPathComponent("d.npz").path])
        #expect(e.status == 0, "\(e.output)")
        #expect(e.stdout.contains("unknown pairing"), "\(e.output)")
        #expect(e.stdout.contains("1 epoch)"), "\(e.output)")
        let explicit = try CLIRunner.run(["train", tt, "--checkpoint", dir.appendingPathComponent("s.model").path, "--epochs", "1",
                                          "--hidden", "8", "--layers", "1", "--batch", "128", "--scale", "50"])
        #expect(explicit.status == 0 && !explicit.stdout.contains("momentum scale"), "\(explicit.output)")
    }

    @Test func antlerWordingAndPlurals() throws {
        let dir = try CLIRunner.scratch("wording")
        defer { try? FileManager.default.removeItem(at: dir) }
        func path(_ n: String) -> String { dir.appendingPathComponent(n).path }
        #expect(try CLIRunner.run(["generate", "--topology", "antler_toy", "--events", "200", "--threads", "1", "--output", path("an.npz")]).status == 0)
        #expect(try CLIRunner.run(["generate", "--topology", "toy", "--events", "200", "--threads", "1", "--output", path("toy.npz")]).status == 0)
        let merged = try CLIRunner.run(["merge", path("toy.npz"), "--output", path("m.npz")])
        #expect(merged.stdout.contains("merged 1 shard,"), "\(merged.output)")
        #expect(try CLIRunner.run(["train", path("toy.npz"), "--checkpoint", path("t.model"), "--mc", "700", "--epochs", "1",
                                   "--hidden", "8", "--layers", "1", "--batch", "64"]).status == 0)
        let wrong = try CLIRunner.run(["estimate", path("an.npz"), "--method", "deelema", "--model", path("t.model"),
                                       "--output", path("r.npz")])
        #expect(wrong.status != 0)
        #expect(!wrong.stderr.contains("a antler") && wrong.stderr.contains("an antler"), "\(wrong.output)")
    }
}
