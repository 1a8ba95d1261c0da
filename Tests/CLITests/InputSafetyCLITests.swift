import Events
import Formats
import Foundation
import Testing

/// Issue 15, items 1-4 and 9: no command writes over its inputs; a sample of reconstructed
/// objects only works with unknown pairing; empty and unphysical samples are refused by every
/// command with one message; outputs that belong together appear together or not at all, and
/// file errors are one line naming the path.
@Suite struct InputSafetyCLITests {
    func bytes(_ path: String) throws -> Data { try Data(contentsOf: URL(fileURLWithPath: path)) }

    @Test func noCommandWritesOverItsInput() throws {
        let dir = try CLIRunner.scratch("overwrite")
        defer { try? FileManager.default.removeItem(at: dir) }
        let tt = dir.appendingPathComponent("tt.npz").path
        #expect(try CLIRunner.run(["generate", "--topology", "ttbar", "--events", "300", "--output", tt]).status == 0)
        let original = try bytes(tt)
        let link = dir.appendingPathComponent("link.npz").path
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: tt)
        let report = dir.appendingPathComponent("rep").path
        try FileManager.default.createDirectory(atPath: report, withIntermediateDirectories: true)
        let inReport = report + "/test.npz"
        try FileManager.default.copyItem(atPath: tt, toPath: inReport)
        let cases: [(String, [String], String, String)] = [
            ("estimate onto the sample", ["estimate", tt, "--method", "mt2", "--output", tt], tt, tt),
            ("estimate through a symlink", ["estimate", tt, "--method", "mt2", "--output", link], link, tt),
            ("estimate via ..", ["estimate", tt, "--method", "mt2", "--output", dir.path + "/rep/../tt.npz"], "rep/../tt.npz", tt),
            ("merge onto a shard", ["merge", tt, "--output", link], link, tt),
            ("train onto the sample", ["train", tt, "--checkpoint", tt, "--epochs", "1"], tt, tt),
            ("bench onto its --sample", ["bench", "--topology", "ttbar", "--sample", inReport, "--methods", "mt2",
                                         "--report", report], inReport, inReport),
        ]
        for (what, args, output, input) in cases {
            let r = try CLIRunner.run(args)
            #expect(r.status != 0, "\(what): exit status 0")
            #expect(r.stderr.contains(output) && r.stderr.contains(input) && r.stderr.contains("same file"), "\(what): \(r.stderr)")
        }
        #expect(try bytes(tt) == original)
        #expect(try bytes(inReport) == original)
    }

    /// Writes a sample holding only a1 a2 b1 b2 met (as numpy.savez would), optionally edited.
    func recoOnly(_ source: String, _ path: String, rows: Int? = nil, edit: (inout Sample) throws -> Void = { _ in }) throws {
        let full = try NPZ.read(path: source)
        let n = rows ?? full.count
        var s = Sample(kind: .ttbarLike)
        for key in [Key.a1, Key.a2, Key.b1, Key.b2] { s[key] = .fourVectors(Array(try full.fourVectors(key).prefix(4 * n))) }
        s[Key.met] = .transverse(Array(try full.transverse(Key.met).prefix(2 * n)))
        try edit(&s)
        try NPZ.write(s, to: path)
    }

    @Test func reconstructedObjectsOnlyWorkWithUnknownPairing() throws {
        let dir = try CLIRunner.scratch("reco-only")
        defer { try? FileManager.default.removeItem(at: dir) }
        let tt = dir.appendingPathComponent("tt.npz").path
        #expect(try CLIRunner.run(["generate", "--topology", "ttbar", "--events", "600", "--output", tt]).status == 0)
        let reco = dir.appendingPathComponent("reco.npz").path
        try recoOnly(tt, reco)
        #expect(try NPZ.read(path: reco).keys.sorted() == ["a1", "a2", "b1", "b2", "met"])
        let out = dir.appendingPathComponent("r.npz").path
        for method in ["mt2", "maos", "m2", "endpoint", "massscan"] {
            let r = try CLIRunner.run(["estimate", reco, "--method", method, "--pairing", "unknown", "--masses", "172.5,80.4,0", "--output", out])
            #expect(r.status == 0, "\(method): \(r.output)")
        }
        let k = try CLIRunner.run(["estimate", reco, "--method", "kinsolve", "--masses", "172.5,80.4,0", "--output", out])
        #expect(k.status == 0, "kinsolve: \(k.output)")
        let model = dir.appendingPathComponent("m.model").path
        let t = try CLIRunner.run(["train", reco, "--checkpoint", model, "--pairing", "unknown", "--mc", "0", "--scale", "100",
                                   "--epochs", "1", "--hidden", "8", "--layers", "1", "--batch", "128"])
        #expect(t.status == 0, "train: \(t.output)")
        let d = try CLIRunner.run(["estimate", reco, "--method", "deelema", "--model", model, "--output", out])
        #expect(d.status == 0, "deelema: \(d.output)")
        // Asked for and absent: the message says what reads the pairing and what to do instead.
        let asked = try CLIRunner.run(["estimate", reco, "--method", "mt2", "--pairing", "true", "--output", out])
        #expect(asked.status != 0 && asked.stderr.contains("'pairing'") && asked.stderr.contains("--pairing unknown"), "\(asked.output)")
        let trainAsked = try CLIRunner.run(["train", reco, "--checkpoint", dir.appendingPathComponent("t.model").path, "--epochs", "1",
                                            "--pairing", "true"])
        #expect(trainAsked.status != 0 && trainAsked.stderr.contains("--pairing unknown"), "\(trainAsked.output)")
    }

    @Test func emptyAndUnphysicalSamplesAreRefusedByEveryCommand() throws {
        let dir = try CLIRunner.scratch("bad-vectors")
        defer { try? FileManager.default.removeItem(at: dir) }
        let tt = dir.appendingPathComponent("tt.npz").path
        #expect(try CLIRunner.run(["generate", "--topology", "ttbar", "--events", "300", "--output", tt]).status == 0)
        let empty = dir.appendingPathComponent("empty.npz").path
        try recoOnly(tt, empty, rows: 0)
        let negative = dir.appendingPathComponent("negative.npz").path
        try recoOnly(tt, negative) { s in
            var v = try s.fourVectors(Key.b2); v[4 * 23] = -3; s[Key.b2] = .fourVectors(v)
        }
        let spacelike = dir.appendingPathComponent("spacelike.npz").path
        try recoOnly(tt, spacelike) { s in
            var v = try s.fourVectors(Key.a1); v[4 * 41] *= 0.5; s[Key.a1] = .fourVectors(v)
        }
        let out = dir.appendingPathComponent("r.npz").path
        let model = dir.appendingPathComponent("m.model").path
        func commands(_ file: String) -> [[String]] {
            [["estimate", file, "--method", "mt2", "--output", out], ["estimate", file, "--method", "m2", "--output", out],
             ["estimate", file, "--method", "massscan", "--output", out], ["estimate", file, "--method", "maos", "--output", out],
             ["train", file, "--checkpoint", model, "--pairing", "unknown", "--epochs", "1"], ["inspect", file]]
                + (file == empty ? [["merge", file, "--output", out]] : [])
        }
        for (file, needles) in [(empty, ["empty.npz", "the sample holds no events"]),
                                (negative, ["negative.npz", "'b2'", "negative energy", "event 23"]),
                                (spacelike, ["spacelike.npz", "'a1'", "event 41"])] {
            for args in commands(file) {
                let r = try CLIRunner.run(args)
                #expect(r.status != 0, "\(args.joined(separator: " ")): exit status 0")
                for needle in needles { #expect(r.stderr.contains(needle), "\(args.joined(separator: " ")): \(r.output)") }
            }
        }
        #expect(!FileManager.default.fileExists(atPath: out) && !FileManager.default.fileExists(atPath: model))
    }

    @Test func outputsAppearTogetherAndFileErrorsAreOneLine() throws {
        let dir = try CLIRunner.scratch("together")
        defer { try? FileManager.default.removeItem(at: dir) }
        let tt = dir.appendingPathComponent("tt.npz").path
        #expect(try CLIRunner.run(["generate", "--topology", "ttbar", "--events", "300", "--output", tt]).status == 0)
        // r.json cannot be written (a non-empty directory holds its name): no r.npz either.
        let json = dir.appendingPathComponent("r.json")
        try FileManager.default.createDirectory(at: json.appendingPathComponent("x"), withIntermediateDirectories: true)
        let out = dir.appendingPathComponent("r.npz").path
        let r = try CLIRunner.run(["estimate", tt, "--method", "mt2", "--output", out])
        #expect(r.status != 0 && r.stderr.contains("r.json"), "\(r.output)")
        #expect(!FileManager.default.fileExists(atPath: out), "r.npz written without r.json")
        let left = try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0.contains("tmp") }
        #expect(left.isEmpty, "temporary files left: \(left)")

        let card = dir.appendingPathComponent("cards").path
        try FileManager.default.createDirectory(atPath: card, withIntermediateDirectories: true)
        let failures: [(String, [String], String)] = [
            ("bench into an unwritable place", ["bench", "--topology", "ttbar", "--events", "100", "--methods", "mt2",
                                                "--report", "/proc/deelema-test/rep"], "/proc/deelema-test/rep"),
            ("sweep into an unwritable place", ["sweep", "--topology", "ttbar", "--events", "100", "--methods", "mt2",
                                                "--smear-scale", "0", "--report", "/proc/deelema-test/sw"], "/proc/deelema-test/sw"),
            ("--topology DIRECTORY", ["generate", "--topology", card, "--events", "10", "--output", out], card),
            ("bench --topology DIRECTORY", ["bench", "--topology", card + "/", "--events", "100", "--methods", "mt2",
                                            "--report", dir.appendingPathComponent("b").path], card),
        ]
        for (what, args, path) in failures {
            let f = try CLIRunner.run(args)
            let lines = f.stderr.split(separator: "\n")
            #expect(f.status != 0 && f.stderr.contains(path), "\(what): \(f.output)")
            #expect(lines.count == 1 && !f.stderr.contains("NSCocoaErrorDomain") && !f.stderr.contains("Error Domain"), "\(what): \(f.stderr)")
        }
    }
}
