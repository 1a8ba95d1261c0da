import Events
import Foundation
import Kinematics

/// Mass estimate from the antler cusp and endpoint of m(a1 a2) (Han, Kim, Song,
/// arXiv:0906.5009, 1206.5633): with m_C given, both m_D and m_B follow from the two fitted
/// positions (see `AntlerEdges`). Assumes massless visibles and isotropic decays (no spin
/// correlations); a known Gaussian resolution of m(a1 a2) can be folded in through the options.
///
/// Per-event arrays: `m_a1a2` (float64, GeV) and `status` (exact for every event used).
public enum AntlerCuspEstimator {
    /// Method name.
    public static let method = "antler-cusp"

    /// Runs the fit on an antler sample. Throws `SampleError` for a non-antler sample, missing
    /// arrays or NaN/Inf (naming array and event), `ExtractionError` when the fit fails.
    public static func run(sample: Sample, mC: Double, options: AntlerFit.Options = AntlerFit.Options()) throws -> EstimatorResult {
        guard sample.kind == .antler else { throw SampleError.wrongTopology(expected: .antler, found: sample.kind) }
        guard mC.isFinite, mC >= 0 else { throw ExtractionError.fitFailed("m_C = \(mC) GeV must be finite and >= 0") }
        try sample.validate(requiring: [Key.a1, Key.a2])
        let a1 = try sample.fourVectors(Key.a1), a2 = try sample.fourVectors(Key.a2)
        let n = a1.count / 4
        let clock = ContinuousClock()
        let start = clock.now
        var mass = [Double](repeating: 0, count: n)
        for i in 0..<n {
            let s = FourVector(e: a1[4 * i] + a2[4 * i], px: a1[4 * i + 1] + a2[4 * i + 1],
                               py: a1[4 * i + 2] + a2[4 * i + 2], pz: a1[4 * i + 3] + a2[4 * i + 3])
            mass[i] = max(s.mass, 0)
        }
        // Imported events' weights (`weight`, not truth) weigh the fit.
        let fit = try AntlerFit.fit(values: mass, weights: sample[Key.weight]?.doubles, options: options)
        guard let m = fit.masses(mC: mC) else {
            throw ExtractionError.fitFailed("fitted edges \(fit.edges) cannot be inverted with m_C = \(mC)")
        }
        let seconds = (clock.now - start) / .seconds(1)
        var out = Sample(kind: .antler, provenance: sample.provenance)
        out[OutputKey.ma1a2] = .scalars(mass)
        out[OutputKey.status] = .ints([Int32](repeating: EventStatus.exact.rawValue, count: n))
        let how = "antler m(a1 a2) cusp and endpoint fit, m_C = \(mC) GeV"
        return EstimatorResult(
            method: method, perEvent: out,
            masses: [MassEstimate(name: MassName.d, value: m.mD, uncertainty: m.mDError, how: how),
                     MassEstimate(name: MassName.b, value: m.mB, uncertainty: m.mBError, how: how)],
            handledFraction: 1, secondsPerEvent: n > 0 ? seconds / Double(n) : 0,
            notes: ["cusp \(fit.edges.cusp) +- \(fit.cuspError) GeV, endpoint \(fit.edges.endpoint) +- \(fit.endpointError) GeV (fit errors)",
                    "uncertainties: \(fit.bootstrapEdges.count > 1 ? "bootstrap, \(fit.bootstrapEdges.count) replicates" : "fit covariance")"])
    }
}
