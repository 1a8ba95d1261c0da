/// Names of what the estimators write: their per-event arrays (`EstimatorResult.perEvent`, the
/// npz of `deelema estimate`) and their sample-level masses. One spelling per idea: producers and
/// consumers (the harness's scoring and figures) both use these constants.
///
/// Per-event arrays are (N,) unless said; four-vectors (N, 4) float64 (E, px, py, pz) in GeV.
public enum OutputKey {
    // The invisible-momentum ansatz and the per-event outcome.

    /// The method's invisible four-momenta of chain 1 and chain 2 (the chain of a1, of a2), GeV.
    public static let c1 = "C1", c2 = "C2"
    /// MAOS's second solution of each chain (the other root of its quadratic), GeV.
    public static let c1Alt = "C1_alt", c2Alt = "C2_alt"
    /// 0 exact, 1 approximate, 2 failed (`EventStatus`).
    public static let status = "status"

    // Pairings (0: a1 with b1, 1: a1 with b2), t-tbar-like samples.

    /// The pairing the method's C1, C2 are built for; the harness rebuilds parent masses with it.
    public static let pairingChosen = "pairing_chosen"
    /// The pairing the analytic solutions were taken from (kinsolve).
    public static let pairingUsed = "pairing_used"
    /// The pairing minimising MT2(bl) (or the sample's with `--pairing true`).
    public static let pairingBL = "pairing_bl"

    // Transverse-mass variables, GeV.

    /// MT2 of an antler sample (visibles a1, a2).
    public static let mt2 = "mt2"
    /// MT2 of the t-tbar-like subsystems: b1 b2 (endpoint m_B), a_i + b_i (endpoint m_A), a1 a2 with B invisible.
    public static let mt2L = "mt2_l", mt2BL = "mt2_bl", mt2B = "mt2_b"
    /// Constrained M2 (t-tbar-like M2CC; antler M2 and the resonance-constrained M2).
    public static let m2cc = "m2cc", m2 = "m2", m2Res = "m2_res"
    /// The invariant mass of the two visibles of an antler sample, GeV.
    public static let ma1a2 = "m_a1a2"

    // Analytic solutions (kinsolve) and the mass scan.

    /// Number of real solutions per event; their largest violation of the mass shells (GeV^2).
    public static let nSolutions = "n_solutions", violation = "violation"
    /// Every solution: (N, 2 pairings, 4 solutions, 4) and the counts (N, 2).
    public static let allC1 = "all_C1", allC2 = "all_C2", allNSolutions = "all_n_solutions"
    /// 1 when the event is solvable at the scan's best hypothesis.
    public static let solvable = "solvable"

    // The DeeLeMa network.

    /// Per-event loss and chosen completion hypothesis.
    public static let loss = "loss", hypothesis = "hypothesis"
    /// Per-event parent masses of the network's completion, GeV: t-tbar-like m_A1, m_A2, m_B1,
    /// m_B2; antler m_D, m_B1, m_B2.
    public static let mA1 = "m_A1", mA2 = "m_A2", mB1 = "m_B1", mB2 = "m_B2", mD = "m_D"
}

/// Names of the sample-level mass estimates (`MassEstimate.name`) and of the truth they are
/// scored against: t-tbar-like M_A, M_B, M_C; antler M_D, M_B, M_C (GeV).
public enum MassName {
    public static let a = "M_A", b = "M_B", c = "M_C", d = "M_D"

    /// The npz key of an estimate's uncertainty in `deelema estimate`'s output ("M_A_err").
    public static func uncertaintyKey(_ name: String) -> String { name + "_err" }
}
