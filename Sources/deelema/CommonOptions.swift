import ArgumentParser
import Detector
import Events
import Harness

/// `--seed`, shared by every command that draws random numbers: one 64-bit type everywhere.
struct SeedOption: ParsableArguments {
    @Option(help: "Seed of the command's random streams (any 64-bit integer; the same seed, the same output).")
    var seed: UInt64 = 1

    /// The 32-bit seed of the fits' bootstraps (`deelema estimate`): the seed's low 32 bits.
    var fitSeed: UInt32 { UInt32(truncatingIfNeeded: seed) }
}

/// `--threads`, shared by every command that runs worker threads: one default, all cores.
struct ThreadsOption: ParsableArguments {
    @Option(help: "Worker threads (default: all cores; more than the cores are capped at them).")
    var threads: Int?

    func validate() throws {
        if let threads, threads < 1 { throw ValidationError("--threads must be at least 1, got \(threads)") }
    }

    /// The count to run with here: the request capped at the cores, else all cores.
    var resolved: Int { WorkerThreads.capped(threads) }

    /// The count for the harness, which may plan commands for other machines: 0 (all cores of
    /// the machine that runs it) when unset, so a plan does not carry this machine's core count.
    var planned: Int { threads.map { WorkerThreads.capped($0) } ?? 0 }
}

/// `--pairing`, shared by the commands that run methods or train on one pairing mode.
struct PairingOption: ParsableArguments {
    @Option(help: "Pairing: unknown (both pairings are tried, the method resolves which b goes with which a) or true (the sample's truth pairing).")
    var pairing: PairingMode = .unknown
}

extension PairingMode: ExpressibleByArgument {}

/// `--detector`: a preset by name, case-insensitive, as `DetectorPreset(name:)` reads it.
extension DetectorPreset: ExpressibleByArgument {
    public init?(argument: String) {
        guard let p = try? DetectorPreset(name: argument) else { return nil }
        self = p
    }

    /// Empty: each help text names the presets in words, and a "(values: ...)" list would
    /// replace its "(default: ideal)".
    public static var allValueStrings: [String] { [] }
}

/// `--method`: a name of `EstimatorRegistry.standard`.
extension Method: ExpressibleByArgument {
    public init?(argument: String) {
        guard let e = try? EstimatorRegistry.standard.estimator(for: Method(rawValue: argument)) else { return nil }
        self = e.method
    }

    public static var allValueStrings: [String] { Method.allCases.map(\.rawValue) }
    public var defaultValueDescription: String { rawValue }
}
