import ArgumentParser
import Foundation
import Harness

struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Assemble the summary of a sweep, or the report of a calibration, from its finished points.",
        discussion: """
        A sweep: reads DIR/points/*/results.json (points run by `deelema sweep` or by the commands of \
        `deelema sweep --plan`) and writes DIR/summary.md, DIR/summary.json and DIR/summary_<mass>.png. \
        Unfinished points are left out, unless --expect lists the points that must be there (the \
        follow-up job of `deelema sweep --emit` does): then a missing one is an error naming it. A \
        calibration (DIR/calibration-plan.json): reads DIR/points/*.json and writes DIR/report.md, \
        DIR/calibration.json and its figures, refusing while points are missing. Example:

          deelema report out/sweep_ttbar
        """)

    @Argument(help: "The sweep directory (--report of `deelema sweep`).")
    var directory: String

    @Option(help: "Comma-separated point ids that must all be finished; refuse to assemble otherwise.")
    var expect: String?

    func run() throws {
        if FileManager.default.fileExists(atPath: (directory as NSString).appendingPathComponent(Calibration.planFile)) {
            let report: CalibrationReport?
            do {
                report = try Calibration.assemble(directory: directory)
            } catch {
                throw RunFailure(description: "report: \(RunFailure.text(error))")
            }
            guard let report else {
                let missing = (try? Calibration.missingPoints(directory: directory)) ?? []
                throw RunFailure(description: "report: \(directory) is an unfinished calibration; missing points: \(missing.joined(separator: ", "))")
            }
            print(report.markdown())
            print("report: \(directory)/\(Calibration.reportFile), numbers: \(directory)/\(Calibration.resultsFile)")
            return
        }
        let summary: SummaryReport
        do {
            if let expect { try SweepCompleteness.require(directory: directory, expected: try SweepCompleteness.parse(expect)) }
            summary = try SummaryReport.assemble(directory: directory)
        } catch {
            throw RunFailure(description: "report: \(RunFailure.text(error))")
        }
        print(summary.markdown())
        print("summary: \(directory)/\(SummaryReport.markdownFile), \(directory)/\(SummaryReport.jsonFile), figures: "
              + summary.figures.joined(separator: ", "))
    }
}
