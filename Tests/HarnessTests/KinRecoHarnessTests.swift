import Events
import Formats
import Generation
import Kinematics
import Foundation
import Testing
@testable import Harness

/// The `kinreco` adapter and the harness's simulation sample and resolution override: the
/// bench hands the method its train split (never the test split it measures), the runner
/// refuses it without a simulation, and `--fit-resolution` reaches the fits. A small K and scan
/// keep the debug build fast; the physics of the reconstruction is tested in BaselinesTests.
@Suite(.serialized) struct KinRecoHarnessTests {
    static let kinreco = Method(rawValue: "kinreco")

    /// The standard registry with a cheap kinreco (K = 10, 5 scan points).
    static var registry: EstimatorRegistry {
        var r = EstimatorRegistry.standard
        r.register(Estimators.KinReco(trials: 10, scanPoints: 5))
        return r
    }

    @Test func benchRunsKinRecoWithItsTrainSplitAsSimulation() throws {
        let dir = try scratchDirectory("kinreco-bench")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        var o = smallBench(dir, methods: [Self.kinreco], events: 300)
        o.registry = Self.registry
        o.testFraction = 0.4  // train and test of different sizes, to tell which one the prior saw
        let report = try Bench.run(o)
        let row = try #require(report.methods.first)
        #expect(row.method == "kinreco" && !row.notes.contains { $0.hasPrefix("FAILED") }, "\(row.notes)")
        // Under CMS smearing the smeared trials find solutions in nearly every event (99.8% at
        // K = 100 in benchmarks/RESULTS.md; K = 10 leaves a few more without).
        #expect(row.handledFraction > 0.8, "\(row.handledFraction)")
        for c in ["C.px", "C.py", "C.pz"] {
            let r = try #require(row.invisibleResolutions.first { $0.name == c })
            #expect(r.events > 0 && r.width68 > 0 && r.width68.isFinite, "\(r)")
        }
        let mA = try #require(row.masses.first { $0.name == MassName.a })
        #expect(mA.value > 0.7 * 172.5 && mA.value < 1.3 * 172.5, "\(mA)")
        // The prior came from the train split: its event count and the note that its events
        // are disjoint from the measured ones of the same generation run.
        let train = report.configuration.trainEvents, test = report.configuration.testEvents
        #expect(train == 180 && test == 120)
        #expect(row.notes.contains { $0.contains("separate simulated sample of \(train) events") && $0.contains("disjoint events") },
                "\(row.notes)")
        let saved = try NPZ.readSample(path: dir + "/" + Bench.trainFile, requireTruth: true)
        #expect(saved.count == train)
        #expect(row.notes.contains { $0.contains("width of B: 2.085 GeV from the card 'ttbar'") }, "\(row.notes)")
        let command = try #require(report.reproduce["kinreco"])
        #expect(command.contains("--simulation \(dir)/\(Bench.trainFile)") && command.contains("--masses 172.5,80.38,0"), "\(command)")
        #expect(!command.contains("--fit-resolution"))

        // The same numbers by hand through the runner with the saved train split.
        let testSplit = try NPZ.readSample(path: dir + "/" + Bench.testFile, requireTruth: true)
        var m = MethodOptions(pairing: .unknown, masses: (172.5, 80.38, 0), bootstrap: 4, seed: 7)
        m.simulation = saved
        let byHand = try MethodRunner.run(Self.kinreco, on: testSplit, options: m, registry: Self.registry)
        #expect(byHand.masses.map(\.value) == row.masses.map(\.value))
        let peak = try #require(byHand.perEvent["m_A_peak"]?.doubles)
        #expect(peak.count == testSplit.count && peak.contains { $0.isFinite })

        // Refused without a simulation sample, and with the measured events themselves as one.
        #expect(throws: MethodError.needsSimulation(method: Self.kinreco)) {
            try MethodRunner.run(Self.kinreco, on: testSplit, options: MethodOptions(masses: (172.5, 80.38, 0)), registry: Self.registry)
        }
        #expect("\(MethodError.needsSimulation(method: Self.kinreco))".contains("--simulation"))
        m.simulation = testSplit
        do {
            _ = try MethodRunner.run(Self.kinreco, on: testSplit, options: m, registry: Self.registry)
            Issue.record("kinreco ran with a prior from the measured sample")
        } catch {
            #expect("\(error)".contains("built from the sample being measured"), "\(error)")
        }

        // The resolution override reaches the fit: its notes name the assumed model, and
        // assuming no smearing on a smeared sample changes the per-event momenta.
        m.simulation = saved
        m.fitResolution = try FitResolution(parsing: "ideal:0")
        let ideal = try MethodRunner.run(Self.kinreco, on: testSplit, options: m, registry: Self.registry)
        #expect(ideal.notes.contains("resolution model assumed by --fit-resolution ideal:0 (not the sample's provenance)"))
        #expect(ideal.notes.contains { $0.hasPrefix("resolution model ideal x 0.0") }, "\(ideal.notes)")
        #expect(try ideal.perEvent.fourVectors(OutputKey.c1) != byHand.perEvent.fourVectors(OutputKey.c1))
        m.fitResolution = try FitResolution(parsing: "cms:2")
        let wide = try MethodRunner.run(Self.kinreco, on: testSplit, options: m, registry: Self.registry)
        #expect(wide.notes.contains { $0.hasPrefix("resolution model cms x 2.0") }, "\(wide.notes)")
        // A sample without provenance: the fits ask for --fit-resolution; with it kinreco runs,
        // and with no card to read the W width from it takes m_B narrow and says so.
        var bare = testSplit.selecting(Array(0..<20))
        bare.provenance = nil
        var b = MethodOptions(pairing: .unknown, masses: (172.5, 80.38, 0), bootstrap: 2, seed: 7)
        b.simulation = saved
        for name in ["kinreco", "nuweight", "klfit"] {
            do {
                _ = try MethodRunner.run(Method(rawValue: name), on: bare, options: b, registry: Self.registry)
                Issue.record("\(name) ran without a resolution model")
            } catch {
                #expect("\(error)".contains("--fit-resolution PRESET:SCALE"), "\(name): \(error)")
            }
        }
        b.fitResolution = try FitResolution(parsing: "cms:1")
        let narrow = try MethodRunner.run(Self.kinreco, on: bare, options: b, registry: Self.registry)
        #expect(narrow.notes.contains { $0.hasPrefix("width of B: 0 (narrow") }, "\(narrow.notes)")
        #expect(narrow.notes.contains { $0.contains("Breit-Wigner(80.38, 0.0)") }, "\(narrow.notes)")
        // nuweight and klfit take the same override (their notes carry the model's summary).
        let few = testSplit.selecting(Array(0..<12))
        for name in ["nuweight", "klfit"] {
            var n = MethodOptions(pairing: .unknown, masses: (172.5, 80.38, 0), bootstrap: 2, seed: 7)
            n.fitResolution = try FitResolution(parsing: "cms:2")
            let r = try MethodRunner.run(Method(rawValue: name), on: few, options: n)
            #expect(r.notes.first == "resolution model assumed by --fit-resolution cms:2 (not the sample's provenance)", "\(r.notes)")
            #expect(r.notes.contains { $0.contains("cms x 2.0") }, "\(name): \(r.notes)")
            let plain = try MethodRunner.run(Method(rawValue: name), on: few,
                                             options: MethodOptions(pairing: .unknown, masses: (172.5, 80.38, 0), bootstrap: 2, seed: 7))
            #expect(plain.notes.contains { $0.contains("cms x 1.0") } && !plain.notes.contains { $0.contains("--fit-resolution") },
                    "\(name): \(plain.notes)")
        }
    }

    @Test func fitResolutionParsingSaysWhatIsWrong() throws {
        let ok = try FitResolution(parsing: "CMS:0.5")
        #expect(ok.preset == .cms && ok.scale == 0.5 && ok.description == "cms:0.5")
        #expect(try FitResolution(parsing: "atlas:1").description == "atlas:1")
        let cases: [(String, String)] = [
            ("cms", "wants PRESET:SCALE"), ("cms:", "wants PRESET:SCALE"), (":1", "wants PRESET:SCALE"),
            ("cms:1:2", "wants PRESET:SCALE"), ("lhcb:1", "unknown preset 'lhcb'"), ("cms:x", "scale 'x'"),
            ("cms:-1", "finite number >= 0"), ("cms:inf", "finite number >= 0"),
        ]
        for (text, message) in cases {
            do {
                _ = try FitResolution(parsing: text)
                Issue.record("'\(text)' parsed")
            } catch {
                #expect("\(error)".contains("--fit-resolution") && "\(error)".contains(message), "\(text): \(error)")
            }
        }
    }

    /// The override travels with the bench's options into the fits' options, the reproduce
    /// line and every sweep point's command; methods that do not read it do not get it.
    @Test func fitResolutionReachesOptionsCommandsAndSweepPoints() throws {
        var o = smallBench("/tmp/none", methods: [.mt2, Self.kinreco])
        o.registry = Self.registry
        o.fitResolution = try FitResolution(parsing: "cms:1")
        let card = try Card.load(nameOrPath: "ttbar")
        let k = Bench.methodOptions(Self.kinreco, card: card, options: o, model: nil)
        let mt2 = Bench.methodOptions(.mt2, card: card, options: o, model: nil)
        #expect(k.fitResolution == o.fitResolution && mt2.fitResolution == nil)
        for name in ["nuweight", "klfit"] {
            #expect(Bench.methodOptions(Method(rawValue: name), card: card, options: o, model: nil).fitResolution == o.fitResolution)
        }
        #expect(Bench.estimateCommand(Self.kinreco, options: k, testPath: "t.npz", simulationPath: "s.npz")
            .contains("--simulation s.npz --fit-resolution cms:1"))
        let plan = try SweepPlan(base: o, directory: "/tmp/sweep", smearScales: "0,1,2", pairings: "unknown", isr: "off")
        for p in plan.points {
            let words = plan.arguments(for: p)
            let i = try #require(words.firstIndex(of: "--fit-resolution"))
            #expect(words[i + 1] == "cms:1")
        }
        #expect(BenchReport.Configuration(topology: "ttbar", detector: "cms", smearScale: 2, pairing: "unknown", isr: false,
                                          events: 10, trainEvents: 5, testEvents: 5, seed: 1, methods: []).fitResolution == nil)
    }

    /// A sweep with `--fit-resolution cms:1`: at smearing scale 0 the fits still assume the CMS
    /// resolution (mis-modelled on purpose), at scale 2 too; without it each point's own model.
    @Test func sweepWithFitResolutionMisModelsEveryPoint() throws {
        let dir = try scratchDirectory("kinreco-sweep")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        var o = smallBench(dir, methods: [Self.kinreco], events: 300)
        o.registry = Self.registry
        o.fitResolution = try FitResolution(parsing: "cms:1")
        let plan = try SweepPlan(base: o, directory: dir, smearScales: "0,2", pairings: "unknown", isr: "off")
        let outcome = try Sweep.run(plan)
        #expect(outcome.ran.count == 2 && outcome.summary.fitResolution == "cms:1")
        #expect(outcome.summary.markdown().contains("assume the resolution cms:1 at every point"))
        for p in plan.points {
            let report = try BenchReport.decode(Data(contentsOf: URL(fileURLWithPath: plan.pointDirectory(p) + "/" + Bench.resultsFile)))
            #expect(report.configuration.fitResolution == "cms:1" && report.configuration.smearScale == p.smearScale)
            let row = try #require(report.methods.first)
            #expect(row.notes.contains { $0.hasPrefix("resolution model cms x 1.0") }, "\(p.id): \(row.notes)")
            #expect(report.reproduce["kinreco"]?.contains("--fit-resolution cms:1") == true)
        }
        // Without the override the scale-2 point is fitted with its own model.
        o.fitResolution = nil
        o.report = dir + "/own"
        o.smearScale = 2
        let own = try Bench.run(o)
        #expect(own.methods.first?.notes.contains { $0.hasPrefix("resolution model cms x 2.0") } == true, "\(own.methods)")
    }

    /// `deelema calibrate` hands a method that reads `.simulation` one nominal sample per run: the
    /// card at its nominal masses (not the point's), of another seed than every point's sample.
    @Test func calibrationPassesOneNominalSimulationSample() throws {
        let dir = try scratchDirectory("kinreco-calibrate")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        var registry = EstimatorRegistry.standard
        registry.register(SimulationProbe())
        var o = CalibrationOptions(topology: "ttbar", masses: [169.5, 175.5], report: dir)
        o.methods = [Method(rawValue: "simprobe")]
        o.registry = registry
        o.pseudoExperiments = 2
        o.eventsPerExperiment = 100
        o.jesShift = 0
        o.bootstrap = 2
        o.threads = 2
        o.seed = 3
        let report = try #require(try Calibration.run(o))
        #expect(report.plan.simulationEvents == 20000 && report.plan.simulationSeed == Calibration.simulationSeed(3))
        for p in try Calibration.allPoints(o) { #expect(Calibration.seed(3, p) != Calibration.simulationSeed(3)) }
        let probe = try #require(report.methods.first)
        #expect(probe.points.count == 2 && probe.handled == 1, "\(probe)")
        // Both points (true m_A 169.5 and 175.5 GeV) saw the same nominal simulation: the median
        // true m_A of 40000 Breit-Wigner (172.5, 1.4 GeV) parents, within 0.1 GeV of 172.5.
        for p in probe.points { #expect(abs(p.mean - 172.5) < 0.1 && p.spread == 0, "\(p)") }
        #expect(report.markdown().contains("one nominal sample of 20000 events"))
    }
}

/// Test only: its "M_A" is the median true parent mass of the simulation sample it is given;
/// it refuses a simulation of the measured sample's seed.
struct SimulationProbe: Estimator {
    var method: Method { Method(rawValue: "simprobe") }
    var summary: String { "test only: the median true m_A of the simulation sample" }
    var topologies: Set<TopologyKind> { [.ttbarLike] }
    var reads: EstimatorInputs { [.simulation] }

    func run(on sample: Sample, options: MethodOptions) throws -> EstimatorResult {
        let sim = try #require(options.simulation)
        try #require(sim.provenance?.seed != sample.provenance?.seed)
        let a1 = try sim.fourVectors(Key.trueA1), a2 = try sim.fourVectors(Key.trueA2)
        let masses = (0..<sim.count).flatMap { i in [FourVector(a1, row: i).mass, FourVector(a2, row: i).mass] }.sorted()
        let median = 0.5 * (masses[masses.count / 2 - 1] + masses[masses.count / 2])
        return EstimatorResult(method: method.rawValue, perEvent: Sample(kind: sample.kind, provenance: sample.provenance),
                               masses: [MassEstimate(name: MassName.a, value: median, uncertainty: 1, how: "median true m_A of the simulation")])
    }
}
