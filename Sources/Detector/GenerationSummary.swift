import Events

/// What a generation run did. `provenance` is the full record with the efficiencies filled in.
public struct GenerationSummary: Sendable {
    /// Accepted events delivered.
    public var accepted: Int
    /// Candidate events generated up to the last delivered one (before acceptance cuts).
    public var generated: Int
    /// accepted / generated: the acceptance efficiency of the detector cuts.
    public var efficiency: Double
    /// Unweighted production points per trial of the accept-reject sampler.
    public var unweightingEfficiency: Double
    /// Production trials whose weight exceeded the envelope (0 for a safe envelope).
    public var envelopeViolations: Int
    /// Generation blocks (random streams) used.
    public var blocks: Int
    /// Wall-clock seconds.
    public var seconds: Double
    public var provenance: Provenance
}

/// Why a generation request cannot be run.
public enum PipelineError: Error, Equatable, CustomStringConvertible {
    case badEventCount(Int)
    case badChunkSize(Int)
    case badShard(shard: Int, shards: Int)

    public var description: String {
        switch self {
        case .badEventCount(let n): "number of events must be > 0, found \(n)"
        case .badChunkSize(let n): "chunk size must be > 0, found \(n)"
        case .badShard(let k, let n): "shard \(k) of \(n) is out of range (need 0 <= shard < shards)"
        }
    }
}
