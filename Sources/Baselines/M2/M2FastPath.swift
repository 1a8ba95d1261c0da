import Events
import Kinematics

/// How `M2Solver` computes the t-tbar-like variables.
public enum M2Method: String, Sendable, CaseIterable {
    /// M2XX and M2CX from MT2 (a theorem, arXiv:1401.1449), M2XC and M2CC from Newton's
    /// method on their KKT equations from several starts, with the augmented Lagrangian as
    /// the fallback when no start converges. The default.
    case newton
    /// The augmented Lagrangian over GSL `vector_bfgs2` for every variable (the method before
    /// the Newton path; kept as the fallback and as the reference of the tests and benchmarks).
    case augmentedLagrangian
}

extension M2Solver {
    /// One variable on the Newton path: xx and cx from MT2 alone, xc and cc from `fastSolveAll`.
    func fastSolve(_ k: M2Kinematics, variable: M2Variable, seed: SIMD4<Double>?) -> M2Solution {
        switch variable {
        case .xx: return mt2Solution(k)
        case .cx: return cxSolution(k, mt2Solution(k))
        case .xc: return fastSolveAll(k, extra: seed).xc
        case .cc: return fastSolveAll(k, extra: seed).cc
        }
    }

    /// All four variables on the Newton path.
    ///
    /// - xx: MT2 of the parent systems with chi = m_C (exact by theorem); each invisible's
    ///   longitudinal momentum gives it the rapidity of its parent system, where the parent
    ///   mass equals the transverse mass.
    /// - cx: the same value; the lighter side's q_z is moved onto M_A = MT2 (`cxSolution`).
    /// - xc, cc: the lowest feasible KKT point found by `M2Newton` from the MT2 point (with
    ///   each q_z matched to the rapidity of either visible of its side: four starts), the
    ///   standard starts of the augmented Lagrangian and an optional extra start; M2CC also
    ///   from the M2XC points and from the analytic solutions near its best point
    ///   (`analyticStarts`). M2XC also considers the point where one parent sits at its own
    ///   minimum mass m_P + m_C (exact whenever feasible: no parent can be lighter), and every
    ///   M2CC point (feasible for M2XC), so xc <= cc. When no start converges the variable
    ///   falls back to the augmented Lagrangian.
    func fastSolveAll(_ k: M2Kinematics, extra: SIMD4<Double>?)
        -> (xx: M2Solution, cx: M2Solution, xc: M2Solution, cc: M2Solution) {
        let xx = mt2Solution(k)
        guard xx.status != .failed else {
            return (xx, xx, .failed, .failed)
        }
        let cx = cxSolution(k, xx)
        let newton = M2Newton(k)
        newtonStarts.removeAll(keepingCapacity: true)
        appendMT2Starts(k, xx)
        // The M2CX point (MT2 with the lighter side's q_z on M_A1 = M_A2), a start of the
        // augmented Lagrangian's M2CC too.
        if let p = Self.point(cx) { newtonStarts.append(p) }
        seeds.removeAll(keepingCapacity: true)
        fillSeeds(k, hasIntermediates: true)
        newtonStarts += seeds
        if let extra { newtonStarts.append(extra) }

        var xc = ownMinimumCandidate(k)
        xcPoints.removeAll(keepingCapacity: true)
        high1Points.removeAll(keepingCapacity: true)
        high2Points.removeAll(keepingCapacity: true)
        ccPoints.removeAll(keepingCapacity: true)
        high1Trail.removeAll(keepingCapacity: true)
        high2Trail.removeAll(keepingCapacity: true)
        ccTrail.removeAll(keepingCapacity: true)
        // The own-minimum point is an M2CC start like the other M2XC points (moved off the cone
        // vertex by `M2Newton` when q = 0).
        if let p = Self.point(xc) { xcPoints.append(p) }
        func unbalanced(from s: SIMD4<Double>) {
            for side in [M2SmoothProblem.parent1High, .parent2High] {
                let sideKnown = side == .parent1High ? high1Points : high2Points
                let found = side == .parent1High ? newton.solve(side, from: s, known: sideKnown, trail: &high1Trail)
                    : newton.solve(side, from: s, known: sideKnown, trail: &high2Trail)
                guard let p = found else { continue }
                let high = side == .parent1High ? p.a1 : p.a2, low = side == .parent1High ? p.a2 : p.a1
                // Every KKT point found is known to later descents of this side, candidate or not.
                if side == .parent1High {
                    Self.appendUnique(&high1Points, p.x * newton.scale, newton.scale)
                } else {
                    Self.appendUnique(&high2Points, p.x * newton.scale, newton.scale)
                }
                // Only a point where the minimised parent is the heavier one is an M2XC candidate.
                guard low <= high * (1 + 1e-12) else { continue }
                let sol = solution(k, p.x * newton.scale, equalParents: false)
                if Self.better(sol, than: xc) { xc = sol }
                Self.appendUnique(&xcPoints, p.x * newton.scale, newton.scale)
            }
        }
        var cc = M2Solution.failed
        func balanced(from s: SIMD4<Double>) {
            guard let p = newton.solve(.equalBoth, from: s, known: ccPoints, trail: &ccTrail) else { return }
            let sol = solution(k, p.x * newton.scale, equalParents: true)
            if Self.better(sol, than: cc) { cc = sol }
            Self.appendUnique(&ccPoints, p.x * newton.scale, newton.scale)
        }
        for s in newtonStarts { unbalanced(from: s) }
        for s in newtonStarts { balanced(from: s) }
        for i in xcPoints.indices { balanced(from: xcPoints[i]) }
        // As the augmented Lagrangian restarts M2XC from M2CC's minimum: a balanced minimum
        // often lies next to an unbalanced basin that the other starts miss.
        if let best = Self.point(cc) {
            unbalanced(from: best)
            // The analytic solutions at the best M2CC point's masses, the parent mass raised
            // by 1e-4: feasible points on the other branches of the solution set, from which
            // a lower M2CC minimum may be reachable (issue 15 item 13).
            let before = ccPoints.count
            for x in analyticStarts(k, best) { balanced(from: x) }
            if ccPoints.count > before, let again = Self.point(cc), again != best { unbalanced(from: again) }
        }
        if cc.status == .failed {
            cc = solveCC(k, Self.point(cx), Self.point(xc), extra: extra)
        }
        // Every M2CC point satisfies M2XC's constraint.
        if cc.status != .failed, Self.better(cc, than: xc) {
            xc = solution(k, Self.point(cc)!, equalParents: false)
        }
        if xc.status == .failed { xc = solveXC(k, Self.point(xx), extra) }
        return (xx, cx, xc, cc)
    }

    /// The analytic dilepton solutions (`KinematicSolver`) of the chain at the masses of the
    /// point `x` (GeV): parent mass max(M_A1, M_A2) (1 + 1e-4), intermediate (M_B1 + M_B2) / 2.
    /// For the (ab) subsystem the chain is a = p - v, b = v with (m_A, m_B) = (parent,
    /// intermediate); for the (b) subsystem b = p, a = v - p with the roles exchanged. Empty
    /// when the masses are not ordered.
    func analyticStarts(_ k: M2Kinematics, _ x: SIMD4<Double>) -> [SIMD4<Double>] {
        let ev = k.evaluate(x)
        let parent = max(ev.parent1, ev.parent2).squareRoot() * (1 + 1e-4)
        let intermediate = (0.5 * (ev.intermediate1 + ev.intermediate2)).squareRoot()
        let ab = k.p1.e >= k.v1.e
        let (a1, b1, a2, b2) = ab ? (k.p1 - k.v1, k.v1, k.p2 - k.v2, k.v2) : (k.v1 - k.p1, k.p1, k.v2 - k.p2, k.p2)
        let masses = ab ? ChainMasses(mA: parent, mB: intermediate, mC: k.mC) : ChainMasses(mA: intermediate, mB: parent, mC: k.mC)
        guard masses.isOrdered else { return [] }
        let sols = analyticSolver.solve(a1: a1, b1: b1, a2: a2, b2: b2, metX: k.metX, metY: k.metY, masses: masses)
        return (0..<sols.count).map { SIMD4(sols[$0].c1.px, sols[$0].c1.py, sols[$0].c1.pz, sols[$0].c2.pz) }
    }

    /// M2XX as MT2 of the parent systems (visible masses m(p_i), chi = m_C).
    func mt2Solution(_ k: M2Kinematics) -> M2Solution {
        let r = MT2.compute(m1: k.p1.mass, px1: k.p1.px, py1: k.p1.py, m2: k.p2.mass, px2: k.p2.px, py2: k.p2.py,
                            metx: k.metX, mety: k.metY, chi1: k.mC, chi2: k.mC)
        guard r.value.isFinite, r.q1x.isFinite, r.q1y.isFinite else { return .failed }
        let x = SIMD4(r.q1x, r.q1y, Self.matchedPz(k.p1, r.q1x, r.q1y, k.mC),
                      Self.matchedPz(k.p2, k.metX - r.q1x, k.metY - r.q1y, k.mC))
        let (q1, q2) = k.invisibles(x)
        return M2Solution(value: r.value, q1: q1, q2: q2, status: .exact, violation: 0)
    }

    /// M2CX = MT2 (arXiv:1401.1449): at MT2's minimum the lighter parent's mass rises with
    /// |q_z - matched q_z| without bound, so a q_z with M_A = MT2 exists; of its two roots the
    /// one closer to the matched q_z is taken.
    func cxSolution(_ k: M2Kinematics, _ xx: M2Solution) -> M2Solution {
        guard var x = Self.point(xx) else { return .failed }
        let ev = k.evaluate(x)
        let target = xx.value * xx.value
        if ev.parent1 < ev.parent2 {
            if let z = Self.closest(M2Kinematics.longitudinalRoots(k.p1, qx: x[0], qy: x[1], mC: k.mC, target2: target), x[2]) {
                x[2] = z
            }
        } else if ev.parent2 < ev.parent1 {
            if let z = Self.closest(M2Kinematics.longitudinalRoots(k.p2, qx: k.metX - x[0], qy: k.metY - x[1], mC: k.mC,
                                                                   target2: target), x[3]) {
                x[3] = z
            }
        }
        let (q1, q2) = k.invisibles(x)
        let after = k.evaluate(x)
        let violation = abs(after.parent1 - after.parent2) / Self.scale2(k)
        return M2Solution(value: xx.value, q1: q1, q2: q2, status: violation <= Self.exactTolerance ? .exact : .approximate,
                          violation: violation)
    }

    /// Appends `x` unless a point within 1e-7 S of it is already there: several starts
    /// usually reach the same minimum, which need not be a start again.
    static func appendUnique(_ list: inout [SIMD4<Double>], _ x: SIMD4<Double>, _ scale: Double) {
        for y in list {
            let d = x - y
            if max(max(abs(d[0]), abs(d[1])), max(abs(d[2]), abs(d[3]))) <= 1e-7 * scale { return }
        }
        list.append(x)
    }

    /// The root of `roots` closest to `z`.
    static func closest(_ roots: [Double], _ z: Double) -> Double? {
        roots.min { abs($0 - z) < abs($1 - z) }
    }

    /// The event scale squared S^2 (GeV^2) of `M2Lagrangian` / `M2Newton`.
    static func scale2(_ k: M2Kinematics) -> Double {
        let met = (k.metX * k.metX + k.metY * k.metY).squareRoot()
        let s = max(k.p1.e + k.p2.e + met + k.mC, 1e-300)
        return s * s
    }

    /// The MT2 point with each side's q_z matched to the rapidity of either visible of the
    /// side (the parent system or the intermediate's visible).
    func appendMT2Starts(_ k: M2Kinematics, _ xx: M2Solution) {
        let qx = xx.q1.px, qy = xx.q1.py, rx = k.metX - qx, ry = k.metY - qy
        let z1 = [Self.matchedPz(k.p1, qx, qy, k.mC), Self.matchedPz(k.v1, qx, qy, k.mC)]
        let z2 = [Self.matchedPz(k.p2, rx, ry, k.mC), Self.matchedPz(k.v2, rx, ry, k.mC)]
        for a in z1 { for b in z2 { newtonStarts.append(SIMD4(qx, qy, a, b)) } }
    }

    /// M2XC where one parent sits at its own minimum mass m_P + m_C (q = m_C / m_P P, or
    /// q = 0 for a massless invisible) and the other side's q_z meets M_B1 = M_B2 with its
    /// parent no heavier. Since no parent is ever lighter than m_P + m_C, such a point on the
    /// side of the larger m_P + m_C is the exact M2XC; with a massless invisible it is the
    /// cone vertex that smooth methods only approach.
    func ownMinimumCandidate(_ k: M2Kinematics) -> M2Solution {
        var best = M2Solution.failed
        for side in 0..<2 {
            let p = side == 0 ? k.p1 : k.p2, v = side == 0 ? k.v1 : k.v2, vo = side == 0 ? k.v2 : k.v1
            let mP = p.mass
            let q: SIMD3<Double>
            if mP > 0 {
                let f = k.mC / mP
                q = SIMD3(f * p.px, f * p.py, f * p.pz)
            } else if k.mC == 0 {
                q = SIMD3()
            } else {
                continue
            }
            let eq = (k.mC * k.mC + (q * q).sum()).squareRoot()
            let qs = FourVector(e: eq, px: q[0], py: q[1], pz: q[2])
            let targetB = (v + qs).mass2
            let ox = k.metX - q[0], oy = k.metY - q[1]
            for z in M2Kinematics.longitudinalRoots(vo, qx: ox, qy: oy, mC: k.mC, target2: targetB) {
                let x = side == 0 ? SIMD4(q[0], q[1], q[2], z) : SIMD4(ox, oy, z, q[2])
                let s = solution(k, x, equalParents: false)
                if Self.better(s, than: best) { best = s }
            }
        }
        return best
    }

    /// The solution at the physical point `x` (GeV) with the exact kinematics: value
    /// max(M_A1, M_A2), and the equality violation of the problem relative to S^2
    /// (M_B1 = M_B2 always; M_A1 = M_A2 when `equalParents`).
    func solution(_ k: M2Kinematics, _ x: SIMD4<Double>, equalParents: Bool) -> M2Solution {
        let ev = k.evaluate(x)
        let s2 = Self.scale2(k)
        var violation = abs(ev.intermediate1 - ev.intermediate2) / s2
        if equalParents { violation = max(violation, abs(ev.parent1 - ev.parent2) / s2) }
        let top = max(ev.parent1, ev.parent2)
        guard top.isFinite, top >= 0, violation < Self.failTolerance else { return .failed }
        let (q1, q2) = k.invisibles(x)
        return M2Solution(value: top.squareRoot(), q1: q1, q2: q2,
                          status: violation <= Self.exactTolerance ? .exact : .approximate, violation: violation)
    }
}


