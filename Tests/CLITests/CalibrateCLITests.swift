import Foundation
import Testing

/// `deelema calibrate` end to end on a small scan, its resume, batch plan and bad input.
@Suite struct CalibrateCLITests {
    @Test func smallCalibrationRunsResumesAndPlans() throws {
        let dir = try CLIRunner.scratch("calibrate")
        defer { try? FileManager.default.removeItem(at: dir) }
        let report = dir.appendingPathComponent("cal").path
        let args = ["calibrate", "--topology", "ttbar", "--masses", "169.5,172.5,175.5", "--pseudo-experiments", "3",
                    "--events-per-experiment", "600", "--methods", "mt2", "--bootstrap", "3", "--report", report]
        let r = try CLIRunner.run(args)
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("| mt2 |"), "\(r.stdout)")
        for file in ["report.md", "calibration.json", "calibration-plan.json", "points/mass-169.5.json", "points/jes-up.json",
                     "calibration.png", "closure.png"] {
            #expect(FileManager.default.fileExists(atPath: report + "/" + file), "missing \(file)")
        }
        let json = try String(contentsOfFile: report + "/calibration.json", encoding: .utf8)
        #expect(json.contains("\"slope\"") && json.contains("\"jesSystematic\""))
        // Resume: a deleted point is redone, the others are kept as they were.
        let kept = report + "/points/mass-169.5.json"
        let before = try Data(contentsOf: URL(fileURLWithPath: kept))
        try FileManager.default.removeItem(atPath: report + "/points/jes-down.json")
        let plan = try CLIRunner.run(args + ["--plan"])
        #expect(plan.status == 0)
        let lines = plan.stdout.split(separator: "\n")
        #expect(lines.count == 1 && lines[0].hasSuffix("--point jes-down") && !lines[0].contains("--plan"), "\(plan.stdout)")
        // The report refuses to assemble an incomplete calibration, naming what is missing.
        let incomplete = try CLIRunner.run(["report", report])
        #expect(incomplete.status != 0 && incomplete.stderr.contains("jes-down"), "\(incomplete.stderr)")
        // --emit slurm: one array task per unfinished point (jes-down, index 3 of the 5 points),
        // each the same calibrate command with --point, then `deelema report DIR` as a dependent job.
        let emitted = try CLIRunner.run(args + ["--emit", "slurm"])
        #expect(emitted.status == 0, "\(emitted.stderr)")
        #expect(emitted.stdout.contains("#SBATCH --array=3\n") && emitted.stdout.contains("--point jes-down ;;"), "\(emitted.stdout)")
        #expect(!emitted.stdout.contains("--point mass-") && !emitted.stdout.contains("--emit slurm ;;"), "\(emitted.stdout)")
        #expect(emitted.stdout.contains("afterok") && emitted.stdout.contains("report \(URL(fileURLWithPath: report).standardizedFileURL.path)"),
                "\(emitted.stdout)")
        let point = try CLIRunner.run(args + ["--point", "jes-down"])
        #expect(point.status == 0, "\(point.stderr)")
        #expect(try Data(contentsOf: URL(fileURLWithPath: kept)) == before)
        let assembled = try CLIRunner.run(["report", report])
        #expect(assembled.status == 0 && assembled.stdout.contains("| mt2 |"), "\(assembled.stderr)")
        // Other settings in the same directory are refused.
        let other = try CLIRunner.run(args.map { $0 == "600" ? "700" : $0 })
        #expect(other.status != 0 && other.stderr.contains("other settings"), "\(other.stderr)")
    }

    /// A point can read its events from a file (e.g. an imported sample): as many
    /// pseudo-experiments as fit; one smaller than a pseudo-experiment is refused up front.
    @Test func pointFromASampleFile() throws {
        let dir = try CLIRunner.scratch("calibrate-sample")
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("m175.npz").path
        let g = try CLIRunner.run(["generate", "--topology", "ttbar", "--events", "1300", "--detector", "cms", "--set", "A.mass=175.5",
                                   "--seed", "5", "--output", file])
        #expect(g.status == 0, "\(g.stderr)")
        let report = dir.appendingPathComponent("cal").path
        let base = ["calibrate", "--topology", "ttbar", "--masses", "169.5,175.5", "--pseudo-experiments", "3", "--jes-shift", "0",
                    "--methods", "mt2", "--bootstrap", "2", "--report", report]
        let small = try CLIRunner.run(base + ["--events-per-experiment", "2000", "--sample", "mass-175.5=\(file)"])
        #expect(small.status != 0 && small.stderr.contains("1300"), "\(small.stderr)")
        #expect(!FileManager.default.fileExists(atPath: report + "/calibration.json"))
        let r = try CLIRunner.run(base + ["--events-per-experiment", "600", "--sample", "mass-175.5=\(file)"])
        #expect(r.status == 0, "\(r.stderr)")
        let point = try String(contentsOfFile: report + "/points/mass-175.5.json", encoding: .utf8)
        #expect(point.contains("\"pseudoExperiments\" : 2") && point.contains("m175.npz"), "\(point)")
        let bad = try CLIRunner.run(base + ["--events-per-experiment", "600", "--sample", "mass-170=\(file)"])
        #expect(bad.status != 0 && bad.stderr.contains("mass-170"))
    }

    @Test func badInputIsRefusedWithoutOutput() throws {
        let dir = try CLIRunner.scratch("calibrate-bad")
        defer { try? FileManager.default.removeItem(at: dir) }
        let report = dir.appendingPathComponent("cal").path
        let base = ["calibrate", "--topology", "ttbar", "--report", report, "--methods", "mt2"]
        let cases: [([String], String)] = [
            (["--masses", "172.5"], "at least two"),
            (["--masses", "172.5,172.5"], "at least two"),
            (["--masses", "170,abc"], "abc"),
            (["--masses", "170,175", "--jes-shift", "-0.02"], "--jes-shift"),
            (["--masses", "170,175", "--pseudo-experiments", "1"], "--pseudo-experiments"),
            (["--masses", "170,175", "--events-per-experiment", "5"], "--events-per-experiment"),
            (["--masses", "170,175", "--parameter", "C.mass"], "--parameter"),
            (["--masses", "170,175", "--methods", "kinsolve"], "kinsolve"),
            (["--masses", "170,175", "--point", "mass-171"], "mass-171"),
        ]
        for (extra, needle) in cases {
            let r = try CLIRunner.run(base + extra)
            #expect(r.status != 0, "\(extra): exit 0")
            #expect(r.stderr.contains(needle), "\(extra): \(r.stderr)")
            #expect(!FileManager.default.fileExists(atPath: report + "/calibration.json"), "\(extra): output written")
        }
    }
}
