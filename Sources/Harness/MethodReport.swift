import Baselines
import Events
import Kinematics

/// A sample-level mass estimate compared with the truth (GeV).
public struct MassComparison: Sendable, Codable {
    public var name: String
    public var value: Double
    /// Statistical uncertainty (one sigma), as the method reported it.
    public var uncertainty: Double
    public var truth: Double?
    /// value - truth.
    public var bias: Double?
    /// How the estimate was obtained.
    public var how: String
}

/// Residual widths of one quantity against the truth: robust (half 16-84% range) and RMS.
public struct Resolution: Sendable, Codable {
    public var name: String
    public var median: Double
    public var width68: Double
    public var rms: Double
    public var events: Int
}

/// Everything the harness reports for one method on one sample (docs/physics.md#harness).
public struct MethodReport: Sendable, Codable {
    public var method: String
    public var events: Int
    public var masses: [MassComparison]
    /// Per-event reconstructed parent masses against the truth masses (when the method gives an ansatz).
    public var massResolutions: [Resolution]
    /// Invisible-momentum residuals (estimate - truth) per component, both chains pooled.
    public var invisibleResolutions: [Resolution]
    public var handledFraction: Double
    public var secondsPerEvent: Double
    public var notes: [String]
}

/// Scores estimator results against the truth carried by the sample.
public enum Evaluation {
    /// Builds the report of `result` on `sample`; `trueMasses` maps "M_A", "M_B", ... to GeV.
    /// Per-event masses use the method's `pairing_chosen` (or `pairing_bl`) when it reports one,
    /// else the sample's true `pairing`. A sample's `weight` array (imported events) weighs the
    /// resolutions and the handled fraction (`WeightedStatistics`); without one, or with all
    /// weights 1, every number is the unweighted one.
    public static func report(_ result: EstimatorResult, on sample: Sample, trueMasses: [String: Double]) -> MethodReport {
        let masses = result.masses.map { m in
            MassComparison(name: m.name, value: m.value, uncertainty: m.uncertainty, truth: trueMasses[m.name],
                           bias: trueMasses[m.name].map { m.value - $0 }, how: m.how)
        }
        var massRes: [Resolution] = []
        var invRes: [Resolution] = []
        let weights = eventWeights(sample)
        if let c1 = try? result.perEvent.fourVectors(OutputKey.c1), let c2 = try? result.perEvent.fourVectors(OutputKey.c2) {
            invRes = invisibleResiduals(c1, c2, sample, weights: weights)
            massRes = parentMassResiduals(c1, c2, sample, result, trueMasses, weights: weights)
        }
        // A per-event mass the method measures itself replaces the one rebuilt from C1, C2.
        for (name, key) in result.perEventMassKeys.sorted(by: { $0.key < $1.key }) {
            guard let m = trueMasses[name], let values = result.perEvent[key]?.doubles, values.count == sample.count else { continue }
            let label = "m_" + name.dropFirst(2)
            guard let r = resolution(label, values.map { $0 - m }, weights: weights?.count == values.count ? weights : nil) else { continue }
            if let i = massRes.firstIndex(where: { $0.name == label }) { massRes[i] = r } else { massRes.append(r) }
        }
        var handled = result.handledFraction
        if let weights, let status = result.perEvent[OutputKey.status]?.integers, status.count == weights.count,
           let f = WeightedStatistics.fraction(weights: weights, passes: { status[$0] == 0 || status[$0] == 1 }) {
            handled = f
        }
        return MethodReport(method: result.method, events: result.perEvent.count, masses: masses,
                            massResolutions: massRes, invisibleResolutions: invRes,
                            handledFraction: handled, secondsPerEvent: result.secondsPerEvent,
                            notes: result.notes)
    }

    /// The sample's event weights when they change anything (not all 1), else nil.
    static func eventWeights(_ sample: Sample) -> [Double]? {
        guard let w = sample[Key.weight]?.doubles, w.count == sample.count, !WeightedStatistics.isUnit(w) else { return nil }
        return w
    }

    /// Residuals pooled over both chains (2 per event): each event's weight twice.
    static func pooled(_ weights: [Double]?) -> [Double]? { weights.map { w in w.flatMap { [$0, $0] } } }

    static func resolution(_ name: String, _ residuals: [Double], weights: [Double]? = nil) -> Resolution? {
        if let weights, weights.count == residuals.count {
            let keep = residuals.indices.filter { residuals[$0].isFinite && weights[$0].isFinite }
            let r = keep.map { residuals[$0] }, w = keep.map { weights[$0] }
            guard r.count >= 2, let med = WeightedStatistics.quantile(r, weights: w, 0.5),
                  let width = WeightedStatistics.robustWidth(r, weights: w),
                  let rms = WeightedStatistics.rms(r, weights: w) else { return nil }
            return Resolution(name: name, median: med, width68: width, rms: rms, events: r.count)
        }
        let finite = residuals.filter { $0.isFinite }
        guard finite.count >= 2, let med = Statistics.quantile(finite, 0.5), let w = Statistics.robustWidth(finite) else { return nil }
        let rms = (finite.reduce(0) { $0 + $1 * $1 } / Double(finite.count)).squareRoot()
        return Resolution(name: name, median: med, width68: w, rms: rms, events: finite.count)
    }

    static func invisibleResiduals(_ c1: [Double], _ c2: [Double], _ sample: Sample, weights: [Double]? = nil) -> [Resolution] {
        guard let t1 = try? sample.fourVectors(Key.trueC1), let t2 = try? sample.fourVectors(Key.trueC2),
              t1.count == c1.count, t2.count == c2.count else { return [] }
        let names = ["E", "px", "py", "pz"]
        return (0..<4).compactMap { k in
            var r: [Double] = []
            r.reserveCapacity(c1.count / 2)
            for i in 0..<(c1.count / 4) {
                r.append(c1[4 * i + k] - t1[4 * i + k])
                r.append(c2[4 * i + k] - t2[4 * i + k])
            }
            return resolution("C.\(names[k])", r, weights: pooled(weights))
        }
    }

    static func parentMassResiduals(_ c1: [Double], _ c2: [Double], _ sample: Sample, _ result: EstimatorResult,
                                    _ truth: [String: Double], weights: [Double]? = nil) -> [Resolution] {
        let pairing = result.perEvent[OutputKey.pairingChosen]?.integers ?? result.perEvent[OutputKey.pairingBL]?.integers
        return ParentMasses.rebuild(sample: sample, c1: c1, c2: c2, pairing: pairing).compactMap { name, masses in
            guard let m = truth[name] else { return nil }
            // Per chain (2 per event) or per event (antler M_D).
            let w = weights.flatMap { $0.count == masses.count ? $0 : pooled($0) }
            return resolution("m_" + name.dropFirst(2), masses.map { $0 - m }, weights: w?.count == masses.count ? w : nil)
        }
    }
}
