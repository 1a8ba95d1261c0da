import Formats
import Foundation
import Testing

/// `--emit slurm|condor` of `sweep` and `generate` through the real executable: one array task per
/// unfinished unit, the dependent follow-up, absolute paths; bad input refused with nothing printed;
/// `report --expect` and `merge` refuse incomplete sets naming what is missing.
@Suite struct BatchEmitCLITests {
    static let sweepArgs = ["sweep", "--topology", "toy", "--events", "400", "--methods", "mt2", "--smear-scale", "0,1,2", "--threads", "2"]

    func lines(_ s: String, _ prefix: String) -> [String] { s.split(separator: "\n").map(String.init).filter { $0.hasPrefix(prefix) } }

    @Test func sweepScriptListsUnfinishedPointsOnly() throws {
        let dir = try CLIRunner.scratch("emit-sweep")
        defer { try? FileManager.default.removeItem(at: dir) }
        let report = dir.appendingPathComponent("sw").path
        let ids = ["smear-0_pairing-unknown_isr-off", "smear-1_pairing-unknown_isr-off", "smear-2_pairing-unknown_isr-off"]
        let first = try CLIRunner.run(Self.sweepArgs + ["--report", report, "--emit", "slurm"])
        #expect(first.status == 0, "\(first.stderr)")
        let s = first.stdout
        #expect(lines(s, "#SBATCH --array=") == ["#SBATCH --array=0-2"])
        #expect(lines(s, "     exec /").count == 3)
        #expect(lines(s, "#SBATCH --cpus-per-task=") == ["#SBATCH --cpus-per-task=2"])
        #expect(s.contains("--dependency=afterok:$array"))
        #expect(s.contains(" report \(report) --expect \(ids.joined(separator: ","))\n"))
        #expect(lines(s, "#SBATCH --output=") == ["#SBATCH --output=\(report)/logs/deelema-sweep_%a_%A.out"])
        #expect(lines(s, "#SBATCH --chdir=") == ["#SBATCH --chdir=\(report)"])
        for exec in lines(s, "     exec ") {
            let words = exec.split(separator: " ")
            #expect(words[1].hasPrefix("/"), "executable not absolute: \(exec)")
            #expect(exec.contains("--report \(report)/points/"))
        }
        #expect(!FileManager.default.fileExists(atPath: report), "--emit ran or created something")

        // Point 1 finished (results.json present): the re-emitted array leaves it out, the follow-up still expects all three.
        let p1 = dir.appendingPathComponent("sw/points/\(ids[1])")
        try FileManager.default.createDirectory(at: p1, withIntermediateDirectories: true)
        try Data("{}".utf8).write(to: p1.appendingPathComponent("results.json"))
        let again = try CLIRunner.run(Self.sweepArgs + ["--report", report, "--emit", "slurm"])
        #expect(lines(again.stdout, "#SBATCH --array=") == ["#SBATCH --array=0,2"])
        #expect(lines(again.stdout, "     exec /").count == 2 && !again.stdout.contains("  1) "))
        #expect(again.stdout.contains("# 2 of 3 units unfinished: \(ids[0]) \(ids[2])\n"))
        #expect(again.stdout.contains("--expect \(ids.joined(separator: ","))\n"))

        let condor = try CLIRunner.run(Self.sweepArgs + ["--report", report, "--emit", "condor"])
        #expect(condor.status == 0 && condor.stdout.contains("queue unit, args from (\n  0 bench ") && condor.stdout.contains("\n  2 bench "))
        #expect(condor.stdout.contains("request_cpus = 2\n"))
    }

    @Test func generateScriptSkipsCompleteShards() throws {
        let dir = try CLIRunner.scratch("emit-generate")
        defer { try? FileManager.default.removeItem(at: dir) }
        let out = dir.appendingPathComponent("toy.npz").path
        let args = ["generate", "--topology", "toy", "--events", "300", "--seed", "5", "--shards", "3", "--threads", "1", "--output", out]
        let first = try CLIRunner.run(args + ["--emit", "slurm"])
        #expect(first.status == 0, "\(first.stderr)")
        #expect(lines(first.stdout, "#SBATCH --array=") == ["#SBATCH --array=0-2"])
        let shards = (0..<3).map { dir.appendingPathComponent("toy.shard\($0)of3.npz").path }
        #expect(first.stdout.contains(" merge \(shards.joined(separator: " ")) --output \(out)\n"))
        #expect(first.stdout.contains("--dependency=afterok:$array"))
        #expect(lines(first.stdout, "#SBATCH --error=") == ["#SBATCH --error=\(dir.path)/toy.logs/deelema-generate-toy_%a_%A.err"])

        // Shard 1 written by its own task's command: complete, left out. Shard 0 from another seed: stale, kept in.
        let task1 = try #require(lines(first.stdout, "     exec ").first { $0.contains("--shard 1 ") })
        let words = task1.split(separator: " ").map(String.init)
        #expect(words[1].hasPrefix("/"))
        #expect(words.last == ";;")
        let run1 = try CLIRunner.run(Array(words.dropFirst(2).dropLast()))
        #expect(run1.status == 0, "\(run1.stderr)")
        let stale = try CLIRunner.run(["generate", "--topology", "toy", "--events", "300", "--seed", "6", "--shard", "0", "--shards", "3", "--output", shards[0]])
        #expect(stale.status == 0)
        let again = try CLIRunner.run(args + ["--emit", "slurm"])
        #expect(again.status == 0, "\(again.stderr)")
        #expect(lines(again.stdout, "#SBATCH --array=") == ["#SBATCH --array=0,2"])
        #expect(again.stderr.contains("toy.shard0of3.npz") && again.stderr.contains("seed"), "\(again.stderr)")
        #expect(again.stdout.contains("# 2 of 3 units unfinished: shard0 shard2\n"))

        // An incomplete set is refused by the follow-up, naming what is missing; nothing is written.
        let merge = try CLIRunner.run(["merge"] + shards + ["--output", out])
        #expect(merge.status != 0 && merge.stderr.contains("toy.shard2of3.npz"), "\(merge.output)")
        let subset = try CLIRunner.run(["merge", shards[1], "--output", out])
        #expect(subset.status != 0 && subset.stderr.contains("shards 0, 2 of 3 missing"), "\(subset.output)")
        #expect(!FileManager.default.fileExists(atPath: out))
    }

    @Test func badEmitInputIsRefusedWithNothingPrinted() throws {
        let dir = try CLIRunner.scratch("emit-bad")
        defer { try? FileManager.default.removeItem(at: dir) }
        let gen = ["generate", "--topology", "toy", "--events", "100", "--shards", "2"]
        let cases: [(String, [String], String)] = [
            ("not npz", gen + ["--output", dir.appendingPathComponent("x.lhe").path, "--emit", "slurm"], ".npz"),
            ("one shard given", gen + ["--shard", "1", "--output", dir.appendingPathComponent("x.npz").path, "--emit", "slurm"], "--shard"),
            ("missing directory", gen + ["--output", dir.appendingPathComponent("no/x.npz").path, "--emit", "slurm"], "does not exist"),
            ("unknown system", gen + ["--output", dir.appendingPathComponent("x.npz").path, "--emit", "pbs"], "pbs"),
            ("plan and emit", Self.sweepArgs + ["--report", dir.appendingPathComponent("s").path, "--plan", "--emit", "slurm"], "--plan"),
        ]
        for (what, args, needle) in cases {
            let r = try CLIRunner.run(args)
            #expect(r.status != 0, "\(what): exit status 0")
            #expect(r.stderr.contains(needle), "\(what): message does not name '\(needle)': \(r.stderr)")
            #expect(r.stdout.isEmpty, "\(what): printed a script anyway")
        }
    }

    @Test func reportExpectRefusesMissingPoints() throws {
        let dir = try CLIRunner.scratch("report-expect")
        defer { try? FileManager.default.removeItem(at: dir) }
        let p = dir.appendingPathComponent("points/a")
        try FileManager.default.createDirectory(at: p, withIntermediateDirectories: true)
        try Data("{}".utf8).write(to: p.appendingPathComponent("results.json"))
        let r = try CLIRunner.run(["report", dir.path, "--expect", "a,b,c"])
        #expect(r.status != 0 && r.stderr.contains("2 of 3") && r.stderr.contains("b, c"), "\(r.output)")
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("summary.json").path))
        let bad = try CLIRunner.run(["report", dir.path, "--expect", "a,,b"])
        #expect(bad.status != 0 && bad.stderr.contains("--expect"))
    }
}
