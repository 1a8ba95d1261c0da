#if canImport(Glibc)
import Glibc
#endif
import Events
import Core

/// The sample-level mass of a weight-curve method: each event's curve w_e(m) on the m_A grid is
/// normalised to a density in m_A and mixed with a flat density (share f, so a zero weight at some
/// m_A does not veto that mass), p_e(m) = (1 - f) w_e(m) / (sum_m w_e(m) dm) + f / (n dm); the
/// log-likelihood sum_e log p_e(m) is maximised on the grid and refined by a parabola through the
/// best point and its neighbours. Uncertainty: the standard deviation of the maximum over
/// bootstrap replicates of the events (seeded); the curvature of the summed log-likelihood,
/// 1/sqrt(-d^2 log L/dm^2), is reported beside it.
enum WeightCurveLikelihood {
    struct Result {
        var value: Double, bootstrapSigma: Double, curvatureSigma: Double
        var atEdge: Bool
        var events: Int
    }

    /// `curves`: (rows x n) flat, each row w_e(m) >= 0 (any normalisation); rows whose `use` is
    /// false or whose curve is all zero are skipped. Nil when no row is usable.
    static func maximise(curves: [Double], use: [Bool], mA: [Double], outlierFraction f: Double,
                         replicates: Int, seed: UInt32) -> Result? {
        let n = mA.count, rows = use.count
        guard n >= 3 else { return nil }
        let step = mA[1] - mA[0]
        var logP: [Double] = []
        logP.reserveCapacity(rows * n)
        for e in 0..<rows where use[e] {
            let row = curves[(e * n)..<((e + 1) * n)]
            let area = row.reduce(0, +) * step
            guard area > 0, area.isFinite else { continue }
            for w in row { logP.append(log((1 - f) * w / area + f / (Double(n) * step))) }
        }
        let events = logP.count / n
        guard events > 0 else { return nil }
        var total = [Double](repeating: 0, count: n)
        for e in 0..<events { for m in 0..<n { total[m] += logP[e * n + m] } }
        let (value, curvature, edge) = peak(total, mA: mA)
        var sigma = Double.nan
        if replicates > 1 {
            let stream = RandomStream(seed: seed == 0 ? 1 : seed)
            var stats: [Double] = []
            stats.reserveCapacity(replicates)
            var sum = [Double](repeating: 0, count: n)
            for _ in 0..<replicates {
                let counts = Bootstrap.counts(n: events, stream: stream)
                for m in 0..<n { sum[m] = 0 }
                for e in 0..<events where counts[e] > 0 {
                    let c = Double(counts[e])
                    for m in 0..<n { sum[m] += c * logP[e * n + m] }
                }
                stats.append(peak(sum, mA: mA).value)
            }
            sigma = Bootstrap.summarize(stats).standardDeviation
        }
        return Result(value: value, bootstrapSigma: sigma,
                      curvatureSigma: curvature < 0 ? 1 / (-curvature).squareRoot() : .infinity, atEdge: edge, events: events)
    }

    /// Grid maximum of `l`, refined by a parabola; (position, second derivative there, at an edge).
    static func peak(_ l: [Double], mA: [Double]) -> (value: Double, curvature: Double, atEdge: Bool) {
        var best = 0
        for m in 1..<l.count where l[m] > l[best] { best = m }
        guard best > 0, best < l.count - 1 else { return (mA[best], .nan, true) }
        let step = mA[1] - mA[0]
        let a = l[best - 1], b = l[best], c = l[best + 1]
        let d2 = a - 2 * b + c
        guard d2 < 0, d2.isFinite else { return (mA[best], .nan, false) }
        let shift = 0.5 * (a - c) / d2
        return (mA[best] + shift * step, d2 / (step * step), false)
    }
}
