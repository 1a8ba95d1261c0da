import Foundation

/// `deelema report DIR`: the summary of the finished points of a sweep (`DIR/points/*/results.json`):
/// `summary.json` (every point's estimates), `summary.md` (a table per mass) and one PNG per mass
/// (estimate against the smearing scale, per method, pairing and ISR setting, with error bars).
public struct SummaryReport: Sendable, ReportJSON {
    /// One estimate of one method at one point.
    public struct Entry: Sendable, Codable, Equatable {
        public var point: String
        public var smearScale: Double
        public var pairing: String
        public var isr: Bool
        /// The point's jet energy scale when the sweep varies it (nil otherwise).
        public var jes: Double? = nil
        public var method: String
        public var mass: String
        public var value: Double
        public var uncertainty: Double
        public var truth: Double?
        public var how: String
        public var handledFraction: Double
        public var secondsPerEvent: Double
    }

    public var topology: String
    public var trueMasses: [String: Double]
    /// Finished points, by id (sorted).
    public var points: [String]
    public var entries: [SummaryEntryList]
    public var figures: [String]
    public var uncertaintyNote: String
    /// The resolution the fits assumed at every point (`--fit-resolution`; nil: each point's own).
    public var fitResolution: String? = nil

    public static let jsonFile = "summary.json"
    public static let markdownFile = "summary.md"

    /// Reads every finished point under `directory/points`, writes the summary files into
    /// `directory` and returns the summary.
    public static func assemble(directory: String) throws -> SummaryReport {
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDir) else { throw HarnessError.noSuchDirectory(directory) }
        guard isDir.boolValue else { throw HarnessError.reportIsFile(directory) }
        let pointsDir = (directory as NSString).appendingPathComponent("points")
        let ids = ((try? FileManager.default.contentsOfDirectory(atPath: pointsDir)) ?? []).sorted()
        var reports: [(String, BenchReport)] = []
        for id in ids {
            let file = ((pointsDir as NSString).appendingPathComponent(id) as NSString).appendingPathComponent(Bench.resultsFile)
            guard FileManager.default.fileExists(atPath: file) else { continue }
            do {
                reports.append((id, try BenchReport.decode(Data(contentsOf: URL(fileURLWithPath: file)))))
            } catch {
                throw HarnessError.badResults(file: file, reason: FoundationErrorText.line(error) == nil ? "\(error)" : FoundationErrorText.reason(error))
            }
        }
        guard let first = reports.first?.1 else { throw HarnessError.noFinishedPoints(directory) }
        if let other = reports.first(where: { $0.1.configuration.topology != first.configuration.topology }) {
            throw HarnessError.badResults(file: other.0, reason: "topology \(other.1.configuration.topology) differs from \(first.configuration.topology) of the other points")
        }
        var entries: [Entry] = []
        // The jet energy scale is an axis when any point moved it.
        let jesAxis = reports.contains { $0.1.configuration.jetEnergyScale != nil }
        for (id, r) in reports {
            let c = r.configuration
            for m in r.methods {
                for e in m.masses {
                    // A method with two estimates of one mass (e.g. the antler cusp and MT2 endpoint)
                    // gets one curve per estimate, named by how it was obtained.
                    let twice = m.masses.filter { $0.name == e.name }.count > 1
                    entries.append(Entry(point: id, smearScale: c.smearScale, pairing: c.pairing, isr: c.isr,
                                         jes: jesAxis ? c.jetEnergyScale ?? 1 : nil, method: twice ? "\(m.method) (\(e.how))" : m.method,
                                         mass: e.name, value: e.value, uncertainty: e.uncertainty, truth: e.truth, how: e.how,
                                         handledFraction: m.handledFraction, secondsPerEvent: m.secondsPerEvent))
                }
            }
        }
        var summary = SummaryReport(topology: first.configuration.topology, trueMasses: first.trueMasses,
                                    points: reports.map(\.0), entries: SummaryEntryList.group(entries), figures: [],
                                    uncertaintyNote: first.uncertaintyNote)
        if Set(reports.map(\.1.configuration.fitResolution)).count == 1 { summary.fitResolution = first.configuration.fitResolution }
        summary.figures = try SweepFigure.drawAll(summary, directory: directory)
        try FileOutput.writeAtomically(summary.markdown(), to: (directory as NSString).appendingPathComponent(markdownFile))
        try FileOutput.writeAtomically(try summary.json(), to: (directory as NSString).appendingPathComponent(jsonFile))
        return summary
    }

    /// Tables, one per estimated mass: a row per (method, pairing, ISR), a column per smearing scale.
    public func markdown() -> String {
        var s = "# deelema sweep summary: \(topology)\n\n"
        s += "Finished points: \(points.count). True masses: "
        s += trueMasses.sorted { $0.key < $1.key }.map { "\($0.key) = \(Self.format($0.value)) GeV" }.joined(separator: ", ") + ".\n"
        if let f = fitResolution {
            s += "The resolution-aware fits (nuweight, klfit, kinreco) assume the resolution \(f) at every point "
                + "(--fit-resolution): mis-modelled wherever the smearing differs.\n"
        }
        let scales = Array(Set(entries.flatMap { $0.entries.map(\.smearScale) })).sorted()
        for mass in Array(Set(entries.map(\.mass))).sorted() {
            s += "\n## \(mass) (GeV) against the smearing scale\n\n"
            let jesAxis = entries.contains { $0.jes != nil }
            s += "| method | pairing | ISR | " + (jesAxis ? "JES | " : "") + scales.map { "s = \(SweepPlan.number($0))" }.joined(separator: " | ") + " |\n"
            s += "|---|---|---|" + (jesAxis ? "---|" : "") + String(repeating: "---|", count: scales.count) + "\n"
            for list in entries where list.mass == mass {
                let cells = scales.map { x in
                    list.entries.first { $0.smearScale == x }.map { "\(Self.format($0.value)) ± \(Self.format($0.uncertainty))" } ?? "–"
                }
                s += "| \(list.method) | \(list.pairing) | \(list.isr ? "on" : "off") | " + (jesAxis ? "\(SweepPlan.number(list.jes ?? 1)) | " : "")
                    + cells.joined(separator: " | ") + " |\n"
            }
        }
        s += "\n" + uncertaintyNote + "\n"
        if !figures.isEmpty { s += "\n" + figures.map { "![\($0)](\($0))" }.joined(separator: "\n") + "\n" }
        return s
    }

    static func format(_ x: Double) -> String {
        guard x.isFinite else { return "nan" }
        return String(format: abs(x) >= 100 ? "%.1f" : "%.3g", x)
    }
}

/// The entries of one curve: one method's estimate of one mass at one pairing and ISR setting,
/// ordered by smearing scale.
public struct SummaryEntryList: Sendable, Codable, Equatable {
    public var method: String
    public var mass: String
    public var pairing: String
    public var isr: Bool
    /// The curve's jet energy scale when the sweep varies it.
    public var jes: Double? = nil
    public var entries: [SummaryReport.Entry]

    /// A curve label, e.g. "mt2, unknown pairing, ISR off" (", JES x 1.02" with a JES axis).
    public var label: String { "\(method), \(pairing) pairing\(isr ? ", ISR on" : "")\(jes.map { ", JES x \(SweepPlan.number($0))" } ?? "")" }

    static func group(_ all: [SummaryReport.Entry]) -> [SummaryEntryList] {
        var out: [SummaryEntryList] = []
        for e in all {
            if let k = out.firstIndex(where: { $0.method == e.method && $0.mass == e.mass && $0.pairing == e.pairing && $0.isr == e.isr
                && $0.jes == e.jes }) {
                out[k].entries.append(e)
            } else {
                out.append(SummaryEntryList(method: e.method, mass: e.mass, pairing: e.pairing, isr: e.isr, jes: e.jes, entries: [e]))
            }
        }
        for k in out.indices { out[k].entries.sort { $0.smearScale < $1.smearScale } }
        return out.sorted {
            ($0.mass, $0.method, $0.pairing, $0.isr ? 1 : 0, $0.jes ?? 1) < ($1.mass, $1.method, $1.pairing, $1.isr ? 1 : 0, $1.jes ?? 1)
        }
    }
}
