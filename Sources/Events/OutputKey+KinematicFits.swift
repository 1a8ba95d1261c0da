extension OutputKey {
    // Neutrino weighting (`nuweight`).

    /// Per-event parent mass at the maximum of the weight curve w(m_A), GeV.
    public static let nuwMass = "nuw_mass"
    /// chi^2 of the MET residual of the reported C1, C2.
    public static let nuwChi2 = "nuw_chi2"
    /// log of the largest w(m_A) (summed over the rapidity grid, roots and pairings; unnormalised).
    public static let nuwMaxLogWeight = "nuw_max_log_weight"
    /// (N, n_mA) w(m_A) / max w on the scanned m_A grid; 0 for failed events.
    public static let nuwWeightCurve = "nuw_weight_curve"

    // The likelihood fit (`klfit`).

    /// Per-event fitted parent mass, GeV.
    public static let klfMass = "klf_mass"
    /// (N, 4) fitted energies of a1, a2, b1, b2, GeV.
    public static let klfEnergies = "klf_energies"
    /// -log L at the optimum.
    public static let klfNegLogLikelihood = "klf_neg_log_likelihood"
    /// (N, n_mA) the event's conditional likelihood curve in m_A, normalised to its maximum.
    public static let klfWeightCurve = "klf_weight_curve"

    // Smeared analytic solutions (`kinreco`).

    /// Summed trial weight of the chosen pairing (0: no trial solved with prior support).
    public static let kinrecoWeightSum = "weight_sum"
    /// (N, 2) summed trial weights of pairing 0 and 1 (-1: pairing not tried).
    public static let kinrecoWeightSums = "weight_sums"
    /// Trials of the chosen pairing with an analytic solution.
    public static let kinrecoSolvedTrials = "solved_trials"
    /// (N, n_mA) the event's mean trial weight at each scanned m_A.
    public static let kinrecoWeightCurve = "weight_curve"
    /// Per-event parent mass at the maximum of the weight curve, GeV.
    public static let kinrecoMassPeak = "m_A_peak"
}
