import ArgumentParser
import Detector
import Events
import Formats
import Foundation
import Generation
import Harness

/// `deelema generate --shards N --output DIR/NAME.npz --emit slurm|condor`: a batch submission
/// with one task per shard whose file is not there yet, and `deelema merge` of all N shards into
/// DIR/NAME.npz as the follow-up.
extension GenerateCommand {
    /// The file of shard `k`: `DIR/NAME.shard<k>of<N>.npz` beside the merged output.
    static func shardPath(output: String, shard k: Int, shards n: Int) -> String {
        let out = BatchEmission.absolute(output)
        let stem = ((out as NSString).lastPathComponent as NSString).deletingPathExtension
        return ((out as NSString).deletingLastPathComponent as NSString).appendingPathComponent("\(stem).shard\(k)of\(n).npz")
    }

    /// Memory per shard task in MiB. Generation streams chunks into the file, so the resident
    /// size hardly grows with --events: measured peak RSS 31 MiB (2k t-tbar events, 2 threads) and
    /// 33 MiB (50k). The request is that with ample headroom, plus a little per thread and event.
    static func memoryMB(events: Int, threads: Int) -> Int {
        256 + 16 * threads + events / 65536
    }

    /// Why an existing shard file is not a finished shard of this request, or nil when it is.
    func staleReason(path: String, shard k: Int, card: Card, preset: DetectorPreset) -> String? {
        let header: (provenance: Provenance?, rows: Int)
        do { header = try NPZ.readHeader(path: path) } catch { return "unreadable (\(error))" }
        guard let p = header.provenance else { return "no provenance" }
        let checks: [(String, String, String)] = [
            ("card", p.card, card.name), ("card digest", p.cardDigest, card.digest), ("seed", "\(p.seed)", "\(seed)"),
            ("shard", "\(p.shard)", "\(k)"), ("shard count", "\(p.shards)", "\(shards)"), ("rng", p.rng, rng.rawValue),
            ("detector", p.detector, preset.rawValue), ("smearing scale", "\(p.smearScale)", "\(smearScale)"),
            ("ISR", "\(p.isr)", "\(isr || card.isr.enabled)"), ("layout", p.layout, format.rawValue),
            ("tool version", p.toolVersion, ToolInfo.version), ("events", "\(header.rows)", "\(events)")]
        for (name, have, want) in checks where have != want { return "\(name) is \(have), this request has \(want)" }
        return nil
    }

    /// Prints the batch submission for all shards not yet on disk (see the type's doc).
    func emitBatch(_ system: BatchSystem) throws {
        guard output.hasSuffix(".npz") else {
            throw ValidationError("--emit merges the shards into npz: --output must end in .npz, got \(output)")
        }
        guard shard == 0 else { throw ValidationError("--emit covers every shard of --shards: drop --shard \(shard)") }
        let card = try Card.load(nameOrPath: topology)
        let preset = detector
        if format == .deelema && card.topology != .ttbarLike {
            throw ValidationError("--format deelema needs a t-tbar-like card; '\(card.name)' is \(card.topology.rawValue)")
        }
        let out = BatchEmission.absolute(output)
        let dir = (out as NSString).deletingLastPathComponent
        guard FileOutput.isDirectory(dir) else {
            throw ValidationError("the directory of --output, \(dir), does not exist: create it (the tasks write their shards there)")
        }
        let exe = BatchEmission.executable
        let t = BatchEmission.threads(threads ?? 0)
        var tasks: [BatchJob.Task] = []
        var shardFiles: [String] = []
        for k in 0..<shards {
            let path = Self.shardPath(output: out, shard: k, shards: shards)
            shardFiles.append(path)
            if FileManager.default.fileExists(atPath: path) {
                guard let why = staleReason(path: path, shard: k, card: card, preset: preset) else { continue }
                FileHandle.standardError.write(Data("note: \(path) is not shard \(k) of this request (\(why)); its task regenerates it\n".utf8))
            }
            var c = [exe, "generate", "--topology", BatchEmission.topology(topology), "--events", "\(events)", "--seed", "\(seed)",
                     "--detector", preset.rawValue, "--smear-scale", BatchEmission.number(smearScale)]
            if isr { c.append("--isr") }
            c += ["--shard", "\(k)", "--shards", "\(shards)", "--rng", rng.rawValue, "--format", format.rawValue,
                  "--threads", "\(t)", "--output", path]
            tasks.append(BatchJob.Task(index: k, unit: "shard\(k)", command: c))
        }
        let stem = ((out as NSString).lastPathComponent as NSString).deletingPathExtension
        let job = BatchJob(name: "deelema-generate-\(stem)", directory: dir,
                           logDirectory: (dir as NSString).appendingPathComponent("\(stem).logs"),
                           tasks: tasks, totalUnits: shards, threads: t, memoryMB: Self.memoryMB(events: events, threads: t),
                           followUp: [exe, "merge"] + shardFiles + ["--output", out], followUpName: "merge",
                           emittedBy: BatchEmission.commandLine)
        print(job.render(system), terminator: "")
    }
}
