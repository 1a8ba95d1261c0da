import Core
import Detector
import Events
import Formats
import Foundation
import Generation

/// `deelema calibrate`: how a physicist judges a mass estimator. For each true mass of the
/// scanned parameter one sample is generated (its own seed, derived from the run's seed and the
/// point) and cut into disjoint pseudo-experiments; every method measures the mass on every
/// pseudo-experiment (DeeLeMa trains on each one first, as it would on data); then per method
/// the calibration line, its closure, the statistical precision at the pseudo-experiment size,
/// the pull width of its own uncertainty and the calibrated shift under a jet energy scale
/// moved up and down at the reference mass.
///
/// Each point's results are written to `points/ID.json` when it is finished, so a killed run
/// resumes where it stopped and a batch system can run the points as separate tasks
/// (`onlyPoint`, `plan`); the report is assembled once every point is there.
public enum Calibration {
    public static let pointsDirectory = "points"
    public static let planFile = "calibration-plan.json"
    public static let resultsFile = "calibration.json"
    public static let reportFile = "report.md"

    /// The scanned parameter and the estimate name it calibrates (`A.mass` -> `M_A`).
    static func target(_ o: CalibrationOptions, card: Card) throws -> (parameter: String, estimate: String, reference: Double) {
        let parameter = o.parameter ?? (card.topology == .antler ? "D.mass" : "A.mass")
        let parts = parameter.split(separator: ".")
        guard parts.count == 2, parts[1] == "mass", let role = Role(rawValue: String(parts[0])),
              Role.required(for: card.topology).contains(role), role != .C, role != .a, role != .b else {
            throw HarnessError.badOption(name: "--parameter", reason: "must be the mass of a decaying particle of \(card.topology.rawValue) (A.mass, B.mass or D.mass), got '\(parameter)'")
        }
        return (parameter, "M_\(role.rawValue)", card.mass(role))
    }

    /// The points: every mass, then the JES points at the reference mass.
    static func points(_ o: CalibrationOptions, reference: Double) -> [CalibrationPoint] {
        var out = Array(Set(o.masses)).sorted().map { CalibrationPoint(id: "mass-\(Bench.number($0))", trueMass: $0, jes: 1) }
        if o.jesShift > 0 {
            out.append(CalibrationPoint(id: "jes-down", trueMass: reference, jes: 1 - o.jesShift))
            out.append(CalibrationPoint(id: "jes-up", trueMass: reference, jes: 1 + o.jesShift))
        }
        return out
    }

    /// The seed of a point's sample: the run's seed hashed with the point's true mass and JES,
    /// so that adding a mass point leaves the others' samples as they were.
    static func seed(_ seed: UInt64, _ p: CalibrationPoint) -> UInt64 {
        SeedHasher.splitMix64(SeedHasher.splitMix64(seed ^ p.trueMass.bitPattern) ^ p.jes.bitPattern)
    }

    /// Events of the nominal simulation sample handed to methods that take priors from
    /// simulation (`kinreco`'s m(a b) prior).
    static let simulationEvents = 20000

    /// Its seed: derived from the run's seed, distinct from every point's (those hash a true mass in).
    static func simulationSeed(_ seed: UInt64) -> UInt64 { SeedHasher.splitMix64(seed ^ 0x5117_0000_0000_5EED) }

    /// The simulation sample: the card at its nominal masses through the run's detector, once
    /// per run, separate from every pseudo-experiment.
    static func simulationSample(_ o: CalibrationOptions, card: Card) throws -> Sample {
        let threads = o.threads > 0 ? o.threads : ProcessInfo.processInfo.activeProcessorCount
        let pipeline = try EventPipeline(card: card, detector: try DetectorPreset(name: o.detector), smearScale: o.smearScale,
                                         seed: simulationSeed(o.seed), threads: threads)
        return try pipeline.generateSample(events: simulationEvents)
    }

    static func pointPath(_ report: String, _ id: String) -> String {
        ((report as NSString).appendingPathComponent(pointsDirectory) as NSString).appendingPathComponent("\(id).json")
    }

    /// Every point of the calibration `o` describes, in run order.
    public static func allPoints(_ o: CalibrationOptions) throws -> [CalibrationPoint] {
        let card = try Card.load(nameOrPath: o.topology).applying(o.overrides)
        return points(o, reference: try target(o, card: card).reference)
    }

    /// The points without results in `o.report`.
    public static func unfinished(_ o: CalibrationOptions) throws -> [CalibrationPoint] {
        let card = try Card.load(nameOrPath: o.topology).applying(o.overrides)
        let t = try target(o, card: card)
        return points(o, reference: t.reference).filter { !FileManager.default.fileExists(atPath: pointPath(o.report, $0.id)) }
    }

    /// Runs the unfinished points (or `onlyPoint`) and, once every point is finished, writes the
    /// report; returns it (nil when points are still missing).
    public static func run(_ o: CalibrationOptions, progress: Bench.Progress? = nil) throws -> CalibrationReport? {
        try o.validate()
        let card = try Card.load(nameOrPath: o.topology).applying(o.overrides)
        let t = try target(o, card: card)
        for m in o.methods where try !o.registry.estimator(for: m).topologies.contains(card.topology) {
            throw HarnessError.methodNotForTopology(method: m.rawValue, topology: card.topology.rawValue)
        }
        _ = try DetectorPreset(name: o.detector)  // checked up front, also when every point reads a file
        let all = points(o, reference: t.reference)
        if let only = o.onlyPoint, !all.contains(where: { $0.id == only }) {
            throw HarnessError.badOption(name: "--point", reason: "'\(only)' is not a point of this calibration (\(all.map(\.id).joined(separator: ", ")))")
        }
        if let bad = o.samples.keys.sorted().first(where: { id in !all.contains { $0.id == id } }) {
            throw HarnessError.badOption(name: "--sample", reason: "'\(bad)' is not a point of this calibration (\(all.map(\.id).joined(separator: ", ")))")
        }
        // Every given sample is checked before any work: its topology and its size.
        for (id, path) in o.samples.sorted(by: { $0.key < $1.key }) {
            let rows = try NPZ.readHeader(path: path).rows
            if rows < o.eventsPerExperiment {
                throw HarnessError.badOption(name: "--events-per-experiment",
                                             reason: "\(o.eventsPerExperiment) events per pseudo-experiment is more than the \(rows) of the sample for \(id) (\(path))")
            }
        }
        try FileOutput.prepareDirectory(o.report)
        try FileOutput.prepareDirectory((o.report as NSString).appendingPathComponent(pointsDirectory))
        let readsSimulation = try o.methods.contains { try o.registry.estimator(for: $0).reads.contains(.simulation) }
        var plan = CalibrationPlan(card: card.name, parameter: t.parameter, estimate: t.estimate, reference: t.reference,
                                   points: all, methods: o.methods.map(\.rawValue), pseudoExperiments: o.pseudoExperiments,
                                   eventsPerExperiment: o.eventsPerExperiment, detector: o.detector, smearScale: o.smearScale,
                                   pairing: o.pairing.rawValue, seed: o.seed, jesShift: o.jesShift,
                                   overrides: card.overrides, toolVersion: ToolInfo.version,
                                   samples: o.samples.isEmpty ? nil : o.samples,
                                   fitResolution: o.fitResolution?.description)
        if readsSimulation { plan.simulationEvents = simulationEvents; plan.simulationSeed = simulationSeed(o.seed) }
        let planPath = (o.report as NSString).appendingPathComponent(planFile)
        if let existing = try? CalibrationPlan.decode(Data(contentsOf: URL(fileURLWithPath: planPath))),
           existing != plan {
            throw HarnessError.badOption(name: "--report", reason: "\(o.report) holds a calibration with other settings (\(planPath)); use another directory")
        }
        try FileOutput.writeAtomically(try plan.json(), to: planPath)
        var simulation: Sample? = nil
        for point in all where o.onlyPoint == nil || point.id == o.onlyPoint {
            let path = pointPath(o.report, point.id)
            if FileManager.default.fileExists(atPath: path) { continue }
            if simulation == nil, readsSimulation {
                progress?("simulation: generate \(simulationEvents) nominal events", 0, 1)
                simulation = try simulationSample(o, card: card)
            }
            let result = try runPoint(point, o, card: card, parameter: t.parameter, target: t.estimate,
                                      simulation: simulation, progress: progress)
            try FileOutput.writeAtomically(try result.json(), to: path)
        }
        return try assemble(directory: o.report)
    }

    /// One point: its sample, its pseudo-experiments, every method on each.
    static func runPoint(_ point: CalibrationPoint, _ o: CalibrationOptions, card base: Card, parameter: String,
                         target: String, simulation: Sample?, progress: Bench.Progress?) throws -> CalibrationPointResult {
        let card = try base.applying([CardOverride(key: parameter, value: point.trueMass)])
        let threads = o.threads > 0 ? o.threads : ProcessInfo.processInfo.activeProcessorCount
        let n = o.eventsPerExperiment
        let sample: Sample
        if let path = o.samples[point.id] {
            progress?("\(point.id): read \(path)", 0, 1)
            sample = try NPZ.readSample(path: path, expecting: card.topology, requireTruth: false)
        } else {
            progress?("\(point.id): generate", 0, 1)
            let pipeline = try EventPipeline(card: card, detector: try DetectorPreset(name: o.detector), smearScale: o.smearScale,
                                             seed: seed(o.seed, point), threads: threads, energyScales: EnergyScales(jet: point.jes))
            sample = try pipeline.generateSample(events: n * o.pseudoExperiments)
        }
        let k = min(o.pseudoExperiments, sample.count / n)
        var bench = BenchOptions(topology: card.name, events: n, report: o.report)
        bench.pairing = o.pairing
        bench.bootstrap = o.bootstrap
        bench.seed = o.seed
        bench.deelema = o.deelema
        bench.registry = o.registry
        bench.fitResolution = o.fitResolution
        var perMethod: [String: CalibrationPointResult.MethodRuns] = [:]
        for method in o.methods { perMethod[method.rawValue] = .init(estimates: [], uncertainties: [], seconds: 0, notes: []) }
        for e in 0..<k {
            let experiment = sample.selecting(Array(e * n..<(e + 1) * n))
            for (j, method) in o.methods.enumerated() {
                // One stage per point, counted in method runs: a bar (or log lines) with a rate
                // and the time left over the whole point.
                progress?("\(point.id): \(k) pseudo-experiments x \(o.methods.count) methods", e * o.methods.count + j, k * o.methods.count)
                let start = Date()
                var value: Double? = nil, error: Double? = nil
                var notes: [String] = []
                do {
                    var model: String? = nil
                    // A method that reads a model gets DeeLeMa trained on this pseudo-experiment.
                    if try o.registry.estimator(for: method).reads.contains(.model) {
                        // A scratch checkpoint beside the point results (`*.model`, not `*.json`: a
                        // run killed in training leaves nothing that looks like a point result).
                        let path = ((o.report as NSString).appendingPathComponent(pointsDirectory) as NSString)
                            .appendingPathComponent("\(point.id).training.model")
                        defer { try? FileManager.default.removeItem(atPath: path) }
                        _ = try DeeLeMaBench.train(experiment, settings: o.deelema, pairing: o.pairing, mC: card.mass(.C),
                                                   heaviest: card.topology == .antler ? card.mass(.D) : card.mass(.A),
                                                   seed: SeedHasher.splitMix64(seed(o.seed, point) &+ UInt64(e)),
                                                   threads: threads, checkpoint: path, progress: nil)
                        model = path
                        let r = try MethodRunner.run(method, on: experiment,
                                                     options: Bench.methodOptions(method, card: card, options: bench, model: model, simulation: simulation),
                                                     registry: o.registry)
                        (value, error) = pick(r, target)
                    } else {
                        let r = try MethodRunner.run(method, on: experiment,
                                                     options: Bench.methodOptions(method, card: card, options: bench, model: nil, simulation: simulation),
                                                     registry: o.registry)
                        (value, error) = pick(r, target)
                    }
                } catch {
                    notes.append("pseudo-experiment \(e): \(error)")
                }
                var runs = perMethod[method.rawValue]!
                runs.estimates.append(value)
                runs.uncertainties.append(error)
                runs.seconds += Date().timeIntervalSince(start)
                runs.notes += notes
                perMethod[method.rawValue] = runs
            }
        }
        progress?("\(point.id): \(k) pseudo-experiments x \(o.methods.count) methods", k * o.methods.count, k * o.methods.count)
        var result = CalibrationPointResult(point: point, events: n, pseudoExperiments: k, methods: perMethod)
        if let path = o.samples[point.id] {
            result.source = path
            if k < o.pseudoExperiments {
                for key in result.methods.keys { result.methods[key]!.notes.append("the sample \(path) holds \(sample.count) events: \(k) pseudo-experiments") }
            }
        }
        return result
    }

    /// The estimate named `target` of a result and its quoted uncertainty (nil when absent or not finite).
    static func pick(_ r: EstimatorResult, _ target: String) -> (Double?, Double?) {
        guard let m = r.masses.first(where: { $0.name == target }), m.value.isFinite else { return (nil, nil) }
        return (m.value, m.uncertainty.isFinite && m.uncertainty > 0 ? m.uncertainty : nil)
    }

    /// Reads the plan and the point results in `directory` and writes `report.md`,
    /// `calibration.json` and the figures; nil (nothing written) while points are missing.
    public static func assemble(directory: String) throws -> CalibrationReport? {
        let planPath = (directory as NSString).appendingPathComponent(planFile)
        let plan: CalibrationPlan
        do {
            plan = try CalibrationPlan.decode(Data(contentsOf: URL(fileURLWithPath: planPath)))
        } catch {
            throw HarnessError.badResults(file: planPath, reason: "not a calibration plan: \(FoundationErrorText.line(error) ?? "\(error)")")
        }
        var results: [CalibrationPointResult] = []
        var missing: [String] = []
        for p in plan.points {
            let path = pointPath(directory, p.id)
            guard FileManager.default.fileExists(atPath: path) else { missing.append(p.id); continue }
            do {
                results.append(try CalibrationPointResult.decode(Data(contentsOf: URL(fileURLWithPath: path))))
            } catch {
                throw HarnessError.badResults(file: path, reason: "\(error)")
            }
        }
        guard missing.isEmpty else { return nil }
        let report = CalibrationReport(plan: plan, results: results)
        var withFigures = report
        do {
            withFigures.figures = try CalibrationFigures.draw(report, directory: directory)
        } catch {
            withFigures.figureError = "\(error)"
        }
        try FileOutput.writeAtomically(Data(withFigures.markdown().utf8), to: (directory as NSString).appendingPathComponent(reportFile))
        try FileOutput.writeAtomically(try withFigures.json(),
                                       to: (directory as NSString).appendingPathComponent(resultsFile))
        return withFigures
    }

    /// The points of the calibration in `directory` without results.
    public static func missingPoints(directory: String) throws -> [String] {
        let plan = try CalibrationPlan.decode(Data(contentsOf: URL(fileURLWithPath: (directory as NSString).appendingPathComponent(planFile))))
        return plan.points.map(\.id).filter { !FileManager.default.fileExists(atPath: pointPath(directory, $0)) }
    }

    /// Points still to run, as `deelema calibrate ... --point ID` lines (for a batch system),
    /// given the command line that set up this calibration without `--plan`.
    public static func planCommands(_ o: CalibrationOptions, baseCommand: String) throws -> [String] {
        try unfinished(o).map { "\(baseCommand) --point \($0.id)" }
    }
}

/// The settings of a calibration, written beside its points so that `deelema report` can
/// assemble it and a resumed run can tell that the directory holds the same calibration.
public struct CalibrationPlan: Sendable, ReportJSON, Equatable {
    public var card: String
    public var parameter: String
    public var estimate: String
    public var reference: Double
    public var points: [CalibrationPoint]
    public var methods: [String]
    public var pseudoExperiments: Int
    public var eventsPerExperiment: Int
    public var detector: String
    public var smearScale: Double
    public var pairing: String
    public var seed: UInt64
    public var jesShift: Double
    public var overrides: [String]
    public var toolVersion: String
    /// Sample files used instead of generating, by point id (nil: every point generated).
    public var samples: [String: String]? = nil
    /// The resolution the fits assumed, `--fit-resolution` PRESET:SCALE (nil: each sample's provenance).
    public var fitResolution: String? = nil
    /// Events and seed of the nominal simulation sample given to methods that take priors from
    /// simulation (nil: no such method).
    public var simulationEvents: Int? = nil, simulationSeed: UInt64? = nil
}

/// What every method measured on every pseudo-experiment of one point (nil: no estimate).
public struct CalibrationPointResult: Sendable, ReportJSON {
    public struct MethodRuns: Sendable, Codable {
        public var estimates: [Double?]
        public var uncertainties: [Double?]
        /// Wall time over all pseudo-experiments (DeeLeMa: training included), seconds.
        public var seconds: Double
        public var notes: [String]
    }
    public var point: CalibrationPoint
    public var events: Int
    public var pseudoExperiments: Int
    public var methods: [String: MethodRuns]
    /// The sample file used instead of generating (nil: generated).
    public var source: String? = nil
}
