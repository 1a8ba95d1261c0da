#if canImport(Glibc)
import Glibc
#endif
import Events
import Kinematics

/// The validated inputs of a kinematic fit: the dilepton visibles and MET, the optional ISR jet,
/// and the resolution model.
struct KinematicFitInput: Sendable {
    let dilepton: DileptonInput
    let isr: [Double]?
    let model: ResolutionModel

    /// Throws `SampleError` (topology, missing arrays, NaN/Inf naming array and event),
    /// `KinematicSolutionError.badPairing`, `DetectorError` for an unknown preset in the provenance, or
    /// `NeutrinoWeightingError` when there is neither a provenance nor a given model.
    init(sample: Sample, pairing: PairingMode, resolution: ResolutionModel?) throws {
        dilepton = try DileptonInput(sample: sample, pairing: pairing)
        if sample[Key.isr] != nil {
            try sample.validate(requiring: [Key.isr])
            isr = try sample.fourVectors(Key.isr)
        } else {
            isr = nil
        }
        if let resolution {
            model = resolution
        } else if let p = sample.provenance {
            model = try ResolutionModel(provenance: p)
        } else {
            throw NeutrinoWeightingError.invalidOption(
                name: "resolution", value: "from the sample",
                reason: "the sample has no provenance to read the detector preset and smearing scale from; give a resolution model")
        }
    }

    var count: Int { dilepton.count }

    @inline(__always) func a1(_ i: Int) -> FourVector { DileptonInput.vector(dilepton.a1, i) }
    @inline(__always) func a2(_ i: Int) -> FourVector { DileptonInput.vector(dilepton.a2, i) }
    @inline(__always) func b1(_ i: Int) -> FourVector { DileptonInput.vector(dilepton.b1, i) }
    @inline(__always) func b2(_ i: Int) -> FourVector { DileptonInput.vector(dilepton.b2, i) }
    @inline(__always) func met(_ i: Int) -> SIMD2<Double> { SIMD2(dilepton.met[2 * i], dilepton.met[2 * i + 1]) }

    /// The pairings to try at event i (0: a1 with b1, 1: a1 with b2).
    @inline(__always)
    func pairings(_ i: Int) -> ClosedRange<Int32> { dilepton.pairing.map { $0[i]...$0[i] } ?? 0...1 }

    /// Covariance (xx, xy, yy) of the measured MET at event i (GeV^2).
    func metCovariance(_ i: Int) -> SIMD3<Double> {
        model.metCovariance(a1: a1(i), a2: a2(i), b1: b1(i), b2: b2(i), isr: isr.map { DileptonInput.vector($0, i) })
    }

    /// The two chains of pairing p (chain 1 holds a1), for neutrino weighting.
    @inline(__always)
    func chains(_ i: Int, pairing p: Int32) -> (NeutrinoWeightingChain, NeutrinoWeightingChain) {
        let (x1, x2, y1, y2) = (a1(i), a2(i), b1(i), b2(i))
        return p == 0 ? (NeutrinoWeightingChain(a: x1, b: y1), NeutrinoWeightingChain(a: x2, b: y2))
                      : (NeutrinoWeightingChain(a: x1, b: y2), NeutrinoWeightingChain(a: x2, b: y1))
    }
}

/// One event's neutrino-weighting scan: log w(m_A) per pairing on the grid.
struct NeutrinoWeightingScan {
    /// log w per pairing, [pairing][mass index]; -infinity where no term survives.
    var logWeight: [[Double]]
    /// Whether the exact (all pairs) sum was needed because every windowed term was tiny.
    var fullPass = false

    /// Scans event i with `kernel` for the pairings `pairings` and whitening `w`; pairings not
    /// tried stay -infinity.
    init(kernel: NeutrinoWeightingKernel, chains: [(NeutrinoWeightingChain, NeutrinoWeightingChain)],
         pairings: ClosedRange<Int32>, met: SIMD2<Double>, whitening w: Whitening) {
        let n = kernel.grid.mA.count
        logWeight = [[Double]](repeating: [Double](repeating: -.infinity, count: n), count: 2)
        var best = Double.infinity
        for p in pairings {
            let (c1, c2) = chains[Int(p)]
            for m in 0..<n {
                kernel.fill(c1, c2, met: met, whitening: w, mA: kernel.grid.mA[m])
                let r = kernel.windowedWeight()
                logWeight[Int(p)][m] = r.weight > 0 ? log(r.weight) : -.infinity
                best = min(best, r.bestScore)
            }
        }
        // Terms below e^-25 were dropped; if the best term is under e^-7, that is no longer
        // negligible against the event's maximum: sum every pair exactly.
        if best > 14 {
            fullPass = true
            for p in pairings {
                let (c1, c2) = chains[Int(p)]
                for m in 0..<n {
                    kernel.fill(c1, c2, met: met, whitening: w, mA: kernel.grid.mA[m])
                    logWeight[Int(p)][m] = kernel.fullLogWeight().logWeight
                }
            }
        }
    }

    /// log of the weight summed over pairings at mass index m.
    @inline(__always)
    func combined(_ m: Int) -> Double {
        let a = logWeight[0][m], b = logWeight[1][m]
        let hi = max(a, b)
        guard hi > -.infinity else { return -.infinity }
        return hi + log(exp(a - hi) + exp(b - hi))
    }

    /// Index of the largest finite entry of `values`, nil when none is finite.
    static func argmax(_ values: [Double]) -> Int? {
        var best: Int?
        for (m, v) in values.enumerated() where v > -.infinity && v.isFinite {
            if best == nil || v > values[best!] { best = m }
        }
        return best
    }
}

/// The invisible momenta of one term of the weight: rapidities, root indices, the four-vectors.
struct WeightTerm {
    var y1: Double, y2: Double, root1: Int, root2: Int
    var c1: FourVector, c2: FourVector
    /// chi^2 - 2 log prior of this term.
    var score: Double
}

extension NeutrinoWeightingKernel {
    /// The largest single term at parent mass mA for the chains (c1, c2): its rapidities and roots.
    func bestTerm(_ c1: NeutrinoWeightingChain, _ c2: NeutrinoWeightingChain, met: SIMD2<Double>, whitening w: Whitening,
                  mA: Double) -> WeightTerm? {
        fill(c1, c2, met: met, whitening: w, mA: mA)
        let r = fullLogWeight()
        guard r.tag1 >= 0, r.tag2 >= 0 else { return nil }
        let k1 = Int(r.tag1 >> 1), k2 = Int(r.tag2 >> 1)
        var term = WeightTerm(y1: grid.eta[k1], y2: grid.eta[k2], root1: Int(r.tag1 & 1), root2: Int(r.tag2 & 1),
                              c1: FourVector(e: 0, px: 0, py: 0, pz: 0), c2: FourVector(e: 0, px: 0, py: 0, pz: 0),
                              score: r.best)
        guard let v = Self.term(c1, c2, met: met, whitening: w, mA: mA, y1: term.y1, y2: term.y2,
                                root1: term.root1, root2: term.root2, grid: grid, priorWidth: nil) else { return nil }
        term.c1 = v.c1; term.c2 = v.c2
        return term
    }

    /// The term with rapidities (y1, y2) and roots (root1, root2) at mA: the two invisible
    /// four-vectors and chi^2 (minus twice the Gaussian rapidity prior of width `priorWidth`
    /// when given); nil when a root does not exist there.
    static func term(_ c1: NeutrinoWeightingChain, _ c2: NeutrinoWeightingChain, met: SIMD2<Double>, whitening w: Whitening,
                     mA: Double, y1: Double, y2: Double, root1: Int, root2: Int, grid: NeutrinoWeightingGrid,
                     priorWidth: Double?) -> (c1: FourVector, c2: FourVector, score: Double)? {
        let mA2 = mA * mA, mC2 = grid.mC2
        var p0 = SIMD2<Double>(), p1 = SIMD2<Double>()
        let ch1 = cosh(y1), sh1 = sinh(y1), ch2 = cosh(y2), sh2 = sinh(y2)
        let n1 = c1.solve(ch: ch1, sh: sh1, kA: c1.kA(mA2: mA2, mC2: mC2), kB: c1.kB(mB2: grid.mB2, mC2: mC2), mC2: mC2, &p0, &p1)
        guard n1 > root1 else { return nil }
        let q1 = root1 == 0 ? p0 : p1
        let n2 = c2.solve(ch: ch2, sh: sh2, kA: c2.kA(mA2: mA2, mC2: mC2), kB: c2.kB(mB2: grid.mB2, mC2: mC2), mC2: mC2, &p0, &p1)
        guard n2 > root2 else { return nil }
        let q2 = root2 == 0 ? p0 : p1
        let d = w.apply(met - q1 - q2)
        var score = d.x * d.x + d.y * d.y
        if let s = priorWidth { score += (y1 * y1 + y2 * y2) / (s * s) }
        return (NeutrinoWeightingChain.invisible(q1, ch: ch1, sh: sh1, mC2: mC2),
                NeutrinoWeightingChain.invisible(q2, ch: ch2, sh: sh2, mC2: mC2), score)
    }

    /// The best term at `mass`: the best grid pair of each root combination at `gridMass`, its
    /// rapidities polished by Nelder-Mead (smallest chi^2 at `mass`); the lowest wins. When no
    /// root combination exists at `mass`, the best grid term at `gridMass`.
    func polishedTerm(_ c1: NeutrinoWeightingChain, _ c2: NeutrinoWeightingChain, met: SIMD2<Double>, whitening w: Whitening,
                      gridMass: Double, mass: Double) -> WeightTerm? {
        fill(c1, c2, met: met, whitening: w, mA: gridMass)
        var best: WeightTerm?
        let g = grid
        for start in bestPerRoots() where start.tag1 >= 0 {
            let root1 = Int(start.tag1 & 1), root2 = Int(start.tag2 & 1)
            let y0 = (g.eta[Int(start.tag1 >> 1)], g.eta[Int(start.tag2 >> 1)])
            let polished = NelderMead2D.minimise(start: y0, step: (0.05, 0.05), tolerance: (1e-6, 1e-6), maxEvaluations: 300) { y in
                Self.term(c1, c2, met: met, whitening: w, mA: mass, y1: y.0, y2: y.1, root1: root1, root2: root2,
                          grid: g, priorWidth: nil)?.score ?? 1e300
            }
            for y in [polished.point, y0] {
                guard let v = Self.term(c1, c2, met: met, whitening: w, mA: mass, y1: y.0, y2: y.1, root1: root1, root2: root2,
                                        grid: g, priorWidth: nil) else { continue }
                if best == nil || v.score < best!.score {
                    best = WeightTerm(y1: y.0, y2: y.1, root1: root1, root2: root2, c1: v.c1, c2: v.c2, score: v.score)
                }
            }
        }
        // No root combination exists at `mass` near the grid's rapidities: the best grid term.
        return best ?? bestTerm(c1, c2, met: met, whitening: w, mA: gridMass)
    }
}
