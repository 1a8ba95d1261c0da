@testable import Baselines
import Detector
import Events
import Generation
import Kinematics
import Testing
import TestSupport

/// Samples and helpers of the smeared-solution (kinreco) tests.
enum KinRecoSamples {
    /// The hypotheses of a card (m_A, m_B, Gamma_B, m_C of its particles A, B, C), as an
    /// analysis takes the known top and W masses.
    static func options(card: Card, resolution: ResolutionModel, trials: Int = 100, parentMassScan: [Double] = [],
                        seed: UInt64 = 1) -> SmearedSolutionOptions {
        SmearedSolutionOptions(trials: trials, parentMass: card.particle(.A).mass, intermediateMass: card.particle(.B).mass,
                               intermediateWidth: card.particle(.B).width, invisibleMass: card.particle(.C).mass,
                               resolution: resolution, parentMassScan: parentMassScan, seed: seed)
    }

    static func ttbarCard() throws -> Card { try Card.load(nameOrPath: "ttbar", directory: RepositoryPaths.topologies) }

    /// `n` events of the `ttbar` card through the detector preset, seeded.
    static func ttbar(_ n: Int, detector: DetectorPreset, seed: UInt64) throws -> Sample {
        try EventPipeline(card: ttbarCard(), detector: detector, seed: seed).generateSample(events: n)
    }

    /// The m(a b) prior from a separate on-shell training sample (seed differs from every measured one).
    static func onShellPrior(ma: Double = 4.7) throws -> KinRecoPrior {
        try KinRecoPrior.fromTruth(ChainFixture.ttbarLike(n: 4000, mA: 172.5, mB: 80.38, mC: 0, ma: ma, seed: 901))
    }

    static func ideal() throws -> ResolutionModel { try ResolutionModel(preset: .ideal, scale: 0, aClass: .jet, bClass: .muon) }

    /// Per-component RMS of (estimated - true) over both invisibles of the events in `rows`, GeV.
    static func rms(_ est: Sample, truth s: Sample, rows: [Int]) throws -> SIMD3<Double> {
        let c1 = try est.fourVectors("C1"), c2 = try est.fourVectors("C2")
        let t1 = try s.fourVectors(Key.trueC1), t2 = try s.fourVectors(Key.trueC2)
        var sum = SIMD3<Double>.zero
        for i in rows {
            for (c, t) in [(c1, t1), (c2, t2)] {
                let d = SIMD3(c[4 * i + 1] - t[4 * i + 1], c[4 * i + 2] - t[4 * i + 2], c[4 * i + 3] - t[4 * i + 3])
                sum += d * d
            }
        }
        return (sum / Double(2 * max(rows.count, 1))).squareRoot()
    }
}

@Suite struct SmearedSolutionTests {
    /// No smearing and on-shell events: every trial is the exact system, so kinreco's momenta must
    /// be kinsolve's choice (smallest m(A1 A2) among the exact solutions, which contain the true
    /// momenta), at the true masses, for >= 95% of the solvable events.
    @Test func idealDetectorGivesTheExactSolutions() throws {
        let s = ChainFixture.ttbarLike(n: 1000, mA: 172.5, mB: 80.38, mC: 0, ma: 4.7, seed: 31)
        let opts = SmearedSolutionOptions(trials: 3, parentMass: 172.5, intermediateMass: 80.38, intermediateWidth: 0,
                                          resolution: try KinRecoSamples.ideal())
        let r = try SmearedSolutionEstimator.run(sample: s, pairing: .truth, options: opts, prior: try KinRecoSamples.onShellPrior())
        let exact = try KinematicSolutionEstimator.run(sample: s, pairing: .truth, masses: ChainMasses(mA: 172.5, mB: 80.38, mC: 0))
        let k1 = try exact.perEvent.fourVectors("C1"), k2 = try exact.perEvent.fourVectors("C2")
        let r1 = try r.perEvent.fourVectors("C1"), r2 = try r.perEvent.fourVectors("C2")
        let t1 = try s.fourVectors(Key.trueC1), t2 = try s.fourVectors(Key.trueC2)
        let solvable = (0..<s.count).filter { exact.perEvent["status"]!.integers![$0] == 0 }
        var equal = 0, truthFound = 0, truthChosen = 0, kinsolveTruth = 0
        let all1 = exact.perEvent["all_C1"]!.doubles!, all2 = exact.perEvent["all_C2"]!.doubles!
        let pairing = s[Key.pairing]!.integers!
        for i in solvable {
            let e = maxDifference(fourVector(r1, i), fourVector(k1, i)) + maxDifference(fourVector(r2, i), fourVector(k2, i))
            if e < 1e-6 { equal += 1 }
            if maxDifference(fourVector(r1, i), fourVector(t1, i)) < 1e-3 && maxDifference(fourVector(r2, i), fourVector(t2, i)) < 1e-3 {
                truthChosen += 1
            }
            if maxDifference(fourVector(k1, i), fourVector(t1, i)) < 1e-3 && maxDifference(fourVector(k2, i), fourVector(t2, i)) < 1e-3 {
                kinsolveTruth += 1
            }
            // The truth among the exact solutions of the true pairing (slot [i, pairing, k, :]).
            let hit = (0..<4).contains { k in
                let base = 32 * i + 16 * Int(pairing[i]) + 4 * k
                return abs(all1[base + 1] - t1[4 * i + 1]) + abs(all1[base + 2] - t1[4 * i + 2]) + abs(all1[base + 3] - t1[4 * i + 3])
                    + abs(all2[base + 1] - t2[4 * i + 1]) + abs(all2[base + 2] - t2[4 * i + 2]) + abs(all2[base + 3] - t2[4 * i + 3]) < 1e-3
            }
            if hit { truthFound += 1 }
        }
        let n = Double(solvable.count)
        #expect(n > 900)
        #expect(Double(equal) / n >= 0.95, "kinreco equals the exact choice in \(equal) of \(solvable.count)")
        #expect(Double(truthFound) / n >= 0.95, "truth among the exact solutions in \(truthFound) of \(solvable.count)")
        // The choice is the same rule, so it picks the truth exactly as often as kinsolve does.
        #expect(truthChosen == kinsolveTruth)
        #expect(r.handledFraction >= 0.95 * n / Double(s.count))
        // Identical trials: the weight sum is K times one trial's weight, the prior product.
        let w = r.perEvent["weight_sum"]!.doubles!, prior = try KinRecoSamples.onShellPrior()
        let a1 = try s.fourVectors(Key.a1), a2 = try s.fourVectors(Key.a2), b1 = try s.fourVectors(Key.b1), b2 = try s.fourVectors(Key.b2)
        for i in solvable.prefix(50) where w[i] > 0 {
            let (bA, bB) = pairing[i] == 0 ? (b1, b2) : (b2, b1)
            let expected = 3 * prior.density((fourVector(a1, i) + fourVector(bA, i)).mass)
                * prior.density((fourVector(a2, i) + fourVector(bB, i)).mass)
            #expect(abs(w[i] - expected) <= 1e-12 * expected)
        }
    }

    /// Under CMS smearing kinreco handles nearly every event (kinsolve's exact solutions fail in
    /// 15-20%), and its invisible-momentum resolution beats kinsolve's (closest approach included).
    @Test func cmsSmearingHandledFractionAndResolution() throws {
        let card = try KinRecoSamples.ttbarCard()
        let s = try KinRecoSamples.ttbar(600, detector: .cms, seed: 71)
        let prior = try KinRecoPrior.fromTruth(try KinRecoSamples.ttbar(4000, detector: .cms, seed: 72))
        let res = try ResolutionModel(provenance: s.provenance, classes: ChainClasses(card: card))
        #expect(res.preset == .cms && res.scale == 1 && res.aClass == .jet && res.bClass == .muon)
        let r = try SmearedSolutionEstimator.run(sample: s, pairing: .unknown,
                                                 options: KinRecoSamples.options(card: card, resolution: res, seed: 3), prior: prior)
        let k = try KinematicSolutionEstimator.run(sample: s, pairing: .unknown, masses: ChainMasses(mA: 172.5, mB: 80.38, mC: 0))
        let kStatus = k.perEvent["status"]!.integers!, rStatus = r.perEvent["status"]!.integers!
        let kExact = Double(kStatus.filter { $0 == 0 }.count) / Double(s.count)
        #expect(r.handledFraction >= 0.95, "kinreco handled \(r.handledFraction)")
        #expect(kExact < 0.9 && r.handledFraction > kExact + 0.05, "kinsolve exact \(kExact), kinreco \(r.handledFraction)")
        let both = (0..<s.count).filter { kStatus[$0] != 2 && rStatus[$0] == 0 }
        let rr = try KinRecoSamples.rms(r.perEvent, truth: s, rows: both), kr = try KinRecoSamples.rms(k.perEvent, truth: s, rows: both)
        #expect(rr.x < kr.x && rr.y < kr.y && rr.z < kr.z, "RMS px, py, pz: kinreco \(rr), kinsolve \(kr) over \(both.count) events")
        // The chosen pairing is the one with the larger weight sum.
        let ws = r.perEvent["weight_sums"]!.doubles!, chosen = r.perEvent["pairing_chosen"]!.integers!
        for i in 0..<s.count where rStatus[i] == 0 {
            #expect(ws[2 * i + Int(chosen[i])] >= ws[2 * i + 1 - Int(chosen[i])])
        }
    }

    /// Same seed, same bytes; the event's stream depends only on the seed and its key, so the
    /// events run in any order (any thread count or chunking) give the same output; another seed
    /// changes it.
    @Test func reproducibleForAnyOrder() throws {
        let s = try KinRecoSamples.ttbar(120, detector: .cms, seed: 81)
        let res = try ResolutionModel(preset: .cms, scale: 1, aClass: .jet, bClass: .muon)
        let prior = try KinRecoSamples.onShellPrior()
        let opts = SmearedSolutionOptions(trials: 20, parentMass: 172.5, intermediateMass: 80.38, intermediateWidth: 2.085,
                                          resolution: res, parentMassScan: [165, 170, 175, 180], seed: 9, bootstrap: 10)
        let one = try SmearedSolutionEstimator.run(sample: s, pairing: .unknown, options: opts, prior: prior)
        let two = try SmearedSolutionEstimator.run(sample: s, pairing: .unknown, options: opts, prior: prior)
        for key in ["C1", "C2", "weight_sum", "weight_sums", "weight_curve", "m_A_peak"] {
            let a = one.perEvent[key]!.doubles!.map(\.bitPattern), b = two.perEvent[key]!.doubles!.map(\.bitPattern)
            #expect(a == b, "\(key)")
        }
        #expect(one.masses == two.masses)
        // Serial, in reverse order, one solver: the kernel gives each event's outcome bit for bit.
        let input = try DileptonInput(sample: s, pairing: .unknown)
        let kernel = SmearedSolutionKernel(input: input, options: opts, prior: prior, streamKeys: s[Key.event]?.integers)
        let solver = KinematicSolver()
        let curve = UnsafeMutableBufferPointer<Double>.allocate(capacity: 4)
        defer { curve.deallocate() }
        let sums = one.perEvent["weight_sums"]!.doubles!, curves = one.perEvent["weight_curve"]!.doubles!
        for i in (0..<s.count).reversed() {
            let (p0, p1) = kernel.run(i, solver: solver, curve: curve)
            #expect(p0.weight.bitPattern == sums[2 * i].bitPattern && p1.weight.bitPattern == sums[2 * i + 1].bitPattern)
            #expect(Array(curve).map(\.bitPattern) == curves[(4 * i)..<(4 * i + 4)].map(\.bitPattern))
        }
        // A subset keeps each event's numbers (streams keyed by the event number).
        let rows = [5, 17, 60, 99]
        let sub = try SmearedSolutionEstimator.run(sample: s.selecting(rows), pairing: .unknown, options: opts, prior: prior)
        let subW = sub.perEvent["weight_sums"]!.doubles!
        for (j, i) in rows.enumerated() { #expect(subW[2 * j] == sums[2 * i] && subW[2 * j + 1] == sums[2 * i + 1]) }
        var other = opts
        other.seed = 10
        let three = try SmearedSolutionEstimator.run(sample: s, pairing: .unknown, options: other, prior: prior)
        #expect(three.perEvent["weight_sum"]!.doubles! != one.perEvent["weight_sum"]!.doubles!)
    }

    /// The parent-mass scan on ideal on-shell events: the summed log normalised curves peak at
    /// the true m_A (every event is solvable there, and the stretched prior is the m(a b)
    /// likelihood), within 1% and 3 bootstrap sigma.
    @Test func idealScanFindsTheParentMass() throws {
        let s = ChainFixture.ttbarLike(n: 600, mA: 172.5, mB: 80.38, mC: 0, ma: 4.7, seed: 32)
        let opts = SmearedSolutionOptions(trials: 1, parentMass: 172.5, intermediateMass: 80.38, intermediateWidth: 0,
                                          resolution: try KinRecoSamples.ideal(),
                                          parentMassScan: SmearedSolutionOptions.grid(150...195, points: 19), seed: 2, bootstrap: 50)
        let r = try SmearedSolutionEstimator.run(sample: s, pairing: .unknown, options: opts, prior: try KinRecoSamples.onShellPrior())
        let m = try #require(r.masses.first { $0.name == "M_A" })
        #expect(abs(m.value - 172.5) < 0.01 * 172.5 && abs(m.value - 172.5) < 3 * m.uncertainty + 1.25, "M_A \(m.value) +- \(m.uncertainty)")
        #expect(m.uncertainty > 0 && m.uncertainty < 5)
        #expect(r.perEvent["weight_curve"]!.shape == [600, 19])
        let peaks = r.perEvent["m_A_peak"]!.doubles!.filter(\.isFinite)
        #expect(peaks.count > 550 && peaks.allSatisfy { $0 >= 150 && $0 <= 195 })
    }

    @Test func badOptionsAreClearErrors() throws {
        let s = ChainFixture.ttbarLike(n: 20, mA: 172.5, mB: 80.38, mC: 0, seed: 33)
        let prior = try KinRecoSamples.onShellPrior()
        let base = SmearedSolutionOptions(trials: 10, parentMass: 172.5, intermediateMass: 80.38, intermediateWidth: 2,
                                          resolution: try KinRecoSamples.ideal())
        func run(_ o: SmearedSolutionOptions, prior p: KinRecoPrior? = prior, sample: Sample = s) throws {
            _ = try SmearedSolutionEstimator.run(sample: sample, pairing: .unknown, options: o, prior: p)
        }
        var o = base; o.trials = 0
        #expect(throws: SmearedSolutionError.badTrials(0)) { try run(o) }
        o = base; o.trials = -5
        #expect(throws: SmearedSolutionError.badTrials(-5)) { try run(o) }
        #expect(throws: SmearedSolutionError.missingPrior) { try run(base, prior: nil) }
        #expect(throws: SmearedSolutionError.antlerNotSupported) {
            try run(base, sample: ChainFixture.antler(n: 10, mD: 500, mB: 200, mC: 0))
        }
        o = base; o.parentMass = 70
        #expect(throws: SmearedSolutionError.self) { try run(o) }
        o = base; o.parentMassScan = [180, 170, 190]
        #expect(throws: SmearedSolutionError.self) { try run(o) }
        var empty = prior; empty.density = empty.density.map { _ in 0 }
        #expect(throws: SmearedSolutionError.self) { try run(base, prior: empty) }
        // A prior built from the measured sample itself is refused.
        let own = try KinRecoPrior.fromTruth(ChainFixture.ttbarLike(n: 200, mA: 172.5, mB: 80.38, mC: 0, seed: 34))
        #expect(throws: SmearedSolutionError.priorFromMeasuredSample(card: "fixture", seed: 34, shard: 0)) {
            try run(base, prior: own, sample: ChainFixture.ttbarLike(n: 200, mA: 172.5, mB: 80.38, mC: 0, seed: 34))
        }
        #expect("\(SmearedSolutionError.antlerNotSupported)".contains("one unknown free"))
        // Missing arrays and a prior from a sample without truth name the array.
        var noMet = s; noMet[Key.met] = nil
        #expect(throws: SampleError.self) { try run(base, sample: noMet) }
        var noTruth = s; noTruth[Key.trueb1] = nil
        #expect(throws: SampleError.self) { _ = try KinRecoPrior.fromTruth(noTruth) }
    }
}
