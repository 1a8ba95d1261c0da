import Kinematics

/// The augmented Lagrangian of one constrained M2 problem in scaled variables.
///
/// Formulation ("epigraph" form of the max): minimise the slack t over z = (x / S, t) with
///   g_i = M_i^2 / S^2 - t <= 0            (i = 1, 2: parents, so t >= max M_i^2 / S^2),
///   h_A = (M_A1^2 - M_A2^2) / S^2 = 0     (optional, equal parents),
///   h_B = (M_B1^2 - M_B2^2) / S^2 = 0     (optional, equal intermediates),
///   h_D = ((p1 + p2 + q1 + q2)^2 - m_D^2) / S^2 = 0   (optional, resonance).
/// S is an event scale (GeV) that makes every term of order one. The Powell-Hestenes-
/// Rockafellar augmented Lagrangian is
///   L = t + sum_i [max(0, nu_i + mu g_i)^2 - nu_i^2] / (2 mu) + sum_j (lambda_j h_j + mu h_j^2 / 2),
/// which is continuously differentiable, so BFGS applies to it. Its gradient follows from
/// the hand-derived gradients of `M2Kinematics` by dz = S dx.
final class M2Lagrangian {
    var kinematics = M2Kinematics(p1: .zero, p2: .zero, metX: 0, metY: 0, mC: 0)
    /// Event scale S (GeV) and its inverse powers.
    var scale = 1.0, invScale = 1.0, invScale2 = 1.0
    var equalParents = false, equalIntermediates = false, useResonance = false
    /// m_D^2 (GeV^2) for the resonance constraint.
    var resonance2 = 0.0
    /// Penalty parameter and multipliers.
    var mu = 100.0, nu1 = 0.5, nu2 = 0.5, lambdaA = 0.0, lambdaB = 0.0, lambdaD = 0.0

    /// Sets the event and its scale: S = E(p1) + E(p2) + |MET| + m_C (+ m_D when used).
    func configure(_ k: M2Kinematics, equalParents: Bool, equalIntermediates: Bool, resonanceMass: Double?) {
        kinematics = k
        self.equalParents = equalParents
        self.equalIntermediates = equalIntermediates
        useResonance = resonanceMass != nil
        resonance2 = (resonanceMass ?? 0) * (resonanceMass ?? 0)
        let met = (k.metX * k.metX + k.metY * k.metY).squareRoot()
        scale = max(k.p1.e + k.p2.e + met + k.mC + (resonanceMass ?? 0), 1e-300)
        invScale = 1 / scale
        invScale2 = invScale * invScale
        kinematics.softening = Self.softening * scale
    }

    /// Softening of the invisible energies relative to S (see `M2Kinematics.softening`).
    static let softening = 1e-6

    /// Resets the multipliers and the penalty for a new start.
    func resetMultipliers() {
        mu = 100; nu1 = 0.5; nu2 = 0.5; lambdaA = 0; lambdaB = 0; lambdaD = 0
    }

    /// Free variables x (GeV) from scaled z.
    @inline(__always) func physical(_ z: SIMD4<Double>) -> SIMD4<Double> { z * scale }

    /// L at (z, t); writes dL/dz into `gz` and dL/dt into `gt`.
    @inline(__always)
    func value(_ z: SIMD4<Double>, _ t: Double, _ gz: inout SIMD4<Double>, _ gt: inout Double) -> Double {
        let ev = kinematics.evaluate(z * scale)
        var l = t
        gz = SIMD4<Double>()
        gt = 1
        let g1 = ev.parent1 * invScale2 - t
        let a1 = max(0, nu1 + mu * g1)
        l += (a1 * a1 - nu1 * nu1) / (2 * mu)
        gz += (a1 * invScale) * ev.dParent1
        gt -= a1
        let g2 = ev.parent2 * invScale2 - t
        let a2 = max(0, nu2 + mu * g2)
        l += (a2 * a2 - nu2 * nu2) / (2 * mu)
        gz += (a2 * invScale) * ev.dParent2
        gt -= a2
        if equalParents {
            let h = (ev.parent1 - ev.parent2) * invScale2
            l += lambdaA * h + 0.5 * mu * h * h
            gz += ((lambdaA + mu * h) * invScale) * (ev.dParent1 - ev.dParent2)
        }
        if equalIntermediates {
            let h = (ev.intermediate1 - ev.intermediate2) * invScale2
            l += lambdaB * h + 0.5 * mu * h * h
            gz += ((lambdaB + mu * h) * invScale) * (ev.dIntermediate1 - ev.dIntermediate2)
        }
        if useResonance {
            let h = (ev.resonance - resonance2) * invScale2
            l += lambdaD * h + 0.5 * mu * h * h
            gz += ((lambdaD + mu * h) * invScale) * ev.dResonance
        }
        return l
    }

    /// Largest equality-constraint violation at scaled z (relative to S^2).
    func equalityViolation(_ ev: M2Evaluation) -> Double {
        var v = 0.0
        if equalParents { v = max(v, abs(ev.parent1 - ev.parent2) * invScale2) }
        if equalIntermediates { v = max(v, abs(ev.intermediate1 - ev.intermediate2) * invScale2) }
        if useResonance { v = max(v, abs(ev.resonance - resonance2) * invScale2) }
        return v
    }

    /// Multiplier update after an inner minimisation at (z, t); returns the KKT violation
    /// max(|h_j|, |max(g_i, -nu_i / mu)|) measured before the update.
    func updateMultipliers(_ z: SIMD4<Double>, _ t: Double) -> Double {
        let ev = kinematics.evaluate(z * scale)
        let g1 = ev.parent1 * invScale2 - t, g2 = ev.parent2 * invScale2 - t
        var v = max(equalityViolation(ev), abs(max(g1, -nu1 / mu)), abs(max(g2, -nu2 / mu)))
        if !v.isFinite { v = .infinity }
        nu1 = max(0, nu1 + mu * g1)
        nu2 = max(0, nu2 + mu * g2)
        if equalParents { lambdaA += mu * (ev.parent1 - ev.parent2) * invScale2 }
        if equalIntermediates { lambdaB += mu * (ev.intermediate1 - ev.intermediate2) * invScale2 }
        if useResonance { lambdaD += mu * (ev.resonance - resonance2) * invScale2 }
        return v
    }
}
