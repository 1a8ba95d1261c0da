import ArgumentParser
import Detector
import Generation
import Harness

/// Options shared by `bench` and `sweep`.
struct BenchArguments: ParsableArguments {
    @Option(help: "Card name in topologies/ (ttbar, toy, stop, hww, antler_toy) or a path to a .toml card (bench --sample: default the sample's card).")
    var topology: String?

    @Option(help: "Events to generate (train + test).")
    var events: Int = 20000

    @Option(help: "Detector preset: ideal (no smearing; the default here and in generate), atlas or cms.")
    var detector: DetectorPreset = .ideal

    @Option(help: ArgumentHelp("Methods: all, or a comma-separated list of " + Method.allCases.map(\.rawValue).joined(separator: ", ") + "."))
    var methods: String = "all"

    @OptionGroup var seedOption: SeedOption

    @Option(help: "Fraction of the events in the test split (the rest trains DeeLeMa).")
    var testFraction: Double = 0.5

    @Option(help: "Bootstrap replicates of every fit (statistical uncertainties).")
    var bootstrap: Int = 30

    @Option(help: "DeeLeMa training epochs.")
    var deelemaEpochs: Int = DeeLeMaBenchSettings().epochs

    @Option(help: "DeeLeMa batch size.")
    var deelemaBatch: Int = DeeLeMaBenchSettings().batchSize

    @Option(help: "DeeLeMa hidden width (the reference: 256).")
    var deelemaHidden: Int = DeeLeMaBenchSettings().hidden

    @Option(help: "DeeLeMa hidden blocks (the reference: 5).")
    var deelemaLayers: Int = DeeLeMaBenchSettings().layers

    @Option(help: "DeeLeMa momentum scale in GeV (default: power of ten at or below the heaviest parent mass).")
    var deelemaScale: Double?

    @OptionGroup var threadsOption: ThreadsOption

    @OptionGroup var changes: SampleChanges

    @Option(help: ArgumentHelp("Resolution the fits nuweight, klfit and kinreco assume, PRESET:SCALE (e.g. cms:1), instead of each sample's provenance; in a sweep every smearing point is then fitted with that model.",
                               valueName: "preset:scale"),
            transform: { try FitResolution(parsing: $0) })
    var fitResolution: FitResolution?

    func validate() throws {
        _ = try Method.parseList(methods)
    }

    /// The bench options (report directory, smearing, pairing and ISR set by the caller).
    func options(report: String) throws -> BenchOptions {
        var o = BenchOptions(topology: topology ?? "", events: events, report: report)
        o.detector = detector.rawValue
        o.methods = try Method.parseList(methods)
        o.allMethods = methods == "all"
        o.seed = seedOption.seed
        o.testFraction = testFraction
        o.bootstrap = bootstrap
        o.deelema.epochs = deelemaEpochs
        o.deelema.batchSize = deelemaBatch
        o.deelema.hidden = deelemaHidden
        o.deelema.layers = deelemaLayers
        o.deelema.scale = deelemaScale
        // Unset stays 0 (all cores of the machine that runs it): a `sweep --plan` line must not
        // carry the planning machine's core count to a batch node.
        o.threads = threadsOption.planned
        o.overrides = try changes.cardOverrides()
        o.energyScales = changes.energyScales
        o.fitResolution = fitResolution
        return o
    }
}
