import Foundation

/// Mass measures from the per-event weight curves w_i(m_A) of a parent-mass scan (row-major
/// (N, G) curves on an increasing grid, GeV).
public enum SmearedSolutionScan {
    /// Each normalised curve is floored at this fraction of a flat curve (1/G) before its log is
    /// taken: a hypothesis at which an event has no weighted solution costs log(1e-3 / G) rather
    /// than minus infinity (one such event would otherwise veto a hypothesis).
    public static let floorFraction = 1e-3

    /// Per-event maxima: the best grid point refined by the parabola through it and its
    /// neighbours (the grid point itself at an edge); NaN for an all-zero curve.
    public static func peaks(_ curves: [Double], grid: [Double]) -> [Double] {
        let g = grid.count
        guard g > 0 else { return [] }
        return (0..<(curves.count / g)).map { i in
            let row = Array(curves[(i * g)..<((i + 1) * g)])
            guard let top = row.max(), top > 0 else { return .nan }
            return refinedMaximum(row, grid: grid).value
        }
    }

    /// The sample-level estimate.
    public struct Fit: Sendable, Equatable {
        /// Maximum of L(m_A) = sum_i log(max(w_i(m_A) / sum_j w_i(m_j), floor)), GeV.
        public var value: Double
        /// Standard deviation of the maximum over bootstrap replicates of the events, GeV.
        public var bootstrapError: Double
        /// (-d^2 L / dm^2)^(-1/2) at the maximum from the parabola, GeV (NaN at an edge).
        public var curvatureError: Double
        /// Events with a positive curve (those entering L).
        public var events: Int
        /// True when the maximum is the first or last grid point.
        public var atEdge: Bool
    }

    /// The maximum of the summed log normalised curves and its bootstrap error (`replicates`
    /// resamplings of the events, seeded); nil when no curve is positive.
    public static func sampleMass(_ curves: [Double], grid: [Double], bootstrap replicates: Int, seed: UInt64) -> Fit? {
        let g = grid.count
        guard g >= 3 else { return nil }
        let floor = floorFraction / Double(g)
        var logs: [Double] = []
        for i in 0..<(curves.count / g) {
            let row = curves[(i * g)..<((i + 1) * g)]
            let total = row.reduce(0, +)
            guard total > 0, total.isFinite else { continue }
            for w in row { logs.append(log(max(w / total, floor))) }
        }
        let events = logs.count / g
        guard events > 0 else { return nil }
        var sum = [Double](repeating: 0, count: g)
        for i in 0..<events { for j in 0..<g { sum[j] += logs[i * g + j] } }
        let best = refinedMaximum(sum, grid: grid)
        var rng = KinRecoRandom(seed: seed ^ 0x6B69_6E72_6563_6F00, event: -1)
        var estimates: [Double] = []
        estimates.reserveCapacity(replicates)
        var replicate = [Double](repeating: 0, count: g)
        for _ in 0..<replicates {
            for j in 0..<g { replicate[j] = 0 }
            for _ in 0..<events {
                let i = min(Int(rng.uniform() * Double(events)), events - 1)
                for j in 0..<g { replicate[j] += logs[i * g + j] }
            }
            estimates.append(refinedMaximum(replicate, grid: grid).value)
        }
        let mean = estimates.reduce(0, +) / Double(max(estimates.count, 1))
        let variance = estimates.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(max(estimates.count - 1, 1))
        return Fit(value: best.value, bootstrapError: variance.squareRoot(), curvatureError: best.curvatureError,
                   events: events, atEdge: best.atEdge)
    }

    /// The grid maximum of `values` refined by the parabola through it and its neighbours (for a
    /// possibly non-uniform grid); the vertex is kept within the neighbours.
    static func refinedMaximum(_ values: [Double], grid: [Double]) -> (value: Double, curvatureError: Double, atEdge: Bool) {
        var k = 0
        for j in values.indices where values[j] > values[k] { k = j }
        guard k > 0, k < values.count - 1 else { return (grid[k], .nan, true) }
        let (x0, x1, x2) = (grid[k - 1], grid[k], grid[k + 1])
        let (y0, y1, y2) = (values[k - 1], values[k], values[k + 1])
        // Second divided difference: the parabola's leading coefficient.
        let d01 = (y1 - y0) / (x1 - x0), d12 = (y2 - y1) / (x2 - x1)
        let a = (d12 - d01) / (x2 - x0)
        guard a < 0, a.isFinite else { return (x1, .nan, false) }
        let vertex = 0.5 * (x0 + x1) - d01 / (2 * a)
        return (min(max(vertex, x0), x2), 1 / (-2 * a).squareRoot(), false)
    }
}
