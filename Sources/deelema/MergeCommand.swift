import ArgumentParser
import Events
import Formats
import Foundation

struct MergeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "merge",
        abstract: "Concatenate npz shards of one generation request into one file.",
        discussion: """
        Shards must come from the same card, detector, smearing scale, ISR setting, seed, rng and tool \
        version (the provenance says); anything else is refused. Event numbers stay unique because each \
        shard numbers its events from shard * 2^40. Example:

          for k in 0 1 2 3; do deelema generate --topology ttbar --events 250000 --shard $k --shards 4 --output s$k.npz; done
          deelema merge s0.npz s1.npz s2.npz s3.npz --output ttbar_1M.npz
        """)

    @Argument(help: "Shard files (.npz) in the order to concatenate.")
    var inputs: [String]

    @Option(name: .shortAndLong, help: "Merged output file (.npz).")
    var output: String

    @Flag(help: "Merge a subset of the request's shards (merging in stages); without it every shard 0..N-1 must be held by the inputs.")
    var partial = false

    func validate() throws {
        guard inputs.count >= 1 else { throw ValidationError("give at least one shard to merge") }
        guard output.hasSuffix(".npz") else { throw ValidationError("merge writes npz: --output must end in .npz") }
    }

    func run() throws {
        try InputOverwrite.check(output: output, inputs: inputs.map { (role: "the input", path: $0) })
        // One shard in memory at a time: the arrays stream into the output file.
        let events = try ShardMerger.merge(paths: inputs, into: output, partial: partial)
        print("merged \(Wording.count(inputs.count, "shard")), \(Wording.count(events, "event")) -> \(output)")
    }
}
