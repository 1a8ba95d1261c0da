import Foundation
import Testing

/// Issue 10 item 7: one --seed/--threads/--pairing across commands, typed --method and
/// --detector, and a --reference that says what it sets and refuses what contradicts it.
@Suite struct CommonOptionsCLITests {
    func help(_ command: String) throws -> String {
        let r = try CLIRunner.run(["help", command])
        #expect(r.status == 0, "\(r.output)")
        return r.stdout.split(whereSeparator: \.isWhitespace).joined(separator: " ")
    }

    @Test func oneMeaningOfSeedThreadsAndPairing() throws {
        let seed = "--seed <seed> Seed of the command's random streams (any 64-bit integer; the same seed, the same output)."
        let threads = "--threads <threads> Worker threads (default: all cores; more than the cores are capped at them)."
        let pairing = "--pairing <pairing> Pairing: unknown (both pairings are tried"
        for command in ["generate", "import", "bench", "sweep", "calibrate", "train", "estimate"] {
            #expect(try help(command).contains(seed), "\(command)")
        }
        for command in ["generate", "bench", "sweep", "calibrate", "train"] {
            #expect(try help(command).contains(threads), "\(command)")
        }
        for command in ["bench", "calibrate", "train", "estimate"] {
            #expect(try help(command).contains(pairing), "\(command)")
        }
    }

    @Test func methodAndDetectorAreTyped() throws {
        let estimate = try help("estimate")
        for m in ["mt2", "maos", "kinsolve", "massscan", "m2", "endpoint", "deelema"] {
            #expect(estimate.contains("Methods:") && estimate.contains(" \(m) "), "\(m) in estimate --help")
        }
        let dir = try CLIRunner.scratch("typed")
        defer { try? FileManager.default.removeItem(at: dir) }
        let out = dir.appendingPathComponent("x.npz").path
        let bad = try CLIRunner.run(["generate", "--topology", "toy", "--events", "10", "--detector", "delphi", "--output", out])
        #expect(bad.status != 0 && bad.stderr.contains("delphi") && bad.stderr.contains("--detector"), "\(bad.output)")
        // Preset names are case-insensitive, as in the library.
        let upper = try CLIRunner.run(["generate", "--topology", "toy", "--events", "10", "--detector", "CMS", "--threads", "1", "--output", out])
        #expect(upper.status == 0, "\(upper.output)")
        let method = try CLIRunner.run(["estimate", out, "--method", "mt3", "--output", dir.appendingPathComponent("r.npz").path])
        #expect(method.status != 0 && method.stderr.contains("mt3") && method.stderr.contains("massscan"), "\(method.output)")
    }

    @Test func referenceSaysWhatItSetsAndRefusesConflicts() throws {
        let train = try help("train")
        #expect(train.contains("sets --completion visible-balance, --frame lab, --hypotheses 1 and --mass-lr 1e-2"))
        for flags in [["--frame", "visible"], ["--completion", "met"], ["--hypotheses", "4"], ["--mass-lr", "0.05"]] {
            let r = try CLIRunner.run(["train", "none.npz", "--checkpoint", "none.model", "--reference"] + flags)
            #expect(r.status != 0 && r.stderr.contains("--reference sets") && r.stderr.contains("drop \(flags[0])"), "\(r.output)")
        }
    }
}
