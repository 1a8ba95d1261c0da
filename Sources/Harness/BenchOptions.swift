import Detector
import Events
import Generation

/// Everything one `deelema bench` run needs. Masses and momenta in GeV.
public struct BenchOptions: Sendable {
    /// Card name in `topologies/` or a path to a `.toml` card; empty with `sample`: the card
    /// the sample's provenance names.
    public var topology: String
    /// Events to generate (ignored with `sample`): train + test.
    public var events: Int
    /// Detector preset: ideal, atlas or cms.
    public var detector: String = "cms"
    /// Multiplies every resolution of the preset (0: no smearing).
    public var smearScale: Double = 1
    /// How every method treats the a/b pairing.
    public var pairing: PairingMode = .unknown
    /// ISR on or off; nil takes the card's setting.
    public var isr: Bool? = nil
    /// The methods known (default: the package's); `methods` names entries of it.
    public var registry: EstimatorRegistry = .standard
    /// Methods to run; with `allMethods` cut to those the topology supports (`EstimatorRegistry.all(on:)`).
    public var methods: [Method] = Method.allCases
    /// Whether `methods` came from "all" (unsupported methods are then skipped, not refused).
    public var allMethods: Bool = true
    /// Seed of the generation, the train/test split, the bootstraps and the DeeLeMa training.
    public var seed: UInt64 = 1
    /// An existing sample (.npz with truth) to use instead of generating one; its provenance's
    /// card is used, and a conflicting `topology` refused.
    public var sample: String? = nil
    /// Fraction of the events in the test split (the rest trains DeeLeMa).
    public var testFraction: Double = 0.5
    /// Bootstrap replicates of every fit.
    public var bootstrap: Int = 30
    /// DeeLeMa training settings.
    public var deelema = DeeLeMaBenchSettings()
    /// Report directory (created; must not be a file).
    public var report: String
    /// Worker threads for generation and training (<= 0: all cores).
    public var threads: Int = 0
    /// Changes to the card's masses, widths or sqrt(s), applied in order (`--set`); the truth
    /// the methods are scored against follows them.
    public var overrides: [CardOverride] = []
    /// Jet and lepton energy-scale factors of the generated sample's detector (`--jes`, `--les`).
    public var energyScales: EnergyScales = .nominal
    /// The detector resolution the resolution-aware fits assume (`--fit-resolution`); nil: each
    /// sample's provenance.
    public var fitResolution: FitResolution? = nil

    public init(topology: String, events: Int, report: String) {
        self.topology = topology; self.events = events; self.report = report
    }

    /// Checks ranges; throws naming the bad option.
    public func validate() throws {
        if sample == nil, events < 10 { throw HarnessError.badOption(name: "--events", reason: "must be >= 10, got \(events)") }
        if !(smearScale >= 0) || !smearScale.isFinite {
            throw HarnessError.badOption(name: "--smear-scale", reason: "must be finite and >= 0, got \(smearScale)")
        }
        if !(testFraction > 0 && testFraction < 1) {
            throw HarnessError.badOption(name: "--test-fraction", reason: "must be in (0, 1), got \(testFraction)")
        }
        if bootstrap < 0 { throw HarnessError.badOption(name: "--bootstrap", reason: "must be >= 0, got \(bootstrap)") }
        for (name, k) in [("--jes", energyScales.jet), ("--les", energyScales.lepton)] where !(k > 0 && k.isFinite) {
            throw HarnessError.badOption(name: name, reason: "must be a finite factor > 0 (1 is nominal), got \(k)")
        }
        if methods.isEmpty { throw HarnessError.badOption(name: "--methods", reason: "lists no method") }
        for m in methods { _ = try registry.estimator(for: m) }
        try deelema.validate()
    }

    /// The 32-bit seed handed to the fits' bootstraps (`deelema estimate --seed`).
    public var fitSeed: UInt32 { UInt32(truncatingIfNeeded: seed) == 0 ? 1 : UInt32(truncatingIfNeeded: seed) }
}
