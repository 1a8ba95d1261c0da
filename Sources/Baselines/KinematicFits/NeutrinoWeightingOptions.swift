/// Why a neutrino-weighting or likelihood-fit option set cannot be used; says which option and why.
public enum NeutrinoWeightingError: Error, Equatable, CustomStringConvertible {
    case invalidOption(name: String, value: String, reason: String)

    public var description: String {
        switch self {
        case .invalidOption(let name, let value, let reason): "option \(name) = \(value): \(reason)"
        }
    }
}

/// Settings of neutrino weighting (`NeutrinoWeightingEstimator`) and of the grid the likelihood
/// fit starts from. Masses in GeV.
public struct NeutrinoWeightingOptions: Sendable {
    /// Intermediate mass hypothesis m_B and invisible mass m_C (GeV).
    public var mB: Double, mC: Double
    /// Scanned parent masses m_A: `mALow`, `mALow + mAStep`, ... up to `mAHigh` (GeV).
    public var mALow = 100.0, mAHigh = 300.0, mAStep = 5.0
    /// Rapidity grid of each invisible particle: -etaMax...etaMax in steps of etaStep (the
    /// usual neutrino-weighting grid is -5...5 in steps of 0.2, 51 points; rapidity equals
    /// pseudorapidity for a massless invisible).
    public var etaMax = 5.0, etaStep = 0.2
    /// The detector model (MET covariance); nil reads it from the sample's provenance.
    public var resolution: ResolutionModel?
    /// Added in quadrature to the MET sigma of each component (GeV): it keeps the weights of a
    /// perfectly measured event finite and is about the MET mismatch the 0.2 rapidity step
    /// leaves at the true masses.
    public var metSigmaFloor = 5.0
    /// Share f of a flat density over the m_A range mixed into each event's normalised weight
    /// curve for the sample likelihood, so that one event with zero weight at some m_A does not
    /// veto that mass.
    public var outlierFraction = 0.01
    /// Parent mass (GeV) at which `nuweight` reports the invisible momenta, as top analyses
    /// reconstruct at a fixed m_t; nil reports them at each event's weight maximum.
    public var momentumMass: Double?
    /// With `momentumMass` nil: report the invisible momenta at the sample-level mass (the
    /// maximum of the sample likelihood, a measured value) in a second pass, as an analysis
    /// reconstructs at its fitted m_t; false reports them at each event's own weight maximum,
    /// which scatters with the per-event mass (a perfectly measured event is solvable over a
    /// range of m_A). The harness sets it.
    public var momentaAtSampleMass = false
    /// Bootstrap replicates (over events) of the sample-level maximum, and their seed.
    public var bootstrapReplicates = 200
    public var seed: UInt32 = 1

    public init(mB: Double, mC: Double) { self.mB = mB; self.mC = mC }

    /// The scanned m_A values (GeV).
    public var mAValues: [Double] {
        let n = Int(((mAHigh - mALow) / mAStep + 1e-9).rounded(.down)) + 1
        return (0..<n).map { mALow + Double($0) * mAStep }
    }

    /// The rapidity grid.
    public var etaValues: [Double] {
        let n = Int((etaMax / etaStep + 1e-9).rounded(.down))
        return (-n...n).map { Double($0) * etaStep }
    }

    /// Throws `NeutrinoWeightingError` naming the first unusable option.
    public func validate() throws(NeutrinoWeightingError) {
        func bad(_ name: String, _ v: Double, _ why: String) -> NeutrinoWeightingError {
            .invalidOption(name: name, value: "\(v)", reason: why)
        }
        guard mC.isFinite, mC >= 0 else { throw bad("m_C", mC, "must be a finite mass >= 0 GeV") }
        guard mB.isFinite, mB > mC else { throw bad("m_B", mB, "must be finite and above m_C = \(mC) GeV") }
        guard mALow.isFinite, mALow > mB else { throw bad("m_A low", mALow, "must be finite and above m_B = \(mB) GeV") }
        guard mAStep.isFinite, mAStep > 0 else { throw bad("m_A step", mAStep, "must be > 0 GeV") }
        guard mAHigh.isFinite, mAHigh >= mALow + 2 * mAStep else {
            throw bad("m_A high", mAHigh, "must leave at least 3 grid points from \(mALow) in steps of \(mAStep) GeV")
        }
        guard (mAHigh - mALow) / mAStep <= 10000 else { throw bad("m_A step", mAStep, "gives more than 10000 grid points") }
        guard etaMax.isFinite, etaMax > 0, etaMax <= 20 else { throw bad("eta max", etaMax, "must be in (0, 20]") }
        guard etaStep.isFinite, etaStep > 0, etaStep <= etaMax else {
            throw bad("eta step", etaStep, "must be > 0 and at most eta max = \(etaMax)")
        }
        guard etaMax / etaStep <= 1000 else { throw bad("eta step", etaStep, "gives more than 2001 grid points") }
        guard metSigmaFloor.isFinite, metSigmaFloor >= 0 else { throw bad("MET sigma floor", metSigmaFloor, "must be >= 0 GeV") }
        guard outlierFraction.isFinite, outlierFraction >= 0, outlierFraction < 1 else {
            throw bad("outlier fraction", outlierFraction, "must be in [0, 1)")
        }
        if let m = momentumMass, !(m.isFinite && m > mB) {
            throw bad("momentum mass", m, "must be finite and above m_B = \(mB) GeV")
        }
        guard bootstrapReplicates >= 0 else {
            throw bad("bootstrap replicates", Double(bootstrapReplicates), "must be >= 0")
        }
    }
}
