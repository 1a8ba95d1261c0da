import Kinematics

/// The per-event work of the smeared-solution reconstruction (see `SmearedSolutionEstimator`):
/// K trials of smeared visibles, recomputed MET and drawn m_B, each solved analytically and
/// weighted by the m(a b) prior of both chains.
struct SmearedSolutionKernel: Sendable {
    let input: DileptonInput
    let options: SmearedSolutionOptions
    let prior: KinRecoPrior
    let breitWigner: IntermediateMassDraw
    /// Momentum scale of the solver (the largest m_A tried), GeV.
    let scale: Double
    /// Upper limit of the m_B draws: just below the smallest m_A tried.
    let intermediateLimit: Double
    /// Prior stretch factors at the fixed m_A and at every scanned m_A.
    let fixedStretch: Double
    let scanStretch: [Double]
    /// The key of each event's random stream: the sample's `event` numbers when it has them
    /// (unique across shards, so an event draws the same numbers in a subset or a merged file),
    /// else the row index.
    let streamKeys: [Int64]?

    init(input: DileptonInput, options: SmearedSolutionOptions, prior: KinRecoPrior, streamKeys: [Int64]? = nil) {
        self.input = input; self.options = options; self.prior = prior; self.streamKeys = streamKeys
        let mC = options.invisibleMass
        breitWigner = IntermediateMassDraw(pole: options.intermediateMass, width: options.intermediateWidth,
                                           floor: mC + 1e-9 * (1 + mC))
        let lowest = min(options.parentMass, options.parentMassScan.first ?? .infinity)
        scale = max(options.parentMass, options.parentMassScan.last ?? 0)
        intermediateLimit = max(lowest * (1 - 1e-9), breitWigner.lower)
        fixedStretch = prior.stretch(parentMass: options.parentMass, intermediateMass: options.intermediateMass)
        scanStretch = options.parentMassScan.map {
            prior.stretch(parentMass: $0, intermediateMass: options.intermediateMass)
        }
    }

    /// Sums of one pairing over the trials: weighted invisible momenta (GeV), weight sum and
    /// the number of trials with a solution.
    struct PairingSums {
        var c1 = SIMD4<Double>.zero, c2 = SIMD4<Double>.zero
        var weight = 0.0
        var solved: Int32 = 0
    }

    /// The trial weight: the prior density of both chains' m(a b) for a stretch s (1/GeV^2).
    @inline(__always)
    func weight(_ m1: Double, _ m2: Double, stretch s: Double) -> Double {
        s * s * prior.density(s * m1) * prior.density(s * m2)
    }

    /// Runs the trials of event i. Returns the sums of pairings 0 and 1 (a pairing not tried
    /// keeps weight -1); when scanning, `curve` (one slot per scanned m_A) receives the mean
    /// trial weight with a solution at each m_A, summed over the pairings tried.
    func run(_ i: Int, solver: KinematicSolver, curve: UnsafeMutableBufferPointer<Double>) -> (PairingSums, PairingSums) {
        var rng = KinRecoRandom(seed: options.seed, event: streamKeys.map { Int(truncatingIfNeeded: $0[i]) } ?? i)
        let a1 = DileptonInput.vector(input.a1, i), a2 = DileptonInput.vector(input.a2, i)
        let b1 = DileptonInput.vector(input.b1, i), b2 = DileptonInput.vector(input.b2, i)
        let metX = input.met[2 * i], metY = input.met[2 * i + 1]
        let res = options.resolution
        let pairings: ClosedRange<Int32> = input.pairing.map { $0[i]...$0[i] } ?? 0...1
        var sums = (PairingSums(), PairingSums())
        if input.pairing != nil {
            if pairings.lowerBound == 0 { sums.1.weight = -1 } else { sums.0.weight = -1 }
        }
        for j in curve.indices { curve[j] = 0 }
        let inv = 1 / scale
        let mA = options.parentMass, mC = options.invisibleMass
        for _ in 0..<options.trials {
            // Draws in a fixed order whatever happens next, so trial k sees the same numbers in
            // every run; the same smeared objects serve both pairings (common random numbers).
            let g = (rng.gaussian(), rng.gaussian(), rng.gaussian(), rng.gaussian())
            let mB1 = breitWigner.mass(rng.uniform(), below: intermediateLimit)
            let mB2 = breitWigner.mass(rng.uniform(), below: intermediateLimit)
            let sa1 = res.smeared(res.aClass, a1, gaussian: g.0), sa2 = res.smeared(res.aClass, a2, gaussian: g.1)
            let sb1 = res.smeared(res.bClass, b1, gaussian: g.2), sb2 = res.smeared(res.bClass, b2, gaussian: g.3)
            guard sa1.e > 0, sa2.e > 0, sb1.e > 0, sb2.e > 0 else { continue }
            // The unclustered recoil (the part of MET not balancing the visibles) stays fixed:
            // MET' = MET + sum(visibles) - sum(smeared visibles), transverse.
            let mx = metX + (a1.px + a2.px + b1.px + b2.px) - (sa1.px + sa2.px + sb1.px + sb2.px)
            let my = metY + (a1.py + a2.py + b1.py + b2.py) - (sa1.py + sa2.py + sb1.py + sb2.py)
            let visible = sa1 + sa2 + sb1 + sb2
            for p in pairings {
                let (bA, bB) = p == 0 ? (sb1, sb2) : (sb2, sb1)
                let ch1 = DileptonChain(a: inv * sa1, b: inv * bA), ch2 = DileptonChain(a: inv * sa2, b: inv * bB)
                guard ch1.valid, ch2.valid else { continue }
                let m1 = (sa1 + bA).mass, m2 = (sa2 + bB).mass
                let w = weight(m1, m2, stretch: fixedStretch)
                if w > 0 {
                    let sols = solver.solveScaled(
                        ch1, ch2, mx: mx * inv, my: my * inv,
                        ScaledMasses(ChainMasses(mA: mA, mB: mB1, mC: mC), scale: scale),
                        ScaledMasses(ChainMasses(mA: mA, mB: mB2, mC: mC), scale: scale), outputScale: scale)
                    // The trial's solution: the smallest m(A1 A2), as in the exact method.
                    var best = -1, bestMass = Double.infinity
                    for k in 0..<sols.count {
                        let s = sols[k]
                        let mass = (visible + s.c1 + s.c2).mass
                        if mass < bestMass { bestMass = mass; best = k }
                    }
                    if best >= 0 {
                        let s = sols[best]
                        let d1 = w * SIMD4(s.c1.e, s.c1.px, s.c1.py, s.c1.pz), d2 = w * SIMD4(s.c2.e, s.c2.px, s.c2.py, s.c2.pz)
                        if p == 0 {
                            sums.0.c1 += d1; sums.0.c2 += d2; sums.0.weight += w; sums.0.solved += 1
                        } else {
                            sums.1.c1 += d1; sums.1.c2 += d2; sums.1.weight += w; sums.1.solved += 1
                        }
                    }
                }
                for j in curve.indices {
                    let mAj = options.parentMassScan[j]
                    let wj = weight(m1, m2, stretch: scanStretch[j])
                    guard wj > 0 else { continue }
                    let sols = solver.solveScaled(
                        ch1, ch2, mx: mx * inv, my: my * inv,
                        ScaledMasses(ChainMasses(mA: mAj, mB: mB1, mC: mC), scale: scale),
                        ScaledMasses(ChainMasses(mA: mAj, mB: mB2, mC: mC), scale: scale), outputScale: scale)
                    if sols.count > 0 { curve[j] += wj }
                }
            }
        }
        let k = 1 / Double(options.trials)
        for j in curve.indices { curve[j] *= k }
        return sums
    }
}
