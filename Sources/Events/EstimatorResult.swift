/// How an estimator treats the a/b pairing of a t-tbar-like event.
public enum PairingMode: String, Sendable, Codable, CaseIterable {
    /// Use the true pairing stored in the sample (`pairing` array).
    case truth = "true"
    /// Do not use truth: resolve the two-fold ambiguity with the method's own rule.
    case unknown
}

/// Per-event outcome of an estimator, stored as an int32 `status` array.
public enum EventStatus: Int32, Sendable, Codable {
    /// An exact answer.
    case exact = 0
    /// An approximate answer (closest approach, fallback root, ...).
    case approximate = 1
    /// The method could not handle the event; its outputs are NaN.
    case failed = 2
}

/// A mass extracted from a whole sample, GeV, with its statistical uncertainty.
public struct MassEstimate: Sendable, Codable, Equatable {
    /// Which mass: "M_A", "M_B", "M_C", "M_D".
    public var name: String
    public var value: Double
    /// One standard deviation, statistical (bootstrap or fit), GeV.
    public var uncertainty: Double
    /// How it was obtained, e.g. "MT2(bl) endpoint fit".
    public var how: String

    public init(name: String, value: Double, uncertainty: Double, how: String) {
        self.name = name; self.value = value; self.uncertainty = uncertainty; self.how = how
    }
}

/// What every estimator returns: per-event arrays, sample-level mass estimates and cost.
/// Estimators have the shape `(Sample, options) -> EstimatorResult`.
public struct EstimatorResult: Sendable {
    /// Method name as given to `deelema estimate --method`.
    public var method: String
    /// Per-event arrays (same row count as the input), e.g. `mt2_bl`, `C1`, `C2` (N, 4), `status`.
    public var perEvent: Sample
    public var masses: [MassEstimate]
    /// Fraction of events with status exact or approximate.
    public var handledFraction: Double
    /// Wall-clock seconds per event of the per-event work.
    public var secondsPerEvent: Double
    /// Free-form remarks printed with the result (choices made, events skipped, ...).
    public var notes: [String]
    /// The invisible mass m_C (GeV) the mass estimates assume (a default of 0 included), said
    /// beside every printed estimate: on a card with a massive invisible particle an estimate
    /// made with m_C = 0 is another quantity. Nil when the method has not said.
    public var invisibleMass: Double?
    /// Per-event mass measures the method writes itself, by mass name ("M_A" -> "nuw_mass"):
    /// the harness scores these arrays as the per-event mass instead of the masses rebuilt from
    /// `C1`, `C2` (which, for momenta reported at a fixed mass, only echo that mass).
    public var perEventMassKeys: [String: String] = [:]

    public init(method: String, perEvent: Sample, masses: [MassEstimate] = [], handledFraction: Double = 1,
                secondsPerEvent: Double = 0, notes: [String] = [], invisibleMass: Double? = nil) {
        self.method = method; self.perEvent = perEvent; self.masses = masses
        self.handledFraction = handledFraction; self.secondsPerEvent = secondsPerEvent; self.notes = notes
        self.invisibleMass = invisibleMass
    }
}
