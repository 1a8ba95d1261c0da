/// A fixed-binning histogram, normalised to unit area for shape comparisons.
public struct Histogram: Sendable {
    public let low: Double
    public let high: Double
    public private(set) var counts: [Double]

    public init(low: Double, high: Double, bins: Int) {
        precondition(high > low && bins > 0, "histogram needs high > low and bins > 0")
        self.low = low; self.high = high
        counts = [Double](repeating: 0, count: bins)
    }

    public var binWidth: Double { (high - low) / Double(counts.count) }

    /// Adds the finite values inside [low, high).
    public mutating func fill(_ values: [Double]) {
        let w = binWidth
        for x in values where x.isFinite && x >= low && x < high {
            counts[min(counts.count - 1, Int((x - low) / w))] += 1
        }
    }

    /// (bin centre, density) pairs with unit total area over the filled entries.
    public func densities() -> [(Double, Double)] {
        let total = counts.reduce(0, +) * binWidth
        return counts.enumerated().map { (low + (Double($0.offset) + 0.5) * binWidth, total > 0 ? $0.element / total : 0) }
    }
}
