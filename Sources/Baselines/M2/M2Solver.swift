import CGSL
import Events
import Kinematics

/// Solves the constrained M2 problems of one event at a time. With `M2Method.newton` (the
/// default) the t-tbar-like variables take the Newton path (`fastSolveAll`: MT2 for M2XX and
/// M2CX, `M2Newton` for M2XC and M2CC) and fall back to the augmented Lagrangian described
/// below where no Newton start converges; `.augmentedLagrangian` uses it throughout, and the
/// antler variables always do.
///
/// The augmented Lagrangian (see `M2Lagrangian`) runs its inner minimisations with GSL's
/// `vector_bfgs2` and analytic gradients, from several starting points (OPTIMASS-style,
/// arXiv:1508.00589).
///
/// Starting points (x = (q1x, q1y, q1z, q2z)): (1) MET split equally between the sides;
/// (2) MET decomposed along the two visible parent transverse momenta; (3) likewise along
/// the intermediates' visibles when present; (4, 5) all MET on one side; plus up to two
/// caller-given points (e.g. the solution of a less constrained variable). Each transverse
/// start gets the longitudinal momenta that give q_i the rapidity of its visible system,
/// which minimises each parent mass for that transverse split. Caller-given starts run
/// first. The lowest value among the converged starts wins (among approximate ones if
/// none converged); the search stops early once two converged starts agree on the lowest
/// value to 1e-7 relative (except for M2CC, whose constraint set has more local minima:
/// there every start runs).
///
/// Convergence: KKT violation below 1e-9 and inner gradient norm below 1e-5, both in the
/// scaled variables (S = visible energies + |MET| + m_C, masses squared over S^2). The
/// penalty starts at 100 and grows tenfold (to 1e6 at most) whenever the violation fails
/// to drop by a factor 4; at most 40 outer iterations of at most 400 BFGS steps each.
///
/// Not thread-safe: it owns one GSL workspace. Use one solver per thread.
public final class M2Solver {
    private let minimizer: UnsafeMutablePointer<gsl_multimin_fdfminimizer>
    private let start: UnsafeMutablePointer<gsl_vector>
    private let function: UnsafeMutablePointer<gsl_multimin_function_fdf>
    private let lagrangian = M2Lagrangian()
    var seeds: [SIMD4<Double>] = []
    /// Scratch lists of the Newton path (`fastSolveAll`), kept to avoid allocations per event.
    var newtonStarts: [SIMD4<Double>] = [], xcPoints: [SIMD4<Double>] = [], ccPoints: [SIMD4<Double>] = []
    var high1Points: [SIMD4<Double>] = [], high2Points: [SIMD4<Double>] = []
    /// The paths of the Newton descents of the current event, per problem (`M2Newton.solve`).
    var high1Trail: [SIMD4<Double>] = [], high2Trail: [SIMD4<Double>] = [], ccTrail: [SIMD4<Double>] = []
    /// The analytic solver for the Newton path's extra M2CC starts (`analyticStarts`).
    lazy var analyticSolver = KinematicSolver()

    static let maxOuter = 40, maxInner = 400
    /// Two converged starts whose values agree to this relative precision end the search.
    static let agreement = 1e-7
    static let feasibilityTolerance = 1e-9, gradientTolerance = 1e-5
    /// Above this equality violation (relative to S^2) a result is reported failed.
    static let failTolerance = 1e-3
    /// Above this equality violation (relative to S^2) with the exact (unsoftened)
    /// invisible energies, a converged result is reported approximate.
    static let exactTolerance = 1e-5

    /// How the t-tbar-like variables are computed (the antler ones always use the augmented
    /// Lagrangian).
    public let method: M2Method

    public init(method: M2Method = .newton) {
        self.method = method
        deelema_gsl_quiet()
        minimizer = gsl_multimin_fdfminimizer_alloc(deelema_multimin_bfgs2(), 5)!
        start = gsl_vector_alloc(5)!
        seeds.reserveCapacity(8)
        function = .allocate(capacity: 1)
        function.initialize(to: gsl_multimin_function_fdf(
            f: { v, p in
                let l = Unmanaged<M2Lagrangian>.fromOpaque(p!).takeUnretainedValue()
                let (z, t) = M2Solver.read(v!)
                var gz = SIMD4<Double>(), gt = 0.0
                return l.value(z, t, &gz, &gt)
            },
            df: { v, p, g in
                let l = Unmanaged<M2Lagrangian>.fromOpaque(p!).takeUnretainedValue()
                let (z, t) = M2Solver.read(v!)
                var gz = SIMD4<Double>(), gt = 0.0
                _ = l.value(z, t, &gz, &gt)
                M2Solver.write(gz, gt, g!)
            },
            fdf: { v, p, f, g in
                let l = Unmanaged<M2Lagrangian>.fromOpaque(p!).takeUnretainedValue()
                let (z, t) = M2Solver.read(v!)
                var gz = SIMD4<Double>(), gt = 0.0
                f!.pointee = l.value(z, t, &gz, &gt)
                M2Solver.write(gz, gt, g!)
            },
            n: 5, params: Unmanaged.passUnretained(lagrangian).toOpaque()))
    }

    deinit {
        gsl_multimin_fdfminimizer_free(minimizer)
        gsl_vector_free(start)
        function.deinitialize(count: 1)
        function.deallocate()
    }

    @inline(__always)
    static func read(_ v: UnsafePointer<gsl_vector>) -> (SIMD4<Double>, Double) {
        let d = v.pointee.data!, s = v.pointee.stride
        return (SIMD4(d[0], d[s], d[2 * s], d[3 * s]), d[4 * s])
    }

    @inline(__always)
    static func write(_ gz: SIMD4<Double>, _ gt: Double, _ v: UnsafeMutablePointer<gsl_vector>) {
        let d = v.pointee.data!, s = v.pointee.stride
        d[0] = gz[0]; d[s] = gz[1]; d[2 * s] = gz[2]; d[3 * s] = gz[3]; d[4 * s] = gt
    }

    /// M2 of one t-tbar-like event (GeV). Side 1 is (a1, b1), side 2 is (a2, b2): pass the
    /// objects already paired. `met` is the measured missing transverse momentum, `mC`
    /// the trial invisible mass, `subsystem` the parents whose mass is minimised.
    /// A constrained variable is also started from the minima of the less constrained ones,
    /// as in `solveAll` (cx, xc from xx; cc from cx and xc), so that it gives the same value
    /// whether asked for alone or with the others (xc excepted when `solveAll` lowers it
    /// with a restart from cc). `seed`: an optional extra starting point
    /// x = (q1x, q1y, q1z, q2z) in GeV for the requested variable.
    public func solve(a1: FourVector, b1: FourVector, a2: FourVector, b2: FourVector,
                      metX: Double, metY: Double, mC: Double, variable: M2Variable, subsystem: M2Subsystem = .ab,
                      seed: SIMD4<Double>? = nil) -> M2Solution {
        let k = subsystem.kinematics(a1: a1, b1: b1, a2: a2, b2: b2, metX: metX, metY: metY, mC: mC)
        if method == .newton { return fastSolve(k, variable: variable, seed: seed) }
        switch variable {
        case .xx:
            return solveXX(k, seedA: seed, seedB: nil)
        case .cx:
            return solveCX(k, Self.point(solveXX(k, seedA: nil, seedB: nil)), seed)
        case .xc:
            return solveXC(k, Self.point(solveXX(k, seedA: nil, seedB: nil)), seed)
        case .cc:
            let xx = Self.point(solveXX(k, seedA: nil, seedB: nil))
            let cx = solveCX(k, xx, nil), xc = solveXC(k, xx, nil)
            return solveCC(k, Self.point(cx), Self.point(xc), extra: seed)
        }
    }

    func solveXX(_ k: M2Kinematics, seedA: SIMD4<Double>?, seedB: SIMD4<Double>?) -> M2Solution {
        minimise(k, equalParents: false, equalIntermediates: false, resonanceMass: nil,
                 hasIntermediates: true, seedA: seedA, seedB: seedB)
    }

    func solveCX(_ k: M2Kinematics, _ seedA: SIMD4<Double>?, _ seedB: SIMD4<Double>?) -> M2Solution {
        minimise(k, equalParents: true, equalIntermediates: false, resonanceMass: nil,
                 hasIntermediates: true, seedA: seedA, seedB: seedB)
    }

    func solveXC(_ k: M2Kinematics, _ seedA: SIMD4<Double>?, _ seedB: SIMD4<Double>?) -> M2Solution {
        minimise(k, equalParents: false, equalIntermediates: true, resonanceMass: nil,
                 hasIntermediates: true, seedA: seedA, seedB: seedB)
    }

    /// M2CC from every standard start, the given minima, and optionally one more point.
    func solveCC(_ k: M2Kinematics, _ seedA: SIMD4<Double>?, _ seedB: SIMD4<Double>?,
                         extra: SIMD4<Double>?) -> M2Solution {
        let cc = minimise(k, equalParents: true, equalIntermediates: true, resonanceMass: nil,
                          hasIntermediates: true, seedA: seedA, seedB: seedB, exhaustive: true)
        guard let extra else { return cc }
        let other = minimise(k, equalParents: true, equalIntermediates: true, resonanceMass: nil,
                             hasIntermediates: true, seedA: extra, seedB: nil, onlyGiven: true)
        return Self.better(other, than: cc) ? other : cc
    }

    /// All four variables of one t-tbar-like event, each later one also started from the
    /// solutions of the less constrained ones: xx; cx and xc from xx; cc from cx and xc,
    /// trying every start; when cc came out below xc, xc is restarted from cc's minimum
    /// (which is feasible for xc) and the better result kept, so that xc <= cc.
    public func solveAll(a1: FourVector, b1: FourVector, a2: FourVector, b2: FourVector,
                         metX: Double, metY: Double, mC: Double, subsystem: M2Subsystem = .ab)
        -> (xx: M2Solution, cx: M2Solution, xc: M2Solution, cc: M2Solution) {
        let k = subsystem.kinematics(a1: a1, b1: b1, a2: a2, b2: b2, metX: metX, metY: metY, mC: mC)
        if method == .newton { return fastSolveAll(k, extra: nil) }
        let xx = solveXX(k, seedA: nil, seedB: nil)
        let cx = solveCX(k, Self.point(xx), nil)
        var xc = solveXC(k, Self.point(xx), nil)
        let cc = solveCC(k, Self.point(cx), Self.point(xc), extra: nil)
        if cc.status != .failed, !(xc.value <= cc.value) {
            let again = minimise(k, equalParents: false, equalIntermediates: true, resonanceMass: nil,
                                 hasIntermediates: true, seedA: Self.point(cc), seedB: nil, onlyGiven: true)
            if Self.better(again, than: xc) { xc = again }
        }
        return (xx, cx, xc, cc)
    }

    /// M2 of one antler event D -> B1 B2, B_i -> a_i C_i (GeV): minimises max(M_B1, M_B2),
    /// with (a1 + a2 + q1 + q2)^2 = m_D^2 imposed when `resonanceMass` (m_D, GeV) is given
    /// (arXiv:1509.00298). `seedA` is an optional extra start.
    public func solveAntler(a1: FourVector, a2: FourVector, metX: Double, metY: Double, mC: Double,
                            resonanceMass: Double?, seedA: SIMD4<Double>? = nil) -> M2Solution {
        let k = M2Kinematics(p1: a1, p2: a2, metX: metX, metY: metY, mC: mC)
        return minimise(k, equalParents: false, equalIntermediates: false, resonanceMass: resonanceMass,
                        hasIntermediates: false, seedA: seedA, seedB: nil)
    }

    /// The free variables x = (q1x, q1y, q1z, q2z) of a solution, nil when it failed.
    public static func point(_ s: M2Solution) -> SIMD4<Double>? {
        s.status == .failed ? nil : SIMD4(s.q1.px, s.q1.py, s.q1.pz, s.q2.pz)
    }

    func minimise(_ k: M2Kinematics, equalParents: Bool, equalIntermediates: Bool, resonanceMass: Double?,
                          hasIntermediates: Bool, seedA: SIMD4<Double>?, seedB: SIMD4<Double>?,
                          exhaustive: Bool = false, onlyGiven: Bool = false) -> M2Solution {
        lagrangian.configure(k, equalParents: equalParents, equalIntermediates: equalIntermediates,
                             resonanceMass: resonanceMass)
        seeds.removeAll(keepingCapacity: true)
        if let seedA { seeds.append(seedA) }
        if let seedB { seeds.append(seedB) }
        if !onlyGiven { fillSeeds(k, hasIntermediates: hasIntermediates) }
        var best = M2Solution.failed
        var agreeing = 0
        for seed in seeds {
            let s = run(from: seed)
            if s.status == .exact, best.status == .exact, abs(s.value - best.value) <= Self.agreement * best.value {
                agreeing += 1
            } else if Self.better(s, than: best) {
                best = s
                agreeing = s.status == .exact ? 1 : 0
            }
            if agreeing >= 2 && !exhaustive { break }
        }
        return best
    }

    static func better(_ s: M2Solution, than b: M2Solution) -> Bool {
        if s.status == .failed { return false }
        if b.status == .failed { return true }
        if s.status != b.status { return s.status == .exact }
        return s.value < b.value
    }

    /// Longitudinal momentum giving an invisible of transverse momentum (qx, qy) the
    /// rapidity of `p`.
    static func matchedPz(_ p: FourVector, _ qx: Double, _ qy: Double, _ mC: Double) -> Double {
        let mtP2 = p.e * p.e - p.pz * p.pz
        guard mtP2 > 0 else { return 0 }
        return (mC * mC + qx * qx + qy * qy).squareRoot() * p.pz / mtP2.squareRoot()
    }

    func addSeed(_ k: M2Kinematics, _ qx: Double, _ qy: Double) {
        guard qx.isFinite, qy.isFinite else { return }
        let pz1 = Self.matchedPz(k.p1, qx, qy, k.mC)
        let pz2 = Self.matchedPz(k.p2, k.metX - qx, k.metY - qy, k.mC)
        seeds.append(SIMD4(qx, qy, pz1, pz2))
    }

    /// Decomposes MET = alpha u + beta w and adds q1T = alpha u as a start.
    func addCollinearSeed(_ k: M2Kinematics, _ u: FourVector, _ w: FourVector) {
        let det = u.px * w.py - u.py * w.px
        guard abs(det) > 1e-12 * (u.pt2 + w.pt2) else { return }
        let alpha = (k.metX * w.py - k.metY * w.px) / det
        addSeed(k, alpha * u.px, alpha * u.py)
    }

    func fillSeeds(_ k: M2Kinematics, hasIntermediates: Bool) {
        addSeed(k, 0.5 * k.metX, 0.5 * k.metY)
        addCollinearSeed(k, k.p1, k.p2)
        if hasIntermediates { addCollinearSeed(k, k.v1, k.v2) }
        addSeed(k, k.metX, k.metY)
        addSeed(k, 0, 0)
    }

    /// One augmented-Lagrangian run from the physical start `x0` (GeV).
    private func run(from x0: SIMD4<Double>) -> M2Solution {
        let l = lagrangian
        l.resetMultipliers()
        let ev0 = l.kinematics.evaluate(x0)
        var z = x0 * l.invScale
        var t = max(ev0.parent1, ev0.parent2) * l.invScale2
        guard t.isFinite, all(z .== z) else { return .failed }
        var previous = Double.infinity
        var converged = false
        for _ in 0..<Self.maxOuter {
            let d = start.pointee.data!, s = start.pointee.stride
            d[0] = z[0]; d[s] = z[1]; d[2 * s] = z[2]; d[3 * s] = z[3]; d[4 * s] = t
            guard gsl_multimin_fdfminimizer_set(minimizer, function, start, 0.01, 0.1) == GSL_SUCCESS else { break }
            for _ in 0..<Self.maxInner {
                if gsl_multimin_fdfminimizer_iterate(minimizer) != GSL_SUCCESS { break }
                if gsl_multimin_test_gradient(gsl_multimin_fdfminimizer_gradient(minimizer), 1e-8) == GSL_SUCCESS { break }
            }
            (z, t) = Self.read(gsl_multimin_fdfminimizer_x(minimizer))
            let (gz, gt) = Self.read(gsl_multimin_fdfminimizer_gradient(minimizer))
            let g2: SIMD4<Double> = gz * gz
            let gradientNorm = (g2[0] + g2[1] + g2[2] + g2[3] + gt * gt).squareRoot()
            let violation = l.updateMultipliers(z, t)
            if !violation.isFinite { break }
            if violation < Self.feasibilityTolerance && gradientNorm < Self.gradientTolerance {
                converged = true
                break
            }
            if violation > 0.25 * previous && violation > Self.feasibilityTolerance { l.mu = min(l.mu * 10, 1e6) }
            previous = violation
        }
        let x = l.physical(z)
        var exactKinematics = l.kinematics
        exactKinematics.softening = 0
        let ev = exactKinematics.evaluate(x)
        let top = max(ev.parent1, ev.parent2)
        let violation = l.equalityViolation(ev)
        guard top.isFinite, top >= 0, violation < Self.failTolerance else { return .failed }
        if violation > Self.exactTolerance { converged = false }
        let (q1, q2) = l.kinematics.invisibles(x)
        return M2Solution(value: top.squareRoot(), q1: q1, q2: q2, status: converged ? .exact : .approximate,
                          violation: violation)
    }
}
