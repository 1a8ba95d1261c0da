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

/// Newton's method on the KKT equations of one `M2SmoothProblem`, in the free variables
/// x = (q1x, q1y, q1z, q2z) of `M2Kinematics` scaled by the event scale S, so that every
/// mass squared is O(1).
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
    /// Convergence in scaled units: constraints to 1e-13, Lagrangian gradient to 1e-10.
    static let constraintTolerance = 1e-13, gradientTolerance = 1e-10

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
    }

    /// A converged KKT point: scaled free variables and the four masses squared (scaled).
    struct Point {
        var x: SIMD4<Double>
        var a1: Double, a2: Double, b1: Double, b2: Double
    }

    /// Newton from the physical start `x0` (GeV). Returns nil when the iteration does not
    /// converge (singular system, an invisible at zero momentum with m_C = 0, or no progress).
    func solve(_ problem: M2SmoothProblem, from x0: SIMD4<Double>) -> Point? {
        var x = x0 / scale
        guard all(x .== x) else { return nil }
        let m = problem.constraints
        var lambda = SIMD2<Double>()
        guard var state = State(k, x, problem) else { return nil }
        lambda = state.leastSquaresMultipliers(m)
        var residual = state.residual(lambda, m)
        for _ in 0..<Self.maxIterations {
            if residual.h <= Self.constraintTolerance && residual.g <= Self.gradientTolerance {
                return Point(x: x, a1: state.ev.parent1, a2: state.ev.parent2,
                             b1: state.ev.intermediate1, b2: state.ev.intermediate2)
            }
            guard let (dx, newLambda) = state.newtonStep(lambda, m) else { return nil }
            // Backtracking on the KKT residual: full steps near the solution, shorter ones
            // where the quadratic model is poor far from it.
            var alpha = 1.0
            var accepted = false
            for _ in 0..<12 {
                let xt = x + alpha * dx
                let lt = lambda + alpha * (newLambda - lambda)
                if let st = State(k, xt, problem) {
                    let rt = st.residual(lt, m)
                    if rt.norm < residual.norm * (1 - 1e-4 * alpha) || (rt.h <= Self.constraintTolerance
                        && rt.g <= Self.gradientTolerance) {
                        x = xt; lambda = lt; state = st; residual = rt
                        accepted = true
                        break
                    }
                }
                alpha *= 0.5
            }
            guard accepted else { return nil }
        }
        if residual.h <= Self.constraintTolerance && residual.g <= Self.gradientTolerance {
            return Point(x: x, a1: state.ev.parent1, a2: state.ev.parent2,
                         b1: state.ev.intermediate1, b2: state.ev.intermediate2)
        }
        return nil
    }

    /// The masses squared, their gradients and the two invisible energies at one x.
    struct State {
        var ev: M2Evaluation
        var x: SIMD4<Double>
        var q1: SIMD3<Double>, q2: SIMD3<Double>
        var e1: Double, e2: Double
        let problem: M2SmoothProblem
        let ep1: Double, ep2: Double, ev1: Double, ev2: Double

        init?(_ k: M2Kinematics, _ x: SIMD4<Double>, _ problem: M2SmoothProblem) {
            self.x = x
            self.problem = problem
            q1 = SIMD3(x[0], x[1], x[2])
            q2 = SIMD3(k.metX - x[0], k.metY - x[1], x[3])
            let mC2 = k.mC * k.mC
            e1 = (mC2 + (q1 * q1).sum()).squareRoot()
            e2 = (mC2 + (q2 * q2).sum()).squareRoot()
            // The Hessian has 1/E_q: at a massless invisible with zero momentum (a cone vertex)
            // the masses are not differentiable and Newton does not apply.
            guard e1 > 1e-9, e2 > 1e-9, e1.isFinite, e2.isFinite else { return nil }
            ev = k.evaluate(x)
            ep1 = k.p1.e; ep2 = k.p2.e; ev1 = k.v1.e; ev2 = k.v2.e
        }

        /// Weights (c_A1, c_A2, c_B1, c_B2) of the four masses squared in the Lagrangian.
        @inline(__always)
        func weights(_ l: SIMD2<Double>) -> SIMD4<Double> {
            switch problem {
            case .equalBoth: SIMD4(0.5 + l[0], 0.5 - l[0], l[1], -l[1])
            case .parent1High: SIMD4(1, 0, l[0], -l[0])
            case .parent2High: SIMD4(0, 1, l[0], -l[0])
            }
        }

        var objectiveGradient: SIMD4<Double> {
            switch problem {
            case .equalBoth: 0.5 * (ev.dParent1 + ev.dParent2)
            case .parent1High: ev.dParent1
            case .parent2High: ev.dParent2
            }
        }

        /// Constraint values and gradients: (B1 - B2) last, (A1 - A2) first for `equalBoth`.
        func constraint(_ j: Int) -> (Double, SIMD4<Double>) {
            if problem == .equalBoth && j == 0 { return (ev.parent1 - ev.parent2, ev.dParent1 - ev.dParent2) }
            return (ev.intermediate1 - ev.intermediate2, ev.dIntermediate1 - ev.dIntermediate2)
        }

        struct Residual { var h: Double, g: Double; var norm: Double { max(h, g) } }

        func residual(_ l: SIMD2<Double>, _ m: Int) -> Residual {
            var g = objectiveGradient
            var h = 0.0
            for j in 0..<m {
                let (v, d) = constraint(j)
                g += l[j] * d
                h = max(h, abs(v))
            }
            let gn = max(max(abs(g[0]), abs(g[1])), max(abs(g[2]), abs(g[3])))
            guard gn.isFinite, h.isFinite else { return Residual(h: .infinity, g: .infinity) }
            return Residual(h: h, g: gn)
        }

        /// Multipliers minimising |grad f + J^T lambda| at the start.
        func leastSquaresMultipliers(_ m: Int) -> SIMD2<Double> {
            let f = objectiveGradient
            let (_, d0) = constraint(0)
            if m == 1 {
                let n = (d0 * d0).sum()
                return n > 0 ? SIMD2(-(d0 * f).sum() / n, 0) : SIMD2()
            }
            let (_, d1) = constraint(1)
            let a = (d0 * d0).sum(), b = (d0 * d1).sum(), c = (d1 * d1).sum()
            let r0 = -(d0 * f).sum(), r1 = -(d1 * f).sum()
            let det = a * c - b * b
            guard abs(det) > 1e-300 else { return SIMD2() }
            return SIMD2((c * r0 - b * r1) / det, (a * r1 - b * r0) / det)
        }

        /// Solves [H J^T; J 0] [dx; lambda+] = [-grad f; -h] by Gaussian elimination with
        /// partial pivoting; nil when the system is singular.
        func newtonStep(_ l: SIMD2<Double>, _ m: Int) -> (SIMD4<Double>, SIMD2<Double>)? {
            let w = weights(l)
            // Hessian factors of the two sides: 2 (sum of weight x E_P) / E_q.
            let c1 = 2 * (w[0] * ep1 + w[2] * ev1) / e1
            let c2 = 2 * (w[1] * ep2 + w[3] * ev2) / e2
            let n = 4 + m
            return withUnsafeTemporaryAllocation(of: Double.self, capacity: 6 * 7) { a -> (SIMD4<Double>, SIMD2<Double>)? in
                let cols = n + 1
                for i in 0..<(n * cols) { a[i] = 0 }
                // Side 1: q1 = (x0, x1, x2).
                let u1 = q1 / e1
                for r in 0..<3 { for c in 0..<3 { a[r * cols + c] += c1 * ((r == c ? 1 : 0) - u1[r] * u1[c]) } }
                // Side 2: q2 = (mx - x0, my - x1, x3): index map and signs.
                let u2 = q2 / e2
                let idx = (0, 1, 3), sgn = SIMD3<Double>(-1, -1, 1)
                func map(_ i: Int) -> Int { i == 0 ? idx.0 : (i == 1 ? idx.1 : idx.2) }
                for r in 0..<3 {
                    for c in 0..<3 {
                        a[map(r) * cols + map(c)] += sgn[r] * sgn[c] * c2 * ((r == c ? 1 : 0) - u2[r] * u2[c])
                    }
                }
                let f = objectiveGradient
                for r in 0..<4 { a[r * cols + n] = -f[r] }
                for j in 0..<m {
                    let (v, d) = constraint(j)
                    for r in 0..<4 {
                        a[r * cols + 4 + j] = d[r]
                        a[(4 + j) * cols + r] = d[r]
                    }
                    a[(4 + j) * cols + n] = -v
                }
                // Elimination with partial pivoting.
                for p in 0..<n {
                    var best = p
                    var big = abs(a[p * cols + p])
                    for r in (p + 1)..<n where abs(a[r * cols + p]) > big { big = abs(a[r * cols + p]); best = r }
                    guard big > 1e-14, big.isFinite else { return nil }
                    if best != p { for c in 0..<cols { a.swapAt(p * cols + c, best * cols + c) } }
                    let inv = 1 / a[p * cols + p]
                    for r in (p + 1)..<n {
                        let factor = a[r * cols + p] * inv
                        if factor == 0 { continue }
                        for c in p..<cols { a[r * cols + c] -= factor * a[p * cols + c] }
                    }
                }
                var sol = SIMD8<Double>()
                for p in stride(from: n - 1, through: 0, by: -1) {
                    var s = a[p * cols + n]
                    for c in (p + 1)..<n { s -= a[p * cols + c] * sol[c] }
                    sol[p] = s / a[p * cols + p]
                }
                let dx = SIMD4(sol[0], sol[1], sol[2], sol[3])
                let newL = SIMD2(sol[4], m == 2 ? sol[5] : 0)
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
