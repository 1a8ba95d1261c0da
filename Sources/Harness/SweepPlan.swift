import Events
import Foundation

/// The points of a robustness sweep: every (smearing scale, pairing, ISR[, jet energy scale])
/// combination, each a bench in `DIR/points/<id>/`.
public struct SweepPlan: Sendable {
    /// One bench of the sweep.
    public struct Point: Sendable, Equatable {
        public var smearScale: Double
        public var pairing: PairingMode
        public var isr: Bool
        /// The jet energy scale of this point when the sweep has that axis (nil: the base's).
        public var jes: Double? = nil
        /// Directory name: e.g. `smear-0.5_pairing-unknown_isr-off` (`..._jes-1.02` with a JES axis).
        public var id: String {
            "smear-\(SweepPlan.number(smearScale))_pairing-\(pairing.rawValue)_isr-\(isr ? "on" : "off")"
                + (jes.map { "_jes-\(SweepPlan.number($0))" } ?? "")
        }
    }

    /// Shared settings of every point (its `report`, `smearScale`, `pairing` and `isr` are set per point).
    public var base: BenchOptions
    /// The sweep directory.
    public var directory: String
    public var points: [Point]

    /// Parses the sweep lists: `smearScales` "0,0.5,1", `pairings` "true,unknown", `isr` "off,on".
    /// Empty lists, empty entries, duplicates and bad values throw naming the option.
    /// `jes` "0.98,1,1.02" adds the jet energy scale as an axis (nil: no axis, the base's scale).
    public init(base: BenchOptions, directory: String, smearScales: String, pairings: String, isr: String,
                jes: String? = nil) throws {
        let scales = try SweepPlan.list(smearScales, option: "--smear-scale") { text -> Double in
            guard let x = Double(text), x.isFinite, x >= 0 else {
                throw HarnessError.badSweepValue(option: "--smear-scale", value: text, reason: "is not a number >= 0")
            }
            return x
        }
        let pairs = try SweepPlan.list(pairings, option: "--pairing") { text -> PairingMode in
            guard let p = PairingMode(rawValue: text) else {
                throw HarnessError.badSweepValue(option: "--pairing", value: text, reason: "is not 'true' or 'unknown'")
            }
            return p
        }
        let isrs = try SweepPlan.list(isr, option: "--isr") { text -> Bool in
            switch text {
            case "on", "true", "1": return true
            case "off", "false", "0": return false
            default: throw HarnessError.badSweepValue(option: "--isr", value: text, reason: "is not 'on' or 'off'")
            }
        }
        let factors: [Double?] = try jes.map { text in
            try SweepPlan.list(text, option: "--jes-values") { t -> Double? in
                guard let x = Double(t), x.isFinite, x > 0 else {
                    throw HarnessError.badSweepValue(option: "--jes-values", value: t, reason: "is not a factor > 0")
                }
                return x
            }
        } ?? [nil]
        self.base = base
        self.directory = directory
        points = scales.flatMap { s in
            pairs.flatMap { p in isrs.flatMap { i in factors.map { Point(smearScale: s, pairing: p, isr: i, jes: $0) } } }
        }
    }

    /// The bench options of one point (report directory `DIR/points/<id>`).
    public func options(for point: Point) -> BenchOptions {
        var o = base
        o.smearScale = point.smearScale
        o.pairing = point.pairing
        o.isr = point.isr
        if let j = point.jes { o.energyScales.jet = j }
        o.report = pointDirectory(point)
        return o
    }

    public func pointDirectory(_ point: Point) -> String {
        ((directory as NSString).appendingPathComponent("points") as NSString).appendingPathComponent(point.id)
    }

    /// Whether the point's bench finished (its results.json, written last and atomically, exists).
    public func isFinished(_ point: Point) -> Bool {
        FileManager.default.fileExists(atPath: (pointDirectory(point) as NSString).appendingPathComponent(Bench.resultsFile))
    }

    /// One self-contained `bench` command per point (for a Slurm job array or HTCondor), using
    /// `executable` as the program name; paths are made absolute.
    public func commands(executable: String = "deelema") -> [String] {
        points.map { arguments(for: $0, executable: executable).map(SweepPlan.quote).joined(separator: " ") }
    }

    /// The words of one point's `bench` command (see `commands`), unquoted.
    public func arguments(for p: Point, executable: String = "deelema") -> [String] {
        let o = options(for: p)
        var c = [executable, "bench", "--topology", SweepPlan.absolute(o.topology)]
        if let sample = o.sample {
            c += ["--sample", SweepPlan.absolute(sample)]
        } else {
            c += ["--events", "\(o.events)"]
        }
        c += ["--detector", o.detector, "--smear-scale", SweepPlan.number(p.smearScale), "--pairing", p.pairing.rawValue,
              p.isr ? "--isr" : "--no-isr",
              "--methods", o.allMethods ? "all" : o.methods.map(\.rawValue).joined(separator: ","),
              "--seed", "\(o.seed)", "--test-fraction", "\(o.testFraction)", "--bootstrap", "\(o.bootstrap)",
              "--deelema-epochs", "\(o.deelema.epochs)", "--deelema-batch", "\(o.deelema.batchSize)",
              "--deelema-hidden", "\(o.deelema.hidden)", "--deelema-layers", "\(o.deelema.layers)"]
        if let s = o.deelema.scale { c += ["--deelema-scale", "\(s)"] }
        for override in o.overrides { c += ["--set", override.description] }
        if o.energyScales.jet != 1 { c += ["--jes", "\(o.energyScales.jet)"] }
        if o.energyScales.lepton != 1 { c += ["--les", "\(o.energyScales.lepton)"] }
        if o.threads > 0 { c += ["--threads", "\(o.threads)"] }
        if let f = o.fitResolution { c += ["--fit-resolution", f.description] }
        c += ["--report", SweepPlan.absolute(o.report)]
        return c
    }

    static func list<T>(_ text: String, option: String, _ parse: (String) throws -> T) throws -> [T] where T: Equatable {
        let parts = text.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
        guard !parts.isEmpty, !parts.allSatisfy(\.isEmpty) else { throw HarnessError.emptySweepList(option: option) }
        var out: [T] = []
        for p in parts {
            guard !p.isEmpty else { throw HarnessError.badSweepValue(option: option, value: text, reason: "has an empty entry") }
            let v = try parse(p)
            guard !out.contains(v) else { throw HarnessError.badSweepValue(option: option, value: p, reason: "is listed twice") }
            out.append(v)
        }
        return out
    }

    /// Shortest text of a number: 1 -> "1", 0.5 -> "0.5".
    static func number(_ x: Double) -> String { x == x.rounded() && abs(x) < 1e15 ? String(Int(x)) : "\(x)" }

    /// A card name stays a name; a path (or anything with "/" or ".toml"/".npz") is made absolute.
    static func absolute(_ path: String) -> String {
        guard path.contains("/") || path.hasSuffix(".toml") || path.hasSuffix(".npz") || path.hasPrefix(".") else { return path }
        return URL(fileURLWithPath: path).standardizedFileURL.path
    }

    /// A shell word, quoted when needed (`BatchJob.shellQuote`).
    static func quote(_ word: String) -> String { BatchJob.shellQuote(word) }
}
