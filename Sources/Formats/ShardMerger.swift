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

    /// Reads and concatenates the shards in order. Refuses files without provenance, shards of
    /// different cards, detectors, settings or versions, and a shard given twice.
    public static func merge(paths: [String]) throws -> Sample {
        var merged: Sample? = nil
        var reference: (path: String, provenance: Provenance)? = nil
        var seenShards: [Int: String] = [:]
        var generated = 0
        var accepted = 0
        for path in paths {
            let s = try NPZ.read(path: path)
            guard let p = s.provenance else {
                throw Mismatch(description: "\(path): no provenance; only shards written by `deelema generate` can be merged")
            }
            if let ref = reference {
                for ((name, a), (_, b)) in zip(signature(ref.provenance), signature(p)) where a != b {
                    throw Mismatch(description: "\(path): \(name) is \(b) but \(ref.path) has \(a); refusing to merge different requests")
                }
            } else {
                reference = (path, p)
            }
            if let other = seenShards[p.shard] {
                throw Mismatch(description: "\(path): shard \(p.shard) is already merged from \(other)")
            }
            seenShards[p.shard] = path
            generated += p.generated
            accepted += s.count
            do {
                if merged == nil { merged = s } else { try merged!.append(s) }
            } catch {
                throw Mismatch(description: "\(path): \(error)")
            }
        }
        guard var out = merged, var prov = reference?.provenance else {
            throw Mismatch(description: "no shards given")
        }
        prov.shard = 0
        prov.generated = generated
        prov.efficiency = generated > 0 ? Double(accepted) / Double(generated) : prov.efficiency
        prov.extra["merged_shards"] = seenShards.keys.sorted().map(String.init).joined(separator: ",")
        out.provenance = prov
        return out
    }
}
