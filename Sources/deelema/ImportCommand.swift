import ArgumentParser
import Core
import Detector
import Events
import Formats
import Foundation
import Generation

struct ImportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Import LHE or HepMC3 events from another generator and run them through the detector.",
        discussion: """
        Reads FILE (.lhe, .lhe.gz, .hepmc, .hepmc3; gzip detected from the content), finds in each event \
        the decay chains of the card's topology from the PDG ids and mother links (t-tbar-like: A -> a B, \
        B -> b C twice; antler: D -> B B, B -> a C), and sends the truth through the same detector stage \
        as generate (smearing, cuts, MET from the reconstructed objects, pairing), seeded. Ids are \
        matched by absolute value; the card's ids are the default, --ids ROLE=ID,ID,... replaces one \
        role's list. Events without the topology are skipped and counted by reason. Writes the native \
        npz with a `weight` array (the generator's event weights) and a provenance naming the source \
        file and its FNV-1a 64 digest.

        Examples:
          deelema import tt.lhe.gz --topology ttbar --ids b=11,13 --ids C=12,14 --detector cms --output tt.npz
          deelema import pythia.hepmc --topology ttbar --isr --output tt.npz
          deelema import hww.lhe --topology hww --ids D=25 --output hww.npz
        """)

    @Argument(help: "The event file: .lhe, .lhe.gz, .hepmc or .hepmc3 (optionally .gz).")
    var file: String

    @Option(help: "Card name in topologies/ (ttbar, toy, stop, hww, antler_toy) or a path to a .toml card: the topology, ids, cuts.")
    var topology: String

    @Option(parsing: .singleValue,
            help: "Replace the ids one role accepts, ROLE=ID,ID,... (roles A B C a b D; absolute values), e.g. b=11,13,15. Repeatable.")
    var ids: [String] = []

    @Flag(help: "Sum the visible final-state particles outside the chains into the ISR recoil jet (true_isr / isr, in MET); events without any are skipped.")
    var isr = false

    @OptionGroup var seedOption: SeedOption
    /// The seed of the detector smearing.
    var seed: UInt64 { seedOption.seed }

    @Option(help: "Detector preset: ideal, atlas or cms.")
    var detector: DetectorPreset = .ideal

    @Option(help: "Multiplies every resolution of the preset (0 = no smearing, 1 = the preset).")
    var smearScale: Double = 1

    @Option(name: .shortAndLong, help: "Output .npz file.")
    var output: String

    func validate() throws {
        guard output.hasSuffix(".npz") else { throw ValidationError("--output must end in .npz, got \(output)") }
        guard smearScale >= 0, smearScale.isFinite else { throw ValidationError("--smear-scale must be >= 0, got \(smearScale)") }
        for spec in ids { _ = try Self.parseIDs(spec) }
    }

    static func parseIDs(_ spec: String) throws -> (String, [Int]) {
        let parts = spec.split(separator: "=", maxSplits: 1).map(String.init)
        guard parts.count == 2, ["A", "B", "C", "a", "b", "D"].contains(parts[0]) else {
            throw ValidationError("--ids expects ROLE=ID,ID,... with ROLE one of A B C a b D, got '\(spec)'")
        }
        let list = parts[1].split(separator: ",").map { Int($0.trimmingCharacters(in: .whitespaces)) }
        guard !list.isEmpty, list.allSatisfy({ $0 != nil }) else {
            throw ValidationError("--ids \(parts[0]): expected a comma-separated list of integers, got '\(parts[1])'")
        }
        return (parts[0], list.map { $0! })
    }

    /// The card's ids (absolute values) with the --ids replacements.
    static func importIDs(card: Card, overrides: [String]) throws -> ImportIDs {
        func id(_ role: Role) -> Set<Int> { card.particles[role].map { [abs($0.pdg)] } ?? [] }
        var result = ImportIDs(kind: card.topology, A: id(.A), B: id(.B), C: id(.C), a: id(.a), b: id(.b), D: id(.D))
        for spec in overrides {
            let (role, list) = try parseIDs(spec)
            _ = result.set(role: role, ids: list)
        }
        return result
    }
}

extension ImportCommand {
    func run() throws {
        let card = try Card.load(nameOrPath: topology)
        let preset = detector
        let det = try Detector(preset: preset, scale: smearScale, cuts: card.cuts)
        let importIDs = try Self.importIDs(card: card, overrides: ids)
        let matcher = ChainMatcher(ids: importIDs, recoil: isr)
        let reader = try GenEventFiles.reader(path: file)
        let sourceName = URL(fileURLWithPath: file).lastPathComponent
        var prov = Provenance(card: card.name, cardDigest: card.digest, topology: card.topology, seed: seed,
                              shardSeed: SeedHasher.streamSeed(seed: seed, shard: 0, stream: 0), rng: "taus2",
                              detector: preset.rawValue, smearScale: smearScale, isr: isr, layout: "native",
                              extra: ["source": sourceName, "ids": importIDs.summary, "met_soft_sigma": "0",
                                      "block_size": String(EventPipeline.blockSize),
                                      "recoil": isr ? "isr_jet" : "unmeasured"])
        let reco = TruthReconstructor(card: card, detector: det, isr: isr, seed: seed, provenance: prov)
        let spool = try ImportSpool(beside: output)
        defer { spool.close() }
        let bar = ProgressBar(total: max(reader.fileSize, 1), label: "import \(sourceName)")
        let clock = ContinuousClock.now
        var event = GenEvent()
        var read = 0, matched = 0
        var skipped: [ImportSkipReason: Int] = [:]
        var weightSum = 0.0, negative = 0
        let truth = UnsafeMutablePointer<Double>.allocate(capacity: 4 * matcher.roles)
        defer { truth.deallocate() }
        do {
            while try reader.next(into: &event) {
                read += 1
                if read & 1023 == 0 { bar.update(reader.bytesRead, status: "\(read) events") }
                if let reason = matcher.match(event, into: truth) {
                    skipped[reason, default: 0] += 1
                    continue
                }
                matched += 1
                weightSum += event.weight
                if event.weight < 0 { negative += 1 }
                try reco.add(truth: truth, weight: event.weight, sourceEvent: Int64(event.number)) { try spool.append($0) }
            }
            try reco.finish { try spool.append($0) }
        } catch {
            bar.finish()
            throw error
        }
        bar.finish()
        guard spool.rows > 0 else {
            let why = skipped.sorted { $0.value > $1.value }.map { "\($0.value) \($0.key.rawValue)" }.joined(separator: "; ")
            throw ValidationErrorText("\(file): no event imported (\(read) read; \(matched) with the topology \(importIDs.summary), "
                                      + "none passing the detector cuts\(why.isEmpty ? "" : "; skipped: \(why)")); no output written")
        }
        prov.generated = matched
        prov.efficiency = Double(reco.accepted) / Double(max(matched, 1))
        prov.extra["source_digest_fnv1a64"] = reader.digest
        prov.extra["source_bytes"] = String(reader.fileSize)
        prov.extra["source_events"] = String(read)
        prov.extra["source_format"] = file.lowercased().contains(".lhe") ? "lhe" : "hepmc3"
        prov.extra["weight_sum"] = String(weightSum)
        for reason in ImportSkipReason.allCases { prov.extra["skipped_\(reason.key)"] = String(skipped[reason] ?? 0) }
        var writer: (any EventFileWriter)? = nil
        do {
            try spool.replay { chunk in
                var c = chunk
                c.provenance = prov
                if writer == nil {
                    writer = try EventFiles.writer(path: output, rows: spool.rows, template: c, provenance: prov)
                }
                try writer!.append(c)
            }
            try writer?.finish()
        } catch {
            writer?.abort()
            throw error
        }
        let elapsed = ContinuousClock.now - clock
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
        print(String(format: "imported %d of %d events from %@ in %.2f s (%.0f events/s) -> %@", reco.accepted, read, file,
                     seconds, Double(read) / max(seconds, 1e-9), output))
        print("  \(matched) with the topology (\(importIDs.summary)), \(reco.accepted) passing the \(preset.rawValue) detector cuts"
              + (negative > 0 ? "; \(negative) with negative weight" : ""))
        for reason in ImportSkipReason.allCases where (skipped[reason] ?? 0) > 0 {
            print("  skipped \(skipped[reason]!): \(reason.rawValue)")
        }
        print("  source digest (FNV-1a 64) \(reader.digest)")
    }
}
