import Baselines
import Events
import Foundation

/// Options shared by every method, as `deelema estimate` and `deelema bench` take them.
public struct MethodOptions: Sendable {
    public var pairing: PairingMode
    /// Mass hypothesis (GeV): t-tbar-like (m_A, m_B, m_C); antler (m_D, m_B, m_C). Methods that
    /// only need the invisible mass read `invisibleMass`.
    public var masses: (Double, Double, Double)?
    /// Invisible mass m_C (GeV) for methods that need only it; defaults to the third of `masses`, else 0.
    public var invisibleMass: Double
    /// Trained DeeLeMa model file.
    public var model: String?
    /// Bootstrap replicates for mass uncertainties.
    public var bootstrap: Int
    public var seed: UInt32
    /// MAOS parent mass without `masses`: one MT2 endpoint fit for every event, or each event's MT2.
    public var maosParent: MAOSParent
    /// Run a DeeLeMa model on a sample of another card, detector setting or mass scale (said in the notes).
    public var allowMismatch: Bool
    /// Receives (done, total) as the slow per-event methods (m2, massscan) go (thread-safe).
    public var progress: (@Sendable (Int, Int) -> Void)? = nil
    /// Breit-Wigner widths (GeV) the endpoint fits fold in, by estimate name ("M_A", "M_B"); a
    /// name without one is fitted as narrow. A physics input (the parents' known widths), never
    /// read from the sample.
    public var widths: [String: Double] = [:]
    /// The sample's event weights (`Key.weight`), set by `MethodRunner.run`: they weigh the
    /// sample-level fits (endpoint, peak).
    public internal(set) var eventWeights: [Double]? = nil
    /// A separate simulated sample whose truth a method may use for priors (`kinreco`'s m(a b)
    /// prior); never the sample being measured. The bench passes its train split.
    public var simulation: Sample? = nil
    /// The detector resolution the resolution-aware fits assume instead of the sample's
    /// provenance (nil: the provenance's), to mis-model it on purpose.
    public var fitResolution: FitResolution? = nil

    public init(pairing: PairingMode = .unknown, masses: (Double, Double, Double)? = nil, invisibleMass: Double? = nil,
                model: String? = nil, bootstrap: Int = 50, seed: UInt32 = 1, maosParent: MAOSParent = .endpoint,
                allowMismatch: Bool = false) {
        self.pairing = pairing; self.masses = masses
        self.invisibleMass = invisibleMass ?? masses?.2 ?? 0
        self.model = model; self.bootstrap = bootstrap; self.seed = seed
        self.maosParent = maosParent; self.allowMismatch = allowMismatch
    }
}

/// The MAOS parent-mass policy (defined with MAOS in `Baselines`), named here for the command line.
public typealias MAOSParent = Baselines.MAOSParent

/// Runs one method of a registry on a sample: the checks every method shares, then the
/// estimator's own run (its per-event arrays and sample-level masses). Truth arrays are never
/// read here: estimates use only reconstructed objects, so data-like samples work.
public enum MethodRunner {
    /// The result says the m_C its estimates assume (`invisibleMass`): the option's, or the
    /// model's for DeeLeMa.
    public static func run(_ method: Method, on sample: Sample, options: MethodOptions,
                           registry: EstimatorRegistry = .standard) throws -> EstimatorResult {
        var o = options
        o.eventWeights = sample[Key.weight]?.doubles
        let estimator = try registry.estimator(for: method)
        if !estimator.topologies.contains(sample.kind) {
            throw MethodError.wrongTopology(method: method, topology: sample.kind.rawValue)
        }
        // Said here once, in words a user of reconstructed-only samples understands, rather than
        // as each estimator's bare "missing array".
        if o.pairing == .truth, sample.kind == .ttbarLike, sample[Key.pairing] == nil {
            throw SampleError.missingPairing
        }
        if estimator.requiresMasses(on: sample.kind), o.masses == nil { throw MethodError.needsMasses(method: method) }
        if estimator.reads.contains(.model), o.model == nil { throw MethodError.needsModel(method: method) }
        if estimator.reads.contains(.simulation), o.simulation == nil { throw MethodError.needsSimulation(method: method) }
        var r = try estimator.run(on: sample, options: o)
        r.method = method.rawValue
        if r.invisibleMass == nil { r.invisibleMass = o.invisibleMass }
        return r
    }
}
