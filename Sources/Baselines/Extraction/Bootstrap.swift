import Core

/// Bootstrap resampling over events (Efron), driven by a seeded GSL `RandomStream` so every
/// replicate is reproducible.
public enum Bootstrap {
    /// Summary of a bootstrap: the statistic on each replicate, their mean and standard deviation.
    public struct Result: Sendable {
        public var replicates: [Double]
        public var mean: Double
        /// Sample standard deviation of the finite replicates (the bootstrap standard error).
        public var standardDeviation: Double
        /// Replicates whose statistic was not finite (a fit that failed), excluded from mean and spread.
        public var failed: Int
    }

    /// `n` indices drawn uniformly with replacement from 0..<n.
    public static func indices(n: Int, stream: RandomStream) -> [Int] {
        (0..<n).map { _ in Int(stream.integer(below: UInt(n))) }
    }

    /// Multiplicities of each of the n items in one replicate (they sum to n).
    public static func counts(n: Int, stream: RandomStream) -> [Int32] {
        var c = [Int32](repeating: 0, count: n)
        for _ in 0..<n { c[Int(stream.integer(below: UInt(n)))] += 1 }
        return c
    }

    /// Runs `statistic` on `replicates` resamplings of `values` (seeded by `seed`).
    public static func run(values: [Double], replicates: Int, seed: UInt32,
                           statistic: ([Double]) throws -> Double) rethrows -> Result {
        let stream = RandomStream(seed: seed == 0 ? 1 : seed)
        var stats: [Double] = []
        stats.reserveCapacity(replicates)
        var resampled = [Double](repeating: 0, count: values.count)
        for _ in 0..<replicates {
            for j in 0..<values.count { resampled[j] = values[Int(stream.integer(below: UInt(values.count)))] }
            stats.append(try statistic(resampled))
        }
        return summarize(stats)
    }

    /// Runs `statistic` on `replicates` resamplings of the (value, weight) pairs: the index stream
    /// of `run(values:replicates:seed:statistic:)`, each drawn event keeping its weight.
    public static func run(values: [Double], weights: [Double], replicates: Int, seed: UInt32,
                           statistic: ([Double], [Double]) throws -> Double) rethrows -> Result {
        precondition(weights.count == values.count, "\(weights.count) weights for \(values.count) values")
        let stream = RandomStream(seed: seed == 0 ? 1 : seed)
        var stats: [Double] = []
        stats.reserveCapacity(replicates)
        var v = [Double](repeating: 0, count: values.count), w = v
        for _ in 0..<replicates {
            for j in 0..<values.count {
                let i = Int(stream.integer(below: UInt(values.count)))
                v[j] = values[i]; w[j] = weights[i]
            }
            stats.append(try statistic(v, w))
        }
        return summarize(stats)
    }

    /// Mean and standard deviation of the finite entries of `stats`.
    public static func summarize(_ stats: [Double]) -> Result {
        let good = stats.filter(\.isFinite)
        let mean = good.isEmpty ? Double.nan : good.reduce(0, +) / Double(good.count)
        let variance = good.count > 1 ? good.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(good.count - 1) : Double.nan
        return Result(replicates: stats, mean: mean, standardDeviation: variance.squareRoot(),
                      failed: stats.count - good.count)
    }
}
