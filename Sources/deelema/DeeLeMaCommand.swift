import ArgumentParser
import Events

@main
struct DeeLeMaCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "deelema",
        abstract: "Mass estimation in collider events with invisible particles: generate, estimate, train, benchmark.",
        version: ToolInfo.version,
        subcommands: []
    )
}
