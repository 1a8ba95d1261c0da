import Kinematics

/// Masses of a t-tbar-like chain hypothesis A -> a B, B -> b C, GeV.
public struct ChainMasses: Sendable, Equatable, Codable {
    public var mA: Double
    public var mB: Double
    public var mC: Double

    public init(mA: Double, mB: Double, mC: Double) {
        self.mA = mA; self.mB = mB; self.mC = mC
    }

    /// True when m_A > m_B > m_C >= 0 and all are finite.
    public var isOrdered: Bool { mA.isFinite && mA > mB && mB > mC && mC >= 0 }
}

/// Up to four real solutions (C1, C2) of the dilepton system for one event and one mass
/// hypothesis: the invisible four-momenta (GeV) of chain 1 (the chain of a1) and chain 2.
/// Fixed-size storage, no heap allocation.
public struct KinematicSolutions: Sendable {
    /// Number of real physical solutions (0, 1, 2, 3 or 4; generically even).
    public private(set) var count = 0
    private var s0 = (FourVector.zero, FourVector.zero), s1 = (FourVector.zero, FourVector.zero)
    private var s2 = (FourVector.zero, FourVector.zero), s3 = (FourVector.zero, FourVector.zero)

    public init() {}

    /// Solution `i` (0 ..< count) as (C1, C2), GeV.
    public subscript(i: Int) -> (c1: FourVector, c2: FourVector) {
        precondition(i >= 0 && i < count, "solution index \(i) out of range 0..<\(count)")
        switch i {
        case 0: return s0
        case 1: return s1
        case 2: return s2
        default: return s3
        }
    }

    /// Appends a solution; ignored when four are already held.
    mutating func append(_ c1: FourVector, _ c2: FourVector) {
        switch count {
        case 0: s0 = (c1, c2)
        case 1: s1 = (c1, c2)
        case 2: s2 = (c1, c2)
        case 3: s3 = (c1, c2)
        default: return
        }
        count += 1
    }

    /// All solutions as an array (convenience for tests and reports; allocates).
    public var all: [(c1: FourVector, c2: FourVector)] { (0..<count).map { self[$0] } }
}
