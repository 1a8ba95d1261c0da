import Baselines
import Events
import Foundation
import Kinematics

/// The PNG figures of a bench (gnuplot): per method, its reconstructed parent-mass distributions
/// against the true ones, and its MT2/M2-type distributions with the fitted endpoints; across
/// methods, the invisible-momentum residuals per component.
enum BenchFigures {
    /// Draws every figure into `directory`; returns the file names written.
    /// `widths`: the Breit-Wigner widths the endpoint fits folded in, by estimate name.
    static func draw(results: [EstimatorResult], sample: Sample, trueMasses: [String: Double], directory: String,
                     widths: [String: Double] = [:]) throws -> [String] {
        var names: [String] = []
        let truthSeries = trueMassDistributions(sample)
        let trueMarkers = trueMasses.filter { $0.key != MassName.c || $0.value > 0 }.sorted { $0.key < $1.key }
            .map { Figure.Marker(label: "true \(label($0.key)) = \(format($0.value)) GeV", x: $0.value, isTruth: true) }
        for r in results {
            let estimates = r.masses.map { Figure.Marker(label: "\(r.method) \(label($0.name)) = \(format($0.value)) ± \(format($0.uncertainty)) GeV", x: $0.value) }
            if let c1 = try? r.perEvent.fourVectors(OutputKey.c1), let c2 = try? r.perEvent.fourVectors(OutputKey.c2) {
                let pairing = r.perEvent[OutputKey.pairingChosen]?.integers ?? r.perEvent[OutputKey.pairingBL]?.integers
                let rebuilt = ParentMasses.rebuild(sample: sample, c1: c1, c2: c2, pairing: pairing)
                    .map { role, values in
                        // MAOS with a parent mass rebuilds exactly that mass: a spike that is its input.
                        let label = "\(r.method): reconstructed m(\(role.dropFirst(2)))"
                        return Figure.Series(label: isConstant(values) ? label + " = its input parent mass (a spike by construction)" : label,
                                             values: values)
                    }
                if !rebuilt.isEmpty {
                    let name = "\(r.method)_masses.png"
                    let fig = Figure(title: "\(r.method): parent masses from its invisible-momentum ansatz vs truth",
                                     xLabel: "invariant mass (GeV)", series: rebuilt + truthSeries,
                                     markers: trueMarkers + estimates, range: massRange(trueMasses))
                    try fig.write(to: (directory as NSString).appendingPathComponent(name))
                    names.append(name)
                }
            }
            let variables = r.perEvent.keys.filter { k in
                (k.hasPrefix("mt2") || k.hasPrefix("m2") || k == OutputKey.ma1a2) && r.perEvent[k]?.shape.count == 1
            }
            let series = variables.compactMap { k in r.perEvent[k]?.doubles.map { Figure.Series(label: k, values: $0) } }
            if !series.isEmpty {
                var fig = Figure(title: "\(r.method): per-event variables",
                                 xLabel: "variable (GeV)", series: series, markers: trueMarkers + estimates,
                                 range: massRange(trueMasses))
                // Only the fits behind this method's estimates: others would show numbers it did not report.
                // Variable -> the estimate its fit gave, for the width that fit folded in.
                var fitted: [String: String] = [:]
                for m in r.masses { if let v = m.how.split(separator: " ").first { fitted[normalised(String(v))] = m.name } }
                fig.curves = series.enumerated().compactMap { k, s in
                    fitted[normalised(s.label)].flatMap {
                        endpointCurve(s, index: k, width: widths[$0] ?? 0, weights: sample[Key.weight]?.doubles)
                    }
                }
                fig.title += fig.curves.isEmpty ? " (no endpoint fit gave an estimate)" : ", endpoint fits over their windows"
                let name = "\(r.method)_distributions.png"
                try fig.write(to: (directory as NSString).appendingPathComponent(name))
                names.append(name)
                // The same on a log axis: the tail beyond the endpoint that a linear one hides.
                fig.logY = true
                fig.title += " (log scale)"
                let logName = "\(r.method)_distributions_log.png"
                try fig.write(to: (directory as NSString).appendingPathComponent(logName))
                names.append(logName)
            }
        }
        for (k, component) in ["px", "py", "pz"].enumerated() {
            let series = results.compactMap { r -> Figure.Series? in
                guard let res = residuals(r, sample, component: k + 1) else { return nil }
                return Figure.Series(label: r.method, values: res)
            }
            guard !series.isEmpty else { continue }
            let name = "invisible_residuals_\(component).png"
            let fig = Figure(title: "invisible momentum residuals, \(component) (both chains)",
                             xLabel: "estimated - true C \(component) (GeV)", series: series,
                             markers: [Figure.Marker(label: "zero", x: 0)])
            try fig.write(to: (directory as NSString).appendingPathComponent(name))
            names.append(name)
        }
        return names
    }

    /// The endpoint fit of an MT2/M2-type variable (the window and model of the mass estimates)
    /// as a curve over its window; nil for other variables or when the fit fails.
    static func endpointCurve(_ s: Figure.Series, index: Int, width: Double = 0, weights: [Double]? = nil) -> Figure.Curve? {
        guard s.label.hasPrefix("mt2") || s.label.hasPrefix("m2"),
              let fit = EndpointWindow.fit(s.values, width: width, weights: weights) else { return nil }
        let label = "\(s.label) fit: endpoint \(format(fit.endpoint)) GeV, window \(format(fit.window.lowerBound))-\(format(fit.window.upperBound)) GeV"
        return Figure.Curve(label: label, window: fit.window, series: index) { x in fit.density(at: x) }
    }

    /// A variable's name without case and punctuation: "mt2_bl" and "MT2(bl)" compare equal.
    static func normalised(_ name: String) -> String { name.lowercased().filter { $0.isLetter || $0.isNumber } }

    /// Whether a per-event quantity does not vary (68% half-width below a micro-GeV).
    static func isConstant(_ values: [Double]) -> Bool {
        let finite = values.filter(\.isFinite)
        guard let lo = Statistics.quantile(finite, 0.16), let hi = Statistics.quantile(finite, 0.84) else { return false }
        return 0.5 * (hi - lo) < 1e-6
    }

    /// Per-event true parent masses from the truth record, pooled over both chains.
    static func trueMassDistributions(_ sample: Sample) -> [Figure.Series] {
        let roles: [(String, [String])] = sample.kind == .antler
            ? [("D", [Key.trueD]), ("B", [Key.trueB1, Key.trueB2])]
            : [("A", [Key.trueA1, Key.trueA2]), ("B", [Key.trueB1, Key.trueB2])]
        return roles.compactMap { role, keys in
            let values = keys.compactMap { SampleSummary.masses(sample, $0) }.flatMap { $0 }
            return values.isEmpty ? nil : Figure.Series(label: "truth m(\(role))", values: values)
        }
    }

    /// Residuals (estimate - truth) of one component (1 px, 2 py, 3 pz) of C1, C2, both chains.
    static func residuals(_ r: EstimatorResult, _ sample: Sample, component k: Int) -> [Double]? {
        guard let c1 = try? r.perEvent.fourVectors(OutputKey.c1), let c2 = try? r.perEvent.fourVectors(OutputKey.c2),
              let t1 = try? sample.fourVectors(Key.trueC1), let t2 = try? sample.fourVectors(Key.trueC2),
              c1.count == t1.count, c2.count == t2.count else { return nil }
        var out: [Double] = []
        out.reserveCapacity(c1.count / 2)
        for i in 0..<(c1.count / 4) {
            out.append(c1[4 * i + k] - t1[4 * i + k])
            out.append(c2[4 * i + k] - t2[4 * i + k])
        }
        return out
    }

    /// From 0 to 1.6 times the heaviest true mass: every mass, variable and endpoint in view.
    static func massRange(_ truth: [String: Double]) -> (Double, Double)? {
        guard let top = truth.values.max(), top > 0 else { return nil }
        return (0, 1.6 * top)
    }

    static func label(_ name: String) -> String { name }
    static func format(_ x: Double) -> String { String(format: abs(x) >= 100 ? "%.1f" : "%.3g", x) }
}
