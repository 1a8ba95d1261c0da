import Core
import Detector
import Events
import Formats
import Foundation
import Generation

/// `deelema bench`: one sample, a seeded train/test split, DeeLeMa trained on the train split,
/// every method on the same test split, scored against the truth.
///
/// Writes into the report directory: `test.npz` (the test split, so any number can be redone
/// by hand with `deelema estimate`), `train.npz` (the train split, when a method reads a
/// simulation sample: `kinreco`'s prior), `deelema.model` (when DeeLeMa runs), the figures,
/// `report.md`, and last, atomically, `results.json` (its presence marks a finished bench).
public enum Bench {
    /// A stage of the run and its progress, for progress bars.
    public typealias Progress = (_ stage: String, _ done: Int, _ total: Int) -> Void

    /// File names inside the report directory.
    public static let resultsFile = "results.json"
    public static let reportFile = "report.md"
    public static let testFile = "test.npz"
    public static let trainFile = "train.npz"
    public static let modelFile = "deelema.model"

    /// Runs the bench and returns its report (also written to `options.report`).
    public static func run(_ options: BenchOptions, progress: Progress? = nil) throws -> BenchReport {
        try options.validate()
        try FileOutput.prepareDirectory(options.report)
        if let sample = options.sample {
            for file in [testFile, trainFile, modelFile, reportFile, resultsFile] {
                try InputOverwrite.check(output: (options.report as NSString).appendingPathComponent(file),
                                         inputs: [(role: "the --sample", path: sample)])
            }
        }
        let card = try benchCard(options)
        for w in card.warnings { FileHandle.standardError.write(Data("warning: \(w)\n".utf8)) }
        let methods = try selectMethods(options, kind: card.topology)
        let threads = options.threads > 0 ? options.threads : ProcessInfo.processInfo.activeProcessorCount

        progress?("sample", 0, 1)
        let (sample, detector, smear, isr) = try loadOrGenerate(options, card: card, threads: threads)
        progress?("sample", 1, 1)
        let (trainRows, testRows) = split(count: sample.count, testFraction: options.testFraction, seed: options.seed)
        guard trainRows.count >= 2, testRows.count >= 2 else {
            throw HarnessError.badOption(name: "--events", reason: "\(sample.count) events leave too few for a train/test split")
        }
        let dir = URL(fileURLWithPath: options.report)
        let testPath = dir.appendingPathComponent(testFile).path
        try NPZ.write(sample.selecting(testRows), to: testPath)
        // Every method reads the split back from the file, exactly as `deelema estimate` would.
        let test = try NPZ.readSample(path: testPath, requireTruth: true)
        // Methods that take priors from simulation get the train split (saved, so that the
        // reproduce line can pass it), never the test split they measure.
        var simulation: (sample: Sample, path: String)? = nil
        if try methods.contains(where: { try options.registry.estimator(for: $0).reads.contains(.simulation) }) {
            let trainPath = dir.appendingPathComponent(trainFile).path
            try NPZ.write(sample.selecting(trainRows), to: trainPath)
            simulation = (try NPZ.readSample(path: trainPath, requireTruth: true), trainPath)
        }

        let truth = trueMasses(card)
        var reports: [MethodReport] = []
        var results: [EstimatorResult] = []
        var commands: [String: String] = [:]
        var modelPath: String? = nil
        var trainingNotes: [String] = []
        for method in methods {
            let estimator = try options.registry.estimator(for: method)
            // A method that reads a model gets the DeeLeMa network trained on the train split.
            if estimator.reads.contains(.model) {
                let path = dir.appendingPathComponent(modelFile).path
                do {
                    let out = try DeeLeMaBench.train(sample.selecting(trainRows), settings: options.deelema, pairing: options.pairing,
                                                     mC: card.mass(.C), heaviest: card.topology == .antler ? card.mass(.D) : card.mass(.A),
                                                     seed: options.seed, threads: threads, checkpoint: path) { d, t in
                        progress?("train deelema", d, t)
                    }
                    trainingNotes = out.notes
                    modelPath = path
                } catch {
                    reports.append(failed(method, test.count, "training failed: \(error)"))
                    continue
                }
            }
            progress?("run \(method.rawValue)", 0, 1)
            let methodOptions = self.methodOptions(method, card: card, options: options, model: modelPath,
                                                   simulation: simulation?.sample)
            commands[method.rawValue] = estimateCommand(method, options: methodOptions, testPath: testPath,
                                                        simulationPath: methodOptions.simulation == nil ? nil : simulation?.path)
            do {
                var r = try MethodRunner.run(method, on: test, options: methodOptions, registry: options.registry)
                if estimator.reads.contains(.model) { r.notes = trainingNotes + r.notes }
                reports.append(Evaluation.report(r, on: test, trueMasses: truth))
                results.append(r)
            } catch {
                reports.append(failed(method, test.count, "\(error)"))
            }
            progress?("run \(method.rawValue)", 1, 1)
        }

        let config = BenchReport.Configuration(
            topology: card.name, detector: detector, smearScale: smear, pairing: options.pairing.rawValue, isr: isr,
            events: sample.count, trainEvents: trainRows.count, testEvents: testRows.count, seed: options.seed,
            methods: methods.map(\.rawValue))
        var configuration = config
        if !card.overrides.isEmpty { configuration.cardOverrides = card.overrides }
        let scales = options.sample.map { Self.energyScales(ofSampleAt: $0) } ?? options.energyScales
        if scales.jet != 1 { configuration.jetEnergyScale = scales.jet }
        if scales.lepton != 1 { configuration.leptonEnergyScale = scales.lepton }
        configuration.fitResolution = options.fitResolution?.description
        var report = BenchReport(configuration: configuration, trueMasses: truth, methods: reports, figures: [])
        report.reproduce = commands
        progress?("figures", 0, 1)
        do {
            report.figures = try BenchFigures.draw(results: results, sample: test, trueMasses: truth, directory: options.report,
                                                   widths: endpointWidths(card))
        } catch {
            report.figureError = FoundationErrorText.line(error) ?? "\(error)"
        }
        progress?("figures", 1, 1)
        try FileOutput.writeAtomically(report.markdown(), to: dir.appendingPathComponent(reportFile).path)
        try FileOutput.writeAtomically(try report.json(), to: dir.appendingPathComponent(resultsFile).path)
        return report
    }

    /// The card to score against: `--topology`, or with `--sample` the card its provenance
    /// names. A `--topology` whose content differs from the card the sample was generated from
    /// (the provenance's card digest, which `generate` always writes) is refused: the sample's
    /// events would be scored against another card's masses. A provenance without a digest
    /// (written by hand) identifies no card content; `--topology` is then taken as given.
    static func benchCard(_ o: BenchOptions) throws -> Card {
        guard let path = o.sample else { return try Card.load(nameOrPath: o.topology).applying(o.overrides) }
        let provenance = try NPZ.readHeader(path: path).provenance
        // A sample generated with --set records its changes: they are applied again unless
        // --set is given here.
        var overrides = o.overrides
        if overrides.isEmpty, let recorded = provenance?.extra["card_overrides"], !recorded.isEmpty {
            overrides = try recorded.split(separator: " ").map { text throws(CardError) in try CardOverride(parsing: String(text)) }
        }
        guard let p = provenance, !o.topology.isEmpty else {
            guard let p = provenance else {
                throw HarnessError.badOption(name: "--topology", reason: "sample '\(path)' has no provenance naming its card: pass its --topology")
            }
            let card: Card
            do { card = try Card.load(nameOrPath: p.card).applying(overrides) } catch {
                throw HarnessError.badOption(name: "--topology", reason: "sample '\(path)' names card '\(p.card)', which is not among the bundled cards (\(error)): pass --topology with the path of its card")
            }
            guard p.cardDigest.isEmpty || card.digest == p.cardDigest else {
                throw HarnessError.badOption(name: "--topology", reason: "sample '\(path)' was generated from a card '\(p.card)' with other content (digest \(p.cardDigest)) than the bundled '\(p.card)' (\(card.digest)): pass --topology with the path of its card")
            }
            return card
        }
        let card = try Card.load(nameOrPath: o.topology).applying(overrides)
        guard p.topology == card.topology else {
            throw HarnessError.wrongTopology(file: path, expected: "\(card.name) (\(card.topology.rawValue))", found: p.topology.rawValue)
        }
        guard p.cardDigest.isEmpty || card.digest == p.cardDigest else {
            throw HarnessError.cardConflict(file: path, sampleCard: p.card, topology: o.topology)
        }
        return card
    }

    /// The methods to run: "all" drops those the topology does not support and those that
    /// repeat another's numbers there (`Estimator.repeats`); an explicit list refuses the former.
    static func selectMethods(_ o: BenchOptions, kind: TopologyKind) throws -> [Method] {
        if o.allMethods {
            let runnable = Set(o.registry.all(on: kind))
            return o.methods.filter { runnable.contains($0) }
        }
        for m in o.methods where try !o.registry.estimator(for: m).topologies.contains(kind) {
            throw HarnessError.methodNotForTopology(method: m.rawValue, topology: kind.rawValue)
        }
        return o.methods
    }

    /// The sample (read or generated), and its detector, smearing scale and ISR setting.
    static func loadOrGenerate(_ o: BenchOptions, card: Card, threads: Int) throws -> (Sample, String, Double, Bool) {
        if let path = o.sample {
            let s = try NPZ.read(path: path)
            guard s.kind == card.topology else {
                throw HarnessError.wrongTopology(file: path, expected: "\(card.name) (\(card.topology.rawValue))", found: s.kind.rawValue)
            }
            let checked = try NPZ.readSample(path: path, expecting: card.topology, requireTruth: false)
            // Scoring reads the truth record and, for t-tbar-like samples, the true pairing.
            let needed = Key.truth(card.topology) + (card.topology == .ttbarLike ? [Key.pairing] : [])
            let missing = needed.filter { checked[$0] == nil }
            guard missing.isEmpty else { throw HarnessError.missingTruth(file: path, missing: missing) }
            let p = checked.provenance
            return (checked, p?.detector ?? "unknown", p?.smearScale ?? .nan, p?.isr ?? false)
        }
        let preset = try DetectorPreset(name: o.detector)
        let pipeline = try EventPipeline(card: card, detector: preset, smearScale: o.smearScale, isr: o.isr,
                                         seed: o.seed, threads: threads, energyScales: o.energyScales)
        let s = try pipeline.generateSample(events: o.events)
        return (s, preset.rawValue, o.smearScale, pipeline.truth.isr)
    }

    /// The energy-scale factors recorded in a sample's provenance (nominal when absent).
    static func energyScales(ofSampleAt path: String) -> EnergyScales {
        let extra = (try? NPZ.readHeader(path: path))?.provenance?.extra ?? [:]
        return EnergyScales(jet: extra["jet_energy_scale"].flatMap(Double.init) ?? 1,
                            lepton: extra["lepton_energy_scale"].flatMap(Double.init) ?? 1)
    }

    /// A seeded shuffle of 0..<count cut into (train, test) rows; each part in increasing order.
    public static func split(count: Int, testFraction: Double, seed: UInt64) -> (train: [Int], test: [Int]) {
        var order = Array(0..<count)
        var rng = SplitMix64(seed: seed ^ 0xBE4C_5EED_0000_7E57)
        for i in stride(from: count - 1, to: 0, by: -1) { order.swapAt(i, rng.integer(below: i + 1)) }
        let nTest = min(count, max(0, Int((Double(count) * testFraction).rounded())))
        return (Array(order[nTest...]).sorted(), Array(order[..<nTest]).sorted())
    }

    /// The card's masses by estimate name: t-tbar-like M_A, M_B, M_C; antler M_D, M_B, M_C (GeV).
    public static func trueMasses(_ card: Card) -> [String: Double] {
        switch card.topology {
        case .ttbarLike: [MassName.a: card.mass(.A), MassName.b: card.mass(.B), MassName.c: card.mass(.C)]
        case .antler: [MassName.d: card.mass(.D), MassName.b: card.mass(.B), MassName.c: card.mass(.C)]
        }
    }

    /// The options a method runs with: the card's invisible mass for every method; the card's
    /// masses as the hypothesis of the methods that cannot run without one
    /// (`Estimator.requiresMasses`: kinsolve, antler m2) and nobody else; the model to those
    /// that read one; the simulation sample and `fitResolution` to those that read them.
    public static func methodOptions(_ method: Method, card: Card, options o: BenchOptions, model: String?,
                                     simulation: Sample? = nil) -> MethodOptions {
        let estimator = try? o.registry.estimator(for: method)
        let needsHypothesis = estimator?.requiresMasses(on: card.topology) ?? false
        let heavy = card.topology == .antler ? card.mass(.D) : card.mass(.A)
        var m = MethodOptions(pairing: o.pairing, masses: needsHypothesis ? (heavy, card.mass(.B), card.mass(.C)) : nil,
                              invisibleMass: card.mass(.C), model: estimator?.reads.contains(.model) == true ? model : nil,
                              bootstrap: o.bootstrap, seed: o.fitSeed)
        m.widths = endpointWidths(card)
        if estimator?.reads.contains(.simulation) == true { m.simulation = simulation }
        if estimator?.reads.contains(.fitResolution) == true { m.fitResolution = o.fitResolution }
        return m
    }

    /// The card's widths of the parents whose masses are endpoints (GeV): t-tbar-like M_A and
    /// M_B, antler M_B; the endpoint fits fold them in as a physics input, the way an analysis
    /// takes the known widths of the top and the W.
    public static func endpointWidths(_ card: Card) -> [String: Double] {
        switch card.topology {
        case .ttbarLike: [MassName.a: card.particle(.A).width, MassName.b: card.particle(.B).width]
        case .antler: [MassName.b: card.particle(.B).width]
        }
    }

    /// The `deelema estimate` command that redoes a method's numbers on the saved test split
    /// (with the saved train split as `--simulation` for a method that reads one).
    public static func estimateCommand(_ method: Method, options m: MethodOptions, testPath: String,
                                       simulationPath: String? = nil) -> String {
        var s = "deelema estimate \(testPath) --method \(method.rawValue) --pairing \(m.pairing.rawValue)"
        if let h = m.masses { s += " --masses \(number(h.0)),\(number(h.1)),\(number(h.2))" } else { s += " --mc \(number(m.invisibleMass))" }
        if let model = m.model { s += " --model \(model)" }
        let widths = m.widths.filter { $0.value > 0 }.sorted { $0.key < $1.key }
        if !widths.isEmpty { s += " --widths " + widths.map { "\($0.key)=\(number($0.value))" }.joined(separator: ",") }
        if let simulationPath { s += " --simulation \(simulationPath)" }
        if let fit = m.fitResolution { s += " --fit-resolution \(fit)" }
        s += " --bootstrap \(m.bootstrap) --seed \(m.seed) --output \(method.rawValue).npz"
        return s
    }

    static func number(_ x: Double) -> String { x == x.rounded() && abs(x) < 1e15 ? String(Int(x)) : "\(x)" }

    static func failed(_ method: Method, _ events: Int, _ why: String) -> MethodReport {
        MethodReport(method: method.rawValue, events: events, masses: [], massResolutions: [], invisibleResolutions: [],
                     handledFraction: 0, secondsPerEvent: .nan, notes: ["FAILED: \(why)"])
    }
}
