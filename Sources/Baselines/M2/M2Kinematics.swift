import Kinematics

/// The invariant masses squared that enter the constrained M2 problems, as functions of
/// the four free invisible-momentum components, with hand-derived gradients.
///
/// Two decay sides i = 1, 2 each have a visible parent system `p_i` (for t-tbar-like
/// events p_i = a_i + b_i; for the antler p_i = a_i) and, optionally, the visible of the
/// intermediate `v_i` (t-tbar-like: v_i = b_i). The invisible particles have mass `mC` and
/// momenta q_i. The free variables are x = (q1x, q1y, q1z, q2z) in GeV; the transverse
/// momentum of side 2 is fixed by q2T = MET - q1T, and E_i = sqrt(mC^2 + |q_i|^2).
///
/// With M^2(P + q) = m_P^2 + mC^2 + 2 (E_P E_q - P.q), the gradient with respect to the
/// three-momentum of q is dM^2/dq_k = 2 (E_P q_k / E_q - P_k); side 2 enters x0, x1 with a
/// minus sign through q2T = MET - q1T.
public struct M2Kinematics: Sendable {
    /// Visible parent systems of sides 1 and 2 (GeV).
    public var p1: FourVector, p2: FourVector
    /// Visibles of the intermediate particle on sides 1 and 2 (GeV); zero when unused.
    public var v1: FourVector, v2: FourVector
    /// Measured missing transverse momentum (GeV).
    public var metX: Double, metY: Double
    /// Trial invisible mass (GeV).
    public var mC: Double
    /// Softening (GeV) of the invisible energies in `evaluate`: E = sqrt(mC^2 + softening^2
    /// + |q|^2). Zero (the default) is the exact kinematics; a tiny value rounds the cone
    /// vertex of a massless invisible at q = 0, where the masses are not differentiable.
    public var softening = 0.0

    public init(p1: FourVector, p2: FourVector, v1: FourVector = .zero, v2: FourVector = .zero,
                metX: Double, metY: Double, mC: Double) {
        self.p1 = p1; self.p2 = p2; self.v1 = v1; self.v2 = v2
        self.metX = metX; self.metY = metY; self.mC = mC
    }

    /// The invisible four-vectors (mass `mC`) at the free variables `x` (GeV).
    @inlinable
    public func invisibles(_ x: SIMD4<Double>) -> (q1: FourVector, q2: FourVector) {
        (FourVector(mass: mC, px: x[0], py: x[1], pz: x[2]),
         FourVector(mass: mC, px: metX - x[0], py: metY - x[1], pz: x[3]))
    }

    /// All mass-squared functions (GeV^2) and their gradients with respect to `x` (GeV).
    @inlinable
    public func evaluate(_ x: SIMD4<Double>) -> M2Evaluation {
        let q1x = x[0], q1y = x[1], q1z = x[2]
        let q2x = metX - x[0], q2y = metY - x[1], q2z = x[3]
        let mC2 = mC * mC + softening * softening
        let e1 = (mC2 + q1x * q1x + q1y * q1y + q1z * q1z).squareRoot()
        let e2 = (mC2 + q2x * q2x + q2y * q2y + q2z * q2z).squareRoot()
        let r1 = e1 > 0 ? 1 / e1 : 0, r2 = e2 > 0 ? 1 / e2 : 0
        var out = M2Evaluation()

        // Parents: (p_i + q_i)^2.
        out.parent1 = Self.mass2(p1, e1, q1x, q1y, q1z)
        out.parent2 = Self.mass2(p2, e2, q2x, q2y, q2z)
        out.dParent1 = Self.gradSide1(p1, r1, q1x, q1y, q1z)
        out.dParent2 = Self.gradSide2(p2, r2, q2x, q2y, q2z)

        // Intermediates: (v_i + q_i)^2.
        out.intermediate1 = Self.mass2(v1, e1, q1x, q1y, q1z)
        out.intermediate2 = Self.mass2(v2, e2, q2x, q2y, q2z)
        out.dIntermediate1 = Self.gradSide1(v1, r1, q1x, q1y, q1z)
        out.dIntermediate2 = Self.gradSide2(v2, r2, q2x, q2y, q2z)

        // Resonance: (p1 + p2 + q1 + q2)^2; its transverse momentum is fixed by MET.
        let te = p1.e + p2.e + e1 + e2
        let tx = p1.px + p2.px + metX, ty = p1.py + p2.py + metY, tz = p1.pz + p2.pz + q1z + q2z
        out.resonance = te * te - tx * tx - ty * ty - tz * tz
        out.dResonance = SIMD4(2 * te * (q1x * r1 - q2x * r2),
                               2 * te * (q1y * r1 - q2y * r2),
                               2 * (te * q1z * r1 - tz),
                               2 * (te * q2z * r2 - tz))
        return out
    }

    @inlinable @inline(__always)
    static func mass2(_ p: FourVector, _ e: Double, _ qx: Double, _ qy: Double, _ qz: Double) -> Double {
        let se = p.e + e, sx = p.px + qx, sy = p.py + qy, sz = p.pz + qz
        return se * se - sx * sx - sy * sy - sz * sz
    }

    @inlinable @inline(__always)
    static func gradSide1(_ p: FourVector, _ r: Double, _ qx: Double, _ qy: Double, _ qz: Double) -> SIMD4<Double> {
        SIMD4(2 * (p.e * qx * r - p.px), 2 * (p.e * qy * r - p.py), 2 * (p.e * qz * r - p.pz), 0)
    }

    @inlinable @inline(__always)
    static func gradSide2(_ p: FourVector, _ r: Double, _ qx: Double, _ qy: Double, _ qz: Double) -> SIMD4<Double> {
        SIMD4(-2 * (p.e * qx * r - p.px), -2 * (p.e * qy * r - p.py), 0, 2 * (p.e * qz * r - p.pz))
    }
}

/// Values (GeV^2) and gradients (GeV, with respect to x = (q1x, q1y, q1z, q2z)) of the
/// M2 mass-squared functions at one point.
public struct M2Evaluation: Sendable {
    /// M_A1^2 = (p1 + q1)^2 and M_A2^2 = (p2 + q2)^2.
    public var parent1 = 0.0, parent2 = 0.0
    public var dParent1 = SIMD4<Double>(), dParent2 = SIMD4<Double>()
    /// M_B1^2 = (v1 + q1)^2 and M_B2^2 = (v2 + q2)^2.
    public var intermediate1 = 0.0, intermediate2 = 0.0
    public var dIntermediate1 = SIMD4<Double>(), dIntermediate2 = SIMD4<Double>()
    /// M_D^2 = (p1 + p2 + q1 + q2)^2.
    public var resonance = 0.0
    public var dResonance = SIMD4<Double>()

    @inlinable public init() {}
}
