import Core
import Events
import Foundation
import Kinematics

/// Neutrino weighting (`nuweight`): for each parent-mass hypothesis m_A on a grid and each pair
/// of invisible rapidities (y1, y2) on a grid, each chain's mass shells give up to two invisible
/// momenta (`NeutrinoWeightingChain`); every combination is weighted by how well the two
/// invisible transverse momenta reproduce the measured MET,
/// w = exp(-d^T V^-1 d / 2), d = MET - q1T - q2T, V the event's MET covariance from the detector
/// model (`ResolutionModel.metCovariance`, every visible's pT resolution along its direction and
/// the soft term) plus `metSigmaFloor`^2 per component. With a diagonal V this is
/// exp(-dx^2/2sx^2 - dy^2/2sy^2). The weight of m_A sums all rapidity pairs, roots and, for an
/// unknown pairing, both pairings.
///
/// Per-event arrays: `nuw_mass` (GeV, the maximum of w(m_A): the best grid point refined by a
/// parabola in log w), `C1`, `C2` (N, 4) GeV (C1 on the chain of reco a1: the largest single
/// term at the best grid mass in the dominant pairing, its rapidities then polished by
/// Nelder-Mead to the smallest chi^2 at `nuw_mass`; with `momentumMass` set, the same at that
/// fixed mass in the pairing with the larger weight there; with `momentaAtSampleMass`, the same
/// at the sample likelihood's maximum, in a second pass), `nuw_chi2` (chi^2 of those momenta),
/// `nuw_max_log_weight` (log of the largest w(m_A), sum over the grids, unnormalised),
/// `nuw_weight_curve` (N, n_mA) w(m_A) / max w (0 for failed events), `pairing_chosen`
/// (int32, the pairing with the larger weight at the maximum, or at `momentumMass`: 0 a1 with b1,
/// 1 a1 with b2), and
/// `status` (exact: maximum inside the grid; approximate: maximum on the grid edge, or every
/// term below e^-7 so that all pairs were summed exactly, or no root at `momentumMass` so that
/// the momenta are the maximum's (likewise at the sample mass); failed: no solution anywhere, NaN
/// outputs). Sample level: `WeightCurveLikelihood` on `nuw_weight_curve`.
public enum NeutrinoWeightingEstimator {
    public static let method = "nuweight"

    /// Runs neutrino weighting over every event of a t-tbar-like sample. Throws
    /// `NeutrinoWeightingError` for a bad option or a zero MET covariance (ideal detector with
    /// `metSigmaFloor` 0, naming the event), `SampleError` for a wrong topology, missing arrays
    /// or NaN/Inf (naming array and event), `KinematicSolutionError.badPairing`, and
    /// `DetectorError` for an unknown preset in the provenance.
    public static func run(sample: Sample, pairing: PairingMode, options: NeutrinoWeightingOptions,
                           progress: EventProgress? = nil) throws -> EstimatorResult {
        try options.validate()
        let input = try KinematicFitInput(sample: sample, pairing: pairing, resolution: options.resolution)
        let n = input.count
        let whitening = try whitenings(input, floor: options.metSigmaFloor)
        let grid = NeutrinoWeightingGrid(options: options)
        let nM = grid.mA.count
        let mass = SharedOutput<Double>(repeating: .nan, count: n)
        let chi2 = SharedOutput<Double>(repeating: .nan, count: n)
        let maxLog = SharedOutput<Double>(repeating: .nan, count: n)
        let curve = SharedOutput<Double>(repeating: 0, count: n * nM)
        let c1 = SharedOutput<Double>(repeating: .nan, count: 4 * n)
        let c2 = SharedOutput<Double>(repeating: .nan, count: 4 * n)
        let chosen = SharedOutput<Int32>(repeating: -1, count: n)
        let status = SharedOutput<Int32>(repeating: EventStatus.failed.rawValue, count: n)
        let clock = ContinuousClock()
        let start = clock.now
        ParallelLoop.forEachChunk(n) { range in
            let kernel = NeutrinoWeightingKernel(grid: grid)
            for i in range {
                defer { progress?.add() }
                guard let r = weighEvent(kernel, input, i, whitening: whitening[i], momentumMass: options.momentumMass) else {
                    continue
                }
                mass[i] = r.mass; chi2[i] = r.term.score; maxLog[i] = r.maxLogWeight; chosen[i] = r.pairing
                status[i] = r.status.rawValue
                for m in 0..<nM { curve[i * nM + m] = r.curve[m] }
                c1.put(r.term.c1, at: i); c2.put(r.term.c2, at: i)
            }
        }
        let seconds0 = (clock.now - start) / .seconds(1)
        let firstStatuses = status.array
        let handled = firstStatuses.filter { $0 != EventStatus.failed.rawValue }.count
        var masses: [MassEstimate] = []
        var notes = [
            "hypothesis m_B = \(options.mB), m_C = \(options.mC) GeV; m_A grid \(options.mALow)...\(options.mAHigh) "
                + "step \(options.mAStep) (\(nM) points); rapidity grid +-\(options.etaMax) step \(options.etaStep) "
                + "(\(grid.eta.count) points per invisible)",
            input.model.summary + ", MET sigma floor \(options.metSigmaFloor) GeV",
            "pairing \(pairing.rawValue): " + (pairing == .unknown ? "weights summed over both pairings" : "the true pairing"),
        ]
        let use = firstStatuses.map { $0 != EventStatus.failed.rawValue }
        let likelihood = WeightCurveLikelihood.maximise(curves: curve.array, use: use, mA: grid.mA,
                                                        outlierFraction: options.outlierFraction,
                                                        replicates: options.bootstrapReplicates, seed: options.seed)
        if let l = likelihood {
            masses.append(MassEstimate(name: MassName.a, value: l.value, uncertainty: l.bootstrapSigma,
                                       how: "neutrino weighting: maximum of the summed log normalised weight curves "
                                           + "(bootstrap over events)"))
            notes.append("sample likelihood: \(l.events) events, maximum \(l.value) GeV, bootstrap sigma \(l.bootstrapSigma), "
                         + "curvature sigma \(l.curvatureSigma) GeV, flat share \(options.outlierFraction)"
                         + (l.atEdge ? "; MAXIMUM ON THE GRID EDGE: widen the m_A range" : ""))
        }
        var second = 0.0
        if let fixed = options.momentumMass {
            notes.append("invisible momenta at m_A = \(fixed) GeV")
        } else if options.momentaAtSampleMass, let l = likelihood {
            let t0 = clock.now
            let moved = momentaAt(l.value, grid: grid, input: input, whitening: whitening, chi2: chi2, c1: c1, c2: c2,
                                  chosen: chosen, status: status)
            second = (clock.now - t0) / .seconds(1)
            notes.append("invisible momenta at the sample mass m_A = \(l.value) GeV (second pass; \(handled - moved) of "
                         + "\(handled) events without a root there keep their maximum's, status approximate)")
        } else {
            notes.append("invisible momenta at each event's weight maximum")
        }
        let statuses = status.array
        if pairing == .unknown, handled > 0 {
            let first = chosen.array.filter { $0 == 0 }.count
            notes.append("dominant pairing 0 (a1 with b1) in \(first), 1 in \(handled - first) of \(handled) handled events")
        }
        let seconds = seconds0 + second
        var out = Sample(kind: .ttbarLike, provenance: sample.provenance)
        out[OutputKey.nuwMass] = .scalars(mass.array)
        out[OutputKey.c1] = .fourVectors(c1.array)
        out[OutputKey.c2] = .fourVectors(c2.array)
        out[OutputKey.nuwChi2] = .scalars(chi2.array)
        out[OutputKey.nuwMaxLogWeight] = .scalars(maxLog.array)
        out[OutputKey.nuwWeightCurve] = Column(shape: [n, nM], data: .float64(curve.array))
        out[OutputKey.pairingChosen] = .ints(chosen.array)
        out[OutputKey.status] = .ints(statuses)
        var result = EstimatorResult(method: method, perEvent: out, masses: masses,
                               handledFraction: n > 0 ? Double(handled) / Double(n) : 0,
                               secondsPerEvent: n > 0 ? seconds / Double(n) : 0, notes: notes, invisibleMass: options.mC)
        result.perEventMassKeys = [MassName.a: OutputKey.nuwMass]
        return result
    }

    /// The whitening of every event's MET covariance; throws when one is not positive definite.
    static func whitenings(_ input: KinematicFitInput, floor: Double) throws -> [Whitening] {
        var out: [Whitening] = []
        out.reserveCapacity(input.count)
        for i in 0..<input.count {
            guard let w = Whitening(covariance: input.metCovariance(i), floor: floor) else {
                throw NeutrinoWeightingError.invalidOption(
                    name: "MET sigma floor", value: "\(floor)",
                    reason: "the MET covariance of event \(i) is not positive definite (\(input.model.summary)); "
                        + "a perfectly measured sample needs a floor > 0 GeV")
            }
            out.append(w)
        }
        return out
    }

    /// Outcome for one event.
    struct EventResult {
        var mass: Double, maxLogWeight: Double, pairing: Int32, status: EventStatus
        var curve: [Double]
        var term: WeightTerm
        var scan: NeutrinoWeightingScan
    }

    /// Weighs event i; nil when no term exists at any grid point.
    static func weighEvent(_ kernel: NeutrinoWeightingKernel, _ input: KinematicFitInput, _ i: Int,
                           whitening w: Whitening, momentumMass: Double? = nil) -> EventResult? {
        let grid = kernel.grid, nM = grid.mA.count
        let chains = [input.chains(i, pairing: 0), input.chains(i, pairing: 1)]
        let met = input.met(i), pairings = input.pairings(i)
        let scan = NeutrinoWeightingScan(kernel: kernel, chains: chains, pairings: pairings, met: met, whitening: w)
        let total = (0..<nM).map { scan.combined($0) }
        guard let best = NeutrinoWeightingScan.argmax(total) else { return nil }
        let peak = WeightCurveLikelihood.peak(total, mA: grid.mA)
        let mass = peak.value
        var p: Int32 = scan.logWeight[1][best] > scan.logWeight[0][best] ? 1 : 0
        var term: WeightTerm?
        var atFixedMass = false
        if let fixed = momentumMass, let t = fixedMassTerm(kernel, chains, pairings, met: met, whitening: w, mass: fixed) {
            term = t.term; p = t.pairing; atFixedMass = true
        }
        // No term at the fixed mass (no root on the rapidity grid there): the maximum's term.
        if term == nil {
            let (ch1, ch2) = chains[Int(p)]
            term = kernel.polishedTerm(ch1, ch2, met: met, whitening: w, gridMass: grid.mA[best], mass: mass)
        }
        guard let term else { return nil }
        let top = total[best]
        let curve = total.map { $0 > -.infinity ? exp($0 - top) : 0 }
        let missedFixedMass = momentumMass != nil && !atFixedMass
        let status: EventStatus = (scan.fullPass || peak.atEdge || missedFixedMass) ? .approximate : .exact
        return EventResult(mass: mass, maxLogWeight: top, pairing: p, status: status, curve: curve, term: term, scan: scan)
    }

    /// The invisible momenta at a fixed parent mass (GeV): the pairing with the larger weight
    /// there, its best term polished at that mass; nil when no rapidity pair has a root there.
    static func fixedMassTerm(_ kernel: NeutrinoWeightingKernel, _ chains: [(NeutrinoWeightingChain, NeutrinoWeightingChain)],
                              _ pairings: ClosedRange<Int32>, met: SIMD2<Double>, whitening w: Whitening,
                              mass fixed: Double) -> (term: WeightTerm, pairing: Int32)? {
        var top = -1.0, q0 = pairings.lowerBound
        for q in pairings {
            let (c1, c2) = chains[Int(q)]
            kernel.fill(c1, c2, met: met, whitening: w, mA: fixed)
            let weight = kernel.windowedWeight().weight
            if weight > top { top = weight; q0 = q }
        }
        let (ch1, ch2) = chains[Int(q0)]
        guard let t = kernel.polishedTerm(ch1, ch2, met: met, whitening: w, gridMass: fixed, mass: fixed) else { return nil }
        return (t, q0)
    }

    /// Second pass of `momentaAtSampleMass`: every handled event's momenta, chi^2 and pairing
    /// at the sample mass; an event without a root there keeps its maximum's and becomes
    /// approximate. Returns how many events moved.
    static func momentaAt(_ mass: Double, grid: NeutrinoWeightingGrid, input: KinematicFitInput, whitening: [Whitening],
                          chi2: SharedOutput<Double>, c1: SharedOutput<Double>, c2: SharedOutput<Double>,
                          chosen: SharedOutput<Int32>, status: SharedOutput<Int32>) -> Int {
        let statuses = status.array
        let moved = SharedOutput<Int32>(repeating: 0, count: input.count)
        ParallelLoop.forEachChunk(input.count) { range in
            let kernel = NeutrinoWeightingKernel(grid: grid)
            for i in range where statuses[i] != EventStatus.failed.rawValue {
                let chains = [input.chains(i, pairing: 0), input.chains(i, pairing: 1)]
                guard let t = fixedMassTerm(kernel, chains, input.pairings(i), met: input.met(i), whitening: whitening[i],
                                            mass: mass) else {
                    status[i] = EventStatus.approximate.rawValue
                    continue
                }
                chi2[i] = t.term.score; chosen[i] = t.pairing
                c1.put(t.term.c1, at: i); c2.put(t.term.c2, at: i)
                moved[i] = 1
            }
        }
        return moved.array.reduce(0) { $0 + Int($1) }
    }
}
