import ArgumentParser
import Core
import Detector
import Events
import Formats
import Foundation
import Generation
import Harness

struct GenerateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "generate",
        abstract: "Generate a Monte Carlo event sample from a topology card.",
        discussion: """
        Produces exactly --events events that pass the detector acceptance (the efficiency is printed and \
        stored in the file), with the truth record beside the reconstructed objects. The output format \
        follows the extension of --output: .npz (native), .lhe (LHE 3.0), .hepmc (HepMC3 ASCII), .csv. \
        Same seed, shard and tool version give bit-identical files.

        Examples:
          deelema generate --topology ttbar --events 100000 --detector cms --output ttbar.npz
          deelema generate --topology toy --events 50000 --format deelema --output toy_reference.npz
          deelema generate --topology topologies/my_card.toml --events 1000 --output events.lhe
          # 4 shards on a batch system (one per job), then merge:
          deelema generate --topology ttbar --events 250000 --shard $SLURM_ARRAY_TASK_ID --shards 4 --output part$SLURM_ARRAY_TASK_ID.npz
          # or let deelema write the Slurm job array and the dependent merge (re-run it after failures):
          deelema generate --topology ttbar --events 250000 --shards 4 --output /data/ttbar.npz --emit slurm > gen.sh && bash gen.sh
        """)

    @Option(help: "Card name in topologies/ (ttbar, toy, stop, hww, antler_toy) or a path to a .toml card.")
    var topology: String

    @Option(help: "Number of accepted events to write (per shard).")
    var events: Int

    @OptionGroup var seedOption: SeedOption
    /// Each shard derives its own 32-bit GSL seed from it.
    var seed: UInt64 { seedOption.seed }

    @Option(help: "Detector preset: ideal (no smearing; the default here and in bench and sweep), atlas or cms.")
    var detector: DetectorPreset = .ideal

    @Option(parsing: .unconditional, help: "Multiplies every resolution of the preset (0 = no smearing, 1 = the preset).")
    var smearScale: Double = 1

    @Flag(help: "Give the produced system an ISR transverse kick balanced by a recoil jet.")
    var isr = false

    @Option(help: "Index of this shard, 0-based.")
    var shard: Int = 0

    @Option(help: "Total number of shards of the request.")
    var shards: Int = 1

    @Option(help: "GSL generator: taus2 (fast) or mt19937.")
    var rng: RandomAlgorithm = .taus2

    @Option(help: "Key layout for npz: native, or deelema (b1 b2 l1 l2 nu1 nu2 met, true chain order, for the reference code).")
    var format: Layout = .native

    @OptionGroup var threadsOption: ThreadsOption
    var threads: Int? { threadsOption.threads }

    @OptionGroup var changes: SampleChanges

    @Option(name: .shortAndLong, help: "Output file; the extension picks the format (.npz, .lhe, .hepmc, .csv).")
    var output: String

    @Option(help: "Print a batch submission (slurm or condor) for the shards of --shards not yet written, with their merge into --output as the follow-up; generate nothing.")
    var emit: BatchSystem?

    enum Layout: String, ExpressibleByArgument, CaseIterable { case native, deelema }

    func validate() throws {
        guard events > 0 else { throw ValidationError("--events must be positive, got \(events)") }
        guard shards >= 1 else { throw ValidationError("--shards must be at least 1, got \(shards)") }
        guard (0..<shards).contains(shard) else { throw ValidationError("--shard must be in 0..<\(shards), got \(shard)") }
        guard smearScale >= 0, smearScale.isFinite else { throw ValidationError("--smear-scale must be >= 0, got \(smearScale)") }
        if format == .deelema && !output.hasSuffix(".npz") {
            throw ValidationError("--format deelema writes npz: --output must end in .npz")
        }
    }
}

extension RandomAlgorithm: ExpressibleByArgument {}

extension GenerateCommand {
    func run() throws {
        if let emit { return try emitBatch(emit) }
        let card = try Card.load(nameOrPath: topology).applying(changes.cardOverrides())
        for w in card.warnings { FileHandle.standardError.write(Data("warning: \(w)\n".utf8)) }
        let preset = detector
        let pipeline = try EventPipeline(card: card, detector: preset, smearScale: smearScale, isr: isr ? true : nil,
                                         seed: seed, shard: shard, shards: shards, rng: rng, threads: WorkerThreads.capped(threads),
                                         energyScales: changes.energyScales)
        if format == .deelema && card.topology != .ttbarLike {
            throw ValidationError("--format deelema needs a t-tbar-like card; '\(card.name)' is \(card.topology.rawValue)")
        }
        var writer: (any EventFileWriter)? = nil
        let bar = ProgressBar(total: events, label: "generate \(card.name)", unit: "events")
        let layout = format
        let summary: GenerationSummary
        do {
            summary = try pipeline.generate(events: events, progress: { bar.update($0) }) { chunk in
                let out = layout == .deelema ? try DeeLeMaLayout.convert(chunk) : chunk
                if writer == nil {
                    var prov = pipeline.provenance
                    prov.layout = layout.rawValue
                    writer = try EventFiles.writer(path: output, rows: events, template: out, provenance: prov,
                                                   truthInfo: TruthRecordInfo(card: card))
                }
                try writer!.append(out)
            }
            var final = summary.provenance
            final.layout = layout.rawValue
            try writer?.updateProvenance(final)
            try writer?.finish()
        } catch {
            writer?.abort()
            bar.finish()
            throw error
        }
        bar.finish()
        print(String(format: "generated %d %@ events (%@ x %.3g%@) in %.2f s -> %@", summary.accepted, card.name,
                     preset.rawValue, smearScale, (isr || card.isr.enabled) ? ", ISR" : "", summary.seconds, output))
        print(String(format: "acceptance efficiency %.4f (%d generated), unweighting efficiency %.4f, seed %llu shard %d/%d",
                     summary.efficiency, summary.generated, summary.unweightingEfficiency, seed, shard + 1, shards))
        if summary.envelopeViolations > 0 {
            // A production trial above its envelope cell was accepted with probability 1 instead of
            // its weight: the sample is slightly biased there. Never seen with the shipped cards.
            print("warning: \(summary.envelopeViolations) production trials exceeded the sampling envelope; "
                  + "the unweighted distribution is biased where they fell (report this card)")
        }
    }
}
