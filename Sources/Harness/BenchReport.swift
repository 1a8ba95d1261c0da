import Events
import Foundation

/// The configuration and results of one `deelema bench` run: written as `results.json`
/// (every number) and `report.md` (the table).
public struct BenchReport: Sendable, ReportJSON {
    public struct Configuration: Sendable, Codable, Equatable {
        public var topology: String
        public var detector: String
        public var smearScale: Double
        public var pairing: String
        public var isr: Bool
        public var events: Int
        public var trainEvents: Int
        public var testEvents: Int
        public var seed: UInt64
        public var methods: [String]
        public var toolVersion: String = ToolInfo.version
        /// Card changes given with `--set` (nil: none).
        public var cardOverrides: [String]? = nil
        /// Jet and lepton energy-scale factors of the sample's detector (nil: nominal).
        public var jetEnergyScale: Double? = nil
        public var leptonEnergyScale: Double? = nil
        /// The resolution the fits assumed, `--fit-resolution` PRESET:SCALE (nil: each sample's provenance).
        public var fitResolution: String? = nil

        public init(topology: String, detector: String, smearScale: Double, pairing: String, isr: Bool,
                    events: Int, trainEvents: Int, testEvents: Int, seed: UInt64, methods: [String]) {
            self.topology = topology; self.detector = detector; self.smearScale = smearScale
            self.pairing = pairing; self.isr = isr; self.events = events; self.trainEvents = trainEvents
            self.testEvents = testEvents; self.seed = seed; self.methods = methods
        }
    }

    public var configuration: Configuration
    /// True masses of the card (GeV), e.g. "M_A": 172.5.
    public var trueMasses: [String: Double]
    public var methods: [MethodReport]
    /// Figure file names relative to the report directory.
    public var figures: [String]
    /// Per method, the `deelema estimate` command that recomputes its numbers on the saved test split.
    public var reproduce: [String: String] = [:]
    /// Why the figures could not be drawn (nil when they were).
    public var figureError: String? = nil
    /// The uncertainty convention, stated in every report.
    public var uncertaintyNote: String =
        "Uncertainties of the fitted masses (endpoint, peak, cusp, scan) are statistical only: bootstrap over the test events. "
        + "DeeLeMa's is the spread of its learned mass over the last epochs and against the per-event masses (no bootstrap; repeat seeds for a statistical one)."

    public init(configuration: Configuration, trueMasses: [String: Double], methods: [MethodReport], figures: [String]) {
        self.configuration = configuration; self.trueMasses = trueMasses; self.methods = methods; self.figures = figures
    }

    /// The full markdown report: the table, the notes of every method, the figures and the
    /// `deelema estimate` commands that reproduce each row.
    public func markdown() -> String {
        var s = table()
        let notes = methods.flatMap { m in m.notes.map { "- \(m.method): \($0)" } }
        if !notes.isEmpty { s += "\nNotes:\n" + notes.joined(separator: "\n") + "\n" }
        if !figures.isEmpty { s += "\nFigures:\n" + figures.map { "- ![\($0)](\($0))" }.joined(separator: "\n") + "\n" }
        if let figureError { s += "\nFigures could not be drawn: \(figureError)\n" }
        if !reproduce.isEmpty {
            s += "\nEach row is reproduced on the saved test split by:\n\n```\n"
            s += methods.compactMap { reproduce[$0.method] }.joined(separator: "\n") + "\n```\n"
        }
        return s
    }

    /// The heading and the table of docs/physics.md#harness (what `deelema bench` prints).
    public func table() -> String {
        let c = configuration
        var s = "# deelema bench: \(c.topology), detector \(c.detector) x \(fmt(c.smearScale)), pairing \(c.pairing)"
        s += c.isr ? ", ISR on\n\n" : "\n\n"
        s += "Events: \(c.trainEvents) train, \(c.testEvents) test; seed \(c.seed); deelema \(c.toolVersion).\n"
        if let o = c.cardOverrides { s += "Card changed with --set " + o.joined(separator: " ") + ".\n" }
        if c.jetEnergyScale != nil || c.leptonEnergyScale != nil {
            s += "Energy scales: jets x \(fmt(c.jetEnergyScale ?? 1)), leptons x \(fmt(c.leptonEnergyScale ?? 1)).\n"
        }
        if let f = c.fitResolution { s += "The resolution-aware fits assume the resolution \(f) (--fit-resolution), not the sample's.\n" }
        s += "True masses: " + trueMasses.sorted { $0.key < $1.key }.map { "\($0.key) = \($0.value) GeV" }.joined(separator: ", ") + ".\n\n"
        s += "| method | mass estimates (GeV) | bias (GeV) | per-event mass resolution (GeV) | invisible p resolution px/py/pz (GeV) | handled | time/event |\n"
        s += "|---|---|---|---|---|---|---|\n"
        var echoed = false
        for m in methods {
            // DeeLeMa's ± is not a statistical uncertainty (see the note): labelled in the cell.
            let label = (try? EstimatorRegistry.standard.estimator(for: Method(rawValue: m.method)))?.uncertaintyLabel.map { " (\($0))" } ?? ""
            let est = m.masses.map { "\($0.name) \(fmt($0.value)) ± \(fmt($0.uncertainty))\(label)" }.joined(separator: "<br>")
            let bias = m.masses.map { b in b.bias.map { "\(b.name) \(signed($0))\(significance($0, b.uncertainty))" } ?? "\(b.name) n/a" }
                .joined(separator: "<br>")
            let mres = m.massResolutions.map { r -> String in
                guard !Self.isEchoedInput(r) else { echoed = true; return "\(r.name) –¹" }
                return "\(r.name) \(fmt(r.width68))"
            }.joined(separator: "<br>")
            let comps = ["C.px", "C.py", "C.pz"].compactMap { n in m.invisibleResolutions.first { $0.name == n } }
            let inv = comps.isEmpty ? "–" : comps.map { fmt($0.width68) }.joined(separator: " / ")
            s += "| \(m.method) | \(est.isEmpty ? "–" : est) | \(bias.isEmpty ? "–" : bias) | \(mres.isEmpty ? "–" : mres) | \(inv) | "
            s += String(format: "%.1f%%", 100 * m.handledFraction) + " | " + time(m.secondsPerEvent) + " |\n"
        }
        s += "\n" + uncertaintyNote + " Resolutions are half the 16-84% range of (estimate - truth). "
        s += "A bias is followed by its size in units of the uncertainty (σ: the bootstrap's; for DeeLeMa its training spread).\n"
        if echoed {
            s += "\n¹ An input echoed back: the method returns this mass as given (MAOS's parent mass without a fit), "
            s += "so its per-event spread measures nothing.\n"
        }
        return s
    }

    /// A per-event mass that does not vary (its 68% half-width below a micro-GeV) is an input
    /// returned as given, not a measurement: MAOS's parent mass showed 5.68e-14 GeV.
    static func isEchoedInput(_ r: Resolution) -> Bool { r.width68.isFinite && abs(r.width68) < 1e-6 }

    /// " (2.3σ)" for a bias and a finite positive uncertainty, else "".
    private func significance(_ bias: Double, _ sigma: Double) -> String {
        guard sigma.isFinite, sigma > 0, bias.isFinite else { return "" }
        return String(format: " (%.1fσ)", abs(bias) / sigma)
    }

    private func fmt(_ x: Double) -> String {
        guard x.isFinite else { return "nan" }
        return abs(x) >= 100 ? String(format: "%.1f", x) : String(format: "%.3g", x)
    }
    private func signed(_ x: Double) -> String { (x >= 0 ? "+" : "") + fmt(x) }
    private func time(_ t: Double) -> String {
        guard t.isFinite else { return "–" }
        if t >= 1e-3 { return String(format: "%.2f ms", t * 1e3) }
        if t >= 1e-6 { return String(format: "%.2f µs", t * 1e6) }
        return String(format: "%.0f ns", t * 1e9)
    }
}
