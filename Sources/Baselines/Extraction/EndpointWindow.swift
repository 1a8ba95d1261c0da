import Events

/// The window rule of every sample-level endpoint fit (MT2, M2 and the MAOS parent mass): the
/// fit of `EndpointFit` over the upper part of a distribution, and the mass estimates it gives.
public enum EndpointWindow {
    /// Lower edge of the endpoint fit window as a quantile of the distribution: the linear-edge
    /// edge model holds near the endpoint only (0.5 biased the fits of MT2(l) on `toy` by +7%,
    /// 0.8 by +1%, on 3000 events; see benchmarks/RESULTS.md). The window ends a quarter of its
    /// span above the 99.9% quantile. A fit that does not converge or puts the endpoint outside
    /// its window gives no estimate (no number is better than a wrong one).
    public static let quantile = 0.8
    /// Smaller samples widen the window (down to the median) to keep about this many events in it.
    public static let events = 400.0

    /// The endpoint fit of `values` (GeV) over the window; nil when it fails, does not converge
    /// or leaves its window. Non-finite values are ignored. The figures draw it with bootstrap 0
    /// (the same central fit). `width` (GeV) is the parent's Breit-Wigner width the edge model
    /// folds in (a physics input; 0: narrow). Event `weights` (one per value; used when not all
    /// 1) weigh the fit's bins; the window comes from the values alone.
    public static func fit(_ values: [Double], bootstrap: Int = 0, seed: UInt32 = 1, width: Double = 0,
                           weights: [Double]? = nil) -> EndpointFit.Result? {
        attempt(values, bootstrap: bootstrap, seed: seed, width: width, weights: weights).fit
    }

    /// `fit`, and when it gives nothing, why (in words, with the window in GeV).
    public static func attempt(_ values: [Double], bootstrap: Int = 0, seed: UInt32 = 1, width: Double = 0,
                               weights: [Double]? = nil) -> (fit: EndpointFit.Result?, failure: String?) {
        var finite = values.filter { $0.isFinite }.sorted()
        var fitWeights: [Double]? = nil
        if let weights, weights.count == values.count, weights.contains(where: { $0 != 1 }) {
            let pairs = zip(values, weights).filter { $0.0.isFinite }.sorted { $0.0 < $1.0 }
            finite = pairs.map(\.0); fitWeights = pairs.map(\.1)
        }
        let lowQ = max(0.5, min(quantile, 1 - events / Double(max(finite.count, 1))))
        guard let lo = Quantile.linear(sorted: finite, lowQ), let top = Quantile.linear(sorted: finite, 0.999) else {
            return (nil, "no finite values (\(values.count) events)")
        }
        let window = lo...(top + 0.25 * (top - lo))
        let range = String(format: "%.1f...%.1f GeV", window.lowerBound, window.upperBound)
        let fit: EndpointFit.Result
        do {
            fit = try EndpointFit.fit(values: finite, weights: fitWeights,
                                      options: .init(window: window, bootstrap: bootstrap, seed: seed, width: width))
        } catch {
            return (nil, "the fit over the window \(range) could not run (\(error))")
        }
        guard fit.converged else { return (nil, "the fit over the window \(range) did not converge") }
        guard window.contains(fit.endpoint) else {
            return (nil, String(format: "the fitted endpoint %.1f GeV lies outside its window %@", fit.endpoint, range))
        }
        return (fit, nil)
    }

    /// The estimate `name` (e.g. `MassName.a`) from the endpoint of `values`, with a finite
    /// bootstrap uncertainty, or, when there is none, a sentence saying why for the method's
    /// notes ("HOW gave no NAME: ..."), so that a missing number in a report says why. The
    /// width assumed for `name` (`widths[name]`, GeV, default 0) is said with the estimate.
    public static func endpoint(_ values: [Double]?, name: String, how: String, bootstrap: Int, seed: UInt32,
                                widths: [String: Double] = [:], weights: [Double]? = nil)
        -> (masses: [MassEstimate], notes: [String]) {
        guard let values else { return ([], ["\(how) gave no \(name): no values"]) }
        let width = widths[name] ?? 0
        let a = attempt(values, bootstrap: bootstrap, seed: seed, width: width, weights: weights)
        guard let fit = a.fit else { return ([], ["\(how) gave no \(name): \(a.failure ?? "no fit")"]) }
        guard fit.uncertainty.isFinite else { return ([], ["\(how) gave no \(name): its uncertainty is not finite"]) }
        return ([fit.estimate(name: name, how: width > 0 ? how + String(format: ", Breit-Wigner width %g GeV assumed", width) : how)], [])
    }

    /// `endpoint` without the notes: the estimate, or empty.
    public static func mass(_ values: [Double]?, name: String, how: String, bootstrap: Int, seed: UInt32,
                            widths: [String: Double] = [:], weights: [Double]? = nil) -> [MassEstimate] {
        endpoint(values, name: name, how: how, bootstrap: bootstrap, seed: seed, widths: widths, weights: weights).masses
    }

    /// Endpoint fits of the MT2 distributions in an `MT2Estimator` output: MT2(bl) -> M_A,
    /// MT2(l) -> M_B (t-tbar-like); MT2 -> M_B (antler); with a note for each one that gives no
    /// estimate (see `endpoint`).
    public static func mt2Endpoints(_ perEvent: Sample, bootstrap: Int, seed: UInt32, widths: [String: Double] = [:],
                                    weights: [Double]? = nil) -> (masses: [MassEstimate], notes: [String]) {
        let wanted: [(String, String, String)] = switch perEvent.kind {
        case .ttbarLike: [(OutputKey.mt2BL, MassName.a, "MT2(bl) endpoint fit"), (OutputKey.mt2L, MassName.b, "MT2(l) endpoint fit")]
        case .antler: [(OutputKey.mt2, MassName.b, "MT2 endpoint fit")]
        }
        var out: (masses: [MassEstimate], notes: [String]) = ([], [])
        for (key, name, how) in wanted {
            let e = endpoint(perEvent[key]?.doubles, name: name, how: how, bootstrap: bootstrap, seed: seed,
                             widths: widths, weights: weights)
            out.masses += e.masses
            out.notes += e.notes
        }
        return out
    }

    /// `mt2Endpoints` without the notes.
    public static func mt2Masses(_ perEvent: Sample, bootstrap: Int, seed: UInt32, widths: [String: Double] = [:],
                                 weights: [Double]? = nil) -> [MassEstimate] {
        mt2Endpoints(perEvent, bootstrap: bootstrap, seed: seed, widths: widths, weights: weights).masses
    }
}
