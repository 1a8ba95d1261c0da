/// Where a sample came from. Stored in every output file (npz: key `provenance`, JSON);
/// it carries no timestamp so the same command gives the same bytes.
public struct Provenance: Sendable, Codable, Equatable {
    /// Version of the deelema tool that wrote the sample.
    public var toolVersion: String
    /// Topology card name (file stem) and a digest of its content.
    public var card: String
    public var cardDigest: String
    public var topology: TopologyKind
    /// User seed and the shard's derived non-zero 32-bit GSL seed.
    public var seed: UInt64
    public var shardSeed: UInt32
    public var shard: Int
    public var shards: Int
    /// GSL generator name ("taus2" or "mt19937").
    public var rng: String
    /// Detector preset and global smearing scale.
    public var detector: String
    public var smearScale: Double
    public var isr: Bool
    /// Fraction of generated events passing acceptance cuts.
    public var efficiency: Double
    /// Unweighting efficiency of the production sampler.
    public var unweightingEfficiency: Double
    /// Events generated before acceptance cuts.
    public var generated: Int
    /// "native" or "deelema" key layout.
    public var layout: String
    /// Anything else (e.g. merge history, split of a bench).
    public var extra: [String: String]

    public init(toolVersion: String = ToolInfo.version, card: String, cardDigest: String = "",
                topology: TopologyKind, seed: UInt64, shardSeed: UInt32 = 0, shard: Int = 0, shards: Int = 1,
                rng: String = "taus2", detector: String = "ideal", smearScale: Double = 1, isr: Bool = false,
                efficiency: Double = 1, unweightingEfficiency: Double = 1, generated: Int = 0,
                layout: String = "native", extra: [String: String] = [:]) {
        self.toolVersion = toolVersion; self.card = card; self.cardDigest = cardDigest
        self.topology = topology; self.seed = seed; self.shardSeed = shardSeed
        self.shard = shard; self.shards = shards; self.rng = rng; self.detector = detector
        self.smearScale = smearScale; self.isr = isr; self.efficiency = efficiency
        self.unweightingEfficiency = unweightingEfficiency; self.generated = generated
        self.layout = layout; self.extra = extra
    }
}

extension Provenance {
    /// The `extra` key listing the shards a merged file holds ("0,1,3").
    public static let mergedShardsKey = "merged_shards"

    /// The shard indices whose events this file holds: those listed under `merged_shards` for
    /// a merged file, else its own `shard`.
    public var heldShards: [Int] {
        if let list = extra[Self.mergedShardsKey] {
            return list.split(separator: ",").compactMap { Int(String($0.filter { $0 != " " })) }
        }
        return [shard]
    }
}

/// Facts about this build of the tool.
public enum ToolInfo {
    /// Semantic version written into every output file.
    public static let version = "0.1.0"
}
