import ArgumentParser
import Foundation
import Detector
import Events
import Generation
import Harness

struct CalibrateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "calibrate",
        abstract: "Calibrate the methods' mass estimates with pseudo-experiments at several true masses, and their JES shift.",
        discussion: """
        For each true mass of --parameter (default: the parent's, A.mass or D.mass) one sample is \
        generated and cut into --pseudo-experiments disjoint pseudo-experiments of \
        --events-per-experiment events; every method measures the mass on each (DeeLeMa trains on each \
        one first, as it would on data, with the bench's recipe). Per method: the calibration line \
        (mean estimate = offset + slope (m_true - m_ref), m_ref the card's value), its closure, the \
        calibrated statistical precision of one pseudo-experiment, the pull width of the method's own \
        uncertainty, and the calibrated shift with the jet energy scale moved to 1 +- --jes-shift at m_ref \
        (the JES systematic). Writes DIR/report.md, DIR/calibration.json and figures (calibration.png, \
        closure.png, pulls.png, precision_vs_jes.png).

        Finished points (DIR/points/ID.json) are skipped: a killed run resumes. --plan prints one command \
        per unfinished point (each runs that point with --point ID, e.g. as a Slurm array task); \
        afterwards `deelema report DIR` assembles the report.

        Examples:
          deelema calibrate --topology ttbar --masses 166.5,169.5,172.5,175.5,178.5 --report out/cal
          deelema calibrate --topology ttbar --masses 170,172.5,175 --pseudo-experiments 5 \\
              --events-per-experiment 1000 --methods mt2,massscan --report out/cal_small
        """)

    @Option(help: "Card name or path.")
    var topology: String

    @Option(help: "Comma-separated true masses of --parameter (GeV), at least two.")
    var masses: String

    @Option(help: "The scanned card value: A.mass, B.mass or D.mass (default: A.mass, antler D.mass).")
    var parameter: String?

    @Option(help: "Disjoint pseudo-experiments per mass point.")
    var pseudoExperiments: Int = 20

    @Option(help: "Events per pseudo-experiment.")
    var eventsPerExperiment: Int = 2000

    @Option(help: "Detector preset: ideal (as for generate and bench), atlas or cms; a calibration for an analysis wants its detector, e.g. cms.")
    var detector: DetectorPreset = .ideal

    @Option(help: "Multiplies every resolution of the preset.")
    var smearScale: Double = 1

    @OptionGroup var pairingOption: PairingOption

    @Option(help: ArgumentHelp("Comma-separated methods: " + Method.allCases.filter { $0 != .kinsolve }.map(\.rawValue).joined(separator: ", ") + " (kinsolve estimates no mass)."))
    var methods: String = "mt2,massscan,m2,deelema"

    @Option(help: "Relative jet-energy-scale shift of the JES points (0: none).")
    var jesShift: Double = 0.02

    @OptionGroup var seedOption: SeedOption

    @Option(help: "Bootstrap replicates of each method's own uncertainty on each pseudo-experiment.")
    var bootstrap: Int = 10

    @Option(help: "DeeLeMa training epochs (the bench's recipe otherwise).")
    var deelemaEpochs: Int = DeeLeMaBenchSettings().epochs

    @Option(name: .customLong("set"), help: "Change a card value before the scan: KEY=VALUE (ROLE.mass, ROLE.width, sqrt_s); repeatable.")
    var overrides: [String] = []

    @OptionGroup var threadsOption: ThreadsOption

    @Option(help: ArgumentHelp("Resolution the fits nuweight, klfit and kinreco assume, PRESET:SCALE (e.g. cms:1), instead of each sample's provenance.",
                               valueName: "preset:scale"),
            transform: { try FitResolution(parsing: $0) })
    var fitResolution: FitResolution?
    /// 0: all cores of the machine that runs each point.
    var threads: Int { threadsOption.planned }

    @Option(help: "Run only this point (mass-172.5, jes-up, jes-down), as a batch task does.")
    var point: String?

    @Option(help: "Use a sample file for a point instead of generating it: POINT=FILE.npz (e.g. mass-172.5=imported.npz); repeatable.")
    var sample: [String] = []

    @Flag(help: "Print one command per unfinished point and run nothing.")
    var plan = false

    @Option(help: "Print a batch submission instead of running: slurm (a script with a job array of the unfinished points and `deelema report` as a dependent job) or condor.")
    var emit: BatchSystem?

    @Option(help: "Calibration directory.")
    var report: String

    func options() throws -> CalibrationOptions {
        let list = try masses.split(separator: ",").map { text -> Double in
            guard let m = Double(text.trimmingCharacters(in: .whitespaces)) else {
                throw ValidationError("--masses: '\(text)' is not a number of GeV")
            }
            return m
        }
        var o = CalibrationOptions(topology: topology, masses: list, report: report)
        o.parameter = parameter
        o.pseudoExperiments = pseudoExperiments
        o.eventsPerExperiment = eventsPerExperiment
        o.detector = detector.rawValue
        o.smearScale = smearScale
        o.pairing = pairingOption.pairing
        o.methods = try Method.parseList(methods)
        o.jesShift = jesShift
        o.seed = seedOption.seed
        o.bootstrap = bootstrap
        o.deelema.epochs = deelemaEpochs
        o.overrides = try overrides.map { text throws(CardError) in try CardOverride(parsing: text) }
        o.threads = threads
        o.onlyPoint = point
        o.fitResolution = fitResolution
        for text in sample {
            let parts = text.split(separator: "=", maxSplits: 1)
            guard parts.count == 2 else { throw ValidationError("--sample: expected POINT=FILE, e.g. mass-172.5=imported.npz, got '\(text)'") }
            o.samples[String(parts[0])] = String(parts[1])
        }
        return o
    }

    func run() throws {
        let o: CalibrationOptions
        do {
            o = try options()
            try o.validate()
        } catch let e as ValidationError {
            throw e
        } catch {
            throw RunFailure(description: "calibrate: \(RunFailure.text(error))")
        }
        if let emit {
            try emitBatch(o, emit)
            return
        }
        if plan {
            // The same command line without --plan, with absolute paths, plus --point per task.
            let words = batchWords(executable: CommandLine.arguments.first.map {
                $0.contains("/") ? URL(fileURLWithPath: $0).standardizedFileURL.path : $0 } ?? "deelema")
            do {
                for line in try Calibration.planCommands(o, baseCommand: words.map(BatchJob.shellQuote).joined(separator: " ")) { print(line) }
            } catch {
                throw RunFailure(description: "calibrate: \(RunFailure.text(error))")
            }
            return
        }
        let bars = StageBars()
        let report: CalibrationReport?
        do {
            report = try Calibration.run(o) { stage, done, total in bars.update(stage, done, total) }
        } catch {
            bars.finish()
            throw RunFailure(description: "calibrate: \(RunFailure.text(error))")
        }
        bars.finish()
        guard let report else {
            let missing = (try? Calibration.missingPoints(directory: self.report)) ?? []
            print("point \(point ?? "?") finished; still missing: \(missing.joined(separator: ", ")). `deelema report \(self.report)` assembles the report once every point is done.")
            return
        }
        print(report.markdown())
        print("report: \(self.report)/\(Calibration.reportFile), numbers: \(self.report)/\(Calibration.resultsFile), figures: "
              + report.figures.joined(separator: ", "))
    }
}
