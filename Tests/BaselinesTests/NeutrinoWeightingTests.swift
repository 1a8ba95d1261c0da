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

    /// The estimator on perfectly measured events. Once m_A is free an ideal event is exactly
    /// solvable over a range of m_A, not at one point, so the per-event maximum is only an
    /// estimate: what must hold is that the true mass lies where the largest single term is exact
    /// (chi^2 = 0 after polishing the rapidities), that the sample-level maximum is near the
    /// truth, and that the fractions near the truth do not regress (measured: 28% within 5 GeV,
    /// 55% within 15 GeV on these events; sample maximum 176.4 +- 0.7 GeV).
    @Test func idealEvents() throws {
        let s = ChainFixture.ttbarLike(n: 400, mA: Self.mA, mB: Self.mB, mC: 0, ma: 4.7, seed: 22)
        let o = Self.options()
        let r = try NeutrinoWeightingEstimator.run(sample: s, pairing: .unknown, options: o)
        let mass = r.perEvent["nuw_mass"]!.doubles!
        let t1 = try s.fourVectors(Key.trueC1), t2 = try s.fourVectors(Key.trueC2)
        let input = try KinematicFitInput(sample: s, pairing: .truth, resolution: nil)
        let kernel = NeutrinoWeightingKernel(grid: NeutrinoWeightingGrid(options: o))
        let w = Whitening(covariance: SIMD3(0, 0, 0), floor: o.metSigmaFloor)!
        var within5 = 0, within15 = 0, inGrid = 0, exactAtTruth = 0
        for i in 0..<s.count {
            if abs(mass[i] - Self.mA) < 5 { within5 += 1 }
            if abs(mass[i] - Self.mA) < 15 { within15 += 1 }
            // Events whose true rapidities lie inside the grid.
            guard abs(fourVector(t1, i).rapidity) < o.etaMax, abs(fourVector(t2, i).rapidity) < o.etaMax else { continue }
            inGrid += 1
            let (c1, c2) = input.chains(i, pairing: input.pairings(i).lowerBound)
            let met = input.met(i)
            // The estimator's search (best grid pair per root combination, rapidities polished) at the true mass.
            guard let term = kernel.polishedTerm(c1, c2, met: met, whitening: w, gridMass: Self.mA, mass: Self.mA) else { continue }
            if term.score < 1e-6 { exactAtTruth += 1 }
        }
        let n = Double(s.count)
        print("nuweight ideal: within 5 GeV \(Double(within5) / n), within 15 GeV \(Double(within15) / n), exact at the true "
              + "mass \(exactAtTruth) of \(inGrid), \(r.masses), \(r.secondsPerEvent * 1e3) ms/event")
        #expect(r.handledFraction == 1)
        #expect(Double(exactAtTruth) >= 0.95 * Double(inGrid), "\(exactAtTruth) of \(inGrid)")
        #expect(Double(within5) >= 0.2 * n && Double(within15) >= 0.45 * n)
        let m = try #require(r.masses.first)
        #expect(abs(m.value - Self.mA) < 6, "\(m)")
    }

    /// With the momenta asked at the true mass, the reported invisibles are an exact solution
    /// there for nearly every event, but up to four exact solutions per pairing share that mass
    /// and the weight cannot tell them apart: the reported one is the true one in 43% of these
    /// 300 fixture events (within 1 GeV). The polished terms of the four root combinations of the
    /// true pairing include the truth in 67%.
    @Test func momentaAtFixedMass() throws {
        let s = ChainFixture.ttbarLike(n: 300, mA: Self.mA, mB: Self.mB, mC: 0, ma: 4.7, seed: 23)
        var o = Self.options()
        o.momentumMass = Self.mA
        let r = try NeutrinoWeightingEstimator.run(sample: s, pairing: .unknown, options: o)
        let c1 = try r.perEvent.fourVectors("C1"), c2 = try r.perEvent.fourVectors("C2")
        let t1 = try s.fourVectors(Key.trueC1), t2 = try s.fourVectors(Key.trueC2)
        let chi2 = r.perEvent["nuw_chi2"]!.doubles!
        var exact = 0, truth = 0
        for i in 0..<s.count {
            if chi2[i] < 1e-6 { exact += 1 }
            if maxDifference(fourVector(c1, i), fourVector(t1, i)) < 1 && maxDifference(fourVector(c2, i), fourVector(t2, i)) < 1 {
                truth += 1
            }
        }
        // Containment: some root combination's polished term at the true mass is the truth.
        let input = try KinematicFitInput(sample: s, pairing: .truth, resolution: nil)
        let kernel = NeutrinoWeightingKernel(grid: NeutrinoWeightingGrid(options: o))
        let w = Whitening(covariance: SIMD3(0, 0, 0), floor: o.metSigmaFloor)!
        var contained = 0
        for i in 0..<s.count {
            let (ch1, ch2) = input.chains(i, pairing: input.pairings(i).lowerBound)
            let met = input.met(i)
            kernel.fill(ch1, ch2, met: met, whitening: w, mA: Self.mA)
            var found = false
            for start in kernel.bestPerRoots() where start.tag1 >= 0 && !found {
                let r1 = Int(start.tag1 & 1), r2 = Int(start.tag2 & 1)
                let y0 = (kernel.grid.eta[Int(start.tag1 >> 1)], kernel.grid.eta[Int(start.tag2 >> 1)])
                let best = NelderMead2D.minimise(start: y0, step: (0.05, 0.05), tolerance: (1e-7, 1e-7), maxEvaluations: 400) { y in
                    NeutrinoWeightingKernel.term(ch1, ch2, met: met, whitening: w, mA: Self.mA, y1: y.0, y2: y.1, root1: r1, root2: r2,
                                                 grid: kernel.grid, priorWidth: nil)?.score ?? 1e300
                }
                if let v = NeutrinoWeightingKernel.term(ch1, ch2, met: met, whitening: w, mA: Self.mA, y1: best.point.0,
                                                        y2: best.point.1, root1: r1, root2: r2, grid: kernel.grid, priorWidth: nil),
                   maxDifference(v.c1, fourVector(t1, i)) < 1, maxDifference(v.c2, fourVector(t2, i)) < 1 {
                    found = true
                }
            }
            if found { contained += 1 }
        }
        print("nuweight momenta at the true mass: exact \(exact), true \(truth), truth among the root combinations \(contained) of \(s.count)")
        #expect(Double(exact) >= 0.95 * Double(s.count), "\(exact)")
        #expect(Double(truth) >= 0.35 * Double(s.count), "\(truth)")
        // Measured 201 of 300: a root combination can hold more than one exact solution (other
        // rapidities), and the polish finds the one nearest the best grid pair.
        #expect(Double(contained) >= 0.6 * Double(s.count), "\(contained)")
    }

    /// Bad samples: wrong topology, NaN (named with array and event), no provenance and no model.
    @Test func badSamplesAreNamed() throws {
        let o = Self.options()
        let antler = ChainFixture.antler(n: 5, mD: 1000, mB: 400, mC: 100)
        #expect(throws: SampleError.wrongTopology(expected: .ttbarLike, found: .antler)) {
            try NeutrinoWeightingEstimator.run(sample: antler, pairing: .unknown, options: o)
        }
        var s = ChainFixture.ttbarLike(n: 5, mA: Self.mA, mB: Self.mB, mC: 0, seed: 4)
        var met = try s.transverse(Key.met)
        met[2 * 3 + 1] = .nan
        s[Key.met] = .transverse(met)
        #expect(throws: SampleError.nonFinite(key: Key.met, event: 3)) {
            try LikelihoodFitEstimator.run(sample: s, pairing: .unknown, options: LikelihoodFitOptions(mB: Self.mB, mC: 0))
        }
        var bare = ChainFixture.ttbarLike(n: 5, mA: Self.mA, mB: Self.mB, mC: 0, seed: 4)
        bare.provenance = nil
        do {
            _ = try NeutrinoWeightingEstimator.run(sample: bare, pairing: .unknown, options: o)
            Issue.record("no error without provenance or model")
        } catch let e as NeutrinoWeightingError {
            #expect(e.description.contains("provenance"))
        }
        var given = o
        given.resolution = try ResolutionModel(preset: .ideal, scale: 0)
        #expect(try NeutrinoWeightingEstimator.run(sample: bare, pairing: .unknown, options: given).handledFraction == 1)
    }

    /// With the true pairing given, only that pairing is weighed and reported.
    @Test func truePairingIsKept() throws {
        let s = ChainFixture.ttbarLike(n: 40, mA: Self.mA, mB: Self.mB, mC: 0, ma: 4.7, seed: 25)
        let r = try NeutrinoWeightingEstimator.run(sample: s, pairing: .truth, options: Self.options())
        let chosen = r.perEvent["pairing_chosen"]!.integers!, truth = s[Key.pairing]!.integers!
        #expect(chosen == truth)
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
