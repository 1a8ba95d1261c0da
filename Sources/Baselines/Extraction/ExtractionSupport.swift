import Events
import Foundation

/// Why a mass-extraction fit cannot run or failed; each case names the problem.
public enum ExtractionError: Error, Equatable, CustomStringConvertible {
    /// Fewer usable values than the fit needs.
    case tooFewValues(found: Int, needed: Int)
    /// A value is NaN or infinite.
    case nonFinite(index: Int)
    /// The fit window is empty or inverted.
    case badWindow(lower: Double, upper: Double)
    /// The minimiser did not return a usable result.
    case fitFailed(String)

    public var description: String {
        switch self {
        case .tooFewValues(let f, let n): "fit needs at least \(n) values in its window, found \(f)"
        case .nonFinite(let i): "value \(i) is NaN or Inf"
        case .badWindow(let lo, let hi): "fit window [\(lo), \(hi)] is empty"
        case .fitFailed(let why): "fit failed: \(why)"
        }
    }
}

/// Fixed-width histogram of values in [lower, upper): counts, or with event weights the sum of
/// the weights per bin and the sum of their squares (its variance).
struct FitHistogram {
    let lower: Double, upper: Double, bins: Int
    var counts: [Double]
    /// Sum of squared weights per bin; nil for unweighted values (each count its own variance).
    var sumW2: [Double]?
    var width: Double { (upper - lower) / Double(bins) }
    func edge(_ k: Int) -> Double { lower + Double(k) * width }
    func center(_ k: Int) -> Double { lower + (Double(k) + 0.5) * width }
    var total: Double { counts.reduce(0, +) }

    init(_ values: [Double], weights: [Double]? = nil, lower: Double, upper: Double, bins: Int) {
        self.lower = lower; self.upper = upper; self.bins = bins
        counts = [Double](repeating: 0, count: bins)
        let scale = Double(bins) / (upper - lower)
        guard let weights else {
            for v in values where v >= lower && v < upper {
                counts[min(bins - 1, Int((v - lower) * scale))] += 1
            }
            return
        }
        var w2 = [Double](repeating: 0, count: bins)
        for (v, w) in zip(values, weights) where v >= lower && v < upper {
            let k = min(bins - 1, Int((v - lower) * scale))
            counts[k] += w; w2[k] += w * w
        }
        sumW2 = w2
    }

    /// Per-bin weight scale s_k = sum w^2 / sum w (1 without weights): counts / s_k are Poisson-like
    /// with the right variance (the scaled-Poisson treatment of weighted histograms). Bins with no
    /// positive sum take the scale of the whole histogram.
    var scales: [Double]? {
        guard let sumW2 else { return nil }
        let totalW = counts.reduce(0, +), totalW2 = sumW2.reduce(0, +)
        let global = totalW > 0 && totalW2 > 0 ? totalW2 / totalW : 1
        return (0..<bins).map { counts[$0] > 0 && sumW2[$0] > 0 ? sumW2[$0] / counts[$0] : global }
    }
}

/// Whether weights change nothing: absent or all exactly 1 (the unweighted code path then runs).
func weightsMatter(_ weights: [Double]?) -> Bool { !(weights?.allSatisfy { $0 == 1 } ?? true) }

enum ExtractionMath {
    /// Standard normal density.
    @inline(__always) static func phi(_ z: Double) -> Double { exp(-0.5 * z * z) / (2 * Double.pi).squareRoot() }
    /// Standard normal cumulative distribution.
    @inline(__always) static func Phi(_ z: Double) -> Double { 0.5 * erfc(-z / 2.0.squareRoot()) }

    /// Checks that every value is finite.
    static func checkFinite(_ values: [Double]) throws {
        if let i = values.firstIndex(where: { !$0.isFinite }) { throw ExtractionError.nonFinite(index: i) }
    }

    /// Quantile q in [0, 1] of sorted values (linear interpolation).
    static func quantile(_ sorted: [Double], _ q: Double) -> Double { Quantile.linear(sorted: sorted, q) ?? .nan }
}
