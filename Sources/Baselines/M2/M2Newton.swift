import Kinematics

/// The smooth sub-problems whose KKT points the Newton path of `M2Solver` looks for.
///
/// M2CC minimises M_A1^2 = M_A2^2 on the surface M_A1 = M_A2, M_B1 = M_B2 (A: parents,
/// B: intermediates of `M2Kinematics`). M2XC minimises max(M_A1, M_A2) on M_B1 = M_B2: at
/// its minimum either both parents are equal (a KKT point of the M2CC system whose
/// multiplier of M_A1 = M_A2 lies in [-1/2, 1/2]) or one parent is strictly heavier and its
/// mass alone is minimal on M_B1 = M_B2 (`parent1High`, `parent2High`).
enum M2SmoothProblem {
    /// Minimise (M_A1^2 + M_A2^2) / 2 with M_A1^2 = M_A2^2 and M_B1^2 = M_B2^2.
    case equalBoth
    /// Minimise M_A1^2 with M_B1^2 = M_B2^2.
    case parent1High
    /// Minimise M_A2^2 with M_B1^2 = M_B2^2.
    case parent2High

    var constraints: Int { self == .equalBoth ? 2 : 1 }
}

/// KKT points of one `M2SmoothProblem` by Newton's method, in the free variables
/// x = (q1x, q1y, q1z, q2z) of `M2Kinematics` scaled by the event scale S, so that every
/// mass squared is O(1): a descent phase (`descend`: augmented Lagrangian with damped Newton
/// inner steps, which stays in the start's basin) hands over to Newton on the KKT equations
/// (`polish`, quadratic convergence to 1e-13).
///
/// Second derivatives are analytic and cheap: every mass squared M^2(P + q) = m_P^2 + m_C^2 +
/// 2 (E_P E_q - P.q) has the q-Hessian 2 E_P (1/E_q - q q^T / E_q^3), so the Hessian of the
/// Lagrangian on side i is that matrix times the multiplier-weighted sum of the E_P of the
/// side's visibles. Side 2 enters through q2T = MET - q1T.
///
/// A KKT point need not be a minimum; the caller keeps the lowest feasible point over several
/// starts, and every feasible point is an upper bound on the variable, so a saddle never
/// gives a value below the true minimum.
struct M2Newton {
    /// The kinematics divided by the scale (softening 0: exact invisible energies).
    let k: M2Kinematics
    /// Event scale S (GeV), as in `M2Lagrangian`.
    let scale: Double

    static let maxIterations = 40
    /// A descent within `knownDistance` (scaled) of a known point, with constraint violation
    /// below `knownConstraint` (scaled), stops (see `descend`).
    static let knownDistance = 1e-3, knownConstraint = 1e-2
    /// Convergence in scaled units: constraints to 1e-13, Lagrangian gradient to 1e-10.
    static let constraintTolerance = 1e-13, gradientTolerance = 1e-10
    /// The descent's softening of the invisible energies, E_q = sqrt(m_C^2 + eps^2 + |q|^2)
    /// with eps = 1e-4 S (this is eps^2 in scaled units): it rounds the cone vertex of a
    /// massless invisible, where the Hessian grows as 1 / |q| and the damped Newton steps of
    /// the exact problem shrink to nothing (measured on t-tbar: 5 such descents per event took
    /// over half of all the trial points, and most of them never converged). The polish is
    /// exact, so the points returned are KKT points of the exact problem. Measured without the
    /// exact rerun of `solve`: 1e-6 (eps 1e-3 S) raised 8 of 1000 t-tbar M2XC; 1e-10 (eps
    /// 1e-5 S) saved three quarters as much time and raised two M2CC. Used only where both
    /// parent visible systems have a mass above 1e-3 S (`softening2`).
    static let descentSoftening2 = 1e-8
    /// The softening of this event's descents: `descentSoftening2` where both parent visible
    /// systems are massive (t-tbar (ab): the tops' b + lepton), else 0. With a massless parent
    /// visible (t-tbar (b): the leptons) the parent mass vanishes along a whole ray of q, not
    /// only at the vertex, and softened descents were slower than exact ones (t-tbar (b) 197
    /// against 131 us per event) for the same values.
    let softening2: Double
    /// A softened descent that comes within this distance (scaled, largest component) of the
    /// path of an earlier descent of the same problem that reached a point (`solve`'s `trail`)
    /// stops: from there it would follow that path to the same point. Measured on the
    /// M2Benchmark fixtures (1000 events each, both subsystems): 1e-2 kept every value,
    /// 3e-2 raised two M2CC values.
    static let trailDistance = 1e-2
    /// An unbalanced descent (`parent1High`, `parent2High`) also stops after any inner step that
    /// lands within this distance (scaled, largest component) of an earlier path of its
    /// problem, not only at the end of an outer iteration: most of them join a path within
    /// their first outer iteration, whose inner steps were the largest part of the time. These
    /// descents only feed the M2XC candidates and the balanced starts, and their minima are
    /// far apart; measured on the M2Benchmark fixtures (10 000 events each, both subsystems)
    /// 5e-2 kept every value (t-tbar (ab): 199 -> 109 steps per event in the unbalanced
    /// descents from the starts, toy 175 -> 115), 1e-1 raised one toy M2XC of 3000. The
    /// balanced descents keep the outer check alone: an inner check at 1e-2 raised a toy M2CC
    /// of 3000, at 5e-3 one M2XC and three M2CC of 10 000 t-tbar events.
    static let unbalancedTrailDistance = 5e-2
    /// A failed softened descent is rerun on the exact energies only when an invisible's
    /// (softened) energy came below this (scaled): only there does the softening change the
    /// problem. Without this condition every failed descent ran twice, which doubled the time of
    /// the toy's (b) subsystem, where many descents fail.
    static let vertexEnergy = 1e-2

    init(_ physical: M2Kinematics) {
        let met = (physical.metX * physical.metX + physical.metY * physical.metY).squareRoot()
        let s = max(physical.p1.e + physical.p2.e + met + physical.mC, 1e-300)
        let inv = 1 / s
        var k = M2Kinematics(p1: inv * physical.p1, p2: inv * physical.p2, v1: inv * physical.v1,
                             v2: inv * physical.v2, metX: physical.metX * inv, metY: physical.metY * inv,
                             mC: physical.mC * inv)
        k.softening = 0
        self.k = k
        scale = s
        softening2 = min(k.p1.mass2, k.p2.mass2) > 1e-6 ? Self.descentSoftening2 : 0
    }

    /// A converged KKT point: scaled free variables and the four masses squared (scaled).
    struct Point {
        var x: SIMD4<Double>
        var a1: Double, a2: Double, b1: Double, b2: Double
    }

    /// A KKT point from the physical start `x0` (GeV); a start at a massless cone vertex is
    /// moved off it (`offVertex`). Returns nil when no KKT point is reached (singular system,
    /// an invisible at zero momentum with m_C = 0, or no progress).
    ///
    /// `known`: physical points (GeV) already found for this problem; a descent that comes within
    /// `knownDistance` S of one, on the constraint surface to `knownConstraint`, stops there
    /// (nil): it would only find that point again, and the M2 variables keep the lowest point
    /// found.
    ///
    /// The descent runs on the softened kinematics (`softening2`); where it reaches no
    /// point (neither a KKT point nor a known one) it is repeated on the exact kinematics,
    /// which still slides past a cone vertex in a few events (one t-tbar M2CC(b) of 1000 was
    /// otherwise 2.1 times higher).
    ///
    /// `trail`: the caller's scratch list, one per problem and event (empty at the event's
    /// first descent): the paths (scaled points at the end of each outer iteration) of the
    /// earlier softened descents that reached a point; the caller adds every such point to
    /// `known`. A descent that reaches a point adds its own path; one
    /// that comes within `trailDistance` of the list stops (nil).
    func solve(_ problem: M2SmoothProblem, from x0: SIMD4<Double>, known: [SIMD4<Double>] = [],
               trail: inout [SIMD4<Double>]) -> Point? {
        guard all(x0 .== x0), let start = State(self, x0 / scale) ?? State(self, offVertex(x0 / scale)) else { return nil }
        let mark = trail.count
        switch descend(problem, from: start, known: known, softening2: softening2, trail: &trail, useTrail: true) {
        case .found(let p): return p
        case .known: return nil
        case .failed(let nearVertex):
            trail.removeSubrange(mark...)
            // Only where the softening mattered (a heavy invisible never comes near a vertex).
            guard nearVertex, softening2 > 0 else { return nil }
            if case .found(let p) = descend(problem, from: start, known: known, trail: &trail, useTrail: false) { return p }
            return nil
        }
    }

    /// How a descent ended.
    enum Descent {
        /// At a KKT point of the exact problem.
        case found(Point)
        /// Next to a point already known (see `solve`).
        case known
        /// No KKT point reached; `nearVertex`: an invisible's energy came below `vertexEnergy`.
        case failed(nearVertex: Bool)
    }

    /// Newton's method on the KKT equations from (x, lambda) (scaled): quadratic convergence
    /// next to a KKT point.
    func polish(_ problem: M2SmoothProblem, x x0: SIMD4<Double>, lambda l0: SIMD2<Double>,
                maxIterations: Int = M2Newton.maxIterations) -> Point? {
        var x = x0, lambda = l0
        let m = problem.constraints
        guard var state = State(self, x) else { return nil }
        var residual = state.residual(problem, lambda)
        for _ in 0..<maxIterations {
            if residual.converged { return state.point }
            guard let (dx, newLambda) = state.newtonStep(problem, lambda, m) else { return nil }
            // Backtracking on the KKT residual: full steps near the solution, shorter ones
            // where the quadratic model is poor far from it.
            var alpha = 1.0
            var accepted = false
            for _ in 0..<12 {
                let xt = x + alpha * dx
                let lt = lambda + alpha * (newLambda - lambda)
                if let st = State(self, xt) {
                    let rt = st.residual(problem, lt)
                    if rt.norm < residual.norm * (1 - 1e-4 * alpha) || rt.converged {
                        x = xt; lambda = lt; state = st; residual = rt
                        accepted = true
                        break
                    }
                }
                alpha *= 0.5
            }
            guard accepted else { return nil }
        }
        return residual.converged ? state.point : nil
    }

    /// A start moved off a cone vertex (a massless invisible with zero momentum, where the
    /// Hessian does not exist, e.g. an unbalanced MT2 point): that invisible gets 1e-3 S along
    /// its parent visible system.
    func offVertex(_ x: SIMD4<Double>) -> SIMD4<Double> {
        var y = x
        let q1 = SIMD3(x[0], x[1], x[2]), q2 = SIMD3(k.metX - x[0], k.metY - x[1], x[3])
        if (q1 * q1).sum() + k.mC * k.mC < 1e-18 {
            let p = SIMD3(k.p1.px, k.p1.py, k.p1.pz), n = (p * p).sum().squareRoot()
            if n > 0 { y[0] += 1e-3 * p[0] / n; y[1] += 1e-3 * p[1] / n; y[2] += 1e-3 * p[2] / n }
        }
        if (q2 * q2).sum() + k.mC * k.mC < 1e-18 {
            let p = SIMD3(k.p2.px, k.p2.py, k.p2.pz), n = (p * p).sum().squareRoot()
            if n > 0 { y[0] -= 1e-3 * p[0] / n; y[1] -= 1e-3 * p[1] / n; y[3] += 1e-3 * p[2] / n }
        }
        return y
    }

    /// A descent phase that stays in the start's basin, as the augmented Lagrangian of
    /// `M2Lagrangian` does but with Newton inner steps: minimises
    /// L = f + lambda.h + mu |h|^2 / 2 (to a gradient of max(1e-8, |h| / 10)) by Newton's
    /// method with Levenberg-Marquardt damping
    /// (LDL^T of H + tau 1, tau raised until positive definite and L decreases), then
    /// updates lambda += mu h and raises mu tenfold when |h| did not drop fourfold; it
    /// then hands over to `polish` once |h| and |grad L| are below 1e-4 (scaled).
    /// `softening2`: eps^2 (scaled) of the invisible energies in the descent (not the polish).
    /// With `useTrail` it stops (`.known`) within `trailDistance` of a point of `trail` that was
    /// there when it began (an unbalanced one also after any inner step within
    /// `unbalancedTrailDistance`), and appends its own path points.
    func descend(_ problem: M2SmoothProblem, from start: State, known: [SIMD4<Double>] = [],
                 softening2 s2: Double = 0, trail: inout [SIMD4<Double>], useTrail: Bool) -> Descent {
        let earlier = trail.count
        @inline(__always) func onTrail(_ x: SIMD4<Double>, within distance: Double = Self.trailDistance) -> Bool {
            for i in 0..<earlier {
                let d = x - trail[i]
                if max(max(abs(d[0]), abs(d[1])), max(abs(d[2]), abs(d[3]))) <= distance { return true }
            }
            return false
        }
        let innerTrail = useTrail && problem != .equalBoth
        // A start on the trail is checked but not added: with starts added, two t-tbar M2CC
        // values of 1000 came out higher.
        if useTrail, onTrail(start.x) { return .known }
        var state = s2 == 0 ? start : State(self, start.x, s2) ?? start
        var lowestEnergy = min(state.e1, state.e2)
        var x = start.x
        var lambda = state.leastSquaresMultipliers(problem)
        var mu = 10.0
        var previous = Double.infinity
        let m = problem.constraints
        for _ in 0..<25 {
            for _ in 0..<10 {
                let h = state.constraintValues(problem)
                let eff = lambda + mu * h
                let g = state.combine(State.weights(problem, eff))
                let gn = max(max(abs(g[0]), abs(g[1])), max(abs(g[2]), abs(g[3])))
                // Inexact inner solves: while the constraints are still violated by |h| the
                // multipliers are off by about mu |h|, so a gradient below |h| / 10 is as good as
                // one of 1e-8 (measured: the same values, a fifth fewer steps on the toy).
                if gn <= max(1e-8, 0.1 * max(abs(h[0]), abs(h[1]))) { break }
                let value = state.augmentedValue(problem, lambda, mu)
                // The matrix once per step; damping tau 0, then 1e-6, 1e-5, ... as before.
                let hessian = state.augmentedHessian(problem, eff, mu, m)
                var tau = 0.0
                var moved = false
                for _ in 0..<12 {
                    guard let dx = State.choleskySolve(hessian, tau: tau, gradient: g) else {
                        tau = max(1e-6, tau * 10)
                        continue
                    }
                    var alpha = 1.0
                    for _ in 0..<8 {
                        // The trial point's masses alone; the gradients once it is accepted.
                        let xt = x + alpha * dx
                        if let masses = State.masses(self, xt, s2) {
                            let v = State.augmentedValue(problem, masses, lambda, mu)
                            if v <= value + 1e-4 * alpha * (g * dx).sum(), let st = State(self, xt, s2) {
                                x = xt; state = st; moved = true
                                lowestEnergy = min(lowestEnergy, st.e1, st.e2)
                                if innerTrail, onTrail(x, within: Self.unbalancedTrailDistance) { return .known }
                                break
                            }
                        }
                        alpha *= 0.5
                    }
                    if moved { break }
                    tau = max(1e-6, tau * 10)
                }
                if !moved { break }
            }
            let h = state.constraintValues(problem)
            let hn = max(abs(h[0]), abs(h[1]))
            guard hn.isFinite else { return .failed(nearVertex: lowestEnergy < Self.vertexEnergy) }
            lambda += mu * h
            // Near a point already found (1e-3 S, constraints within 1e-2 S^2) the descent
            // would only find that point again: measured on t-tbar, over 90 % of the converged
            // descents of an event end at a point already found.
            if hn <= Self.knownConstraint {
                for y in known {
                    let d = x - y / scale
                    if max(max(abs(d[0]), abs(d[1])), max(abs(d[2]), abs(d[3]))) <= Self.knownDistance { return .known }
                }
            }
            // Close enough for the KKT iteration to converge quadratically: try it, and
            // descend further when it does not converge.
            if hn <= 1e-4 {
                let g = state.combine(State.weights(problem, lambda))
                let gn = max(max(abs(g[0]), abs(g[1])), max(abs(g[2]), abs(g[3])))
                // From 1e-4 a quadratically converging iteration needs about four steps.
                if gn <= 1e-4, let p = polish(problem, x: x, lambda: lambda, maxIterations: 8) { return .found(p) }
            }
            if hn > 0.25 * previous { mu = min(mu * 10, 1e8) }
            previous = hn
            if useTrail {
                if onTrail(x) { return .known }
                trail.append(x)
            }
        }
        return .failed(nearVertex: lowestEnergy < Self.vertexEnergy)
    }

    /// The four masses squared (A1, A2, B1, B2: parents and intermediates, scaled), their
    /// gradients in x and the two invisible momenta and energies at one x.
    struct State {
        var x: SIMD4<Double>
        var masses: SIMD4<Double>
        var dA1: SIMD4<Double>, dA2: SIMD4<Double>, dB1: SIMD4<Double>, dB2: SIMD4<Double>
        var q1: SIMD4<Double>, q2: SIMD4<Double>
        var e1: Double, e2: Double
        /// Energies of the visibles (E_p1, E_p2, E_v1, E_v2), for the Hessian.
        var energies: SIMD4<Double>

        /// `soft2`: eps^2 (scaled) added to m_C^2 in the invisible energies only (see
        /// `M2Newton.descentSoftening2`); 0 is the exact kinematics.
        @inline(__always)
        init?(_ n: M2Newton, _ x: SIMD4<Double>, _ soft2: Double = 0) {
            let k = n.k
            self.x = x
            q1 = SIMD4(x[0], x[1], x[2], 0)
            q2 = SIMD4(k.metX - x[0], k.metY - x[1], x[3], 0)
            let mC2 = k.mC * k.mC
            e1 = (mC2 + soft2 + (q1 * q1).sum()).squareRoot()
            e2 = (mC2 + soft2 + (q2 * q2).sum()).squareRoot()
            // The Hessian has 1/E_q: at a massless invisible with zero momentum (a cone vertex)
            // the masses are not differentiable and Newton does not apply.
            guard e1 > 1e-9, e2 > 1e-9, e1.isFinite, e2.isFinite else { return nil }
            energies = SIMD4(k.p1.e, k.p2.e, k.v1.e, k.v2.e)
            // M^2(P + q) = m_P^2 + m_C^2 + 2 (E_P E_q - P.q), dM^2/dq = 2 (E_P q / E_q - P).
            // One division per side instead of one per mass (the steps' latency is mostly
            // divisions and square roots).
            let r1 = 1 / e1, r2 = 1 / e2
            @inline(__always) func side(_ p: FourVector, _ q: SIMD4<Double>, _ e: Double, _ r: Double)
                -> (Double, SIMD4<Double>) {
                let pv = SIMD4(p.px, p.py, p.pz, 0)
                return (p.mass2 + mC2 + 2 * (p.e * e - (pv * q).sum()), 2 * ((p.e * r) * q - pv))
            }
            let (a1, ga1) = side(k.p1, q1, e1, r1), (a2, ga2) = side(k.p2, q2, e2, r2)
            let (b1, gb1) = side(k.v1, q1, e1, r1), (b2, gb2) = side(k.v2, q2, e2, r2)
            masses = SIMD4(a1, a2, b1, b2)
            // Side 2 depends on x through q2 = (mx - x0, my - x1, x3).
            dA1 = ga1; dB1 = gb1
            dA2 = SIMD4(-ga2[0], -ga2[1], 0, ga2[2])
            dB2 = SIMD4(-gb2[0], -gb2[1], 0, gb2[2])
        }

        /// The masses squared (A1, A2, B1, B2) at x as `init` computes them (the same
        /// arithmetic, so the same bits), nil where `init` is nil: the line search's trial points.
        @inline(__always)
        static func masses(_ n: M2Newton, _ x: SIMD4<Double>, _ soft2: Double) -> SIMD4<Double>? {
            let k = n.k
            let q1 = SIMD4(x[0], x[1], x[2], 0)
            let q2 = SIMD4(k.metX - x[0], k.metY - x[1], x[3], 0)
            let mC2 = k.mC * k.mC
            let e1 = (mC2 + soft2 + (q1 * q1).sum()).squareRoot()
            let e2 = (mC2 + soft2 + (q2 * q2).sum()).squareRoot()
            guard e1 > 1e-9, e2 > 1e-9, e1.isFinite, e2.isFinite else { return nil }
            @inline(__always) func mass(_ p: FourVector, _ q: SIMD4<Double>, _ e: Double) -> Double {
                let pv = SIMD4(p.px, p.py, p.pz, 0)
                return p.mass2 + mC2 + 2 * (p.e * e - (pv * q).sum())
            }
            return SIMD4(mass(k.p1, q1, e1), mass(k.p2, q2, e2), mass(k.v1, q1, e1), mass(k.v2, q2, e2))
        }

        var point: Point { Point(x: x, a1: masses[0], a2: masses[1], b1: masses[2], b2: masses[3]) }

        /// Weights (c_A1, c_A2, c_B1, c_B2) of the four masses squared in the Lagrangian
        /// objective + sum_j lambda_j h_j.
        @inline(__always)
        static func weights(_ problem: M2SmoothProblem, _ l: SIMD2<Double>) -> SIMD4<Double> {
            switch problem {
            case .equalBoth: SIMD4(0.5 + l[0], 0.5 - l[0], l[1], -l[1])
            case .parent1High: SIMD4(1, 0, l[0], -l[0])
            case .parent2High: SIMD4(0, 1, l[0], -l[0])
            }
        }

        @inline(__always)
        func combine(_ w: SIMD4<Double>) -> SIMD4<Double> { w[0] * dA1 + w[1] * dA2 + w[2] * dB1 + w[3] * dB2 }

        /// Constraint j: (A1 - A2) first for `equalBoth`, then (B1 - B2).
        @inline(__always)
        func constraint(_ problem: M2SmoothProblem, _ j: Int) -> (Double, SIMD4<Double>) {
            if problem == .equalBoth && j == 0 { return (masses[0] - masses[1], dA1 - dA2) }
            return (masses[2] - masses[3], dB1 - dB2)
        }

        struct Residual {
            var h: Double, g: Double
            var norm: Double { max(h, g) }
            var converged: Bool { h <= M2Newton.constraintTolerance && g <= M2Newton.gradientTolerance }
        }

        @inline(__always)
        func residual(_ problem: M2SmoothProblem, _ l: SIMD2<Double>) -> Residual {
            let g = combine(Self.weights(problem, l))
            var h = abs(masses[2] - masses[3])
            if problem == .equalBoth { h = max(h, abs(masses[0] - masses[1])) }
            let gn = max(max(abs(g[0]), abs(g[1])), max(abs(g[2]), abs(g[3])))
            guard gn.isFinite, h.isFinite else { return Residual(h: .infinity, g: .infinity) }
            return Residual(h: h, g: gn)
        }

        /// The constraint values (h_0, h_1); h_1 = 0 with one constraint.
        @inline(__always)
        func constraintValues(_ problem: M2SmoothProblem) -> SIMD2<Double> {
            problem == .equalBoth ? SIMD2(masses[0] - masses[1], masses[2] - masses[3]) : SIMD2(masses[2] - masses[3], 0)
        }

        /// f + lambda.h + mu |h|^2 / 2.
        @inline(__always)
        func augmentedValue(_ problem: M2SmoothProblem, _ lambda: SIMD2<Double>, _ mu: Double) -> Double {
            Self.augmentedValue(problem, masses, lambda, mu)
        }

        /// f + lambda.h + mu |h|^2 / 2 at the masses squared (A1, A2, B1, B2).
        @inline(__always)
        static func augmentedValue(_ problem: M2SmoothProblem, _ masses: SIMD4<Double>, _ lambda: SIMD2<Double>,
                                   _ mu: Double) -> Double {
            let f: Double = switch problem {
            case .equalBoth: 0.5 * (masses[0] + masses[1])
            case .parent1High: masses[0]
            case .parent2High: masses[1]
            }
            let h = problem == .equalBoth ? SIMD2(masses[0] - masses[1], masses[2] - masses[3])
                : SIMD2(masses[2] - masses[3], 0)
            return f + (lambda * h).sum() + 0.5 * mu * (h * h).sum()
        }

        /// Rows of H + mu J^T J, H the Hessian of f + eff.h (the Hessian of the augmented
        /// Lagrangian; the mu h Hessian(h) part is carried by eff = lambda + mu h).
        func augmentedHessian(_ problem: M2SmoothProblem, _ eff: SIMD2<Double>, _ mu: Double, _ m: Int)
            -> (SIMD4<Double>, SIMD4<Double>, SIMD4<Double>, SIMD4<Double>) {
            let w = Self.weights(problem, eff)
            let c1 = 2 * (w[0] * energies[0] + w[2] * energies[2]) / e1
            let c2 = 2 * (w[1] * energies[1] + w[3] * energies[3]) / e2
            let w1 = SIMD4<Double>(q1[0], q1[1], q1[2], 0) / e1
            let w2 = SIMD4<Double>(-q2[0], -q2[1], 0, q2[2]) / e2
            let (_, d0) = constraint(problem, 0)
            let (_, d1) = m == 2 ? constraint(problem, 1) : (0, SIMD4<Double>())
            // c1 (diag(1, 1, 1, 0) - w1 w1^T) + c2 (diag(1, 1, 0, 1) - w2 w2^T) + mu (d0 d0^T + d1 d1^T),
            // row by row in straight-line code.
            let u1 = c1 * w1, u2 = c2 * w2, p0 = mu * d0, p1 = mu * d1
            @inline(__always) func row(_ r: Int, _ diagonal: SIMD4<Double>) -> SIMD4<Double> {
                diagonal - w1[r] * u1 - w2[r] * u2 + d0[r] * p0 + d1[r] * p1
            }
            return (row(0, SIMD4(c1 + c2, 0, 0, 0)), row(1, SIMD4(0, c1 + c2, 0, 0)),
                    row(2, SIMD4(0, 0, c1, 0)), row(3, SIMD4(0, 0, 0, c2)))
        }

        /// dx = -(A + tau 1)^-1 g by the LDL^T factorisation of the symmetric 4 x 4 A (rows,
        /// lower triangle read); nil when A + tau 1 is not positive definite (a pivot d_k <= 0).
        /// LDL^T rather than Cholesky: the same test and solution without the four square
        /// roots on the critical path of every damped step.
        static func choleskySolve(_ a: (SIMD4<Double>, SIMD4<Double>, SIMD4<Double>, SIMD4<Double>), tau: Double,
                                  gradient g: SIMD4<Double>) -> SIMD4<Double>? {
            let d0 = a.0[0] + tau
            guard d0 > 0 else { return nil }
            let r0 = 1 / d0
            let e10 = a.1[0], e20 = a.2[0], e30 = a.3[0]
            let l10 = e10 * r0, l20 = e20 * r0, l30 = e30 * r0
            let d1 = a.1[1] + tau - l10 * e10
            guard d1 > 0 else { return nil }
            let r1 = 1 / d1
            let e21 = a.2[1] - l20 * e10, e31 = a.3[1] - l30 * e10
            let l21 = e21 * r1, l31 = e31 * r1
            let d2 = a.2[2] + tau - l20 * e20 - l21 * e21
            guard d2 > 0 else { return nil }
            let r2 = 1 / d2
            let e32 = a.3[2] - l30 * e20 - l31 * e21
            let l32 = e32 * r2
            let d3 = a.3[3] + tau - l30 * e30 - l31 * e31 - l32 * e32
            guard d3 > 0 else { return nil }
            let r3 = 1 / d3
            // L z = -g, then L^T x = D^-1 z.
            let z0 = -g[0]
            let z1 = -g[1] - l10 * z0
            let z2 = -g[2] - l20 * z0 - l21 * z1
            let z3 = -g[3] - l30 * z0 - l31 * z1 - l32 * z2
            let x3 = z3 * r3
            let x2 = z2 * r2 - l32 * x3
            let x1 = z1 * r1 - l21 * x2 - l31 * x3
            let x0 = z0 * r0 - l10 * x1 - l20 * x2 - l30 * x3
            let dx = SIMD4(x0, x1, x2, x3)
            return all(dx .== dx) ? dx : nil
        }

        /// Multipliers minimising |grad f + J^T lambda| at the start.
        func leastSquaresMultipliers(_ problem: M2SmoothProblem) -> SIMD2<Double> {
            let f = combine(Self.weights(problem, SIMD2()))
            let (_, d0) = constraint(problem, 0)
            if problem.constraints == 1 {
                let n = (d0 * d0).sum()
                return n > 0 ? SIMD2(-(d0 * f).sum() / n, 0) : SIMD2()
            }
            let (_, d1) = constraint(problem, 1)
            let a = (d0 * d0).sum(), b = (d0 * d1).sum(), c = (d1 * d1).sum()
            let r0 = -(d0 * f).sum(), r1 = -(d1 * f).sum()
            let det = a * c - b * b
            guard abs(det) > 1e-300 else { return SIMD2() }
            return SIMD2((c * r0 - b * r1) / det, (a * r1 - b * r0) / det)
        }

        /// Solves [H J^T; J 0] [dx; lambda+] = [-grad f; -h] by Gaussian elimination with
        /// partial pivoting (rows of the augmented matrix in SIMD8 lanes); nil when singular.
        func newtonStep(_ problem: M2SmoothProblem, _ l: SIMD2<Double>, _ m: Int) -> (SIMD4<Double>, SIMD2<Double>)? {
            let w = Self.weights(problem, l)
            // Hessian of the Lagrangian on each side: 2 (sum of weight x E_P) (1 - u u^T) / E_q, u = q / E_q.
            let c1 = 2 * (w[0] * energies[0] + w[2] * energies[2]) / e1
            let c2 = 2 * (w[1] * energies[1] + w[3] * energies[3]) / e2
            // Side 1 depends on (x0, x1, x2) directly; side 2 through q2 = (mx - x0, my - x1, x3),
            // so its unit vector enters as w2 = (-u2x, -u2y, 0, u2z) with identity diag(1, 1, 0, 1).
            let w1 = SIMD4<Double>(q1[0], q1[1], q1[2], 0) / e1
            let w2 = SIMD4<Double>(-q2[0], -q2[1], 0, q2[2]) / e2
            let i1 = SIMD4<Double>(1, 1, 1, 0), i2 = SIMD4<Double>(1, 1, 0, 1)
            let f = combine(Self.weights(problem, SIMD2()))
            let (h0, d0) = constraint(problem, 0)
            let (h1, d1) = m == 2 ? constraint(problem, 1) : (0, SIMD4<Double>())
            return withUnsafeTemporaryAllocation(of: SIMD8<Double>.self, capacity: 6) { a -> (SIMD4<Double>, SIMD2<Double>)? in
                for r in 0..<4 {
                    var e = SIMD4<Double>()
                    e[r] = 1
                    let hr = c1 * (e * i1 - w1[r] * w1) + c2 * (e * i2 - w2[r] * w2)
                    a[r] = SIMD8(hr[0], hr[1], hr[2], hr[3], d0[r], d1[r], 0, -f[r])
                }
                a[4] = SIMD8(d0[0], d0[1], d0[2], d0[3], 0, 0, 0, -h0)
                // One constraint: a dummy identity row keeps the system 6 x 6 (its unknown is 0).
                a[5] = m == 2 ? SIMD8(d1[0], d1[1], d1[2], d1[3], 0, 0, 0, -h1) : SIMD8(0, 0, 0, 0, 0, 1, 0, 0)
                for p in 0..<6 {
                    var best = p
                    var big = abs(a[p][p])
                    for r in (p + 1)..<6 where abs(a[r][p]) > big { big = abs(a[r][p]); best = r }
                    guard big > 1e-14, big.isFinite else { return nil }
                    if best != p { a.swapAt(p, best) }
                    let pivot = a[p]
                    let inv = 1 / pivot[p]
                    for r in (p + 1)..<6 {
                        let factor = a[r][p] * inv
                        if factor != 0 { a[r] -= factor * pivot }
                    }
                }
                var sol = SIMD8<Double>()
                for p in stride(from: 5, through: 0, by: -1) {
                    let row = a[p]
                    var s = row[7]
                    for c in (p + 1)..<6 { s -= row[c] * sol[c] }
                    sol[p] = s / row[p]
                }
                let dx = SIMD4(sol[0], sol[1], sol[2], sol[3])
                let newL = SIMD2(sol[4], sol[5])
                guard all(dx .== dx), all(newL .== newL) else { return nil }
                return (dx, newL)
            }
        }
    }
}

extension M2Kinematics {
    /// The longitudinal momenta q_z (GeV) at which the invisible of transverse momentum
    /// (qx, qy) and mass `mC` gives (P + q)^2 = `target2` (GeV^2): the roots of
    /// (E_P^2 - P_z^2) q_z^2 - 2 K P_z q_z + E_P^2 (m_C^2 + qT^2) - K^2 = 0 with
    /// K = (target2 - m_P^2 - m_C^2) / 2 + PT.qT, kept where E_P E_q = K + P_z q_z holds
    /// (K + P_z q_z >= 0). Empty when the target is below the mass reachable at this qT.
    static func longitudinalRoots(_ p: FourVector, qx: Double, qy: Double, mC: Double,
                                  target2: Double) -> [Double] {
        let a = mC * mC + qx * qx + qy * qy
        let kk = 0.5 * (target2 - p.mass2 - mC * mC) + p.px * qx + p.py * qy
        let mt2 = p.e * p.e - p.pz * p.pz
        guard mt2 > 0, kk >= 0 || p.pz != 0 else { return [] }
        let disc = kk * kk * p.pz * p.pz - mt2 * (p.e * p.e * a - kk * kk)
        guard disc >= 0 else { return [] }
        let r = disc.squareRoot()
        // mt2 q^2 + 2 b' q + c = 0 with b' = -K P_z; the stable pair q = s / mt2, c / s with
        // s = -(b' + sign(b') r).
        let bp = -kk * p.pz, c = p.e * p.e * a - kk * kk
        let s = bp >= 0 ? -(bp + r) : -(bp - r)
        let roots: [Double] = s != 0 ? [s / mt2, c / s] : [0]
        return roots.filter { kk + p.pz * $0 >= -1e-12 * (abs(kk) + abs(p.pz * $0)) && $0.isFinite }
    }
}
