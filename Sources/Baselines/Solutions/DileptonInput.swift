import Events
import Foundation
import Kinematics

/// Why the kinematic-solution estimators cannot run; each case says what is wrong and where.
public enum KinematicSolutionError: Error, Equatable, CustomStringConvertible {
    /// The mass hypothesis is not m_A > m_B > m_C >= 0.
    case invalidMasses(mA: Double, mB: Double, mC: Double)
    /// The `pairing` array holds a value other than 0 or 1 at this event.
    case badPairing(event: Int, value: Int64)
    /// A scan grid or option is unusable.
    case invalidGrid(String)

    public var description: String {
        switch self {
        case .invalidMasses(let a, let b, let c):
            "mass hypothesis (m_A, m_B, m_C) = (\(a), \(b), \(c)) GeV is not ordered m_A > m_B > m_C >= 0"
        case .badPairing(let i, let v): "array 'pairing' holds \(v) at event \(i), expected 0 or 1"
        case .invalidGrid(let why): "mass scan: \(why)"
        }
    }
}

/// The reconstructed t-tbar-like inputs of a sample, validated: flat (N*4) four-vectors,
/// (N*2) MET, and the true pairing when asked for.
struct DileptonInput: Sendable {
    let count: Int
    let a1: [Double], a2: [Double], b1: [Double], b2: [Double], met: [Double]
    /// True pairing per event (0 or 1), or nil when the pairing is unknown.
    let pairing: [Int32]?

    init(sample: Sample, pairing mode: PairingMode) throws {
        guard sample.kind == .ttbarLike else {
            throw SampleError.wrongTopology(expected: .ttbarLike, found: sample.kind)
        }
        var keys = [Key.a1, Key.a2, Key.b1, Key.b2, Key.met]
        if mode == .truth { keys.append(Key.pairing) }
        try sample.validate(requiring: keys)
        a1 = try sample.fourVectors(Key.a1); a2 = try sample.fourVectors(Key.a2)
        b1 = try sample.fourVectors(Key.b1); b2 = try sample.fourVectors(Key.b2)
        met = try sample.transverse(Key.met)
        count = a1.count / 4
        if mode == .truth {
            guard let column = sample[Key.pairing], let values = column.integers, column.shape.count == 1 else {
                throw SampleError.wrongShape(key: Key.pairing, expected: "(N,) integer",
                                             found: sample[Key.pairing]?.shape ?? [], dtype: sample[Key.pairing]?.data.dtype ?? "")
            }
            for (i, v) in values.enumerated() where v != 0 && v != 1 {
                throw KinematicSolutionError.badPairing(event: i, value: v)
            }
            pairing = values.map { Int32($0) }
        } else {
            pairing = nil
        }
    }

    @inline(__always)
    static func vector(_ flat: [Double], _ i: Int) -> FourVector {
        FourVector(e: flat[4 * i], px: flat[4 * i + 1], py: flat[4 * i + 2], pz: flat[4 * i + 3])
    }

    /// Chain visibles for event i and pairing p (0: a1 with b1; 1: a1 with b2), divided by `scale`.
    @inline(__always)
    func chains(_ i: Int, pairing p: Int32, scale: Double) -> (DileptonChain, DileptonChain) {
        let inv = 1 / scale
        let va1 = inv * Self.vector(a1, i), va2 = inv * Self.vector(a2, i)
        let vb1 = inv * Self.vector(b1, i), vb2 = inv * Self.vector(b2, i)
        return p == 0 ? (DileptonChain(a: va1, b: vb1), DileptonChain(a: va2, b: vb2))
                      : (DileptonChain(a: va1, b: vb2), DileptonChain(a: va2, b: vb1))
    }

    /// Sum of the four visibles of event i (GeV).
    @inline(__always)
    func visibleSum(_ i: Int) -> FourVector {
        Self.vector(a1, i) + Self.vector(a2, i) + Self.vector(b1, i) + Self.vector(b2, i)
    }
}
