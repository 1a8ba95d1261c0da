import CGSL

/// GSL `vector_bfgs2` over the seven parameters of a `LikelihoodFitObjective`. Owns one GSL
/// workspace: one minimiser per thread.
final class LikelihoodFitMinimizer {
    let objective = LikelihoodFitObjective()
    private let minimizer: UnsafeMutablePointer<gsl_multimin_fdfminimizer>
    private let start: UnsafeMutablePointer<gsl_vector>
    private let function: UnsafeMutablePointer<gsl_multimin_function_fdf>
    static let dimension = 7

    init() {
        deelema_gsl_quiet()
        minimizer = gsl_multimin_fdfminimizer_alloc(deelema_multimin_bfgs2(), Self.dimension)!
        start = gsl_vector_alloc(Self.dimension)!
        function = .allocate(capacity: 1)
        function.initialize(to: gsl_multimin_function_fdf(
            f: { v, o in
                Unmanaged<LikelihoodFitObjective>.fromOpaque(o!).takeUnretainedValue().evaluate(LikelihoodFitMinimizer.read(v!)).value.v
            },
            df: { v, o, g in
                let s = Unmanaged<LikelihoodFitObjective>.fromOpaque(o!).takeUnretainedValue().evaluate(LikelihoodFitMinimizer.read(v!))
                LikelihoodFitMinimizer.write(s.value.g, g!)
            },
            fdf: { v, o, f, g in
                let s = Unmanaged<LikelihoodFitObjective>.fromOpaque(o!).takeUnretainedValue().evaluate(LikelihoodFitMinimizer.read(v!))
                f!.pointee = s.value.v
                LikelihoodFitMinimizer.write(s.value.g, g!)
            },
            n: Self.dimension, params: Unmanaged.passUnretained(objective).toOpaque()))
    }

    deinit {
        gsl_multimin_fdfminimizer_free(minimizer)
        gsl_vector_free(start)
        function.deinitialize(count: 1)
        function.deallocate()
    }

    @inline(__always)
    static func read(_ v: UnsafePointer<gsl_vector>) -> SIMD8<Double> {
        let d = v.pointee.data!, s = v.pointee.stride
        var p = SIMD8<Double>(repeating: 0)
        for k in 0..<dimension { p[k] = d[k * s] }
        return p
    }

    @inline(__always)
    static func write(_ g: SIMD8<Double>, _ v: UnsafeMutablePointer<gsl_vector>) {
        let d = v.pointee.data!, s = v.pointee.stride
        for k in 0..<dimension { d[k * s] = g[k] }
    }

    /// Minimises from p0: the best point, its value, whether the gradient test (norm below
    /// `tolerance`) passed, and the iterations used.
    func minimise(from p0: SIMD8<Double>, maxIterations: Int, tolerance: Double = 1e-5)
        -> (point: SIMD8<Double>, value: Double, converged: Bool, iterations: Int) {
        let f0 = objective.evaluate(p0).value.v
        guard f0 < LikelihoodFitObjective.infeasible else { return (p0, f0, false, 0) }
        let d = start.pointee.data!, s = start.pointee.stride
        for k in 0..<Self.dimension { d[k * s] = p0[k] }
        guard gsl_multimin_fdfminimizer_set(minimizer, function, start, 0.05, 0.1) == GSL_SUCCESS else {
            return (p0, f0, false, 0)
        }
        var converged = false, iterations = 0
        while iterations < maxIterations {
            iterations += 1
            if gsl_multimin_fdfminimizer_iterate(minimizer) != GSL_SUCCESS { break }
            if gsl_multimin_test_gradient(gsl_multimin_fdfminimizer_gradient(minimizer), tolerance) == GSL_SUCCESS {
                converged = true
                break
            }
        }
        let p = Self.read(gsl_multimin_fdfminimizer_x(minimizer))
        let f = gsl_multimin_fdfminimizer_minimum(minimizer)
        // A line search that stalls (no progress possible) at a point with a small gradient is converged too.
        if !converged {
            let g = objective.evaluate(p).value.g
            var norm = 0.0
            for k in 0..<Self.dimension { norm += g[k] * g[k] }
            converged = norm.squareRoot() < 1e-3
        }
        return f <= f0 ? (p, f, converged, iterations) : (p0, f0, false, iterations)
    }
}
