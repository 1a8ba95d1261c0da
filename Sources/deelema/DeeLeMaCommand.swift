import ArgumentParser
import Events

@main
struct DeeLeMaCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "deelema",
        abstract: "Mass estimation in collider events with invisible particles: generate, estimate, train, benchmark.",
        version: ToolInfo.version,
        subcommands: [GenerateCommand.self, MergeCommand.self, InspectCommand.self, EstimateCommand.self, TrainCommand.self,
                      BenchCommand.self, SweepCommand.self, ReportCommand.self,
                      ImportCommand.self]
    )
}
