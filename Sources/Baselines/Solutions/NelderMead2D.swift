/// A small two-parameter Nelder-Mead minimiser (standard coefficients 1, 2, 1/2, 1/2), used to
/// polish a grid optimum of a score that is continuous but may have kinks.
enum NelderMead2D {
    /// Minimises `f` from `start` with initial steps `step`; stops when the simplex's extent
    /// falls below `tolerance` in both coordinates or after `maxEvaluations`.
    static func minimise(start: (Double, Double), step: (Double, Double), tolerance: (Double, Double),
                         maxEvaluations: Int = 200, _ f: ((Double, Double)) -> Double) -> (point: (Double, Double), value: Double) {
        var p = [start, (start.0 + step.0, start.1), (start.0, start.1 + step.1)]
        var v = p.map(f)
        var evaluations = 3
        while evaluations < maxEvaluations {
            let order = [0, 1, 2].sorted { v[$0] < v[$1] }
            p = order.map { p[$0] }; v = order.map { v[$0] }
            let extentX = max(abs(p[1].0 - p[0].0), abs(p[2].0 - p[0].0))
            let extentY = max(abs(p[1].1 - p[0].1), abs(p[2].1 - p[0].1))
            if extentX < tolerance.0 && extentY < tolerance.1 { break }
            let c = (0.5 * (p[0].0 + p[1].0), 0.5 * (p[0].1 + p[1].1))
            func along(_ t: Double) -> (Double, Double) { (c.0 + t * (p[2].0 - c.0), c.1 + t * (p[2].1 - c.1)) }
            let r = along(-1), fr = f(r); evaluations += 1
            if fr < v[0] {
                let e = along(-2), fe = f(e); evaluations += 1
                if fe < fr { p[2] = e; v[2] = fe } else { p[2] = r; v[2] = fr }
            } else if fr < v[1] {
                p[2] = r; v[2] = fr
            } else {
                let k = fr < v[2] ? along(-0.5) : along(0.5)
                let fk = f(k); evaluations += 1
                if fk < min(fr, v[2]) {
                    p[2] = k; v[2] = fk
                } else {
                    for j in 1...2 {
                        p[j] = (0.5 * (p[0].0 + p[j].0), 0.5 * (p[0].1 + p[j].1))
                        v[j] = f(p[j]); evaluations += 1
                    }
                }
            }
        }
        let i = v.indices.min { v[$0] < v[$1] }!
        return (p[i], v[i])
    }
}
