import Core
/// Two-body decay kinematics.
public enum TwoBody {
    /// Magnitude of the daughters' momentum (GeV) in the rest frame of a parent of mass `m`
    /// decaying to masses `m1`, `m2`: sqrt(lambda(m^2, m1^2, m2^2)) / (2 m).
    /// Returns nil when the decay is kinematically forbidden (m < m1 + m2) or m <= 0.
    @inlinable
    public static func momentum(parentMass m: Double, _ m1: Double, _ m2: Double) -> Double? {
        guard m > 0, m >= m1 + m2 else { return nil }
        let lam = (m - m1 - m2) * (m + m1 + m2) * (m - m1 + m2) * (m + m1 - m2)
        return max(lam, 0).squareRoot() / (2 * m)
    }

    /// The Kallen function lambda(a, b, c) = a^2 + b^2 + c^2 - 2ab - 2bc - 2ca.
    @inlinable
    public static func kallen(_ a: Double, _ b: Double, _ c: Double) -> Double {
        a * a + b * b + c * c - 2 * (a * b + b * c + c * a)
    }

    /// Daughters of a decay at rest with daughter 1 along direction (cosTheta, phi):
    /// returns the two four-vectors in the parent's rest frame, back to back.
    @inlinable
    public static func decayAtRest(parentMass m: Double, _ m1: Double, _ m2: Double,
                                   cosTheta: Double, phi: Double) -> (FourVector, FourVector)? {
        guard let q = momentum(parentMass: m, m1, m2) else { return nil }
        let sinTheta = max(0, 1 - cosTheta * cosTheta).squareRoot()
        let px = q * sinTheta * cosDouble(phi), py = q * sinTheta * sinDouble(phi), pz = q * cosTheta
        let d1 = FourVector(mass: m1, px: px, py: py, pz: pz)
        let d2 = FourVector(mass: m2, px: -px, py: -py, pz: -pz)
        return (d1, d2)
    }
}

/// Transverse-plane helpers.
public enum Transverse {
    /// Transverse mass of a visible particle (mass m, transverse momentum (px, py)) and an
    /// invisible one of mass chi with transverse momentum (qx, qy), GeV:
    /// mT^2 = m^2 + chi^2 + 2 (ET eT - p.q).
    @inlinable
    public static func mass(visibleMass m: Double, px: Double, py: Double,
                            invisibleMass chi: Double, qx: Double, qy: Double) -> Double {
        let et = (m * m + px * px + py * py).squareRoot()
        let eq = (chi * chi + qx * qx + qy * qy).squareRoot()
        let mt2 = m * m + chi * chi + 2 * (et * eq - px * qx - py * qy)
        return max(mt2, 0).squareRoot()
    }
}
