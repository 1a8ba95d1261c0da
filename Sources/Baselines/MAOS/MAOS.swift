import Kinematics

/// The MAOS (MT2-assisted on-shell) invisible momentum of one chain (Cho, Choi, Kim, Park,
/// arXiv:0810.4853): the transverse part comes from the MT2 solution, the longitudinal part
/// from the on-shell condition (v + C)^2 = M^2 with C^2 = chi^2.
///
/// With R = (M^2 - m_v^2 - chi^2)/2 + vT.qT, the condition is the quadratic
/// Etv^2 qz^2 - 2 R vz qz + E_v^2 (chi^2 + qT^2) - R^2 = 0 with roots
/// qz = (R vz +- E_v sqrt(D)) / Etv^2, D = R^2 - Etv^2 (chi^2 + qT^2).
/// D >= 0 exactly when M >= mT(v, C), so with M = MT2 both sides are real and the balanced
/// side has a double root.
public enum MAOS {
    /// Both longitudinal roots for one chain, GeV.
    public struct Roots: Sendable, Equatable {
        /// The root with the smaller |qz| (the MAOS choice of this package).
        public var chosen: FourVector
        /// The other root (equal to `chosen` for a double root or a negative discriminant).
        public var other: FourVector
        /// False when D < 0 beyond rounding (M below this side's transverse mass): then both
        /// roots are replaced by the real part R vz / Etv^2.
        public var real: Bool
    }

    /// Relative tolerance on D / R^2 below which a negative discriminant counts as rounding.
    public static let discriminantTolerance = 1e-9

    /// Solves the on-shell condition for visible `v` (GeV), invisible transverse momentum
    /// `(qx, qy)`, invisible mass `chi` and parent mass `parentMass`.
    public static func roots(visible v: FourVector, qx: Double, qy: Double, chi: Double,
                             parentMass: Double) -> Roots {
        let mv2 = max(0, v.mass2)
        let etv2 = mv2 + v.px * v.px + v.py * v.py
        let etc2 = chi * chi + qx * qx + qy * qy
        let r = 0.5 * (parentMass * parentMass - mv2 - chi * chi) + v.px * qx + v.py * qy
        var disc = r * r - etv2 * etc2
        var real = true
        if disc < 0 {
            if disc < -discriminantTolerance * max(r * r, etv2 * etc2) { real = false }
            disc = 0
        }
        let centre = r * v.pz / etv2
        let half = v.e * disc.squareRoot() / etv2
        let zA = centre - half, zB = centre + half
        let (z1, z2) = abs(zA) <= abs(zB) ? (zA, zB) : (zB, zA)
        return Roots(chosen: FourVector(mass: chi, px: qx, py: qy, pz: z1),
                     other: FourVector(mass: chi, px: qx, py: qy, pz: z2), real: real)
    }
}
