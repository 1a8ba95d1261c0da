import ArgumentParser
import Core
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
        // ArgumentParser answers `help UNKNOWN` with the top-level help and exit 0, which hides
        // a typo from scripts: name the unknown command and fail instead.
        let args = Array(CommandLine.arguments.dropFirst())
        if args.first == "help", let name = args.dropFirst().first {
            var known: [String] = []
            for command in configuration.subcommands { known.append(command.configuration.commandName ?? "") }
            if !known.contains(name) {
                exit(withError: ValidationError("no command named '\(name)' (commands: \(known.joined(separator: ", ")))"))
            }
        }
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch {
            if let line = FoundationErrorText.line(error) { exit(withError: RunFailure(description: line)) }
            exit(withError: error)
        }
    }
}
