/// The closest approach of `ClosestApproach` by a damped Newton iteration with the exact
/// Hessian, for the mass scan (issue 13).
///
/// The cost F = (q1^2 + q2^2) / 2 of two conics has gradient J^T q and Hessian
/// J^T J + q1 H1 + q2 H2, where J holds the conics' gradients and H_i their constant second
/// derivatives [[2 xx, xy], [xy, 2 yy]]. Gauss-Newton (Levenberg-Marquardt, which drops the
/// q_i H_i terms) converges only linearly where the conics do not meet (q != 0 at the
/// minimum), which is most hypotheses of a scan; with the exact Hessian the convergence is
/// quadratic there as well. Damping: H + lambda diag(J^T J), lambda raised until the matrix is
/// positive definite and the cost drops, as in `ClosestApproach.levenbergMarquardt`, so every
/// step descends and the search stays in its start's basin.
enum ClosestApproachNewton {
    /// Best (x, y) and the root-sum-square violation from the given starts (scaled units),
    /// the starts of `ClosestApproach.minimise`.
    static func minimise(_ q1: Conic, _ q2: Conic, mx: Double, my: Double, starts: Int = 5)
        -> (x: Double, y: Double, violation: Double) {
        ClosestApproach.minimise(q1, q2, mx: mx, my: my, starts: starts) { q1, q2, x, y in search(q1, q2, x: x, y: y) }
    }

    /// Whether a search at (x, y) with cost `cost` (squared violation), about to try the step
    /// (dx, dy), is headed for the minimum `known`: its cost is not below the minimum's (a
    /// descent from below could only end lower; 1e-6 relative allowed for the minimum's own
    /// rounding) and the step lands within `contraction` times the present distance of the
    /// minimum, as a Newton step does in the minimum's basin when quadratic convergence is in
    /// reach. The search would then end at `known` (to rounding); the scan's cold starts stop
    /// there instead of converging again to the warm search's minimum.
    @inline(__always)
    static func heads(to known: (x: Double, y: Double, violation: Double), x: Double, y: Double, cost: Double,
                      dx: Double, dy: Double) -> Bool {
        guard cost >= (1 - 1e-6) * known.violation * known.violation else { return false }
        let size = 1 + abs(known.x) + abs(known.y)
        let distance = abs(x - known.x) + abs(y - known.y)
        return abs(x + dx - known.x) + abs(y + dy - known.y) <= contraction * distance + 1e-13 * size
    }

    /// See `heads`: a Newton step from a point of the minimum's basin in reach of quadratic
    /// convergence shortens the distance far more than this.
    static let contraction = 0.1

    /// Squared violation at which the conics count as intersecting and the search stops.
    static let solvedCost = 1e-26

    /// One damped Newton search from (x0, y0); stops when a step would no longer move (x, y) by
    /// more than 1e-13 relative, no damping lowers the cost, the violation is below 1e-13, a
    /// step below 1e-7 relative shows quadratic convergence, or Kantorovich's test proves an
    /// intersection (then the violation returned is 0 and the point the Newton step's end).
    /// `known`: a minimum found already (the scan's warm search); a search that heads for it
    /// (`heads`) stops and returns it.
    static func search(_ q1: Conic, _ q2: Conic, x x0: Double, y y0: Double,
                       known: (x: Double, y: Double, violation: Double)? = nil)
        -> (x: Double, y: Double, violation: Double) {
        var x = x0, y = y0, lambda = 1e-6, previousStep = Double.infinity
        var f1 = q1.value(x, y), f2 = q2.value(x, y)
        var cost = f1 * f1 + f2 * f2
        // Constant second derivatives of the two conics.
        let s11 = 2 * q1.xx, s12 = q1.xy, s22 = 2 * q1.yy
        let t11 = 2 * q2.xx, t12 = q2.xy, t22 = 2 * q2.yy
        // Lipschitz constant of the Jacobian of (q1, q2) (Frobenius norm of the constant second
        // derivatives), for the Kantorovich test below.
        let lipschitz = (s11 * s11 + 2 * s12 * s12 + s22 * s22 + t11 * t11 + 2 * t12 * t12 + t22 * t22).squareRoot()
        for _ in 0..<100 {
            let (a11, a12) = q1.gradient(x, y), (a21, a22) = q2.gradient(x, y)
            // Near an intersection, Kantorovich's theorem proves one: with beta >= |J^-1| and
            // eta = |J^-1 q| the Newton step, beta L eta <= 1/2 guarantees a zero of (q1, q2)
            // within 2 eta. Then the violation is zero and the search returns the Newton point
            // instead of converging to it (1/4: a margin for rounding). Only tried once the
            // cost is small: far from an intersection the test cannot pass.
            if cost < 1e-4 {
                let detJ = a11 * a22 - a12 * a21
                let sx = (a22 * f1 - a12 * f2) / detJ, sy = (a11 * f2 - a21 * f1) / detJ
                let beta = (a11 * a11 + a12 * a12 + a21 * a21 + a22 * a22).squareRoot() / abs(detJ)
                if beta * lipschitz * (sx * sx + sy * sy).squareRoot() <= 0.25 { return (x - sx, y - sy, 0) }
            }
            let j11 = a11 * a11 + a21 * a21, j22 = a12 * a12 + a22 * a22, j12 = a11 * a12 + a21 * a22
            let h11 = j11 + f1 * s11 + f2 * t11, h22 = j22 + f1 * s22 + f2 * t22, h12 = j12 + f1 * s12 + f2 * t12
            let g1 = a11 * f1 + a21 * f2, g2 = a12 * f1 + a22 * f2
            // Damping scale: the Gauss-Newton diagonal, floored so a flat direction still moves.
            let e11 = max(j11, 1e-12 * (j11 + j22) + 1e-30), e22 = max(j22, 1e-12 * (j11 + j22) + 1e-30)
            var accepted = false
            while lambda < 1e12 {
                let d11 = h11 + lambda * e11, d22 = h22 + lambda * e22
                let det = d11 * d22 - h12 * h12
                guard d11 > 0, det > 0 else { lambda = max(lambda * 4, 1e-6); continue }
                let dx = -(d22 * g1 - h12 * g2) / det, dy = -(d11 * g2 - h12 * g1) / det
                if let known, Self.heads(to: known, x: x, y: y, cost: cost, dx: dx, dy: dy) { return known }
                // Converged: the step no longer moves (x, y) beyond rounding (where no damping
                // could lower the cost any more).
                if abs(dx) + abs(dy) <= 1e-13 * (1 + abs(x) + abs(y)) { break }
                let nx = x + dx, ny = y + dy
                let n1 = q1.value(nx, ny), n2 = q2.value(nx, ny)
                let nc = n1 * n1 + n2 * n2
                if nc.isFinite && nc < cost {
                    // Quadratic convergence seen (the step under 1e-7 relative and under 1e-3 of
                    // the one before): the next step would be rounding.
                    let stepLength = abs(dx) + abs(dy)
                    let final = lambda <= 1e-6 && stepLength <= 1e-7 * (1 + abs(x) + abs(y)) && stepLength <= 1e-3 * previousStep
                    previousStep = stepLength
                    x = nx; y = ny; f1 = n1; f2 = n2; cost = nc
                    lambda = max(lambda / 3, 1e-12)
                    // Intersecting conics: the violation is zero to far below what the scan
                    // resolves (`ScanEvents.solvedViolation` is 1e-12).
                    accepted = cost > Self.solvedCost && !final
                    break
                }
                lambda = max(lambda * 4, 1e-6)
            }
            if !accepted { break }
        }
        return (x, y, cost.squareRoot())
    }
}
