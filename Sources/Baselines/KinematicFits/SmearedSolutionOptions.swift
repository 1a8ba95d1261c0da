import Events

/// Settings of the smeared-solution reconstruction (`SmearedSolutionEstimator`); masses in GeV.
public struct SmearedSolutionOptions: Sendable {
    /// Smearing trials per event (K, > 0; the CMS reconstruction uses 100).
    public var trials: Int
    /// The fixed parent mass m_A at which the per-event invisible momenta are reconstructed.
    public var parentMass: Double
    /// Pole mass and width of B; each trial draws each chain's m_B from this relativistic
    /// Breit-Wigner (window +-15 widths, clipped below m_A). Width 0: m_B fixed at the pole.
    public var intermediateMass: Double, intermediateWidth: Double
    /// Invisible mass m_C (>= 0).
    public var invisibleMass: Double
    /// The detector resolution assumed (see `ResolutionModel`: from the sample's provenance by
    /// default, overridden to mis-model on purpose).
    public var resolution: ResolutionModel
    /// Optional scan of the fixed parent mass: per-event weight curves and a sample-level mass.
    /// Empty: no scan. At least 3 increasing values, all above m_B (each chain's m_B is drawn
    /// below the smallest m_A tried).
    public var parentMassScan: [Double]
    /// Seed of the per-event random streams (each event draws from a stream keyed by the seed and
    /// its `event` number, or its row index when the sample has no unique event numbers).
    public var seed: UInt64
    /// Bootstrap replicates over events for the sample-level mass uncertainty (>= 2 when scanning).
    public var bootstrap: Int

    public init(trials: Int = 100, parentMass: Double, intermediateMass: Double, intermediateWidth: Double,
                invisibleMass: Double = 0, resolution: ResolutionModel, parentMassScan: [Double] = [],
                seed: UInt64 = 1, bootstrap: Int = 200) {
        self.trials = trials; self.parentMass = parentMass; self.intermediateMass = intermediateMass
        self.intermediateWidth = intermediateWidth; self.invisibleMass = invisibleMass; self.resolution = resolution
        self.parentMassScan = parentMassScan; self.seed = seed; self.bootstrap = bootstrap
    }

    /// A scan grid of `points` values evenly spaced over `range` (GeV).
    public static func grid(_ range: ClosedRange<Double>, points: Int) -> [Double] {
        guard points >= 2 else { return [range.lowerBound] }
        return (0..<points).map { range.lowerBound + (range.upperBound - range.lowerBound) * Double($0) / Double(points - 1) }
    }

    /// The upper edge of m_B's Breit-Wigner window.
    var intermediateUpper: Double { intermediateWidth > 0 ? intermediateMass + 15 * intermediateWidth : intermediateMass }

    /// Throws `SmearedSolutionError` for an unusable setting.
    func validate() throws(SmearedSolutionError) {
        guard trials > 0 else { throw .badTrials(trials) }
        guard invisibleMass.isFinite, invisibleMass >= 0 else { throw .badMasses("m_C = \(invisibleMass) GeV must be finite and >= 0") }
        guard intermediateMass.isFinite, intermediateMass > invisibleMass, intermediateWidth.isFinite, intermediateWidth >= 0 else {
            throw .badMasses("m_B = \(intermediateMass) GeV, width \(intermediateWidth) GeV: need m_B > m_C and a finite width >= 0")
        }
        guard parentMass.isFinite, parentMass > intermediateMass else {
            throw .badMasses("parent mass m_A = \(parentMass) GeV must be finite and above m_B = \(intermediateMass) GeV")
        }
        if !parentMassScan.isEmpty {
            guard parentMassScan.count >= 3, parentMassScan.allSatisfy(\.isFinite),
                  zip(parentMassScan, parentMassScan.dropFirst()).allSatisfy({ $0 < $1 }) else {
                throw .badScan("need at least 3 finite increasing m_A values, got \(parentMassScan)")
            }
            guard parentMassScan[0] > intermediateMass else {
                throw .badScan("the scan starts at m_A = \(parentMassScan[0]) GeV, not above m_B = \(intermediateMass) GeV")
            }
            guard bootstrap >= 2 else { throw .badScan("need bootstrap >= 2 replicates for the uncertainty, got \(bootstrap)") }
        }
    }
}

/// Why the smeared-solution reconstruction cannot run; each case says what is wrong.
public enum SmearedSolutionError: Error, Equatable, CustomStringConvertible {
    case badTrials(Int)
    case badMasses(String)
    case badScan(String)
    case missingPrior
    case badPrior(String)
    case priorFromMeasuredSample(card: String, seed: UInt64, shard: Int)
    case antlerNotSupported

    public var description: String {
        switch self {
        case .badTrials(let k): "kinreco: the number of smearing trials must be > 0, got \(k)"
        case .badMasses(let why): "kinreco: \(why)"
        case .badScan(let why): "kinreco: parent-mass scan: \(why)"
        case .missingPrior:
            "kinreco needs a prior on m(a b) from a training sample's truth (KinRecoPrior.fromTruth on a separate simulated sample)"
        case .badPrior(let why): "kinreco: unusable m(a b) prior: \(why)"
        case .priorFromMeasuredSample(let card, let seed, let shard):
            "kinreco: the m(a b) prior was built from the sample being measured (card \(card), seed \(seed), shard \(shard)); "
                + "build it from a separate training sample"
        case .antlerNotSupported:
            "kinreco handles t-tbar-like samples only: in the antler topology (D -> B B, B -> a C) the constraints "
                + "(two MET components, two B masses, the D mass) leave one unknown free, so at fixed masses there is no "
                + "discrete analytic solution to smear; use a scan method (nuweight, massscan) instead"
        }
    }
}
