import Detector
import Events
import Foundation
import Generation

/// Everything one `deelema calibrate` run needs. Masses in GeV.
public struct CalibrationOptions: Sendable {
    /// Card name or path.
    public var topology: String
    /// The true masses of the scanned parameter (at least two).
    public var masses: [Double]
    /// The scanned card value (`A.mass`, `B.mass`, `D.mass`); nil: the parent, A (t-tbar-like)
    /// or D (antler).
    public var parameter: String?
    /// Disjoint pseudo-experiments per mass point and their size in events.
    public var pseudoExperiments: Int = 20
    public var eventsPerExperiment: Int = 2000
    public var detector: String = "ideal"
    public var smearScale: Double = 1
    public var pairing: PairingMode = .unknown
    /// Methods to calibrate (those that give no estimate of the scanned mass say so).
    public var methods: [Method] = [.mt2, .massscan, .m2, .deelema]
    /// The methods known (default: the package's); `methods` names entries of it.
    public var registry: EstimatorRegistry = .standard
    public var seed: UInt64 = 1
    /// Bootstrap replicates of each method's own uncertainty on each pseudo-experiment.
    public var bootstrap: Int = 10
    /// DeeLeMa's recipe (the bench's); it trains on each pseudo-experiment, as on data.
    public var deelema = DeeLeMaBenchSettings()
    /// The jet energy scale is moved to 1 +- jesShift at the reference mass (0: no JES points).
    public var jesShift: Double = 0.02
    /// Card changes applied before the scanned parameter (`--set`).
    public var overrides: [CardOverride] = []
    public var threads: Int = 0
    /// The detector resolution the resolution-aware fits assume (`--fit-resolution`); nil: each
    /// sample's provenance.
    public var fitResolution: FitResolution? = nil
    /// Report directory (created; finished points in it are kept and skipped).
    public var report: String
    /// Run only this point (a batch task); nil: every unfinished point, then the report.
    public var onlyPoint: String? = nil
    /// Samples to use instead of generating, by point id (`mass-172.5`, `jes-up`, `jes-down`):
    /// e.g. imported events of another generator. Each must hold at least one pseudo-experiment;
    /// its pseudo-experiments are as many as fit, up to `pseudoExperiments`.
    public var samples: [String: String] = [:]

    public init(topology: String, masses: [Double], report: String) {
        self.topology = topology; self.masses = masses; self.report = report
    }

    /// Checks ranges; throws naming the bad option.
    public func validate() throws {
        guard Set(masses).count >= 2 else {
            throw HarnessError.badOption(name: "--masses", reason: "needs at least two different mass points, got \(masses.map { Bench.number($0) })")
        }
        if let m = masses.first(where: { !($0 > 0 && $0.isFinite) }) {
            throw HarnessError.badOption(name: "--masses", reason: "must be finite masses > 0 GeV, got \(m)")
        }
        if pseudoExperiments < 2 {
            throw HarnessError.badOption(name: "--pseudo-experiments", reason: "must be >= 2 (the spread needs two), got \(pseudoExperiments)")
        }
        if eventsPerExperiment < 20 {
            throw HarnessError.badOption(name: "--events-per-experiment", reason: "must be >= 20, got \(eventsPerExperiment)")
        }
        if pseudoExperiments > 100_000_000 / max(eventsPerExperiment, 1) {
            throw HarnessError.badOption(name: "--pseudo-experiments",
                                         reason: "\(pseudoExperiments) x \(eventsPerExperiment) events per point is more than 1e8")
        }
        if !(smearScale >= 0 && smearScale.isFinite) {
            throw HarnessError.badOption(name: "--smear-scale", reason: "must be finite and >= 0, got \(smearScale)")
        }
        if !(jesShift >= 0 && jesShift < 1) {
            throw HarnessError.badOption(name: "--jes-shift", reason: "must be in [0, 1) (a relative shift), got \(jesShift)")
        }
        if bootstrap < 0 { throw HarnessError.badOption(name: "--bootstrap", reason: "must be >= 0, got \(bootstrap)") }
        if methods.isEmpty { throw HarnessError.badOption(name: "--methods", reason: "lists no method") }
        if methods.contains(.kinsolve) {
            throw HarnessError.badOption(name: "--methods", reason: "kinsolve takes the masses as inputs and estimates none")
        }
        try deelema.validate()
    }
}

/// One sample of a calibration: a true mass at a jet energy scale.
public struct CalibrationPoint: Sendable, Codable, Equatable {
    /// Directory-safe name: `mass-172.5`, `jes-up`, `jes-down`.
    public var id: String
    public var trueMass: Double
    /// Jet energy-scale factor of its detector.
    public var jes: Double
}
