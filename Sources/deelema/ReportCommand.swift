import ArgumentParser
import Harness

struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Assemble the summary of a sweep from its finished points.",
        discussion: """
        Reads DIR/points/*/results.json (points run by `deelema sweep` or by the commands of \
        `deelema sweep --plan`) and writes DIR/summary.md, DIR/summary.json and DIR/summary_<mass>.png. \
        Unfinished points are left out. Example:

          deelema report out/sweep_ttbar
        """)

    @Argument(help: "The sweep directory (--report of `deelema sweep`).")
    var directory: String

    func run() throws {
        let summary: SummaryReport
        do {
            summary = try SummaryReport.assemble(directory: directory)
        } catch {
            throw RunFailure(description: "report: \(RunFailure.text(error))")
        }
        print(summary.markdown())
        print("summary: \(directory)/\(SummaryReport.markdownFile), \(directory)/\(SummaryReport.jsonFile), figures: "
              + summary.figures.joined(separator: ", "))
    }
}
