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

/// Everything the harness reports for one method on one sample (SPEC section 7).
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
    /// else the sample's true `pairing`.
    public static func report(_ result: EstimatorResult, on sample: Sample, trueMasses: [String: Double]) -> MethodReport {
        let masses = result.masses.map { m in
            MassComparison(name: m.name, value: m.value, uncertainty: m.uncertainty, truth: trueMasses[m.name],
                           bias: trueMasses[m.name].map { m.value - $0 }, how: m.how)
        }
        var massRes: [Resolution] = []
        var invRes: [Resolution] = []
        if let c1 = try? result.perEvent.fourVectors(OutputKey.c1), let c2 = try? result.perEvent.fourVectors(OutputKey.c2) {
            invRes = invisibleResiduals(c1, c2, sample)
            massRes = parentMassResiduals(c1, c2, sample, result, trueMasses)
        }
        return MethodReport(method: result.method, events: result.perEvent.count, masses: masses,
                            massResolutions: massRes, invisibleResolutions: invRes,
                            handledFraction: result.handledFraction, secondsPerEvent: result.secondsPerEvent,
                            notes: result.notes)
    }

    static func resolution(_ name: String, _ residuals: [Double]) -> Resolution? {
        let finite = residuals.filter { $0.isFinite }
        guard finite.count >= 2, let med = Statistics.quantile(finite, 0.5), let w = Statistics.robustWidth(finite) else { return nil }
        let rms = (finite.reduce(0) { $0 + $1 * $1 } / Double(finite.count)).squareRoot()
        return Resolution(name: name, median: med, width68: w, rms: rms, events: finite.count)
    }

    static func invisibleResiduals(_ c1: [Double], _ c2: [Double], _ sample: Sample) -> [Resolution] {
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
            return resolution("C.\(names[k])", r)
        }
    }

    static func parentMassResiduals(_ c1: [Double], _ c2: [Double], _ sample: Sample, _ result: EstimatorResult,
                                    _ truth: [String: Double]) -> [Resolution] {
        let pairing = result.perEvent[OutputKey.pairingChosen]?.integers ?? result.perEvent[OutputKey.pairingBL]?.integers
        return ParentMasses.rebuild(sample: sample, c1: c1, c2: c2, pairing: pairing).compactMap { name, masses in
            guard let m = truth[name] else { return nil }
            return resolution("m_" + name.dropFirst(2), masses.map { $0 - m })
        }
    }
}
