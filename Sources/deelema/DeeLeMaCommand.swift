import ArgumentParser
import Events
import Formats
import Harness

@main
struct DeeLeMaCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "deelema",
        abstract: "Mass estimation in collider events with invisible particles: generate, estimate, train, benchmark.",
        version: ToolInfo.version,
        subcommands: [GenerateCommand.self, MergeCommand.self, InspectCommand.self, EstimateCommand.self, TrainCommand.self,
                      BenchCommand.self, SweepCommand.self, CalibrateCommand.self, ReportCommand.self,
                      ImportCommand.self]
    )

    /// ArgumentParser's `main`, with named temporary files removed on SIGINT/SIGTERM/SIGHUP and
    /// Foundation's file errors turned into one line naming the path and the reason instead of a
    /// raw `NSCocoaErrorDomain` dump.
    static func main() {
        TemporaryFiles.removeOnSignals()
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch {
            if let line = FoundationErrorText.line(error) { exit(withError: RunFailure(description: line)) }
            exit(withError: error)
        }
    }
}
