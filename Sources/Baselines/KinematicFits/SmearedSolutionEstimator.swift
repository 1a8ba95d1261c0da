import Core
import Events
import Foundation
import Kinematics

/// Smeared analytic solutions ("kinreco", the CMS dilepton t-tbar reconstruction) for
/// t-tbar-like samples (A -> a B, B -> b C on both sides).
///
/// Per event and pairing, K trials: each visible is smeared by a draw from the resolution model
/// (`ResolutionModel`: jet energy, lepton pT; directions are kept because the detector model has
/// no angular smearing), the MET is recomputed from the smeared visibles with the unclustered
/// recoil held fixed, each chain's m_B is drawn from its Breit-Wigner, and the analytic system
/// (`KinematicSolver`) is solved at the fixed parent mass; of a trial's solutions the one with the
/// smallest m(A1 A2) is kept. A trial is weighted by the prior density of both chains' m(a b)
/// (`KinRecoPrior`, a training sample's truth) evaluated on the smeared visibles; trials without
/// solution weigh 0. The same smeared objects serve both pairings.
///
/// Per-event arrays: `C1`, `C2` (N, 4) GeV, the weighted mean invisible momenta of the chosen
/// pairing (C1 on the chain of reco a1; the mean three-momentum with E put on the m_C shell);
/// `weight_sum` (float64, 1/GeV^2, the chosen pairing's sum of trial weights), `weight_sums`
/// (N, 2) per pairing (0: a1 with b1; 1: a1 with b2; -1 for a pairing not tried);
/// `solved_trials` (int32, trials with a solution in the chosen pairing); `pairing_chosen` (int32,
/// the pairing with the larger weight sum); `status` (int32: exact when the weight sum is
/// positive, failed with NaN momenta otherwise). With a parent-mass scan also `weight_curve`
/// (N, G): each event's mean trial weight with a solution at every scanned m_A, summed over the
/// pairings tried, and `m_A_peak` (float64, GeV): the maximum of that curve (parabola through
/// the best grid point and its neighbours; NaN for an all-zero curve); the sample-level M_A is
/// the maximum of the summed logs of the normalised curves (see `SmearedSolutionScan`).
public enum SmearedSolutionEstimator {
    /// Method name.
    public static let method = "kinreco"

    /// Runs the reconstruction. `prior` is required (nil throws `SmearedSolutionError.missingPrior`);
    /// it must come from a separate training sample. `progress` counts finished events. Throws
    /// `SmearedSolutionError` for bad options, a missing or unusable prior or an antler sample,
    /// `SampleError` for missing arrays or NaN/Inf, `KinematicSolutionError` for a bad pairing value.
    public static func run(sample: Sample, pairing: PairingMode, options: SmearedSolutionOptions,
                           prior: KinRecoPrior?, progress: EventProgress? = nil) throws -> EstimatorResult {
        guard sample.kind == .ttbarLike else { throw SmearedSolutionError.antlerNotSupported }
        try options.validate()
        guard let prior else { throw SmearedSolutionError.missingPrior }
        guard prior.isUsable else {
            throw SmearedSolutionError.badPrior("needs a positive finite bin width, finite non-negative densities with some "
                                                + "positive, and reference m_A above m_B")
        }
        if let p = sample.provenance, let card = prior.sourceCard, let seed = prior.sourceSeed, let shard = prior.sourceShard,
           card == p.card, seed == p.seed, p.heldShards.contains(shard) {
            throw SmearedSolutionError.priorFromMeasuredSample(card: card, seed: seed, shard: shard)
        }
        let input = try DileptonInput(sample: sample, pairing: pairing)
        let n = input.count
        // Random streams keyed by the event number when the sample has a usable one (see the kernel).
        let numbers = sample[Key.event]?.integers
        let keys = numbers.flatMap { $0.count == n && Set($0).count == n ? $0 : nil }
        let kernel = SmearedSolutionKernel(input: input, options: options, prior: prior, streamKeys: keys)
        let g = options.parentMassScan.count
        let c1 = SharedOutput<Double>(repeating: .nan, count: 4 * n)
        let c2 = SharedOutput<Double>(repeating: .nan, count: 4 * n)
        let weightSum = SharedOutput<Double>(repeating: 0, count: n)
        let weightSums = SharedOutput<Double>(repeating: -1, count: 2 * n)
        let solved = SharedOutput<Int32>(repeating: 0, count: n)
        let chosen = SharedOutput<Int32>(repeating: 0, count: n)
        let status = SharedOutput<Int32>(repeating: EventStatus.failed.rawValue, count: n)
        let curves = SharedOutput<Double>(repeating: 0, count: n * g)
        let clock = ContinuousClock()
        let start = clock.now
        ParallelLoop.forEachChunk(n) { range in
            let solver = KinematicSolver()
            for i in range {
                let curve = UnsafeMutableBufferPointer(rebasing: curves.buffer[(i * g)..<((i + 1) * g)])
                let (s0, s1) = kernel.run(i, solver: solver, curve: curve)
                weightSums[2 * i] = s0.weight; weightSums[2 * i + 1] = s1.weight
                let best = s1.weight > s0.weight ? s1 : s0
                chosen[i] = s1.weight > s0.weight ? 1 : (s0.weight >= 0 ? 0 : 1)
                weightSum[i] = max(best.weight, 0); solved[i] = best.solved
                if best.weight > 0 {
                    let m1 = best.c1 / best.weight, m2 = best.c2 / best.weight
                    let mC = options.invisibleMass
                    let v1 = FourVector(mass: mC, px: m1[1], py: m1[2], pz: m1[3])
                    let v2 = FourVector(mass: mC, px: m2[1], py: m2[2], pz: m2[3])
                    c1.put(v1, at: i)
                    c2.put(v2, at: i)
                    status[i] = EventStatus.exact.rawValue
                }
                progress?.add()
            }
        }
        let statuses = status.array
        let seconds = (clock.now - start) / .seconds(1)
        var out = Sample(kind: .ttbarLike, provenance: sample.provenance)
        out[OutputKey.c1] = .fourVectors(c1.array)
        out[OutputKey.c2] = .fourVectors(c2.array)
        out[OutputKey.kinrecoWeightSum] = .scalars(weightSum.array)
        out[OutputKey.kinrecoWeightSums] = Column(shape: [n, 2], data: .float64(weightSums.array))
        out[OutputKey.kinrecoSolvedTrials] = .ints(solved.array)
        out[OutputKey.pairingChosen] = .ints(chosen.array)
        out[OutputKey.status] = .ints(statuses)
        let handled = statuses.filter { $0 == EventStatus.exact.rawValue }.count
        var notes = [
            "K = \(options.trials) trials per event and pairing; fixed m_A = \(options.parentMass) GeV, m_B ~ Breit-Wigner("
                + "\(options.intermediateMass), \(options.intermediateWidth)) GeV, m_C = \(options.invisibleMass) GeV",
            "resolution model \(options.resolution.summary); no angular smearing (the detector model keeps directions)",
            "m(a b) prior: \(prior.density.count) bins of \(prior.width) GeV from \(prior.events) training events"
                + " (reference m_A \(prior.referenceParentMass), m_B \(prior.referenceIntermediateMass) GeV)",
            "handled (positive weight sum) in \(handled) of \(n) events; pairing \(pairing.rawValue), seed \(options.seed), "
                + "random streams keyed by \(keys == nil ? "row index" : "event number")",
        ]
        var masses: [MassEstimate] = []
        if g > 0 {
            out[OutputKey.kinrecoWeightCurve] = Column(shape: [n, g], data: .float64(curves.array))
            out[OutputKey.kinrecoMassPeak] = .scalars(SmearedSolutionScan.peaks(curves.array, grid: options.parentMassScan))
            if let fit = SmearedSolutionScan.sampleMass(curves.array, grid: options.parentMassScan,
                                                        bootstrap: options.bootstrap, seed: options.seed) {
                masses.append(MassEstimate(
                    name: MassName.a, value: fit.value, uncertainty: fit.bootstrapError,
                    how: "kinreco: maximum of the summed log normalised weight curves over \(fit.events) events "
                        + "(uncertainty: bootstrap over events)"))
                notes.append(String(format: "scan of m_A over %d points %.1f...%.1f GeV; summed-log maximum %.2f GeV, bootstrap "
                                    + "error %.2f GeV (%d replicates), curvature error %.2f GeV (optimistic: the curves are "
                                    + "not normalised likelihoods)", g, options.parentMassScan[0], options.parentMassScan[g - 1],
                                    fit.value, fit.bootstrapError, options.bootstrap, fit.curvatureError))
                if fit.atEdge { notes.append("the summed-log maximum lies at the edge of the scan: widen the scan") }
            } else {
                notes.append("no event has a positive weight curve: no sample-level mass")
            }
        }
        return EstimatorResult(method: method, perEvent: out, masses: masses,
                               handledFraction: n > 0 ? Double(handled) / Double(n) : 0,
                               secondsPerEvent: n > 0 ? seconds / Double(n) : 0, notes: notes,
                               invisibleMass: options.invisibleMass)
    }
}
