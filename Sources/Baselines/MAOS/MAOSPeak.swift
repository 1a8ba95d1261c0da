import Foundation
import Events

/// The parent mass MAOS uses when none is given.
public enum MAOSParent: String, Sendable, CaseIterable {
    /// One parent mass for every event: the MT2 endpoint fitted on the sample (original MAOS
    /// with a data-driven mass). When the fit fails, falls back to `.mt2`, said in the notes.
    case endpoint
    /// Modified MAOS: each event's own MT2 as its parent mass.
    case mt2
}

/// MAOS on a whole sample with its sample-level policies: the parent mass (given, fitted once
/// from the MT2 endpoint, or each event's MT2) and the peak fit of the mass the ansatz does not fix.
public enum MAOSPeak {
    /// Fraction of events, those with the largest MT2, whose MAOS momenta enter the peak fits:
    /// near the MT2 endpoint the MAOS ansatz approaches the true momenta (Cho et al. 0810.4853).
    public static let selectedFraction = 0.2

    /// MAOS momenta and the peak-fitted mass. The parent of each MAOS leg is A (t-tbar-like) or
    /// B (antler): `given` (GeV); else one fitted MT2 endpoint for every event (`policy`
    /// `.endpoint`: original MAOS with a data-driven mass), or each event's MT2 (modified MAOS)
    /// when asked for or when the fit gives no endpoint (said in the notes). `chi` is the
    /// trial invisible mass, GeV; `bootstrap` and `seed` those of the fits; `widths` the
    /// Breit-Wigner widths (GeV, by estimate name) the endpoint fit folds in; `weights` the
    /// sample's event weights (nil: unweighted).
    public static func run(sample: Sample, pairing: PairingMode, given: Double?, policy: MAOSParent, chi: Double,
                           bootstrap: Int, seed: UInt32, widths: [String: Double] = [:],
                           weights: [Double]? = nil) throws -> EstimatorResult {
        let parentName = sample.kind == .antler ? MassName.b : MassName.a
        var parent = given
        var how = "MAOS, \(parentName) given"
        var notes: [String] = []
        if given == nil {
            how = "modified MAOS, parent mass = the event's MT2"
            if policy == .endpoint {
                let ends = try MT2Estimator.run(sample: sample, pairing: pairing, chi: chi)
                if let fitted = EndpointWindow.mt2Masses(ends.perEvent, bootstrap: bootstrap, seed: seed, widths: widths,
                                                           weights: weights)
                    .first(where: { $0.name == parentName })?.value {
                    parent = fitted
                    how = String(format: "MAOS, %@ = %.2f GeV from the MT2 endpoint fit for every event", parentName, fitted)
                } else {
                    notes.append("the MT2 endpoint fit gave no \(parentName): parent mass = each event's MT2 instead (modified MAOS)")
                }
            }
        }
        var r = try MAOSEstimator.run(sample: sample, pairing: pairing, parentMass: parent, chi: chi)
        if given == nil, parent != nil { notes.append(how) }
        r.notes = notes + r.notes
        r.masses += masses(r, sample, bootstrap: bootstrap, seed: seed, how: how, weights: weights)
        return r
    }

    /// Peak fit of the mass the MAOS ansatz does not fix: m(b + C) for t-tbar-like samples (M_B;
    /// M_A is an input or equals MT2 by construction) and m(a1 a2 C1 C2) for antler samples (M_D),
    /// over the events in the top `selectedFraction` of the MT2 distribution.
    /// Event `weights` (nil: unweighted) weigh the peak fit's bins.
    public static func masses(_ r: EstimatorResult, _ sample: Sample, bootstrap: Int, seed: UInt32, how: String,
                              weights eventWeights: [Double]? = nil) -> [MassEstimate] {
        guard let c1 = try? r.perEvent.fourVectors(OutputKey.c1), let c2 = try? r.perEvent.fourVectors(OutputKey.c2),
              let mt2 = (r.perEvent[OutputKey.mt2BL] ?? r.perEvent[OutputKey.mt2])?.doubles,
              let cut = Quantile.linear(sorted: mt2.filter { $0.isFinite }.sorted(), 1 - selectedFraction) else { return [] }
        let rebuilt = ParentMasses.rebuild(sample: sample, c1: c1, c2: c2,
                                           pairing: r.perEvent[OutputKey.pairingChosen]?.integers ?? r.perEvent[OutputKey.pairingBL]?.integers)
        let wanted = sample.kind == .antler ? MassName.d : MassName.b
        var out: [MassEstimate] = []
        for (name, values) in rebuilt where name == wanted {
            let perEvent = values.count / max(mt2.count, 1)
            let kept = values.indices.filter { mt2[$0 / perEvent] >= cut && values[$0].isFinite }
            let selected = kept.map { values[$0] }
            let weights = eventWeights.flatMap { w in w.count == mt2.count ? kept.map { w[$0 / perEvent] } : nil }
            if let fit = try? PeakFit.fit(values: selected, weights: weights, options: .init(bootstrap: bootstrap, seed: seed)) {
                out.append(fit.estimate(name: name, how: "\(how): peak of m(\(name.dropFirst(2))) over the top 20% MT2 events"))
            }
        }
        return out
    }
}
