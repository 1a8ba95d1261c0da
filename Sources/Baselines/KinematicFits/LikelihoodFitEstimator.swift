#if canImport(Glibc)
import Core
import Glibc
#endif
import Events
import Foundation
import Kinematics

/// The dilepton likelihood fit (`klfit`, after the KLFitter dilepton likelihood): per event and
/// pairing, maximise L over m_A, the energies of the four visibles and the two invisible
/// rapidities (`LikelihoodFitObjective`: neutrino weight x Gaussian energy transfer functions
/// from the detector model x Gaussian rapidity priors x pairing prior) with GSL `vector_bfgs2`
/// from the best neutrino-weighting grid point of that pairing; the pairing with the larger
/// maximum wins (the only one with `.truth`). With `fixedMass` m_A is held there (a
/// reconstruction fit at a known mass).
///
/// Per-event arrays: `klf_mass` (fitted m_A, GeV), `C1`, `C2` (N, 4) GeV (the largest term at the
/// optimum; C1 on the chain of reco a1), `klf_energies` (N, 4) fitted energies of (a1, a2, b1, b2)
/// GeV, `klf_neg_log_likelihood` (-log L at the optimum), `klf_weight_curve` (N, n_mA), the
/// event's curve in m_A for the sample likelihood, normalised to its maximum, `pairing_chosen`
/// (int32), `status` (exact: the gradient test passed with real roots; approximate: not converged
/// or a chain without real roots at the optimum; failed: no start point, NaN outputs).
///
/// Sample level (not with `fixedMass`): `WeightCurveLikelihood` on the per-event curves. A full profile likelihood in
/// m_A would refit every event at every m_A; instead each pairing's curve holds the fitted
/// energies and sums the neutrino weight over the rapidity grid with the rapidity prior (a
/// conditional likelihood), the pairings combined with their transfer-function and pairing terms.
/// With `momentaAtSampleMass` a second pass refits every handled event with m_A held at that
/// sample mass and reports `C1`, `C2`, `klf_energies` and `pairing_chosen` from it.
public enum LikelihoodFitEstimator {
    public static let method = "klfit"

    /// Fits every event of a t-tbar-like sample. Throws `NeutrinoWeightingError` for a bad option
    /// or a zero resolution (naming the event), `SampleError` (topology, missing arrays, NaN/Inf
    /// naming array and event), `KinematicSolutionError.badPairing`, `DetectorError` for an
    /// unknown preset in the provenance.
    public static func run(sample: Sample, pairing: PairingMode, options: LikelihoodFitOptions,
                           progress: EventProgress? = nil) throws -> EstimatorResult {
        try options.validate()
        let o = options.grid
        let input = try KinematicFitInput(sample: sample, pairing: pairing, resolution: o.resolution)
        let n = input.count
        let whitening = try NeutrinoWeightingEstimator.whitenings(input, floor: o.metSigmaFloor)
        // After the fit the visibles' resolution is in the transfer functions: the MET keeps
        // only the soft term (and the floor).
        let soft = input.model.scale * input.model.softTermSigma
        guard let fitWhitening = Whitening(covariance: SIMD3(soft * soft, 0, soft * soft), floor: o.metSigmaFloor) else {
            throw NeutrinoWeightingError.invalidOption(name: "MET sigma floor", value: "\(o.metSigmaFloor)",
                                                       reason: "the likelihood fit needs an unclustered MET sigma > 0 GeV")
        }
        let sigmas = try energySigmas(input, floor: options.energySigmaFloor)
        let grid = NeutrinoWeightingGrid(options: o)
        let priorGrid = NeutrinoWeightingGrid(options: o, etaPriorWidth: options.etaPriorWidth)
        let nM = grid.mA.count
        let mass = SharedOutput<Double>(repeating: .nan, count: n)
        let nll = SharedOutput<Double>(repeating: .nan, count: n)
        let energies = SharedOutput<Double>(repeating: .nan, count: 4 * n)
        let curve = SharedOutput<Double>(repeating: 0, count: n * nM)
        let c1 = SharedOutput<Double>(repeating: .nan, count: 4 * n)
        let c2 = SharedOutput<Double>(repeating: .nan, count: 4 * n)
        let chosen = SharedOutput<Int32>(repeating: -1, count: n)
        let status = SharedOutput<Int32>(repeating: EventStatus.failed.rawValue, count: n)
        let clock = ContinuousClock()
        let start = clock.now
        ParallelLoop.forEachChunk(n) { range in
            let kernel = NeutrinoWeightingKernel(grid: grid), priorKernel = NeutrinoWeightingKernel(grid: priorGrid)
            let fitter = LikelihoodFitMinimizer()
            for i in range {
                defer { progress?.add() }
                guard let r = fitEvent(kernel, priorKernel, fitter, input, i, whitening: whitening[i],
                                       fitWhitening: fitWhitening, sigma: sigmas[i], options: options) else { continue }
                mass[i] = r.mass; nll[i] = r.negLogL; chosen[i] = r.pairing; status[i] = r.status.rawValue
                for k in 0..<4 { energies[4 * i + k] = r.energies[k] }
                for m in 0..<nM { curve[i * nM + m] = r.curve[m] }
                c1.put(r.c1, at: i); c2.put(r.c2, at: i)
            }
        }
        let statuses = status.array
        let firstPass = (clock.now - start) / .seconds(1)
        var secondPass = 0.0
        let handled = statuses.filter { $0 != EventStatus.failed.rawValue }.count
        let converged = statuses.filter { $0 == EventStatus.exact.rawValue }.count
        var notes = [
            "hypothesis m_B = \(o.mB), m_C = \(o.mC) GeV; start grid m_A \(o.mALow)...\(o.mAHigh) step \(o.mAStep) "
                + "(\(nM) points), rapidity +-\(o.etaMax) step \(o.etaStep) (\(grid.eta.count) points)",
            input.model.summary + ", MET sigma floor \(o.metSigmaFloor) GeV, energy sigma floor \(options.energySigmaFloor) "
                + "relative, rapidity prior width \(options.etaPriorWidth)",
            (options.fixedMass.map { "m_A held at \($0) GeV; " } ?? "") + "fits converged in \(converged) of \(n) events; pairing \(pairing.rawValue)"
                + (options.pairingPrior && pairing == .unknown ? " with the m(ab) product prior" : ""),
        ]
        var masses: [MassEstimate] = []
        let use = statuses.map { $0 != EventStatus.failed.rawValue }
        if options.fixedMass != nil {
            // Energies fitted at a fixed m_A lean towards it: their curves would return that mass.
            notes.append("no sample-level mass: m_A was held fixed")
        } else if let l = WeightCurveLikelihood.maximise(curves: curve.array, use: use, mA: grid.mA, outlierFraction: o.outlierFraction,
                                                 replicates: o.bootstrapReplicates, seed: o.seed) {
            masses.append(MassEstimate(name: MassName.a, value: l.value, uncertainty: l.bootstrapSigma,
                                       how: "likelihood fit: maximum of the summed log normalised conditional likelihood "
                                           + "curves (bootstrap over events)"))
            notes.append("sample likelihood: \(l.events) events, maximum \(l.value) GeV, bootstrap sigma \(l.bootstrapSigma), "
                         + "curvature sigma \(l.curvatureSigma) GeV" + (l.atEdge ? "; MAXIMUM ON THE GRID EDGE" : ""))
            if options.momentaAtSampleMass {
                let t0 = clock.now
                let refit = { var r = options; r.fixedMass = l.value; return r }()
                let moved = SharedOutput<Int32>(repeating: 0, count: n)
                ParallelLoop.forEachChunk(n) { range in
                    let kernel = NeutrinoWeightingKernel(grid: grid), priorKernel = NeutrinoWeightingKernel(grid: priorGrid)
                    let fitter = LikelihoodFitMinimizer()
                    for i in range where statuses[i] != EventStatus.failed.rawValue {
                        guard let r = fitEvent(kernel, priorKernel, fitter, input, i, whitening: whitening[i],
                                               fitWhitening: fitWhitening, sigma: sigmas[i], options: refit, curves: false) else {
                            status[i] = EventStatus.approximate.rawValue
                            continue
                        }
                        chosen[i] = r.pairing
                        if r.status != .exact { status[i] = EventStatus.approximate.rawValue }
                        for k in 0..<4 { energies[4 * i + k] = r.energies[k] }
                        c1.put(r.c1, at: i); c2.put(r.c2, at: i)
                        moved[i] = 1
                    }
                }
                secondPass = (clock.now - t0) / .seconds(1)
                let refitted = moved.array.reduce(0) { $0 + Int($1) }
                notes.append("invisible momenta, energies and pairing from a second fit with m_A held at the sample mass "
                             + "\(l.value) GeV (\(handled - refitted) of \(handled) events without one keep their free fit's, "
                             + "status approximate)")
            }
        }
        // Written once, after the second pass (which replaces C1, C2, energies, pairing, status).
        var out = Sample(kind: .ttbarLike, provenance: sample.provenance)
        out[OutputKey.klfMass] = .scalars(mass.array)
        out[OutputKey.c1] = .fourVectors(c1.array)
        out[OutputKey.c2] = .fourVectors(c2.array)
        out[OutputKey.klfEnergies] = .fourVectors(energies.array)
        out[OutputKey.klfNegLogLikelihood] = .scalars(nll.array)
        out[OutputKey.klfWeightCurve] = Column(shape: [n, nM], data: .float64(curve.array))
        out[OutputKey.pairingChosen] = .ints(chosen.array)
        out[OutputKey.status] = .ints(status.array)
        let seconds = firstPass + secondPass
        var result = EstimatorResult(method: method, perEvent: out, masses: masses,
                               handledFraction: n > 0 ? Double(handled) / Double(n) : 0,
                               secondsPerEvent: n > 0 ? seconds / Double(n) : 0, notes: notes, invisibleMass: o.mC)
        result.perEventMassKeys = [MassName.a: OutputKey.klfMass]
        return result
    }

    /// Energy sigmas (GeV) of (a1, a2, b1, b2) per event: the model's, with the relative floor.
    static func energySigmas(_ input: KinematicFitInput, floor: Double) throws -> [SIMD4<Double>] {
        let m = input.model
        return try (0..<input.count).map { i in
            let v = [input.a1(i), input.a2(i), input.b1(i), input.b2(i)]
            var s = SIMD4<Double>()
            for k in 0..<4 {
                let det = m.energySigma(k < 2 ? m.aClass : m.bClass, v[k]), f = floor * v[k].e
                s[k] = (det * det + f * f).squareRoot()
                guard s[k] > 0, v[k].e > 0 else {
                    throw NeutrinoWeightingError.invalidOption(
                        name: "energy sigma floor", value: "\(floor)",
                        reason: "visible \(["a1", "a2", "b1", "b2"][k]) of event \(i) has zero energy resolution "
                            + "(\(m.summary)); a perfectly measured sample needs a floor > 0")
                }
            }
            return s
        }
    }

    struct EventResult {
        var mass: Double, negLogL: Double, pairing: Int32, status: EventStatus
        var energies: SIMD4<Double>, c1: FourVector, c2: FourVector
        var curve: [Double]
    }

    /// Fits event i in each allowed pairing; nil when no pairing has a start point. Without
    /// `curves` the conditional weight curve is not computed (left empty).
    static func fitEvent(_ kernel: NeutrinoWeightingKernel, _ priorKernel: NeutrinoWeightingKernel,
                         _ fitter: LikelihoodFitMinimizer, _ input: KinematicFitInput, _ i: Int, whitening: Whitening,
                         fitWhitening: Whitening, sigma: SIMD4<Double>, options: LikelihoodFitOptions,
                         curves: Bool = true) -> EventResult? {
        let grid = kernel.grid, nM = grid.mA.count
        let chains = [input.chains(i, pairing: 0), input.chains(i, pairing: 1)]
        let met = input.met(i), pairings = input.pairings(i)
        let scan = NeutrinoWeightingScan(kernel: kernel, chains: chains, pairings: pairings, met: met, whitening: whitening)
        let visibles = [input.a1(i), input.a2(i), input.b1(i), input.b2(i)]
        // Pairing prior: pi_p proportional to 1 / (m(a1 b) m(a2 b')).
        var logPrior = [0.0, 0.0]
        if options.pairingPrior && pairings.count == 2 {
            let prod0 = (visibles[0] + visibles[2]).mass * (visibles[1] + visibles[3]).mass
            let prod1 = (visibles[0] + visibles[3]).mass * (visibles[1] + visibles[2]).mass
            if prod0 > 0 && prod1 > 0 {
                let norm = log(1 / prod0 + 1 / prod1)
                logPrior = [-log(prod0) - norm, -log(prod1) - norm]
            }
        }
        let obj = fitter.objective
        obj.visibles = visibles; obj.sigma = sigma; obj.met = met; obj.whitening = fitWhitening
        obj.penaltyScale = fitWhitening.w11 * fitWhitening.w11
        obj.mB2 = grid.mB2; obj.mC2 = grid.mC2; obj.etaWidth = options.etaPriorWidth
        var best: EventResult?
        var curveLog = [Double](repeating: -.infinity, count: nM)
        for p in pairings {
            guard let m = NeutrinoWeightingScan.argmax(scan.logWeight[Int(p)]) else { continue }
            let (ch1, ch2) = chains[Int(p)]
            let startMass = options.fixedMass ?? grid.mA[m]
            guard let term = kernel.bestTerm(ch1, ch2, met: met, whitening: whitening, mA: startMass)
                    ?? kernel.bestTerm(ch1, ch2, met: met, whitening: whitening, mA: grid.mA[m]) else { continue }
            obj.pairing = p; obj.mRef = startMass; obj.logPairingPrior = logPrior[Int(p)]
            obj.fixMass = options.fixedMass != nil
            var p0 = SIMD8<Double>(repeating: 0)
            p0[5] = term.y1; p0[6] = term.y2
            let fit = fitter.minimise(from: p0, maxIterations: options.maxIterations)
            guard fit.value < LikelihoodFitObjective.infeasible, let inv = obj.invisibles(fit.point) else { continue }
            let state = obj.evaluate(fit.point)
            let exact = fit.converged && state.r1.penalty.v == 0 && state.r2.penalty.v == 0
            let r = EventResult(mass: obj.mRef + LikelihoodFitObjective.massUnit * fit.point[0], negLogL: fit.value, pairing: p,
                                status: exact ? .exact : .approximate, energies: obj.energies(fit.point), c1: inv.0, c2: inv.1,
                                curve: [])
            // This pairing's conditional curve: fitted visibles and MET, rapidity prior, its
            // transfer-function and pairing terms.
            if !curves {
                if best == nil || r.negLogL < best!.negLogL { best = r }
                continue
            }
            let fitted = obj.fittedVisibles(fit.point)
            let f1 = NeutrinoWeightingChain(a: fitted[0], b: p == 0 ? fitted[2] : fitted[3])
            let f2 = NeutrinoWeightingChain(a: fitted[1], b: p == 0 ? fitted[3] : fitted[2])
            var transfer = 0.0
            for k in 1...4 { transfer += 0.5 * fit.point[k] * fit.point[k] }
            let offset = logPrior[Int(p)] - transfer
            let fmet = obj.fittedMET(fit.point)
            let conditional = NeutrinoWeightingScan(kernel: priorKernel, chains: [(f1, f2), (f1, f2)], pairings: 0...0,
                                                    met: fmet, whitening: fitWhitening)
            for mi in 0..<nM {
                let l = conditional.logWeight[0][mi] + offset
                let hi = max(curveLog[mi], l)
                if hi > -.infinity { curveLog[mi] = hi + log(exp(curveLog[mi] - hi) + exp(l - hi)) }
            }
            if best == nil || r.negLogL < best!.negLogL { best = r }
        }
        guard var result = best else { return nil }
        guard curves else { return result }
        if let top = NeutrinoWeightingScan.argmax(curveLog) {
            result.curve = curveLog.map { $0 > -.infinity ? exp($0 - curveLog[top]) : 0 }
        } else {
            result.curve = [Double](repeating: 0, count: nM)
        }
        return result
    }
}
