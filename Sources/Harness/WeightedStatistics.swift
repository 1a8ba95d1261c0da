import Events

/// Summaries of event-weighted values (an imported sample's `weight` array, negative weights
/// included). A weight array of ones, or none, gives the unweighted `Statistics` results exactly.
///
/// Quantile of weighted values: the inverse of the weighted distribution function. With the
/// values sorted (ties: negative weights first) and running sums C_i of their weights, the
/// q-quantile is the first value whose C_i exceeds q W, W the total weight (> 0). It does not
/// change when every weight is scaled, nor when an event of weight k is replaced by k events of
/// weight 1; an event and its negative-weight twin cancel. Negative weights can make C_i fall
/// back below q W; the first crossing counts, so quantiles still rise with q.
public enum WeightedStatistics {
    /// Whether `weights` change nothing: absent or all exactly 1.
    public static func isUnit(_ weights: [Double]?) -> Bool { weights?.allSatisfy { $0 == 1 } ?? true }

    /// (value, weight) pairs with finite values and weights, sorted by value, then weight.
    static func sortedPairs(_ values: [Double], _ weights: [Double]) -> [(Double, Double)] {
        zip(values, weights).filter { $0.0.isFinite && $0.1.isFinite }.sorted { $0.0 != $1.0 ? $0.0 < $1.0 : $0.1 < $1.1 }
    }

    /// The weighted q-quantile (0...1); nil when nothing finite remains or the total weight is not positive.
    /// Unit weights: `Statistics.quantile` (linear interpolation).
    public static func quantile(_ values: [Double], weights: [Double]?, _ q: Double) -> Double? {
        guard let weights, !isUnit(weights) else { return Statistics.quantile(values, q) }
        precondition(weights.count == values.count, "\(weights.count) weights for \(values.count) values")
        return quantile(sortedPairs: sortedPairs(values, weights), q)
    }

    static func quantile(sortedPairs p: [(Double, Double)], _ q: Double) -> Double? {
        let total = p.reduce(0) { $0 + $1.1 }
        guard !p.isEmpty, total > 0 else { return nil }
        let rank = min(max(q, 0), 1) * total
        var running = 0.0
        for (x, w) in p {
            running += w
            if running > rank { return x }
        }
        return p.last { $0.1 > 0 }?.0 ?? p.last?.0
    }

    /// Half the weighted 16-84% range (`Statistics.robustWidth` for unit weights).
    public static func robustWidth(_ values: [Double], weights: [Double]?) -> Double? {
        guard let weights, !isUnit(weights) else { return Statistics.robustWidth(values) }
        let p = sortedPairs(values, weights)
        guard let lo = quantile(sortedPairs: p, 0.15865525393145707), let hi = quantile(sortedPairs: p, 0.8413447460685429) else { return nil }
        return 0.5 * (hi - lo)
    }

    /// sum w x / sum w over the finite values (nil when the total weight is not positive).
    public static func mean(_ values: [Double], weights: [Double]?) -> Double? {
        guard let weights, !isUnit(weights) else { return Statistics.mean(values) }
        var s = 0.0, total = 0.0
        for (x, w) in zip(values, weights) where x.isFinite && w.isFinite { s += w * x; total += w }
        return total > 0 ? s / total : nil
    }

    /// sqrt(sum w x^2 / sum w) over the finite values.
    public static func rms(_ values: [Double], weights: [Double]?) -> Double? {
        guard let weights, !isUnit(weights) else {
            let finite = values.filter { $0.isFinite }
            return finite.isEmpty ? nil : (finite.reduce(0) { $0 + $1 * $1 } / Double(finite.count)).squareRoot()
        }
        var s = 0.0, total = 0.0
        for (x, w) in zip(values, weights) where x.isFinite && w.isFinite { s += w * x * x; total += w }
        return total > 0 ? (max(s, 0) / total).squareRoot() : nil
    }

    /// The weight of the events where `passes` holds over the total weight (nil when it is not positive).
    public static func fraction(weights: [Double], passes: (Int) -> Bool) -> Double? {
        var pass = 0.0, total = 0.0
        for (i, w) in weights.enumerated() where w.isFinite {
            total += w
            if passes(i) { pass += w }
        }
        return total > 0 ? pass / total : nil
    }
}
