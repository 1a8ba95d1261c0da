import ArgumentParser
import Foundation
import Harness

struct SweepCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sweep",
        abstract: "Bench at every smearing scale (x pairing x ISR) and summarise the robustness.",
        discussion: """
        Runs a bench per point into DIR/points/<id>/ and then writes DIR/summary.md, DIR/summary.json and \
        DIR/summary_<mass>.png (estimated mass against the smearing scale, per method, with statistical \
        error bars). Points already finished (results.json present) are skipped: re-running a killed sweep \
        resumes it. --plan prints one self-contained `bench` command per point instead; --emit slurm|condor \
        prints a ready-to-submit job array of the unfinished points with `deelema report` as the dependent \
        follow-up; afterwards `deelema report DIR` assembles the summary.

        Examples:
          deelema sweep --topology ttbar --smear-scale 0,0.5,1,2,3 --pairing true,unknown --report out/sweep_ttbar
          deelema sweep --topology ttbar --smear-scale 0,1,2 --report out/sw --plan > jobs.txt
          deelema sweep --topology ttbar --smear-scale 0,1,2 --report /data/sw --emit slurm > sweep.sh && bash sweep.sh
        """)

    @OptionGroup var common: BenchArguments

    @Option(parsing: .unconditional, help: "Comma-separated smearing scales.")
    var smearScale: String = "0,0.5,1,2,3"

    @Option(help: "Comma-separated pairing modes: true, unknown.")
    var pairing: String = "unknown"

    @Option(help: "Comma-separated ISR settings: off, on.")
    var isr: String = "off"

    @Option(help: "Comma-separated jet energy-scale factors as a further axis, e.g. 0.98,1,1.02 (default: no axis, --jes for every point).")
    var jesValues: String?

    @Flag(help: "Print one bench command per point (unfinished points only) and run nothing.")
    var plan = false

    @Option(help: "Print a batch submission (slurm or condor) of the unfinished points, with `deelema report` as the follow-up; run nothing.")
    var emit: BatchSystem?

    @Option(help: "Sweep directory.")
    var report: String

    func validate() throws {
        if common.topology == nil { throw ValidationError("sweep needs --topology") }
    }

    func run() throws {
        let sweep: SweepPlan
        do {
            sweep = try SweepPlan(base: try common.options(report: report), directory: report,
                                  smearScales: smearScale, pairings: pairing, isr: isr, jes: jesValues)
        } catch {
            throw RunFailure(description: "sweep: \(RunFailure.text(error))")
        }
        if let emit {
            guard !plan else { throw ValidationError("--plan and --emit both print the work instead of running it: choose one") }
            return try emitBatch(sweep, emit)
        }
        if plan {
            let exe = CommandLine.arguments.first.map { $0.contains("/") ? URL(fileURLWithPath: $0).standardizedFileURL.path : $0 } ?? "deelema"
            let commands = sweep.commands(executable: exe)
            for (p, c) in zip(sweep.points, commands) where !sweep.isFinished(p) { print(c) }
            return
        }
        let bars = StageBars()
        let outcome: Sweep.Outcome
        do {
            outcome = try Sweep.run(sweep) { k, n, id, stage, done, total in
                bars.update("[\(k + 1)/\(n)] \(id) \(stage)", done, total)
            }
        } catch {
            bars.finish()
            throw RunFailure(description: "sweep: \(RunFailure.text(error))")
        }
        bars.finish()
        print("sweep \(report): ran \(outcome.ran.count) points, skipped \(outcome.skipped.count) already finished")
        print(outcome.summary.markdown())
        print("summary: \(report)/\(SummaryReport.markdownFile), \(report)/\(SummaryReport.jsonFile), figures: "
              + outcome.summary.figures.joined(separator: ", "))
    }
}
