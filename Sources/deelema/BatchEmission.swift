import ArgumentParser
import Foundation
import Harness

extension BatchSystem: ExpressibleByArgument {}

/// What every `--emit` shares: the absolute path of this executable (batch tasks run it from
/// any directory), the emitting command line for the script header, and absolute paths.
enum BatchEmission {
    /// This program's absolute path: /proc/self/exe, else argv[0] made absolute.
    static var executable: String {
        if let exe = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") { return exe }
        let arg0 = CommandLine.arguments.first ?? "deelema"
        return arg0.contains("/") ? absolute(arg0) : arg0
    }

    /// The command line as typed, quoted for a comment.
    static var commandLine: String {
        (["deelema"] + CommandLine.arguments.dropFirst()).map(BatchJob.shellQuote).joined(separator: " ")
    }

    static func absolute(_ path: String) -> String {
        URL(fileURLWithPath: path).standardizedFileURL.path
    }

    /// A card name stays a name (resolved beside the executable); a path is made absolute.
    static func topology(_ nameOrPath: String) -> String {
        nameOrPath.contains("/") || nameOrPath.hasSuffix(".toml") ? absolute(nameOrPath) : nameOrPath
    }

    /// Shortest text of a number that parses back to the same Double: 1 -> "1", 0.5 -> "0.5".
    static func number(_ x: Double) -> String { x == x.rounded() && abs(x) < 1e15 ? String(Int(x)) : "\(x)" }

    /// Threads per task: an explicit --threads, else this machine's core count (stated in the script).
    static func threads(_ requested: Int) -> Int {
        requested > 0 ? requested : ProcessInfo.processInfo.activeProcessorCount
    }
}
