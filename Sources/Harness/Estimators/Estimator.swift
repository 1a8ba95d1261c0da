import Events

/// One mass-estimation method as `deelema estimate`, `deelema bench`, `deelema calibrate` and
/// `deelema sweep` see it. A conforming type is an adapter: it says what the method is, which
/// samples and options it takes, and runs it (its per-event arrays and its sample-level masses,
/// both computed in `Baselines` or `DeeLeMa`). `EstimatorRegistry` lists them; adding one is a
/// new file with a conforming type plus one entry in `EstimatorRegistry.standard`.
public protocol Estimator: Sendable {
    /// The name of `--method` and `--methods`, of the report rows and of the output files.
    var method: Method { get }
    /// One line saying what it computes (the README's table, `bench` help).
    var summary: String { get }
    /// The lines of its entry in `deelema estimate --help` (each under 60 characters); the
    /// first follows the name. Default: `summary`.
    var help: [String] { get }
    /// The topologies it runs on; others are refused naming the method (and skipped by `all`).
    var topologies: Set<TopologyKind> { get }
    /// The `MethodOptions` it reads (documentation, and what `deelema bench` hands it).
    var reads: EstimatorInputs { get }
    /// Whether it cannot run without `MethodOptions.masses` on this topology: the bench then
    /// hands it the card's masses, and `MethodRunner` refuses to run it without them.
    func requiresMasses(on kind: TopologyKind) -> Bool
    /// A method whose numbers this one repeats exactly on this topology; `all` then runs only
    /// that one (an explicit list still runs both). Default: none.
    func repeats(on kind: TopologyKind) -> Method?
    /// What its ± is when not a statistical uncertainty, said beside each estimate in the bench
    /// table (DeeLeMa: "training spread"). Default: nil (statistical).
    var uncertaintyLabel: String? { get }
    /// Runs the method on a validated sample: per-event arrays (named by `OutputKey`) and the
    /// sample-level mass estimates (GeV). Never reads truth arrays. `MethodRunner` has checked
    /// the topology, the truth pairing when asked for, `requiresMasses` and a model when the
    /// method reads one; it sets `method` and the assumed invisible mass afterwards.
    func run(on sample: Sample, options: MethodOptions) throws -> EstimatorResult
}

extension Estimator {
    public var help: [String] { [summary] }
    public func requiresMasses(on kind: TopologyKind) -> Bool { false }
    public func repeats(on kind: TopologyKind) -> Method? { nil }
    public var uncertaintyLabel: String? { nil }
}

/// The `MethodOptions` an estimator reads.
public struct EstimatorInputs: OptionSet, Sendable {
    public let rawValue: Int
    public init(rawValue: Int) { self.rawValue = rawValue }

    /// `pairing`: truth or unknown a/b pairing.
    public static let pairing = EstimatorInputs(rawValue: 1 << 0)
    /// `masses`: a mass hypothesis (required or optional, see `requiresMasses`).
    public static let masses = EstimatorInputs(rawValue: 1 << 1)
    /// `invisibleMass`: the trial m_C.
    public static let invisibleMass = EstimatorInputs(rawValue: 1 << 2)
    /// `model`: a trained DeeLeMa model (the bench trains one on its train split).
    public static let model = EstimatorInputs(rawValue: 1 << 3)
    /// `bootstrap` and `seed`: the replicates of its sample-level fits.
    public static let bootstrap = EstimatorInputs(rawValue: 1 << 4)
    /// `maosParent`: the MAOS parent-mass policy.
    public static let maosParent = EstimatorInputs(rawValue: 1 << 5)
    /// `progress`: it reports progress (a slow per-event method); `estimate` then draws a bar.
    public static let progress = EstimatorInputs(rawValue: 1 << 6)
    /// `allowMismatch`: it checks the sample against its training sample.
    public static let allowMismatch = EstimatorInputs(rawValue: 1 << 7)
    /// `simulation`: a separate simulated sample whose truth it uses for priors (the bench
    /// passes its train split, the calibration a nominal sample); refused without one.
    public static let simulation = EstimatorInputs(rawValue: 1 << 8)
    /// `fitResolution`: the detector resolution it assumes, overriding the sample's provenance.
    public static let fitResolution = EstimatorInputs(rawValue: 1 << 9)
}
