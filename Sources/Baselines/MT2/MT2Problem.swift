/// One MT2 evaluation in rescaled units (all inputs divided by their largest magnitude).
///
/// Side i allows the invisible momentum q_i where mT_i <= M. Squaring
/// Et_i Eq_i <= S_i + p_i.q_i with S_i = (M^2 - m_i^2 - chi_i^2)/2 gives the conic
/// q^T A_i q + 2 b_i.q + e_i <= 0 with A_i = Et_i^2 1 - p_i p_i^T, b_i = -S_i p_i,
/// e_i = Et_i^2 chi_i^2 - S_i^2 (an ellipse, or a parabola for a massless visible). Side 2 is
/// written in q1 through q2 = MET - q1. The two regions are disjoint exactly when the
/// characteristic cubic f(lambda) = det(lambda C1 + C2) of the 3x3 conic matrices has two
/// distinct positive roots (its third root is negative); with a, d < 0 that is: discriminant
/// > 0 and b > 0 or c > 0 (Descartes' rule). Every coefficient is a quadratic in M^2, so the
/// bisection interpolates them once and evaluates three-term polynomials per step.
struct MT2Problem {
    var m1 = 0.0, px1 = 0.0, py1 = 0.0, m2 = 0.0, px2 = 0.0, py2 = 0.0
    var kx = 0.0, ky = 0.0, c1 = 0.0, c2 = 0.0
    var scale = 0.0
    var valid = true
    var et1sq = 0.0, et2sq = 0.0, et1 = 0.0, et2 = 0.0

    init(m1: Double, px1: Double, py1: Double, m2: Double, px2: Double, py2: Double,
         metx: Double, mety: Double, chi1: Double, chi2: Double) {
        let s = max(max(max(abs(m1), abs(px1)), max(abs(py1), abs(m2))),
                    max(max(abs(px2), abs(py2)), max(max(abs(metx), abs(mety)), max(abs(chi1), abs(chi2)))))
        guard s.isFinite, !(m1 + px1 + py1 + m2 + px2 + py2 + metx + mety + chi1 + chi2).isNaN else {
            valid = false; return
        }
        scale = s
        let inv = s > 0 ? 1 / s : 0
        self.m1 = max(m1, 0) * inv; self.px1 = px1 * inv; self.py1 = py1 * inv
        self.m2 = max(m2, 0) * inv; self.px2 = px2 * inv; self.py2 = py2 * inv
        kx = metx * inv; ky = mety * inv
        c1 = max(chi1, 0) * inv; c2 = max(chi2, 0) * inv
        et1sq = self.m1 * self.m1 + self.px1 * self.px1 + self.py1 * self.py1
        et2sq = self.m2 * self.m2 + self.px2 * self.px2 + self.py2 * self.py2
        et1 = et1sq.squareRoot(); et2 = et2sq.squareRoot()
    }

    // MARK: transverse masses (scaled units)

    @inline(__always) func mt1sq(_ qx: Double, _ qy: Double) -> Double {
        let eq = (c1 * c1 + qx * qx + qy * qy).squareRoot()
        return max(0, m1 * m1 + c1 * c1 + 2 * (et1 * eq - px1 * qx - py1 * qy))
    }

    @inline(__always) func mt2sq(_ qx: Double, _ qy: Double) -> Double {
        let eq = (c2 * c2 + qx * qx + qy * qy).squareRoot()
        return max(0, m2 * m2 + c2 * c2 + 2 * (et2 * eq - px2 * qx - py2 * qy))
    }

    /// max(mT1, mT2) at q1 (scaled), with q2 = MET - q1.
    @inline(__always) func objective(_ qx: Double, _ qy: Double) -> Double {
        max(mt1sq(qx, qy), mt2sq(kx - qx, ky - qy)).squareRoot()
    }

    // MARK: the characteristic cubic

    /// Coefficients (a, b, c, d) of det(lambda C1 + C2) at s = M^2 (scaled), computed directly.
    func cubic(_ s: Double) -> (Double, Double, Double, Double) {
        let s1 = 0.5 * (s - m1 * m1 - c1 * c1)
        let s2 = 0.5 * (s - m2 * m2 - c2 * c2)
        // Side 1 in q1.
        let a11 = m1 * m1 + py1 * py1, a22 = m1 * m1 + px1 * px1, a12 = -px1 * py1
        let a13 = -s1 * px1, a23 = -s1 * py1, a33 = et1sq * c1 * c1 - s1 * s1
        // Side 2 in q2, then in q1 = MET - q2.
        let g11 = m2 * m2 + py2 * py2, g22 = m2 * m2 + px2 * px2, g12 = -px2 * py2
        let h1 = -s2 * px2, h2 = -s2 * py2, e2 = et2sq * c2 * c2 - s2 * s2
        let gk1 = g11 * kx + g12 * ky, gk2 = g12 * kx + g22 * ky
        let b13 = -(gk1 + h1), b23 = -(gk2 + h2)
        let b33 = kx * gk1 + ky * gk2 + 2 * (h1 * kx + h2 * ky) + e2
        let (b11, b22, b12) = (g11, g22, g12)
        // Adjugates.
        let A11 = a22 * a33 - a23 * a23, A22 = a11 * a33 - a13 * a13, A33 = a11 * a22 - a12 * a12
        let A12 = a13 * a23 - a12 * a33, A13 = a12 * a23 - a13 * a22, A23 = a12 * a13 - a11 * a23
        let B11 = b22 * b33 - b23 * b23, B22 = b11 * b33 - b13 * b13, B33 = b11 * b22 - b12 * b12
        let B12 = b13 * b23 - b12 * b33, B13 = b12 * b23 - b13 * b22, B23 = b12 * b13 - b11 * b23
        let a = a11 * A11 + a12 * A12 + a13 * A13
        let d = b11 * B11 + b12 * B12 + b13 * B13
        let b = A11 * b11 + A22 * b22 + A33 * b33 + 2 * (A12 * b12 + A13 * b13 + A23 * b23)
        let c = B11 * a11 + B22 * a22 + B33 * a33 + 2 * (B12 * a12 + B13 * a13 + B23 * a23)
        return (a, b, c, d)
    }

    /// Disjointness test from cubic coefficients (a, d < 0 for non-empty conics).
    @inline(__always) static func disjoint(_ a: Double, _ b: Double, _ c: Double, _ d: Double) -> Bool {
        let disc = 18 * a * b * c * d - 4 * b * b * b * d + b * b * c * c - 4 * a * c * c * c - 27 * a * a * d * d
        return disc > 0 && (b > 0 || c > 0)
    }

    // MARK: solve

    mutating func solve(wantMomenta: Bool) -> MT2Solution {
        guard valid else { return MT2Solution(value: .nan, q1x: .nan, q1y: .nan, q2x: .nan, q2y: .nan) }
        guard scale > 0 else { return MT2Solution(value: 0, q1x: 0, q1y: 0, q2x: 0, q2y: 0) }
        let lo0 = max(m1 + c1, m2 + c2)

        // Candidate points: each side at its own minimum (unbalanced solutions), the
        // massless cone solution, the even split. The best gives the upper bracket.
        var best = Double.infinity, bx = 0.0, by = 0.0
        @inline(__always) func tryPoint(_ qx: Double, _ qy: Double) {
            let f = objective(qx, qy)
            if f < best { best = f; bx = qx; by = qy }
        }
        if m1 > 0 { tryPoint(c1 / m1 * px1, c1 / m1 * py1) }
        if m2 > 0 { tryPoint(kx - c2 / m2 * px2, ky - c2 / m2 * py2) }
        if lo0 == 0 {
            // Massless everything: MT2 = 0 when MET lies in the cone of p1 and p2.
            // (Rounding makes the transverse masses there ~sqrt(eps), so return 0 directly.)
            let det = px1 * py2 - py1 * px2
            if det != 0 {
                let al = (kx * py2 - ky * px2) / det, be = (px1 * ky - py1 * kx) / det
                if al >= 0 && be >= 0 { return finish(value: 0, qx: al * px1, qy: al * py1) }
            }
            tryPoint(0, 0); tryPoint(kx, ky)
        }
        tryPoint(0.5 * kx, 0.5 * ky)
        if best <= lo0 {
            return finish(value: max(best, lo0), qx: bx, qy: by)
        }

        var lo = lo0, hi = best
        // Quadratic (in s = M^2) Newton interpolation of the cubic's coefficients.
        let sA = lo * lo, sB = hi * hi, sM = 0.5 * (sA + sB)
        let fA = cubic(sA), fB = cubic(sB), fM = cubic(sM)
        let dAB = 1 / (sB - sA), dAM = 1 / (sM - sA), dMB = 1 / (sM - sB)
        let a1 = (fB.0 - fA.0) * dAB, b1 = (fB.1 - fA.1) * dAB, cc1 = (fB.2 - fA.2) * dAB, d1 = (fB.3 - fA.3) * dAB
        let a2 = ((fM.0 - fA.0) * dAM - a1) * dMB, b2 = ((fM.1 - fA.1) * dAM - b1) * dMB
        let cc2 = ((fM.2 - fA.2) * dAM - cc1) * dMB, d2 = ((fM.3 - fA.3) * dAM - d1) * dMB
        // g(M) > 0 exactly when the conics are disjoint: the discriminant, negated when the
        // coefficient signs say the three real roots are all negative. It is continuous in M
        // (a, d < 0 keep roots off 0 and infinity) and crosses 0 simply at MT2, so after a few
        // bisection steps a safeguarded Illinois (modified false position) iteration on g
        // converges superlinearly; it stops when lo and hi are adjacent doubles.
        @inline(__always) func g(_ m: Double) -> Double {
            let s = m * m
            let t = s - sA, u = s - sB
            let a = fA.0 + t * (a1 + u * a2)
            let b = fA.1 + t * (b1 + u * b2)
            let c = fA.2 + t * (cc1 + u * cc2)
            let d = fA.3 + t * (d1 + u * d2)
            let disc = 18 * a * b * c * d - 4 * b * b * b * d + b * b * c * c - 4 * a * c * c * c - 27 * a * a * d * d
            return (b > 0 || c > 0) ? disc : -abs(disc)
        }
        var glo = 0.0, ghi = 0.0, haveLo = false, haveHi = false
        var side = 0, slow = 0
        while true {
            var mid: Double
            if haveLo && haveHi && slow < 2 {
                mid = (lo * ghi - hi * glo) / (ghi - glo)
                if !(mid > lo && mid < hi) { mid = 0.5 * (lo + hi) }
            } else {
                mid = 0.5 * (lo + hi)
                slow = 0
            }
            // Stop when the bracket no longer shrinks (or, for MT2 -> 0, at 1e-18 of the scale).
            if !(mid > lo && mid < hi) || hi - lo < 1e-18 { break }
            let width = hi - lo
            let gm = g(mid)
            if gm > 0 {
                lo = mid; glo = gm; haveLo = true
                if side == 1 { ghi *= 0.5 }
                side = 1
            } else {
                hi = mid; ghi = gm; haveHi = true
                if side == -1 { glo *= 0.5 }
                side = -1
            }
            if gm == 0 { glo = 0; haveLo = false }
            slow = (hi - lo) > 0.5 * width ? slow + 1 : 0
        }
        guard wantMomenta else { return MT2Solution(value: hi * scale, q1x: .nan, q1y: .nan, q2x: .nan, q2y: .nan) }
        if hi >= best { return finish(value: best, qx: bx, qy: by) }
        var (qx, qy) = touchingPoint(hi * hi) ?? (bx, by)
        refine(&qx, &qy)
        if !(qx.isFinite && qy.isFinite) || objective(qx, qy) > objective(bx, by) { (qx, qy) = (bx, by) }
        return finish(value: hi, qx: qx, qy: qy)
    }

    func finish(value: Double, qx: Double, qy: Double) -> MT2Solution {
        MT2Solution(value: value * scale, q1x: qx * scale, q1y: qy * scale,
                    q2x: (kx - qx) * scale, q2y: (ky - qy) * scale)
    }

    /// The point where the two conics touch at s = MT2^2: the singular point of the
    /// degenerate pencil member lambda* C1 + C2, lambda* the (near-)double positive root,
    /// obtained from the root sum minus the simple negative root.
    func touchingPoint(_ s: Double) -> (Double, Double)? {
        let (a, b, c, d) = cubic(s)
        guard a < 0, d < 0 else { return nil }
        @inline(__always) func f(_ x: Double) -> Double { ((a * x + b) * x + c) * x + d }
        var lo = -(1 + max(abs(b), abs(c), abs(d)) / abs(a)), hi = 0.0
        guard f(lo) > 0 else { return nil }
        while true {
            let mid = 0.5 * (lo + hi)
            if !(mid > lo && mid < hi) { break }
            if f(mid) > 0 { lo = mid } else { hi = mid }
        }
        let lam = 0.5 * (-b / a - lo)
        guard lam > 0 else { return nil }
        let s1 = 0.5 * (s - m1 * m1 - c1 * c1)
        let s2 = 0.5 * (s - m2 * m2 - c2 * c2)
        let g11 = m2 * m2 + py2 * py2, g22 = m2 * m2 + px2 * px2, g12 = -px2 * py2
        let r11 = lam * (m1 * m1 + py1 * py1) + g11
        let r22 = lam * (m1 * m1 + px1 * px1) + g22
        let r12 = lam * (-px1 * py1) + g12
        // Right-hand side -(lambda b1 + b2'), b1 = -S1 p1, b2' = -(G K - S2 p2).
        let v1 = lam * s1 * px1 + (g11 * kx + g12 * ky) - s2 * px2
        let v2 = lam * s1 * py1 + (g12 * kx + g22 * ky) - s2 * py2
        let det = r11 * r22 - r12 * r12
        guard det != 0 else { return nil }
        return ((v1 * r22 - v2 * r12) / det, (r11 * v2 - r12 * v1) / det)
    }

    /// Moves q1 along the common normal onto the curve mT1 = mT2 (Newton), which makes
    /// max(mT1, mT2) equal MT2 to second order in the remaining tangential error.
    func refine(_ qx: inout Double, _ qy: inout Double) {
        @inline(__always) func grad(_ x: Double, _ y: Double) -> (Double, Double, Double) {
            let e1 = (c1 * c1 + x * x + y * y).squareRoot()
            let rx = kx - x, ry = ky - y
            let e2 = (c2 * c2 + rx * rx + ry * ry).squareRoot()
            guard e1 > 0, e2 > 0 else { return (mt1sq(x, y) - mt2sq(rx, ry), .nan, .nan) }
            let gx = 2 * (et1 * x / e1 - px1) + 2 * (et2 * rx / e2 - px2)
            let gy = 2 * (et1 * y / e1 - py1) + 2 * (et2 * ry / e2 - py2)
            return (mt1sq(x, y) - mt2sq(rx, ry), gx, gy)
        }
        let (g0, gx, gy) = grad(qx, qy)
        let norm = (gx * gx + gy * gy).squareRoot()
        guard norm > 0, norm.isFinite, g0 != 0 else { return }
        let ux = gx / norm, uy = gy / norm
        var t = 0.0, bestT = 0.0, bestG = abs(g0)
        for _ in 0..<8 {
            let (g, hx, hy) = grad(qx + t * ux, qy + t * uy)
            if abs(g) < bestG { bestG = abs(g); bestT = t }
            if g == 0 { break }
            let slope = hx * ux + hy * uy
            guard slope > 0, slope.isFinite else { break }
            let step = g / slope
            t -= step
            if abs(step) <= 1e-17 * (1 + abs(t)) { break }
        }
        let (gLast, _, _) = grad(qx + t * ux, qy + t * uy)
        if abs(gLast) < bestG { bestT = t }
        qx += bestT * ux; qy += bestT * uy
    }
}
