import Events

/// Robust one-dimensional summaries used by reports and `deelema inspect`.
public enum Statistics {
    /// The q-quantile (0...1) of `values` by linear interpolation between order statistics
    /// (numpy's default "linear" method). NaNs are ignored; nil if nothing finite remains.
    public static func quantile(_ values: [Double], _ q: Double) -> Double? {
        let v = values.filter { $0.isFinite }.sorted()
        return quantile(sorted: v, q)
    }

    /// Quantile of an already sorted, finite array.
    public static func quantile(sorted v: [Double], _ q: Double) -> Double? { Quantile.linear(sorted: v, q) }

    /// Arithmetic mean of the finite values.
    public static func mean(_ values: [Double]) -> Double? {
        var s = 0.0, n = 0
        for x in values where x.isFinite { s += x; n += 1 }
        return n > 0 ? s / Double(n) : nil
    }

    /// Sample standard deviation (n - 1) of the finite values.
    public static func standardDeviation(_ values: [Double]) -> Double? {
        guard let m = mean(values) else { return nil }
        var s = 0.0, n = 0
        for x in values where x.isFinite { s += (x - m) * (x - m); n += 1 }
        return n > 1 ? (s / Double(n - 1)).squareRoot() : nil
    }

    /// Half the 16-84% interquantile range: the Gaussian sigma for Gaussian data, robust to tails.
    public static func robustWidth(_ values: [Double]) -> Double? {
        let v = values.filter { $0.isFinite }.sorted()
        guard let lo = quantile(sorted: v, 0.15865525393145707),
              let hi = quantile(sorted: v, 0.8413447460685429) else { return nil }
        return 0.5 * (hi - lo)
    }

    /// Position of the highest bin of a histogram of the central 98% of the values
    /// (bins of width ~ robust width / 5, refined by a parabola through the top three bins),
    /// and the full width at half maximum of that histogram. Nil when fewer than 10 finite values.
    public static func peak(_ values: [Double]) -> (position: Double, fwhm: Double)? {
        let v = values.filter { $0.isFinite }.sorted()
        guard v.count >= 10, let lo = quantile(sorted: v, 0.01), let hi = quantile(sorted: v, 0.99) else { return nil }
        if hi <= lo { return (lo, 0) }
        let w = max(robustWidth(v) ?? (hi - lo), (hi - lo) * 1e-3)
        let bins = max(10, min(2000, Int(((hi - lo) / (w / 5)).rounded(.up))))
        let width = (hi - lo) / Double(bins)
        var counts = [Double](repeating: 0, count: bins)
        for x in v where x >= lo && x <= hi { counts[min(bins - 1, Int((x - lo) / width))] += 1 }
        var top = 0
        for i in 1..<bins where counts[i] > counts[top] { top = i }
        var centre = lo + (Double(top) + 0.5) * width
        if top > 0, top < bins - 1 {
            let (a, b, c) = (counts[top - 1], counts[top], counts[top + 1])
            let denom = a - 2 * b + c
            if denom != 0 { centre += 0.5 * (a - c) / denom * width }
        }
        let half = counts[top] / 2
        var left = top, right = top
        while left > 0 && counts[left - 1] > half { left -= 1 }
        while right < bins - 1 && counts[right + 1] > half { right += 1 }
        return (centre, Double(right - left + 1) * width)
    }
}
