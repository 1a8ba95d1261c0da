import Foundation

/// The numbers a calibration answers with, per method (GeV): the calibration line, its closure,
/// the calibrated statistical precision at the pseudo-experiment size, the pull width of the
/// method's own uncertainty, the calibrated JES shifts, the handled fraction and the time.
public struct CalibrationReport: Sendable, ReportJSON {
    /// One method at one point.
    public struct PointStatistics: Sendable, Codable {
        public var id: String
        public var trueMass: Double
        public var jes: Double
        /// Pseudo-experiments with an estimate, and all of them.
        public var measured: Int
        public var total: Int
        /// Mean estimate, its standard error, and the spread (standard deviation) over
        /// pseudo-experiments: the statistical precision at this size before calibration.
        public var mean: Double
        public var meanError: Double
        public var spread: Double
        /// Mean of the method's own quoted uncertainty (nan when it quotes none).
        public var meanQuoted: Double
        /// Standard deviation of (estimate - mean) / quoted uncertainty: 1 when the quoted
        /// uncertainty is the statistical one (nan without quoted uncertainties).
        public var pullWidth: Double
        /// Calibrated mean minus the true mass, and its standard error (mass points only).
        public var closure: Double?
        public var closureError: Double?
        /// The pulls, for the figure.
        public var pulls: [Double]
    }

    public struct MethodCalibration: Sendable, Codable {
        public var method: String
        public var points: [PointStatistics]
        /// nil when fewer than two mass points gave estimates.
        public var calibration: LinearCalibration?
        /// Spread at the reference mass / slope: the calibrated statistical precision of one
        /// pseudo-experiment (GeV).
        public var precision: Double?
        /// Pull width at the reference mass point, and the mean over mass points.
        public var pullWidth: Double?
        /// Calibrated mass at JES up / down minus that at nominal JES, and their errors (GeV).
        public var jesUp: Double?
        public var jesDown: Double?
        public var jesUpError: Double?
        public var jesDownError: Double?
        /// Half the calibrated difference between JES up and down: the JES systematic (GeV),
        /// and its statistical error (the two shifts' errors in quadrature, halved).
        public var jesSystematic: Double?
        public var jesSystematicError: Double? = nil
        /// Fraction of all pseudo-experiments with an estimate.
        public var handled: Double
        /// Mean wall time per pseudo-experiment (s; DeeLeMa: training included).
        public var secondsPerExperiment: Double
        public var notes: [String]
    }

    public var plan: CalibrationPlan
    public var methods: [MethodCalibration]
    public var figures: [String] = []
    public var figureError: String? = nil

    public init(plan: CalibrationPlan, results: [CalibrationPointResult]) {
        self.plan = plan
        methods = plan.methods.map { Self.method($0, plan: plan, results: results) }
    }

    static func method(_ name: String, plan: CalibrationPlan, results: [CalibrationPointResult]) -> MethodCalibration {
        var stats: [PointStatistics] = []
        var measured = 0, total = 0, seconds = 0.0
        var notes: [String] = []
        for r in results {
            guard let runs = r.methods[name] else { continue }
            total += runs.estimates.count
            seconds += runs.seconds
            notes += runs.notes.prefix(3).map { "\(r.point.id): \($0)" }
            let pairs = zip(runs.estimates, runs.uncertainties).compactMap { e, u in e.map { ($0, u) } }
            measured += pairs.count
            let values = pairs.map(\.0)
            guard values.count >= 2, let mean = Statistics.mean(values), let sd = Statistics.standardDeviation(values) else {
                if values.count < 2 { notes.append("\(r.point.id): \(values.count) of \(runs.estimates.count) pseudo-experiments gave \(plan.estimate)") }
                continue
            }
            let quoted = pairs.compactMap(\.1)
            let pulls = pairs.compactMap { e, u in u.map { (e - mean) / $0 } }
            stats.append(PointStatistics(id: r.point.id, trueMass: r.point.trueMass, jes: r.point.jes, measured: values.count,
                                         total: runs.estimates.count, mean: mean, meanError: sd / Double(values.count).squareRoot(),
                                         spread: sd, meanQuoted: Statistics.mean(quoted) ?? .nan,
                                         pullWidth: pulls.count >= 2 ? Statistics.standardDeviation(pulls) ?? .nan : .nan,
                                         closure: nil, closureError: nil, pulls: pulls))
        }
        let massPoints = stats.filter { $0.jes == 1 }
        let calibration = LinearCalibration(points: massPoints.map { .init(trueMass: $0.trueMass, estimate: $0.mean, error: $0.meanError) },
                                            reference: plan.reference)
        var out = MethodCalibration(method: name, points: stats, calibration: calibration, precision: nil, pullWidth: nil,
                                    jesUp: nil, jesDown: nil, jesUpError: nil, jesDownError: nil, jesSystematic: nil,
                                    handled: total > 0 ? Double(measured) / Double(total) : 0,
                                    secondsPerExperiment: total > 0 ? seconds / Double(total) : .nan, notes: notes)
        guard let c = calibration, c.slope != 0 else {
            if !massPoints.isEmpty || stats.isEmpty { out.notes.append("no calibration: fewer than two mass points with estimates of \(plan.estimate)") }
            return out
        }
        for k in out.points.indices where out.points[k].jes == 1 {
            out.points[k].closure = c.calibrated(out.points[k].mean) - out.points[k].trueMass
            out.points[k].closureError = out.points[k].meanError / abs(c.slope)
        }
        let nominal = massPoints.min { abs($0.trueMass - plan.reference) < abs($1.trueMass - plan.reference) }
        if let n = nominal {
            out.precision = n.spread / abs(c.slope)
            out.pullWidth = n.pullWidth.isFinite ? n.pullWidth : nil
            // The JES points are at the reference mass: their shift is taken against the
            // calibrated nominal at that mass (the line), so a reference outside the scan works too.
            let centre = c.offset
            if let up = stats.first(where: { $0.id == "jes-up" }) {
                out.jesUp = c.calibratedShift(up.mean - centre)
                out.jesUpError = (up.meanError * up.meanError + c.offsetError * c.offsetError).squareRoot() / abs(c.slope)
            }
            if let down = stats.first(where: { $0.id == "jes-down" }) {
                out.jesDown = c.calibratedShift(down.mean - centre)
                out.jesDownError = (down.meanError * down.meanError + c.offsetError * c.offsetError).squareRoot() / abs(c.slope)
            }
            if let u = out.jesUp, let d = out.jesDown, let eu = out.jesUpError, let ed = out.jesDownError {
                out.jesSystematic = 0.5 * (u - d)
                out.jesSystematicError = 0.5 * (eu * eu + ed * ed).squareRoot()
            }
        }
        return out
    }

    /// report.md: the settings, one row per method, the per-point tables.
    public func markdown() -> String {
        let p = plan
        var s = "# deelema calibrate: \(p.card), \(p.estimate) (card value \(p.parameter)), detector \(p.detector) x \(f(p.smearScale)), pairing \(p.pairing)\n\n"
        s += "\(p.pseudoExperiments) pseudo-experiments of \(p.eventsPerExperiment) events at each of \(p.points.filter { $0.jes == 1 }.map { f($0.trueMass) }.joined(separator: ", ")) GeV"
        s += p.jesShift > 0 ? "; JES x \(f(1 - p.jesShift)) and x \(f(1 + p.jesShift)) at \(f(p.reference)) GeV" : ""
        s += "; seed \(p.seed); deelema \(p.toolVersion)."
        if !p.overrides.isEmpty { s += " Card changed with --set \(p.overrides.joined(separator: " "))." }
        if let f = p.fitResolution { s += " The resolution-aware fits assume the resolution \(f) (--fit-resolution), not the samples'." }
        if let n = p.simulationEvents, let seed = p.simulationSeed {
            s += " Priors from simulation (kinreco's m(a b)): one nominal sample of \(n) events at the card's masses, seed \(seed)."
        }
        s += "\n\nCalibration line: mean estimate = offset + slope (m_true - \(f(p.reference)) GeV), weighted by the error of each mean. "
        s += "Precision: the spread of the estimates over pseudo-experiments at the reference mass divided by the slope, i.e. the statistical uncertainty of one calibrated measurement on \(p.eventsPerExperiment) events. "
        s += "Pull width: standard deviation of (estimate - mean) / the method's own uncertainty (1 when that uncertainty is the statistical one). "
        s += "Closure: calibrated mean minus true mass per point (its largest |value| below). "
        s += "JES: calibrated mass with the jet energy scale moved up / down minus the calibrated nominal, and half their difference. "
        s += "Every ± is statistical (the pseudo-experiment spread), not a systematic.\n\n"
        s += "| method | slope | offset (GeV) | chi2/dof | precision (GeV) | pull width | max \\|closure\\| (GeV) | JES up / down (GeV) | JES syst. (GeV) | handled | time / PE |\n"
        s += "|---|---|---|---|---|---|---|---|---|---|---|\n"
        for m in methods {
            guard let c = m.calibration else {
                s += "| \(m.method) | – | – | – | – | – | – | – | – | \(pct(m.handled)) | \(t(m.secondsPerExperiment)) |\n"
                continue
            }
            let closure = m.points.compactMap { pt in pt.closure.map { (abs($0), pt.closureError ?? .nan) } }.max { $0.0 < $1.0 }
            let jes = [(m.jesUp, m.jesUpError), (m.jesDown, m.jesDownError)]
                .map { v, e in v.map { "\(sf($0)) ± \(f(e ?? .nan))" } ?? "–" }.joined(separator: " / ")
            s += "| \(m.method) | \(f(c.slope, 3)) ± \(f(c.slopeError, 3)) | \(f(c.offset)) ± \(f(c.offsetError)) | "
            s += "\(f(c.chi2, 1))/\(c.degreesOfFreedom) | \(m.precision.map { f($0) } ?? "–") | \(m.pullWidth.map { f($0) } ?? "–") | "
            s += "\(closure.map { "\(f($0.0)) ± \(f($0.1))" } ?? "–") | \(jes) | "
            s += "\(m.jesSystematic.map { "\(f($0)) ± \(f(m.jesSystematicError ?? .nan))" } ?? "–") | "
            s += "\(pct(m.handled)) | \(t(m.secondsPerExperiment)) |\n"
        }
        for m in methods where !m.points.isEmpty {
            s += "\n### \(m.method)\n\n| point | true mass | JES | measured | mean estimate | spread | mean quoted ± | pull width | closure |\n|---|---|---|---|---|---|---|---|---|\n"
            for pt in m.points {
                s += "| \(pt.id) | \(f(pt.trueMass)) | \(f(pt.jes)) | \(pt.measured)/\(pt.total) | \(f(pt.mean)) ± \(f(pt.meanError)) | \(f(pt.spread)) | "
                s += "\(pt.meanQuoted.isFinite ? f(pt.meanQuoted) : "–") | \(pt.pullWidth.isFinite ? f(pt.pullWidth) : "–") | "
                s += "\(pt.closure.map { "\(sf($0)) ± \(f(pt.closureError ?? .nan))" } ?? "–") |\n"
            }
            for note in m.notes.prefix(6) { s += "\nNote: \(note)" }
            if !m.notes.isEmpty { s += "\n" }
        }
        if !figures.isEmpty { s += "\nFigures: " + figures.map { "`\($0)`" }.joined(separator: ", ") + ".\n" }
        if let e = figureError { s += "\nFigures could not be drawn: \(e)\n" }
        return s
    }

    private func f(_ x: Double, _ digits: Int = 2) -> String { x.isFinite ? String(format: "%.\(digits)f", x) : "nan" }
    private func sf(_ x: Double) -> String { x.isFinite ? String(format: "%+.2f", x) : "nan" }
    private func pct(_ x: Double) -> String { String(format: "%.0f%%", 100 * x) }
    private func t(_ s: Double) -> String { s.isFinite ? (s < 1 ? String(format: "%.0f ms", 1000 * s) : String(format: "%.1f s", s)) : "–" }
}
