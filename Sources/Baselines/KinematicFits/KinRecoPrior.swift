import Events
import Foundation
import Kinematics

/// The prior on m(a b) of one chain (a from A, b from B) that weights the smeared-solution
/// trials: a normalised histogram of the true m(a b) of a training sample, GeV.
///
/// It comes from a separate simulated sample given to the method (`fromTruth(_:bins:upper:)`),
/// never from the sample being measured, and it is an input of the method (Codable, so it can
/// be stored beside a result). For a parent-mass hypothesis m_A other than the training one
/// the histogram is stretched with the m(a b) endpoint: for massless visibles
/// m(a b)_max = sqrt(m_A^2 - m_B^2), and the shape of m(a b) / m(a b)_max does not depend on
/// m_A (it is fixed by the decay angles in B's frame and the A -> a B angle, in A's frame);
/// `density(_:parentMass:intermediateMass:)` rescales accordingly. A massive a (a b quark, 4.7 GeV)
/// makes this an approximation at the per-cent level of the endpoint.
public struct KinRecoPrior: Sendable, Codable, Equatable {
    /// Lower edge of the first bin and bin width, GeV.
    public var lower: Double, width: Double
    /// Probability density per bin (1/GeV), integrating to 1 over the bins.
    public var density: [Double]
    /// Median true m_A and m_B of the training sample, GeV: the hypothesis at which the
    /// histogram is used unscaled.
    public var referenceParentMass: Double, referenceIntermediateMass: Double
    /// Training events used.
    public var events: Int
    /// Card, seed and shard of the training sample, when it had provenance (to refuse measuring
    /// the very sample the prior was built from).
    public var sourceCard: String?, sourceSeed: UInt64?, sourceShard: Int?

    public init(lower: Double, width: Double, density: [Double], referenceParentMass: Double,
                referenceIntermediateMass: Double, events: Int, sourceCard: String? = nil,
                sourceSeed: UInt64? = nil, sourceShard: Int? = nil) {
        self.lower = lower; self.width = width; self.density = density
        self.referenceParentMass = referenceParentMass; self.referenceIntermediateMass = referenceIntermediateMass
        self.events = events; self.sourceCard = sourceCard; self.sourceSeed = sourceSeed; self.sourceShard = sourceShard
    }

    /// The histogram of m(a_i b_i), both chains pooled, over [0, upper) in `bins` bins, from the
    /// truth arrays of a t-tbar-like training sample (`true_a1`, `true_b1`, `true_a2`, `true_b2`,
    /// chain i is the chain of a_i; `true_A1`, `true_A2`, `true_B1`, `true_B2` for the reference
    /// masses). `upper` defaults to 1.2 times the largest value. Throws `SampleError` for a wrong
    /// topology or missing/non-finite truth arrays, `SmearedSolutionError.badPrior` for fewer than
    /// 100 events or bad binning.
    public static func fromTruth(_ sample: Sample, bins: Int = 60, upper: Double? = nil) throws -> KinRecoPrior {
        guard sample.kind == .ttbarLike else { throw SampleError.wrongTopology(expected: .ttbarLike, found: sample.kind) }
        let keys = [Key.truea1, Key.trueb1, Key.truea2, Key.trueb2, Key.trueA1, Key.trueA2, Key.trueB1, Key.trueB2]
        try sample.validate(requiring: keys)
        let a1 = try sample.fourVectors(Key.truea1), b1 = try sample.fourVectors(Key.trueb1)
        let a2 = try sample.fourVectors(Key.truea2), b2 = try sample.fourVectors(Key.trueb2)
        let A1 = try sample.fourVectors(Key.trueA1), A2 = try sample.fourVectors(Key.trueA2)
        let B1 = try sample.fourVectors(Key.trueB1), B2 = try sample.fourVectors(Key.trueB2)
        let n = sample.count
        guard n >= 100 else { throw SmearedSolutionError.badPrior("training sample has \(n) events, need at least 100") }
        var values: [Double] = [], parents: [Double] = [], intermediates: [Double] = []
        values.reserveCapacity(2 * n); parents.reserveCapacity(2 * n); intermediates.reserveCapacity(2 * n)
        for i in 0..<n {
            values.append((FourVector(a1, row: i) + FourVector(b1, row: i)).mass)
            values.append((FourVector(a2, row: i) + FourVector(b2, row: i)).mass)
            parents.append(FourVector(A1, row: i).mass); parents.append(FourVector(A2, row: i).mass)
            intermediates.append(FourVector(B1, row: i).mass); intermediates.append(FourVector(B2, row: i).mass)
        }
        let top = upper ?? 1.2 * (values.max() ?? 0)
        guard bins >= 2, top > 0, top.isFinite else {
            throw SmearedSolutionError.badPrior("need bins >= 2 and a positive upper edge, got \(bins) bins up to \(top) GeV")
        }
        let width = top / Double(bins)
        var counts = [Double](repeating: 0, count: bins)
        for v in values where v >= 0 && v < top { counts[Int(v / width)] += 1 }
        let total = Double(values.count)
        let p = sample.provenance
        return KinRecoPrior(lower: 0, width: width, density: counts.map { $0 / (total * width) },
                            referenceParentMass: median(parents), referenceIntermediateMass: median(intermediates),
                            events: n, sourceCard: p?.card, sourceSeed: p?.seed, sourceShard: p?.shard)
    }

    /// Density (1/GeV) at m(a b) = m for the training hypothesis: the bin's value, 0 outside.
    @inline(__always)
    public func density(_ m: Double) -> Double {
        let x = (m - lower) / width
        guard x >= 0, x < Double(density.count) else { return 0 }
        return density[Int(x)]
    }

    /// Density (1/GeV) at m for the hypothesis (m_A, m_B): the histogram stretched by the ratio of
    /// the m(a b) endpoints, s = sqrt(m_A0^2 - m_B0^2) / sqrt(m_A^2 - m_B^2), p(m) = s p0(s m).
    @inline(__always)
    public func density(_ m: Double, parentMass: Double, intermediateMass: Double) -> Double {
        let s = stretch(parentMass: parentMass, intermediateMass: intermediateMass)
        return s * density(s * m)
    }

    /// The stretch factor s of `density(_:parentMass:intermediateMass:)` (NaN when m_A <= m_B).
    public func stretch(parentMass: Double, intermediateMass: Double) -> Double {
        let ref = referenceParentMass * referenceParentMass - referenceIntermediateMass * referenceIntermediateMass
        let hyp = parentMass * parentMass - intermediateMass * intermediateMass
        guard hyp > 0, ref > 0 else { return .nan }
        return (ref / hyp).squareRoot()
    }

    /// Whether the histogram is usable: positive finite width, some positive density, all finite.
    var isUsable: Bool {
        width > 0 && width.isFinite && lower.isFinite && density.contains { $0 > 0 }
            && density.allSatisfy { $0.isFinite && $0 >= 0 } && referenceParentMass > referenceIntermediateMass
    }

    private static func median(_ v: [Double]) -> Double {
        let s = v.filter(\.isFinite).sorted()
        guard !s.isEmpty else { return .nan }
        return s.count % 2 == 1 ? s[s.count / 2] : 0.5 * (s[s.count / 2 - 1] + s[s.count / 2])
    }
}
