import Kinematics

/// Closest approach for events without an exact solution: the transverse momentum (x, y) of C1
/// minimising q1(x, y)^2 + q2(x, y)^2, the squared violations of the two invisible mass shells
/// (in scaled units, with the A and B mass shells of both chains held exactly by the linear
/// relations). Damped Gauss-Newton (Levenberg-Marquardt) from several starts; no allocation.
enum ClosestApproach {
    /// Best (x, y) and the root-sum-square violation (scaled units, m_C^2 violation / scale^2).
    /// `starts` (1 to 5) bounds the number of starting points: the scan uses fewer for speed.
    static func minimise(_ q1: Conic, _ q2: Conic, mx: Double, my: Double, starts: Int = 5)
        -> (x: Double, y: Double, violation: Double) {
        minimise(q1, q2, mx: mx, my: my, starts: starts) { q1, q2, x, y in levenbergMarquardt(q1, q2, x: x, y: y) }
    }

    /// The same starts with another local search (`ClosestApproachNewton` passes Newton's method).
    @inline(__always)
    static func minimise(_ q1: Conic, _ q2: Conic, mx: Double, my: Double, starts: Int,
                         search: (Conic, Conic, Double, Double) -> (x: Double, y: Double, violation: Double))
        -> (x: Double, y: Double, violation: Double) {
        var best = (x: 0.5 * mx, y: 0.5 * my, violation: Double.infinity)
        let c1 = center(q1) ?? (0, 0), c2 = center(q2) ?? (mx, my)
        for k in 0..<max(1, min(starts, 5)) {
            let s: (Double, Double) = switch k {
            case 0: (0.5 * mx, 0.5 * my)
            case 1: (0.5 * (c1.0 + c2.0), 0.5 * (c1.1 + c2.1))
            case 2: c1
            case 3: c2
            default: (0, 0)
            }
            let r = search(q1, q2, s.0, s.1)
            if r.violation < best.violation { best = r }
        }
        return best
    }

    /// Stationary point of a conic (its center), nil when degenerate.
    static func center(_ q: Conic) -> (Double, Double)? {
        let det = 4 * q.xx * q.yy - q.xy * q.xy
        guard abs(det) > 1e-14 * (q.xx * q.xx + q.yy * q.yy + q.xy * q.xy) else { return nil }
        return ((-2 * q.yy * q.x + q.xy * q.y) / det, (q.xy * q.x - 2 * q.xx * q.y) / det)
    }

    static func levenbergMarquardt(_ q1: Conic, _ q2: Conic, x x0: Double, y y0: Double)
        -> (x: Double, y: Double, violation: Double) {
        var x = x0, y = y0, lambda = 1e-3
        var f1 = q1.value(x, y), f2 = q2.value(x, y)
        var cost = f1 * f1 + f2 * f2
        for _ in 0..<200 {
            let (a11, a12) = q1.gradient(x, y), (a21, a22) = q2.gradient(x, y)
            // Normal equations (J^T J + lambda diag) d = -J^T f.
            let h11 = a11 * a11 + a21 * a21, h22 = a12 * a12 + a22 * a22, h12 = a11 * a12 + a21 * a22
            let g1 = a11 * f1 + a21 * f2, g2 = a12 * f1 + a22 * f2
            var accepted = false
            while lambda < 1e12 {
                let d11 = h11 * (1 + lambda) + 1e-30, d22 = h22 * (1 + lambda) + 1e-30
                let det = d11 * d22 - h12 * h12
                let dx = -(d22 * g1 - h12 * g2) / det, dy = -(d11 * g2 - h12 * g1) / det
                let nx = x + dx, ny = y + dy
                let n1 = q1.value(nx, ny), n2 = q2.value(nx, ny)
                let nc = n1 * n1 + n2 * n2
                if nc.isFinite && nc < cost {
                    let small = abs(dx) + abs(dy) <= 1e-13 * (1 + abs(x) + abs(y))
                    x = nx; y = ny; f1 = n1; f2 = n2; cost = nc
                    lambda = max(lambda / 3, 1e-12)
                    accepted = !small
                    break
                }
                lambda *= 4
            }
            if !accepted { break }
        }
        return (x, y, cost.squareRoot())
    }
}
