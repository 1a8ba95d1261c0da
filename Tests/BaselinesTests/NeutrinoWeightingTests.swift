#if canImport(Glibc)
import Glibc
#endif
@testable import Baselines
import Detector
import Events
import Kinematics
import Testing
import TestSupport

/// Neutrino weighting on perfectly measured (fixture) t-tbar events: SM masses m_t 172.5,
/// m_W 80.38, massless neutrinos, b-jet mass 4.7 GeV, zero widths.
@Suite struct NeutrinoWeightingTests {
    static let mA = 172.5, mB = 80.38

    static func options() -> NeutrinoWeightingOptions {
        var o = NeutrinoWeightingOptions(mB: mB, mC: 0)
        o.bootstrapReplicates = 50
        return o
    }

    /// At the true masses and the true rapidities each chain's roots contain the true invisible
    /// transverse momentum (the algebra of `NeutrinoWeightingChain`).
    @Test func rootsContainTruthAtTrueRapidity() throws {
        let s = ChainFixture.ttbarLike(n: 500, mA: Self.mA, mB: Self.mB, mC: 0, ma: 4.7, seed: 21)
        let input = try KinematicFitInput(sample: s, pairing: .truth, resolution: nil)
        let t1 = try s.fourVectors(Key.trueC1), t2 = try s.fourVectors(Key.trueC2)
        let pairing = s[Key.pairing]!.integers!
        var hits = 0, total = 0
        for i in 0..<s.count {
            let (c1, c2) = input.chains(i, pairing: Int32(pairing[i]))
            for (chain, truth) in [(c1, fourVector(t1, i)), (c2, fourVector(t2, i))] {
                let y = truth.rapidity
                var q0 = SIMD2<Double>(), q1 = SIMD2<Double>()
                let n = chain.solve(ch: cosh(y), sh: sinh(y), kA: chain.kA(mA2: Self.mA * Self.mA, mC2: 0),
                                    kB: chain.kB(mB2: Self.mB * Self.mB, mC2: 0), mC2: 0, &q0, &q1)
                let roots = [q0, q1].prefix(n)
                total += 1
                if roots.contains(where: { abs($0.x - truth.px) < 1e-6 * truth.e && abs($0.y - truth.py) < 1e-6 * truth.e }) {
                    hits += 1
                }
            }
        }
        #expect(hits == total, "\(hits) of \(total) chains")
    }

    /// The estimator on perfectly measured events: the true mass lies on the maximum of each event's
    /// weight curve, the momenta at the maximum reproduce the MET, the sample-level maximum is
    /// the true mass.
    @Test func idealEventsPeakAtTrueMass() throws {
        let s = ChainFixture.ttbarLike(n: 400, mA: Self.mA, mB: Self.mB, mC: 0, ma: 4.7, seed: 22)
        let r = try NeutrinoWeightingEstimator.run(sample: s, pairing: .unknown, options: Self.options())
        let mass = r.perEvent["nuw_mass"]!.doubles!
        let curve = r.perEvent["nuw_weight_curve"]!.doubles!
        let grid = Self.options().mAValues, nM = grid.count
        let c1 = try r.perEvent.fourVectors("C1"), c2 = try r.perEvent.fourVectors("C2")
        let t1 = try s.fourVectors(Key.trueC1), t2 = try s.fourVectors(Key.trueC2)
        var within = 0, near = 0, curveAtTruth = 0, momenta = 0
        let lo = grid.lastIndex { $0 <= Self.mA }!
        for i in 0..<s.count {
            if abs(mass[i] - Self.mA) < 5 { within += 1 }
            if abs(mass[i] - Self.mA) < 15 { near += 1 }
            let w = 0.5 * (curve[i * nM + lo] + curve[i * nM + lo + 1])
            if w > 0.5 { curveAtTruth += 1 }
            if maxDifference(fourVector(c1, i), fourVector(t1, i)) < 5 && maxDifference(fourVector(c2, i), fourVector(t2, i)) < 5 {
                momenta += 1
            }
        }
        let n = Double(s.count)
        print("nuweight ideal: |m - mA| < 5: \(Double(within) / n), < 15: \(Double(near) / n), curve(truth) > 0.5: "
              + "\(Double(curveAtTruth) / n), momenta within 5 GeV: \(Double(momenta) / n), handled \(r.handledFraction), "
              + "masses \(r.masses), \(r.secondsPerEvent * 1e3) ms/event")
        print(r.notes.joined(separator: "\n"))
        #expect(r.handledFraction == 1)
        let m = try #require(r.masses.first)
        #expect(abs(m.value - Self.mA) < max(3 * m.uncertainty, 1), "\(m)")
    }

    @Test func badOptionsAreNamed() throws {
        let s = ChainFixture.ttbarLike(n: 5, mA: Self.mA, mB: Self.mB, mC: 0, seed: 3)
        var o = Self.options()
        o.mALow = 50
        #expect(throws: NeutrinoWeightingError.self) { try NeutrinoWeightingEstimator.run(sample: s, pairing: .unknown, options: o) }
        o = Self.options(); o.etaStep = 0
        do {
            _ = try NeutrinoWeightingEstimator.run(sample: s, pairing: .unknown, options: o)
            Issue.record("no error for eta step 0")
        } catch let e as NeutrinoWeightingError {
            #expect(e.description.contains("eta step"))
        }
        o = Self.options(); o.metSigmaFloor = 0
        do {
            _ = try NeutrinoWeightingEstimator.run(sample: s, pairing: .unknown, options: o)
            Issue.record("no error for a zero MET covariance")
        } catch let e as NeutrinoWeightingError {
            #expect(e.description.contains("event 0"))
        }
        o = Self.options(); o.mB = -1
        #expect(throws: NeutrinoWeightingError.self) { try NeutrinoWeightingEstimator.run(sample: s, pairing: .unknown, options: o) }
    }
}
