import Baselines
import DeeLeMa
import Events
import Foundation

/// Options shared by every method, as `deelema estimate` and `deelema bench` take them.
public struct MethodOptions: Sendable {
    public var pairing: PairingMode
    /// Mass hypothesis (GeV): t-tbar-like (m_A, m_B, m_C); antler (m_D, m_B, m_C). Methods that
    /// only need the invisible mass read `invisibleMass`.
    public var masses: (Double, Double, Double)?
    /// Invisible mass m_C (GeV) for methods that need only it; defaults to the third of `masses`, else 0.
    public var invisibleMass: Double
    /// Trained DeeLeMa model file.
    public var model: String?
    /// Bootstrap replicates for mass uncertainties.
    public var bootstrap: Int
    public var seed: UInt32
    /// MAOS parent mass without `masses`: one MT2 endpoint fit for every event, or each event's MT2.
    public var maosParent: MAOSParent
    /// Run a DeeLeMa model on a sample of another card, detector setting or mass scale (said in the notes).
    public var allowMismatch: Bool
    /// Receives (done, total) as the slow per-event methods (m2, massscan) go (thread-safe).
    public var progress: (@Sendable (Int, Int) -> Void)? = nil
    /// Breit-Wigner widths (GeV) the endpoint fits fold in, by estimate name ("M_A", "M_B"); a
    /// name without one is fitted as narrow. A physics input (the parents' known widths), never
    /// read from the sample.
    public var widths: [String: Double] = [:]
    /// The sample's event weights (`Key.weight`), set by `MethodRunner.run`: they weigh the endpoint fits.
    var eventWeights: [Double]? = nil

    public init(pairing: PairingMode = .unknown, masses: (Double, Double, Double)? = nil, invisibleMass: Double? = nil,
                model: String? = nil, bootstrap: Int = 50, seed: UInt32 = 1, maosParent: MAOSParent = .endpoint,
                allowMismatch: Bool = false) {
        self.pairing = pairing; self.masses = masses
        self.invisibleMass = invisibleMass ?? masses?.2 ?? 0
        self.model = model; self.bootstrap = bootstrap; self.seed = seed
        self.maosParent = maosParent; self.allowMismatch = allowMismatch
    }
}

/// The parent mass MAOS uses when no `--masses` are given.
public enum MAOSParent: String, Sendable, CaseIterable {
    /// One parent mass for every event: the MT2 endpoint fitted on the sample (original MAOS
    /// with a data-driven mass). When the fit fails, falls back to `.mt2`, said in the notes.
    case endpoint
    /// Modified MAOS: each event's own MT2 as its parent mass.
    case mt2
}

/// Runs one method on a sample and adds the sample-level mass estimates (endpoint, peak or
/// cusp fits) to its per-event output. Truth arrays are never read here: estimates use only
/// reconstructed objects, so data-like samples work.
public enum MethodRunner {
    /// The result says the m_C its estimates assume (`invisibleMass`): the option's, or the
    /// model's for DeeLeMa.
    public static func run(_ method: Method, on sample: Sample, options: MethodOptions) throws -> EstimatorResult {
        var o = options
        o.eventWeights = sample[Key.weight]?.doubles
        var r = try runMethod(method, on: sample, options: o)
        if r.invisibleMass == nil { r.invisibleMass = o.invisibleMass }
        return r
    }

    static func runMethod(_ method: Method, on sample: Sample, options o: MethodOptions) throws -> EstimatorResult {
        if !method.supportsAntler && sample.kind == .antler {
            throw MethodError.wrongTopology(method: method, topology: sample.kind.rawValue)
        }
        // Said here once, in words a user of reconstructed-only samples understands, rather than
        // as each estimator's bare "missing array".
        if o.pairing == .truth, sample.kind == .ttbarLike, sample[Key.pairing] == nil {
            throw SampleError.missingPairing
        }
        let mC = o.invisibleMass
        switch method {
        case .mt2, .endpoint:
            // MT2(b)'s invisibles are the B's: the trial m_B of --masses, else 0 (t-tbar-like only).
            let chiB = sample.kind == .ttbarLike ? (o.masses?.1 ?? 0) : 0
            var r = try MT2Estimator.run(sample: sample, pairing: o.pairing, chi: mC, chiB: chiB)
            r.method = method.rawValue
            if sample.kind == .antler, method == .endpoint {
                let cusp = try AntlerCuspEstimator.run(sample: sample, mC: mC)
                r.masses += cusp.masses
                r.notes += cusp.notes
                if let m = cusp.perEvent["m_a1a2"] { r.perEvent["m_a1a2"] = m }
            }
            r.masses += endpointMasses(r.perEvent, sample.kind, o)
            return r
        case .maos:
            // The parent of each MAOS leg: A (t-tbar-like) or B (antler). Given by --masses; else one
            // fitted MT2 endpoint for every event (original MAOS, data-driven mass), or each event's
            // MT2 (modified MAOS) when asked for or when the fit gives no endpoint.
            let given = sample.kind == .antler ? o.masses?.1 : o.masses?.0
            let parentName = sample.kind == .antler ? "M_B" : "M_A"
            var parent = given
            var how = "MAOS, \(parentName) given"
            var notes: [String] = []
            if given == nil {
                how = "modified MAOS, parent mass = the event's MT2"
                if o.maosParent == .endpoint {
                    let ends = try MT2Estimator.run(sample: sample, pairing: o.pairing, chi: mC)
                    if let fitted = endpointMasses(ends.perEvent, sample.kind, o).first(where: { $0.name == parentName })?.value {
                        parent = fitted
                        how = String(format: "MAOS, %@ = %.2f GeV from the MT2 endpoint fit for every event", parentName, fitted)
                    } else {
                        notes.append("the MT2 endpoint fit gave no \(parentName): parent mass = each event's MT2 instead (modified MAOS)")
                    }
                }
            }
            var r = try MAOSEstimator.run(sample: sample, pairing: o.pairing, parentMass: parent, chi: mC)
            r.method = method.rawValue
            if given == nil, parent != nil { notes.append(how) }
            r.notes = notes + r.notes
            r.masses += peakMasses(r, sample, o, how: how)
            return r
        case .kinsolve:
            guard let m = o.masses else { throw MethodError.needsMasses(method: method) }
            var r = try KinematicSolutionEstimator.run(sample: sample, pairing: o.pairing,
                                                       masses: ChainMasses(mA: m.0, mB: m.1, mC: m.2))
            r.method = method.rawValue
            if let used = r.perEvent["pairing_used"] { r.perEvent["pairing_chosen"] = used }
            r.notes.append("masses are inputs of this method (\(m.0), \(m.1), \(m.2) GeV); see massscan for estimates")
            return r
        case .massscan:
            let guess = try hypothesisGuess(sample, o)
            let grid = MassScanGrid.around(mA: guess.0, mB: guess.1, fraction: 0.3)
            var r = try MassScanEstimator.run(sample: sample, pairing: o.pairing, mC: mC, grid: grid,
                                              bootstrap: o.bootstrap, seed: o.seed,
                                              progress: o.progress.map { EventProgress(total: grid.refinements + 2, report: $0) })
            r.method = method.rawValue
            r.notes.append(String(format: "grid centred on (%.1f, %.1f) GeV %@", guess.0, guess.1,
                                  o.masses == nil ? "from the MT2 endpoints" : "from --masses"))
            return r
        case .m2:
            var r: EstimatorResult
            if sample.kind == .antler {
                guard let m = o.masses else { throw MethodError.needsMasses(method: method) }
                r = try M2Estimator.runAntler(sample: sample, mC: mC, mD: m.0,
                                              progress: o.progress.map { EventProgress(total: sample.count, report: $0) })
                r.masses += endpointMass(r.perEvent["m2_res"]?.doubles, name: "M_B", how: "M2 (resonance-constrained) endpoint fit", o)
            } else {
                r = try M2Estimator.run(sample: sample, pairing: o.pairing, variable: nil, mC: mC,
                                        progress: o.progress.map { EventProgress(total: sample.count, report: $0) })
                r.masses += endpointMass(r.perEvent["m2cc"]?.doubles, name: "M_A", how: "M2CC endpoint fit", o)
            }
            r.method = method.rawValue
            return r
        case .deelema:
            guard let model = o.model else { throw MethodError.needsModel(method: method) }
            var r = try DeeLeMaEstimator.run(sample: sample, checkpoint: model, allowMismatch: o.allowMismatch)
            r.method = method.rawValue
            return r
        }
    }

    /// A first guess of (m_A, m_B) from the MT2(bl) and MT2(l) endpoints, or --masses.
    static func hypothesisGuess(_ sample: Sample, _ o: MethodOptions) throws -> (Double, Double) {
        if let m = o.masses { return (m.0, m.1) }
        let r = try MT2Estimator.run(sample: sample, pairing: o.pairing, chi: o.invisibleMass)
        let ends = endpointMasses(r.perEvent, sample.kind, o)
        guard let a = ends.first(where: { $0.name == "M_A" })?.value, let b = ends.first(where: { $0.name == "M_B" })?.value,
              a > b, b > o.invisibleMass else {
            throw MethodError.needsMasses(method: .massscan)
        }
        return (a, b)
    }

    /// Endpoint fits of the MT2 distributions: MT2(bl) -> M_A, MT2(l) -> M_B (t-tbar-like);
    /// MT2 -> M_B (antler).
    static func endpointMasses(_ perEvent: Sample, _ kind: TopologyKind, _ o: MethodOptions) -> [MassEstimate] {
        switch kind {
        case .ttbarLike:
            endpointMass(perEvent["mt2_bl"]?.doubles, name: "M_A", how: "MT2(bl) endpoint fit", o)
                + endpointMass(perEvent["mt2_l"]?.doubles, name: "M_B", how: "MT2(l) endpoint fit", o)
        case .antler:
            endpointMass(perEvent["mt2"]?.doubles, name: "M_B", how: "MT2 endpoint fit", o)
        }
    }

    /// Lower edge of the endpoint fit window as a quantile of the distribution: the linear-edge
    /// model holds near the endpoint only (0.5 biased the fits of MT2(l) on `toy` by +7%,
    /// 0.8 by +1%, on 3000 events; see benchmarks/RESULTS.md). The window ends a quarter of its
    /// span above the 99.9% quantile. A fit that does not converge or puts the endpoint outside
    /// its window gives no estimate (no number is better than a wrong one).
    static let endpointWindowQuantile = 0.8
    /// Smaller samples widen the window (down to the median) to keep about this many events in it.
    static let endpointWindowEvents = 400.0

    static func endpointMass(_ values: [Double]?, name: String, how: String, _ o: MethodOptions) -> [MassEstimate] {
        let width = o.widths[name] ?? 0
        guard let values, let fit = endpointFit(values, bootstrap: o.bootstrap, seed: o.seed, width: width, weights: o.eventWeights),
              fit.uncertainty.isFinite else { return [] }
        // The assumed width is said with the estimate, as the trial masses are.
        return [fit.estimate(name: name, how: width > 0 ? how + String(format: ", Breit-Wigner width %g GeV assumed", width) : how)]
    }

    /// The endpoint fit behind `endpointMass` (its window rule; nil when it fails, does not
    /// converge or leaves its window); the figures draw it with bootstrap 0 (same central fit).
    /// Event weights (one per value; not all 1) weigh the fit; the window comes from the values alone.
    static func endpointFit(_ values: [Double], bootstrap: Int = 0, seed: UInt32 = 1, width: Double = 0,
                            weights: [Double]? = nil) -> EndpointFit.Result? {
        var finite = values.filter { $0.isFinite }.sorted()
        var fitWeights: [Double]? = nil
        if let weights, weights.count == values.count, weights.contains(where: { $0 != 1 }) {
            let pairs = zip(values, weights).filter { $0.0.isFinite }.sorted { $0.0 < $1.0 }
            finite = pairs.map(\.0); fitWeights = pairs.map(\.1)
        }
        let lowQ = max(0.5, min(endpointWindowQuantile, 1 - endpointWindowEvents / Double(max(finite.count, 1))))
        guard let lo = Statistics.quantile(sorted: finite, lowQ), let top = Statistics.quantile(sorted: finite, 0.999) else { return nil }
        let window = lo...(top + 0.25 * (top - lo))
        guard let fit = try? EndpointFit.fit(values: finite, weights: fitWeights,
                                             options: .init(window: window, bootstrap: bootstrap, seed: seed, width: width)),
              fit.converged, window.contains(fit.endpoint) else { return nil }
        return fit
    }

    /// Fraction of events, those with the largest MT2, whose MAOS momenta enter the peak fits:
    /// near the MT2 endpoint the MAOS ansatz approaches the true momenta (Cho et al. 0810.4853).
    static let maosSelectedFraction = 0.2

    /// Peak fit of the mass the MAOS ansatz does not fix: m(b + C) for t-tbar-like samples (M_B;
    /// M_A is an input or equals MT2 by construction) and m(a1 a2 C1 C2) for antler samples (M_D),
    /// over the events in the top `maosSelectedFraction` of the MT2 distribution.
    static func peakMasses(_ r: EstimatorResult, _ sample: Sample, _ o: MethodOptions, how: String) -> [MassEstimate] {
        guard let c1 = try? r.perEvent.fourVectors("C1"), let c2 = try? r.perEvent.fourVectors("C2"),
              let mt2 = (r.perEvent["mt2_bl"] ?? r.perEvent["mt2"])?.doubles,
              let cut = Statistics.quantile(mt2, 1 - maosSelectedFraction) else { return [] }
        let rebuilt = ParentMasses.rebuild(sample: sample, c1: c1, c2: c2,
                                           pairing: r.perEvent["pairing_chosen"]?.integers ?? r.perEvent["pairing_bl"]?.integers)
        let wanted = sample.kind == .antler ? "M_D" : "M_B"
        var out: [MassEstimate] = []
        for (name, values) in rebuilt where name == wanted {
            let perEvent = values.count / max(mt2.count, 1)
            let kept = values.indices.filter { mt2[$0 / perEvent] >= cut && values[$0].isFinite }
            let selected = kept.map { values[$0] }
            let weights = o.eventWeights.flatMap { w in w.count == mt2.count ? kept.map { w[$0 / perEvent] } : nil }
            if let fit = try? PeakFit.fit(values: selected, weights: weights, options: .init(bootstrap: o.bootstrap, seed: o.seed)) {
                out.append(fit.estimate(name: name, how: "\(how): peak of m(\(name.dropFirst(2))) over the top 20% MT2 events"))
            }
        }
        return out
    }
}
