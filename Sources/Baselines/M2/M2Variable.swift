import Events
import Kinematics

/// The constrained M2 variables of the t-tbar-like topology (Cho, Gainer, Kim, Matchev,
/// Moortgat, Pape, Park, arXiv:1401.1449). Each minimises max(M_A1, M_A2) over the
/// invisible momenta with the MET constraint and on-shell invisibles of mass m_C; the
/// first letter says whether M_A1 = M_A2 is imposed, the second whether M_B1 = M_B2 is.
public enum M2Variable: String, Sendable, CaseIterable, Codable {
    /// No further constraint; equals MT2 of the (a b) systems with chi = m_C.
    case xx
    /// M_A1 = M_A2; also equals MT2.
    case cx
    /// M_B1 = M_B2.
    case xc
    /// M_A1 = M_A2 and M_B1 = M_B2.
    case cc

    /// Per-event array name in an `EstimatorResult`: "m2xx", "m2cx", "m2xc", "m2cc".
    public var key: String { "m2" + rawValue }
    /// Whether the parent masses are constrained equal.
    public var equalParents: Bool { self == .cx || self == .cc }
    /// Whether the second constraint applies: intermediates B equal for the (ab) subsystem,
    /// grandparents A equal for the (b) subsystem.
    public var equalIntermediates: Bool { self == .xc || self == .cc }
}

/// Which subsystem of the t-tbar-like chain the M2 variables are built on (arXiv:1401.1449).
/// The variable's first letter always constrains the subsystem's parents to equal mass,
/// the second letter the other particle of the chain.
public enum M2Subsystem: String, Sendable, CaseIterable, Codable {
    /// Parents A with visible systems a_i + b_i; the second constraint is M_B1 = M_B2, with
    /// B_i = b_i + q_i. On-shell endpoint m_A.
    case ab
    /// Parents B with visibles b_i; the second constraint is M_A1 = M_A2, with
    /// A_i = a_i + b_i + q_i. On-shell endpoint m_B; M2XX(b) = MT2(b) with chi = m_C.
    case b

    /// Suffix of the per-event array names: "" for ab, "_b" for b.
    public var keySuffix: String { self == .ab ? "" : "_b" }

    /// The kinematics of one event with side 1 = (a1, b1), side 2 = (a2, b2) (GeV).
    public func kinematics(a1: FourVector, b1: FourVector, a2: FourVector, b2: FourVector,
                           metX: Double, metY: Double, mC: Double) -> M2Kinematics {
        switch self {
        case .ab: M2Kinematics(p1: a1 + b1, p2: a2 + b2, v1: b1, v2: b2, metX: metX, metY: metY, mC: mC)
        case .b: M2Kinematics(p1: b1, p2: b2, v1: a1 + b1, v2: a2 + b2, metX: metX, metY: metY, mC: mC)
        }
    }
}

/// The result of one constrained M2 minimisation.
public struct M2Solution: Sendable {
    /// The M2 value (GeV): max of the two parent masses at the minimum; NaN when failed.
    public var value: Double
    /// Invisible four-vectors at the minimum (mass m_C, GeV), sides 1 and 2: an ansatz for
    /// the invisible momenta, like MAOS. NaN components when failed.
    public var q1: FourVector, q2: FourVector
    /// exact: the augmented Lagrangian converged (KKT violation < 1e-9, gradient < 1e-5 in
    /// units scaled by the event scale S) and, with the exact invisible energies, every
    /// equality holds to 1e-5 S^2; approximate: finite, equalities within 1e-3 S^2 but not
    /// converged that far; failed: NaN value and momenta. S = E(p1) + E(p2) + |MET| + m_C
    /// (+ m_D), GeV.
    public var status: EventStatus
    /// Largest constraint violation at the returned point, relative to the event's scale squared.
    public var violation: Double

    public init(value: Double, q1: FourVector, q2: FourVector, status: EventStatus, violation: Double) {
        self.value = value; self.q1 = q1; self.q2 = q2; self.status = status; self.violation = violation
    }

    /// The failed solution: NaN value and momenta.
    public static let failed = M2Solution(
        value: .nan, q1: FourVector(e: .nan, px: .nan, py: .nan, pz: .nan),
        q2: FourVector(e: .nan, px: .nan, py: .nan, pz: .nan), status: .failed, violation: .infinity)
}

/// Why a constrained M2 computation cannot run.
public enum M2Error: Error, CustomStringConvertible, Equatable {
    /// A mass parameter is negative, NaN or infinite.
    case invalidMass(name: String, value: Double)
    /// The `pairing` array holds something other than 0 or 1.
    case invalidPairing(event: Int, value: Int64)
    /// The sample is not of the topology this computation needs.
    case wrongTopology(expected: TopologyKind, found: TopologyKind)
    /// The sample's arrays are missing, mis-shaped or hold NaN/Inf.
    case sample(SampleError)

    public var description: String {
        switch self {
        case .invalidMass(let n, let v): "M2: mass parameter \(n) = \(v) GeV must be finite and >= 0"
        case .invalidPairing(let i, let v): "M2: array 'pairing' holds \(v) at event \(i), expected 0 or 1"
        case .wrongTopology(let e, let f):
            "M2: sample is \(f.rawValue), this computation needs \(e.rawValue)"
        case .sample(let e): "M2: \(e.description)"
        }
    }
}
