import Core
import Events
import Foundation
import Kinematics

/// A rectangular grid of (m_A, m_B) hypotheses, GeV, with successive refinements.
public struct MassScanGrid: Sendable, Equatable {
    /// Range of m_A of the coarse grid, GeV.
    public var mA: ClosedRange<Double>
    /// Range of m_B of the coarse grid, GeV.
    public var mB: ClosedRange<Double>
    /// Points per axis at every level (>= 3).
    public var points: Int
    /// Number of refinement levels after the coarse one: each is a grid of the same size
    /// spanning +-2 steps of the previous level around its best point.
    public var refinements: Int

    public init(mA: ClosedRange<Double>, mB: ClosedRange<Double>, points: Int = 13, refinements: Int = 3) {
        self.mA = mA; self.mB = mB; self.points = points; self.refinements = refinements
    }

    /// A grid spanning `fraction` (e.g. 0.3 = +-30%) around a guess.
    public static func around(mA: Double, mB: Double, fraction: Double = 0.3, points: Int = 13, refinements: Int = 3) -> MassScanGrid {
        MassScanGrid(mA: (mA * (1 - fraction))...(mA * (1 + fraction)),
                     mB: (mB * (1 - fraction))...(mB * (1 + fraction)), points: points, refinements: refinements)
    }
}

/// How a mass hypothesis is scored in the scan; the scan minimises the event sum of a per-event
/// badness (0 for an event with an exact analytic solution).
public enum MassScanScore: String, Sendable, CaseIterable, Codable {
    /// Badness 1 for an event without exact solution: maximises the fraction of solvable events.
    /// For on-shell events this peaks as a needle at the true masses, so a grid may miss it.
    case solvableFraction = "fraction"
    /// Badness = the closest-approach violation of the invisible mass shells (GeV^2, the
    /// root-sum-square of the two m_C^2 violations with the A and B shells held): a smooth,
    /// neutrino-weighting style score that is zero where every event is solvable and grows with
    /// the distance from each event's solvable region. Events with degenerate chains (no
    /// closest approach) add 0.
    case violation
}

/// Mass-hypothesis scan ("kinematic solvability" estimate) for t-tbar-like samples, m_C given.
///
/// Score of a hypothesis (m_A, m_B): the event sum of a `MassScanScore` badness, evaluated in the
/// true pairing, or as the smaller of the two pairings when the pairing is unknown. The default,
/// `.violation`, is the mean closest-approach violation; `.solvableFraction` is the fraction of
/// events with exact solutions. For on-shell events both are optimal at the true masses; the
/// fraction is a needle there with a slowly falling ridge where m_A and m_B grow together, the
/// violation is a smooth valley, which suits the coarse-to-fine grid. The estimate is the best
/// point of the finest grid (ties: the mean of the tied points; hypotheses with m_A <= m_B or
/// m_B <= m_C are skipped), polished by a Nelder-Mead search on the same score. Uncertainty: a bootstrap over events of the best point on the finest
/// grid (per-event badness is computed once and reweighted), added in quadrature to the grid's
/// discretisation (step / sqrt(12)).
///
/// Per-event arrays: `solvable` (int32, 1 when the event has an exact solution at the estimate)
/// and `status` (exact when solvable there, failed otherwise).
public enum MassScanEstimator {
    /// Method name.
    public static let method = "mass-scan"

    /// Runs the scan; `progress` (total: `refinements` + 2) counts its grid levels and the polish.
    /// `warmStart` (the default) reuses each event's closest approach across
    /// hypotheses, finds it by Newton's method, and takes the points a refinement shares with
    /// the level before from that level's table (see `ScanEvents.badness`); false is the scan before issue 13 (the quartic, by the
    /// companion-matrix solver, at every hypothesis, the closest approach from the standard
    /// starts where it has no solution), kept as the benchmark's reference. Throws `SampleError` for a wrong topology, missing arrays or NaN/Inf,
    /// `KinematicSolutionError` for a bad grid, m_C or pairing value.
    public static func run(sample: Sample, pairing: PairingMode, mC: Double, grid: MassScanGrid,
                           score: MassScanScore = .violation, bootstrap replicates: Int = 100,
                           seed: UInt32 = 1, warmStart: Bool = true, progress: EventProgress? = nil) throws -> EstimatorResult {
        guard grid.points >= 3, grid.refinements >= 0 else {
            throw KinematicSolutionError.invalidGrid("need points >= 3 and refinements >= 0, got \(grid.points), \(grid.refinements)")
        }
        guard mC.isFinite, mC >= 0, grid.mB.upperBound > mC, grid.mA.upperBound > max(grid.mB.lowerBound, mC),
              grid.mA.lowerBound.isFinite, grid.mA.upperBound.isFinite, grid.mB.upperBound.isFinite else {
            throw KinematicSolutionError.invalidGrid("ranges m_A \(grid.mA), m_B \(grid.mB) with m_C \(mC) leave no ordered hypothesis")
        }
        let input = try DileptonInput(sample: sample, pairing: pairing)
        let n = input.count
        guard n > 0 else { throw KinematicSolutionError.invalidGrid("sample has no events") }
        let clock = ContinuousClock()
        let start = clock.now
        let scale = grid.mA.upperBound
        let events = ScanEvents(input: input, scale: scale)

        // Each event's closest-approach minimum at the last hypothesis, per pairing (see
        // `ScanEvents.badness`): kept across grid levels and the Nelder-Mead polish.
        let buffer = UnsafeMutableBufferPointer<SIMD2<Double>>.allocate(capacity: 2 * n)
        buffer.initialize(repeating: SIMD2(repeating: .nan))
        defer { buffer.deallocate() }
        let warm = warmStart ? buffer : nil
        var aRange = grid.mA, bRange = grid.mB
        var level = ScanLevel(aRange: aRange, bRange: bRange, points: grid.points)
        var table = events.badness(level, mC: mC, score: score, warm: warm)
        progress?.add()
        for _ in 0..<grid.refinements {
            let best = level.best(table.scores)
            let da = 2 * level.aStep, db = 2 * level.bStep
            aRange = max(best.mA - da, mC)...(best.mA + da)
            bRange = max(best.mB - db, mC * (1 + 1e-9) + 1e-9)...(best.mB + db)
            let previousLevel = level
            level = ScanLevel(aRange: aRange, bRange: bRange, points: grid.points)
            // A refinement halves the step, so every other point of the new level is a point
            // of the previous one: the warm scan takes those events' values from its table.
            table = events.badness(level, mC: mC, score: score, warm: warm,
                                   previous: warmStart ? (previousLevel, table.values) : nil)
            progress?.add()
        }
        let gridBest = level.best(table.scores)
        // Polish the grid optimum with Nelder-Mead on the continuous score.
        let polished = NelderMead2D.minimise(
            start: (gridBest.mA, gridBest.mB), step: (0.5 * level.aStep, 0.5 * level.bStep),
            tolerance: (1e-4 * level.aStep, 1e-4 * level.bStep), maxEvaluations: 80) { h in
            events.badness(ScanLevel(single: h.0, h.1), mC: mC, score: score, warm: warm).scores[0]
        }
        let best = polished.value <= table.scores.min()! ? (mA: polished.point.0, mB: polished.point.1) : gridBest
        progress?.add()
        let seconds = (clock.now - start) / .seconds(1)

        // Bootstrap of the best point on the finest grid.
        let stream = RandomStream(seed: seed == 0 ? 1 : seed)
        var bootA: [Double] = [], bootB: [Double] = []
        var scores = [Double](repeating: 0, count: level.count)
        for _ in 0..<replicates {
            let w = Bootstrap.counts(n: n, stream: stream)
            for h in 0..<level.count {
                guard table.scores[h].isFinite else { scores[h] = .infinity; continue }
                var s = 0.0
                for i in 0..<n where w[i] != 0 { s += Double(w[i]) * table.values[h * n + i] }
                scores[h] = s
            }
            let b = level.best(scores)
            bootA.append(b.mA); bootB.append(b.mB)
        }
        let spreadA = Bootstrap.summarize(bootA).standardDeviation, spreadB = Bootstrap.summarize(bootB).standardDeviation
        let gridA = level.aStep / 12.0.squareRoot(), gridB = level.bStep / 12.0.squareRoot()
        let errA = ((spreadA.isFinite ? spreadA * spreadA : 0) + gridA * gridA).squareRoot()
        let errB = ((spreadB.isFinite ? spreadB * spreadB : 0) + gridB * gridB).squareRoot()

        // Per-event solvability at the estimate (passing the warm buffer selects the closed-form
        // quartic, as everywhere in the warm scan; this score leaves the buffer unchanged).
        let atBest = events.badness(ScanLevel(single: best.mA, best.mB), mC: mC, score: .solvableFraction, warm: warm)
        let solvable = (0..<n).map { atBest.values[$0] == 0 ? Int32(1) : 0 }
        var out = Sample(kind: .ttbarLike, provenance: sample.provenance)
        out[OutputKey.solvable] = .ints(solvable)
        out[OutputKey.status] = .ints(solvable.map { $0 != 0 ? EventStatus.exact.rawValue : EventStatus.failed.rawValue })
        let fraction = Double(solvable.reduce(0) { $0 + Int($1) }) / Double(n)
        let how = "mass-hypothesis scan, score \(score.rawValue) (m_C = \(mC) GeV)"
        var notes = ["solvable fraction at the estimate \(fraction)",
                     "finest grid steps (\(level.aStep), \(level.bStep)) GeV; \(replicates) bootstrap replicates",
                     "pairing \(pairing.rawValue)"]
        // A best hypothesis that walked out of the scanned ranges (the refinements re-centre and
        // the polish is unbounded) or at which no event is solvable is no measurement: the
        // scan gives no number rather than a wrong one, and says why.
        var masses = [MassEstimate(name: MassName.a, value: best.mA, uncertainty: errA, how: how),
                      MassEstimate(name: MassName.b, value: best.mB, uncertainty: errB, how: how)]
        if !grid.mA.contains(best.mA) || !grid.mB.contains(best.mB) || fraction == 0 {
            masses = []
            notes.append(String(format: "no estimate: the best hypothesis (%.1f, %.1f) GeV %@", best.mA, best.mB,
                                fraction == 0 ? "solves no event" : "lies outside the scanned ranges m_A \(grid.mA), m_B \(grid.mB) GeV"))
        }
        return EstimatorResult(
            method: method, perEvent: out, masses: masses,
            handledFraction: fraction, secondsPerEvent: seconds / Double(n), notes: notes)
    }
}

/// One grid level: points x points hypotheses, m_A the slow index.
struct ScanLevel: Sendable {
    var aValues: [Double], bValues: [Double]
    var aStep: Double, bStep: Double
    var count: Int { aValues.count * bValues.count }

    init(aRange: ClosedRange<Double>, bRange: ClosedRange<Double>, points: Int) {
        aStep = (aRange.upperBound - aRange.lowerBound) / Double(points - 1)
        bStep = (bRange.upperBound - bRange.lowerBound) / Double(points - 1)
        let a0 = aRange.lowerBound, b0 = bRange.lowerBound, da = aStep, db = bStep
        aValues = (0..<points).map { a0 + Double($0) * da }
        bValues = (0..<points).map { b0 + Double($0) * db }
    }

    init(single a: Double, _ b: Double) {
        aValues = [a]; bValues = [b]; aStep = 0; bStep = 0
    }

    /// The index of the hypothesis (a, b) (GeV) when both equal grid values to 1e-12 relative.
    func index(of a: Double, _ b: Double) -> Int? {
        guard aStep > 0, bStep > 0 else { return nil }
        let i = ((a - aValues[0]) / aStep).rounded(), j = ((b - bValues[0]) / bStep).rounded()
        guard i >= 0, j >= 0, i < Double(aValues.count), j < Double(bValues.count) else { return nil }
        let ia = Int(i), jb = Int(j)
        guard abs(aValues[ia] - a) <= 1e-12 * abs(a), abs(bValues[jb] - b) <= 1e-12 * abs(b) else { return nil }
        return ia * bValues.count + jb
    }

    /// The hypothesis index of the `visit`-th point of a boustrophedon walk over the grid.
    func snake(_ visit: Int) -> Int {
        let nb = bValues.count, row = visit / nb, column = visit % nb
        return row * nb + (row % 2 == 0 ? column : nb - 1 - column)
    }

    func hypothesis(_ h: Int) -> (mA: Double, mB: Double) {
        (aValues[h / bValues.count], bValues[h % bValues.count])
    }

    /// Lowest-scoring hypothesis; ties averaged.
    func best(_ scores: [Double]) -> (mA: Double, mB: Double) {
        var top = Double.infinity
        for s in scores where s < top { top = s }
        var sa = 0.0, sb = 0.0, k = 0.0
        for h in 0..<count where scores[h] == top {
            let (a, b) = hypothesis(h)
            sa += a; sb += b; k += 1
        }
        return (sa / k, sb / k)
    }
}

/// Per-event chain geometry for both pairings, computed once and reused for every hypothesis.
struct ScanEvents: Sendable {
    let count: Int
    let scale: Double
    /// Chains (ch1, ch2) for pairing 0 and pairing 1, and the scaled MET.
    let chains: [(DileptonChain, DileptonChain, DileptonChain, DileptonChain)]
    let met: [Double]
    /// Allowed pairings per event: 0, 1, or 2 for both.
    let allowed: [Int32]

    init(input: DileptonInput, scale: Double) {
        count = input.count
        self.scale = scale
        chains = (0..<input.count).map { i in
            let p0 = input.chains(i, pairing: 0, scale: scale), p1 = input.chains(i, pairing: 1, scale: scale)
            return (p0.0, p0.1, p1.0, p1.1)
        }
        met = input.met.map { $0 / scale }
        allowed = input.pairing ?? [Int32](repeating: 2, count: input.count)
    }

    /// Scores (event sums of the badness; +infinity for unordered hypotheses) and the per-event
    /// badness (hypothesis-major: values[h * count + i]).
    ///
    /// `.violation` reuses each event's work across hypotheses: the closest approach (which is
    /// zero, to rounding, wherever the conics intersect) is the badness directly, without the
    /// quartic, and its damped Newton search (`ClosestApproachNewton`) starts from the event's
    /// minimum at the previous hypothesis (`warm`, two (x, y) per event, one per pairing; NaN =
    /// none yet, then the two standard starts run), or from the linear extrapolation of the
    /// last two minima where the last two hypotheses and this one lie on one line of the grid.
    /// Neighbouring hypotheses have nearby minima, so a warm search takes a few Newton steps. An event solvable only with a negative invisible energy
    /// scores its (tiny) violation, as the previous code did for it. `.solvableFraction` solves
    /// the quartic at every hypothesis as before.
    ///
    /// `previous`: a level already scored and its values; hypotheses of `level` that equal one
    /// of its points (to 1e-12 relative) take its values instead of being scored again.
    func badness(_ level: ScanLevel, mC: Double, score: MassScanScore,
                 warm: UnsafeMutableBufferPointer<SIMD2<Double>>? = nil,
                 previous: (level: ScanLevel, values: [Double])? = nil) -> (scores: [Double], values: [Double]) {
        let n = count, nh = level.count
        var values = [Double](repeating: 0, count: n * nh)
        // For each hypothesis, the index of the same point in `previous` (-1: none).
        let reused: [Int] = (0..<nh).map { h in
            guard let previous else { return -1 }
            let (a, b) = level.hypothesis(h)
            return previous.level.index(of: a, b) ?? -1
        }
        // The visiting order and each hypothesis's masses (nil: unordered), once per level
        // rather than per event (the index arithmetic is integer division).
        let visits: [Int] = (0..<nh).map { warm == nil ? $0 : level.snake($0) }
        let hypotheses: [(mA: Double, mB: Double, scaled: ScaledMasses?)] = (0..<nh).map { h in
            let (mA, mB) = level.hypothesis(h)
            let masses = ChainMasses(mA: mA, mB: mB, mC: mC)
            return (mA, mB, masses.isOrdered ? ScaledMasses(masses, scale: scale) : nil)
        }
        values.withUnsafeMutableBufferPointer { bp in
            nonisolated(unsafe) let bp = bp
            nonisolated(unsafe) let warm = warm
            ParallelLoop.forEachChunk(n) { range in
                // Without warm starts: the solver before issue 13 too (the benchmark's reference).
                let solver = KinematicSolver(quarticMethod: warm == nil ? .companionMatrix : .closedForm)
                for i in range {
                    let c = chains[i], mx = met[2 * i], my = met[2 * i + 1], allow = allowed[i]
                    // The event's last minima per pairing; local when the caller keeps none.
                    var last = warm.map { ($0[2 * i], $0[2 * i + 1]) } ?? (SIMD2<Double>(repeating: .nan), SIMD2<Double>(repeating: .nan))
                    // The minima and hypothesis of the visit before the last computed one, and
                    // the last computed hypothesis: along a row the next minimum is extrapolated.
                    var before = last, lastMasses = (mA: Double.nan, mB: Double.nan), beforeMasses = lastMasses
                    // The first computed visits of the last two rows: a row starts in the column
                    // where the row two back started, so its first minimum is extrapolated in m_A.
                    var rowFirst = (last, lastMasses), olderRowFirst = rowFirst
                    for visit in 0..<nh {
                        // Rows of m_B alternately up and down, so that each warm search starts
                        // from the neighbouring hypothesis's minimum.
                        let h = visits[visit]
                        if let previous, reused[h] >= 0 {
                            bp[h * n + i] = previous.values[reused[h] * n + i]
                            continue
                        }
                        let (mA, mB, scaled) = hypotheses[h]
                        guard let m = scaled else { continue }
                        switch score {
                        case .solvableFraction:
                            var ok = false
                            if allow != 1 { ok = solver.solveScaled(c.0, c.1, mx: mx, my: my, m, outputScale: 1).count > 0 }
                            if !ok && allow != 0 { ok = solver.solveScaled(c.2, c.3, mx: mx, my: my, m, outputScale: 1).count > 0 }
                            bp[h * n + i] = ok ? 0 : 1
                        case .violation where warm == nil:
                            // The scan before issue 13: the quartic first, the closest approach
                            // from the standard starts only where it has no solution.
                            var ok = false
                            if allow != 1 { ok = solver.solveScaled(c.0, c.1, mx: mx, my: my, m, outputScale: 1).count > 0 }
                            if !ok && allow != 0 { ok = solver.solveScaled(c.2, c.3, mx: mx, my: my, m, outputScale: 1).count > 0 }
                            if ok { bp[h * n + i] = 0; continue }
                            var v = Double.infinity
                            var none = (SIMD2<Double>(repeating: .nan), SIMD2<Double>(repeating: .nan))
                            if allow != 1 { v = min(v, warmViolation(c.0, c.1, mx, my, m, &none.0, newton: false)) }
                            if allow != 0 { v = min(v, warmViolation(c.2, c.3, mx, my, m, &none.1, newton: false)) }
                            bp[h * n + i] = v.isFinite ? v * scale * scale : 0
                        case .violation:
                            var v = Double.infinity
                            // Three hypotheses on one row: start from the linear extrapolation.
                            var t = Double.nan, from = before
                            let newRow = mA != lastMasses.mA
                            if !newRow && mA == beforeMasses.mA {
                                t = (mB - lastMasses.mB) / (lastMasses.mB - beforeMasses.mB)
                            } else if newRow && mB == lastMasses.mB && mB == olderRowFirst.1.mB {
                                // One column: the row two back's first point, the last point.
                                t = (mA - lastMasses.mA) / (lastMasses.mA - olderRowFirst.1.mA)
                                from = olderRowFirst.0
                            }
                            if !(t > 0 && t <= 1.01) { t = .nan }
                            let kept = last
                            if allow != 1 { v = min(v, warmViolation(c.0, c.1, mx, my, m, &last.0, extrapolate: (from.0, t))) }
                            if allow != 0 { v = min(v, warmViolation(c.2, c.3, mx, my, m, &last.1, extrapolate: (from.1, t))) }
                            before = kept; beforeMasses = lastMasses; lastMasses = (mA, mB)
                            if newRow { olderRowFirst = rowFirst; rowFirst = (last, lastMasses) }
                            bp[h * n + i] = v.isFinite ? v * scale * scale : 0
                        }
                    }
                    if let warm { warm[2 * i] = last.0; warm[2 * i + 1] = last.1 }
                }
            }
        }
        var scores = [Double](repeating: 0, count: nh)
        for h in 0..<nh {
            let (mA, mB) = level.hypothesis(h)
            guard ChainMasses(mA: mA, mB: mB, mC: mC).isOrdered else { scores[h] = .infinity; continue }
            var s = 0.0
            for i in 0..<n { s += values[h * n + i] }
            scores[h] = s
        }
        return (scores, values)
    }

    /// A closest-approach violation (scaled units) at or below which the conics intersect to
    /// rounding: the warm search alone decides there.
    static let solvedViolation = 1e-12

    /// Closest-approach violation (scaled units) of one pairing, started from `last` when set
    /// (and updating it); +infinity for degenerate chains. `newton`: the search of
    /// `ClosestApproachNewton` (quadratic convergence where the conics do not meet), else the
    /// Levenberg-Marquardt search of the scan before issue 13. `extrapolate`: the minimum at the
    /// hypothesis before the last and the ratio t of the steps (this - last) / (last - before)
    /// on one grid line; a finite t starts the warm search at last + t (last - before).
    @inline(__always)
    private func warmViolation(_ ch1: DileptonChain, _ ch2: DileptonChain, _ mx: Double, _ my: Double, _ m: ScaledMasses,
                               _ last: inout SIMD2<Double>, newton: Bool = true,
                               extrapolate: (before: SIMD2<Double>, t: Double) = (SIMD2(repeating: .nan), .nan)) -> Double {
        guard ch1.valid, ch2.valid else { return .infinity }
        let q1 = ch1.conic(mA2: m.mA2, mB2: m.mB2, mC2: m.mC2)
        let q2 = ch2.conic(mA2: m.mA2, mB2: m.mB2, mC2: m.mC2).reflected(mx: mx, my: my)
        func cold(known: (x: Double, y: Double, violation: Double)? = nil) -> (x: Double, y: Double, violation: Double) {
            newton ? ClosestApproach.minimise(q1, q2, mx: mx, my: my, starts: 2) { q1, q2, x, y in
                ClosestApproachNewton.search(q1, q2, x: x, y: y, known: known)
            } : ClosestApproach.minimise(q1, q2, mx: mx, my: my, starts: 2)
        }
        var r = last[0].isNaN ? cold()
            : newton ? { () -> (x: Double, y: Double, violation: Double) in
                var s = last
                if extrapolate.t.isFinite && extrapolate.before[0].isFinite { s = last + extrapolate.t * (last - extrapolate.before) }
                return ClosestApproachNewton.search(q1, q2, x: s[0], y: s[1])
            }()
            : ClosestApproach.levenbergMarquardt(q1, q2, x: last[0], y: last[1])
        // Above zero the warm search may sit in another basin than the standard starts reach:
        // run those too and keep the lower (as the previous scan did for unsolvable events).
        if !last[0].isNaN && !(r.violation <= Self.solvedViolation) {
            // A cold search whose Newton step heads for the warm minimum would end there: it
            // stops and returns the warm result (`ClosestApproachNewton.heads`; most do).
            let c = cold(known: newton ? r : nil)
            if c.violation < r.violation { r = c }
        }
        if r.x.isFinite && r.y.isFinite { last = SIMD2(r.x, r.y) }
        return r.violation
    }

}
