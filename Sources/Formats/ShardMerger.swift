import Foundation
import Events

/// Concatenates npz shards of one generation request (`deelema merge`).
public enum ShardMerger {
    /// Why shards cannot be merged; names the file and the differing field.
    public struct Mismatch: Error, CustomStringConvertible {
        public var description: String
    }

    /// Provenance fields that must agree between shards.
    static func signature(_ p: Provenance) -> [(String, String)] {
        [("card", p.card), ("card digest", p.cardDigest), ("topology", p.topology.rawValue),
         ("tool version", p.toolVersion), ("detector", p.detector), ("smearing scale", "\(p.smearScale)"),
         ("ISR", "\(p.isr)"), ("seed", "\(p.seed)"), ("rng", p.rng), ("shard count", "\(p.shards)"),
         ("layout", p.layout)]
    }

    /// Checks the shards' provenances against each other (each shard's provenance and event
    /// count, in order) and returns the merged provenance, whose `merged_shards` lists every shard
    /// it holds. Refuses files without provenance, shards of different cards, detectors, settings
    /// or versions, and overlapping shard sets (a shard given twice, or a merged file together
    /// with one of the shards it holds).
    static func mergedProvenance(_ shards: [(path: String, provenance: Provenance?, events: Int)],
                                 partial: Bool = false) throws -> Provenance {
        var reference: (path: String, provenance: Provenance)? = nil
        var seenShards: [Int: String] = [:]
        var generated = 0, accepted = 0
        for (path, provenance, events) in shards {
            guard let p = provenance else {
                throw Mismatch(description: "\(path): no provenance; only shards written by `deelema generate` can be merged")
            }
            if let ref = reference {
                for ((name, a), (_, b)) in zip(signature(ref.provenance), signature(p)) where a != b {
                    throw Mismatch(description: "\(path): \(name) is \(b) but \(ref.path) has \(a); refusing to merge different requests")
                }
            } else {
                reference = (path, p)
            }
            // A merged file holds several shards: any shard held twice would duplicate its events.
            for shard in p.heldShards {
                if let other = seenShards[shard] {
                    throw Mismatch(description: "\(path): shard \(shard) is already merged from \(other) (\(path) holds shards \(p.heldShards.map(String.init).joined(separator: ","))); overlapping shard sets would duplicate events")
                }
                seenShards[shard] = path
            }
            generated += p.generated
            accepted += events
        }
        guard var prov = reference?.provenance else { throw Mismatch(description: "no shards given") }
        // A request of N shards is merged whole or not at all: a lost batch task must not
        // shrink the sample without anyone noticing.
        let missing = (0..<prov.shards).filter { seenShards[$0] == nil }
        // `partial` merges in stages on purpose; the result lists what it holds, and a later
        // merge that completes the request is checked again.
        if !missing.isEmpty && !partial {
            throw Mismatch(description: "incomplete request: shard\(missing.count == 1 ? "" : "s") \(missing.map(String.init).joined(separator: ", ")) "
                           + "of \(prov.shards) missing (given: \(seenShards.keys.sorted().map(String.init).joined(separator: ", "))); "
                           + "generate the missing shards (same command with --shard K, or emit the batch script again) and merge all \(prov.shards), "
                           + "or pass --partial to merge in stages")
        }
        prov.shard = 0
        prov.generated = generated
        prov.efficiency = generated > 0 ? Double(accepted) / Double(generated) : prov.efficiency
        prov.extra[Provenance.mergedShardsKey] = seenShards.keys.sorted().map(String.init).joined(separator: ",")
        return prov
    }

    /// Reads (checking each as `NPZ.readSample` does) and concatenates the shards in order, in memory (see `mergedProvenance` for what
    /// is refused).
    public static func merge(paths: [String], partial: Bool = false) throws -> Sample {
        try requireFiles(paths)
        let samples = try paths.map { try NPZ.readSample(path: $0) }
        let provenance = try mergedProvenance(zip(paths, samples).map { ($0, $1.provenance, $1.count) }, partial: partial)
        var merged = samples[0]
        for (path, s) in zip(paths, samples).dropFirst() {
            do { try merged.append(s) } catch { throw Mismatch(description: "\(path): \(error)") }
        }
        merged.provenance = provenance
        return merged
    }

    /// Concatenates the shards in order straight into the npz file `output`, holding one shard
    /// in memory at a time: a first pass reads only each shard's provenance and event count
    /// (and refuses empty shards and what `mergedProvenance` refuses), the second checks each
    /// shard as `NPZ.readSample` does and streams the shards' arrays into
    /// an `NPZStreamWriter`. The bytes equal `NPZ.write(merge(paths:))`; nothing is left at
    /// `output` when a shard is refused or unreadable. Returns the number of events. Without
    /// `partial`, the shards must hold every shard of their request.
    public static func merge(paths: [String], into output: String, partial: Bool = false) throws -> Int {
        try requireFiles(paths)
        let headers = try paths.map { path in
            let h = try NPZ.readHeader(path: path)
            if h.rows == 0 { throw FormatError.sample(.empty, path: path) }
            return (path: path, provenance: h.provenance, events: h.rows)
        }
        let provenance = try mergedProvenance(headers, partial: partial)
        let total = headers.reduce(0) { $0 + $1.events }
        var writer: NPZStreamWriter? = nil
        do {
            for path in paths {
                let shard = try NPZ.readSample(path: path)
                if writer == nil {
                    writer = try NPZStreamWriter(path: output, rows: total, template: shard, provenance: provenance)
                }
                do { try writer!.append(shard) } catch { throw Mismatch(description: "\(path): \(error)") }
            }
            try writer?.finish()
        } catch {
            writer?.abort()
            throw error
        }
        return total
    }

    /// Refuses a shard list with files that do not exist, naming all of them at once (a batch
    /// run with failed tasks typically lacks several).
    static func requireFiles(_ paths: [String]) throws {
        let missing = paths.filter { !FileManager.default.fileExists(atPath: $0) }
        guard missing.isEmpty else {
            throw Mismatch(description: "\(missing.count) of \(paths.count) shard files missing: \(missing.joined(separator: ", ")); "
                           + "generate them (or emit the batch script again, which lists only the missing shards) before merging")
        }
    }
}
