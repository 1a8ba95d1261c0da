/// The result of an MT2 minimisation: the value and the invisible transverse momenta that
/// attain it. All quantities in GeV; `q1 + q2` equals the missing transverse momentum given.
public struct MT2Solution: Sendable, Equatable {
    /// MT2 in GeV (NaN when an input is not finite).
    public var value: Double
    /// Invisible transverse momentum on side 1 (the side of visible 1), GeV.
    public var q1x: Double, q1y: Double
    /// Invisible transverse momentum on side 2, GeV; `q2 = MET - q1`.
    public var q2x: Double, q2y: Double

    public init(value: Double, q1x: Double, q1y: Double, q2x: Double, q2y: Double) {
        self.value = value; self.q1x = q1x; self.q1y = q1y; self.q2x = q2x; self.q2y = q2y
    }
}

/// The stransverse mass MT2 (symmetric or asymmetric invisible masses) by bisection on the
/// trial parent mass with the ellipse-overlap test of Lester and Nachman (arXiv:1411.4312):
///
///     MT2 = min over q1 + q2 = MET of max(mT(m1, p1; chi1, q1), mT(m2, p2; chi2, q2)).
///
/// Conventions: all inputs in GeV; `m1`, `m2` are the visible masses, `(px, py)` their
/// transverse momenta, `(metx, mety)` the missing transverse momentum shared by the two
/// invisible particles of masses `chi1`, `chi2`. Negative masses are treated as 0. Inputs are
/// rescaled internally, so any overall scale works. The bisection runs until the bracket no
/// longer shrinks in double precision. Swapping the two sides gives the same value.
public enum MT2 {
    /// MT2 and the minimising invisible momenta (GeV). With the balanced solution the two
    /// transverse masses are equal at `(q1, q2)`; in the unbalanced case (MT2 = m_i + chi_i)
    /// side i sits at its own minimum `q_i = (chi_i / m_i) p_i`.
    public static func compute(m1: Double, px1: Double, py1: Double,
                               m2: Double, px2: Double, py2: Double,
                               metx: Double, mety: Double,
                               chi1: Double, chi2: Double) -> MT2Solution {
        var p = MT2Problem(m1: m1, px1: px1, py1: py1, m2: m2, px2: px2, py2: py2,
                           metx: metx, mety: mety, chi1: chi1, chi2: chi2)
        return p.solve(wantMomenta: true)
    }

    /// MT2 only (GeV): the fastest path, no minimising momenta.
    public static func value(m1: Double, px1: Double, py1: Double,
                             m2: Double, px2: Double, py2: Double,
                             metx: Double, mety: Double,
                             chi1: Double, chi2: Double) -> Double {
        var p = MT2Problem(m1: m1, px1: px1, py1: py1, m2: m2, px2: px2, py2: py2,
                           metx: metx, mety: mety, chi1: chi1, chi2: chi2)
        return p.solve(wantMomenta: false).value
    }

    /// Transverse mass (GeV) of a visible (mass `m`, transverse momentum `(px, py)`) and an
    /// invisible (mass `chi`, transverse momentum `(qx, qy)`).
    public static func transverseMass(m: Double, px: Double, py: Double,
                                      chi: Double, qx: Double, qy: Double) -> Double {
        let et = (m * m + px * px + py * py).squareRoot()
        let eq = (chi * chi + qx * qx + qy * qy).squareRoot()
        return max(0, m * m + chi * chi + 2 * (et * eq - px * qx - py * qy)).squareRoot()
    }
}
