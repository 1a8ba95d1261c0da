import ArgumentParser
import Events
import Foundation
import Harness

struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Benchmark every method on one sample: masses, invisible momenta, speed.",
        discussion: """
        Generates a sample (or reads --sample, scored against the card its provenance names; a \
        conflicting --topology is refused), splits it into train and test halves (seeded), trains \
        DeeLeMa on the train split, runs every method on the same test split, and writes into --report:
          report.md      the table (estimates ± statistical uncertainty, bias, resolutions, handled, time)
          results.json   every number (written last: its presence marks a finished bench)
          test.npz       the test split: `deelema estimate` on it reproduces every row (report.md lists the commands)
          deelema.model  the trained DeeLeMa checkpoint
          *.png          mass distributions vs truth, MT2/M2 distributions with fitted endpoints, invisible residuals

        Example:
          deelema bench --topology ttbar --events 20000 --detector cms --pairing unknown --report out/bench_ttbar
        """)

    @OptionGroup var common: BenchArguments

    @Option(parsing: .unconditional, help: "Multiplies every resolution of the preset (0 = no smearing).")
    var smearScale: Double = 1

    @OptionGroup var pairingOption: PairingOption

    @Flag(inversion: .prefixedNo, help: "ISR on or off (default: the card's setting).")
    var isr: Bool?

    @Option(help: "Use this sample (.npz with truth, from `deelema generate`) instead of generating one.")
    var sample: String?

    @Option(help: "Report directory (created if needed).")
    var report: String

    func validate() throws {
        if common.topology == nil && sample == nil { throw ValidationError("give --topology (or --sample, whose card is then used)") }
    }

    func run() throws {
        var o = try common.options(report: report)
        o.smearScale = smearScale
        o.pairing = pairingOption.pairing
        o.isr = isr
        o.sample = sample
        let bars = StageBars()
        let result: BenchReport
        do {
            result = try Bench.run(o) { stage, done, total in bars.update(stage, done, total) }
        } catch {
            bars.finish()
            throw RunFailure(description: "bench: \(RunFailure.text(error))")
        }
        bars.finish()
        print(result.table())
        for m in result.methods where m.notes.contains(where: { $0.hasPrefix("FAILED") }) {
            print("\(m.method): " + m.notes.filter { $0.hasPrefix("FAILED") }.joined(separator: "; "))
        }
        print("report: \(report)/\(Bench.reportFile), numbers: \(report)/\(Bench.resultsFile), figures: \(result.figures.count) PNG in \(report)")
    }
}

/// One progress bar per stage of a bench (drawn only on a terminal).
final class StageBars {
    private var bar: ProgressBar?
    private var stage = ""

    func update(_ stage: String, _ done: Int, _ total: Int) {
        if stage != self.stage {
            bar?.finish()
            bar = ProgressBar(total: total, label: stage)
            self.stage = stage
        }
        bar?.update(done)
    }

    func finish() { bar?.finish() }
}
