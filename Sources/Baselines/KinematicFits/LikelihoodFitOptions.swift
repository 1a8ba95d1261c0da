/// Settings of the dilepton likelihood fit (`LikelihoodFitEstimator`). Masses in GeV.
public struct LikelihoodFitOptions: Sendable {
    /// The neutrino-weighting grid the fit starts from (m_B, m_C, m_A range, rapidity grid,
    /// resolution model, MET floor) and the sample-likelihood settings.
    public var grid: NeutrinoWeightingOptions
    /// Width omega of the Gaussian prior on each invisible rapidity (t-tbar neutrinos: about 1.2 to 1.4).
    public var etaPriorWidth = 1.3
    /// Relative energy sigma added in quadrature to the detector's (keeps a perfectly measured
    /// sample's transfer functions finite).
    public var energySigmaFloor = 0.01
    /// Prefer the pairing with the smaller product m(a1 b) m(a2 b'): log prior
    /// -log(product) normalised over the two pairings.
    public var pairingPrior = true
    /// When set, m_A is held at this value (GeV) instead of fitted, as a fit used for
    /// reconstruction at a known top mass does; `klf_mass` is then this value.
    public var fixedMass: Double?
    /// Without `fixedMass`: after the sample-level mass is found, refit every handled event with
    /// m_A held there and report its invisible momenta, fitted energies and pairing from that
    /// fit (`klf_mass` stays the free fit's), as an analysis reconstructs at its measured m_t.
    /// false reports them at each event's free fit, which scatters with the per-event mass.
    /// The harness sets it.
    public var momentaAtSampleMass = false
    /// Iteration cap of each BFGS minimisation.
    public var maxIterations = 200

    public init(mB: Double, mC: Double) { grid = NeutrinoWeightingOptions(mB: mB, mC: mC) }

    /// Throws `NeutrinoWeightingError` naming the first unusable option.
    public func validate() throws(NeutrinoWeightingError) {
        try grid.validate()
        guard etaPriorWidth.isFinite, etaPriorWidth > 0 else {
            throw .invalidOption(name: "eta prior width", value: "\(etaPriorWidth)", reason: "must be > 0")
        }
        guard energySigmaFloor.isFinite, energySigmaFloor >= 0 else {
            throw .invalidOption(name: "energy sigma floor", value: "\(energySigmaFloor)", reason: "must be >= 0 (relative)")
        }
        if let m = fixedMass, !(m.isFinite && m > grid.mB) {
            throw .invalidOption(name: "fixed mass", value: "\(m)", reason: "must be finite and above m_B = \(grid.mB) GeV")
        }
        guard maxIterations >= 1 else {
            throw .invalidOption(name: "max iterations", value: "\(maxIterations)", reason: "must be >= 1")
        }
    }
}
