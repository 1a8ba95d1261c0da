/// Order statistics shared by the estimators and the reports.
public enum Quantile {
    /// The q-quantile (q clamped to 0...1) of sorted, finite values by linear interpolation
    /// between order statistics (numpy's default "linear" method); nil when there are none.
    public static func linear(sorted v: [Double], _ q: Double) -> Double? {
        guard !v.isEmpty else { return nil }
        let h = Double(v.count - 1) * min(max(q, 0), 1)
        let lo = Int(h.rounded(.down)), hi = min(lo + 1, v.count - 1)
        return v[lo] + (h - Double(lo)) * (v[hi] - v[lo])
    }
}
