import CGSL
import Foundation

/// Nonlinear least squares through GSL's trust-region solver (`gsl_multifit_nlinear`,
/// Levenberg-Marquardt steps, finite-difference Jacobian).
enum LeastSquares {
    struct Solution {
        var parameters: [Double]
        /// Row-major p x p covariance (J^T J)^-1 at the solution (residuals are already
        /// normalised, so no chi^2 rescaling).
        var covariance: [Double]
        /// Sum of squared residuals at the solution.
        var chi2: Double
        var converged: Bool
    }

    /// Holds the residual closure for the C callback.
    private final class Context {
        let residuals: ([Double], inout [Double]) -> Void
        var x: [Double]
        var r: [Double]
        init(p: Int, n: Int, residuals: @escaping ([Double], inout [Double]) -> Void) {
            self.residuals = residuals
            x = [Double](repeating: 0, count: p)
            r = [Double](repeating: 0, count: n)
        }
    }

    /// Minimises sum r_i(theta)^2 over theta from `initial`; `residuals` fills its second
    /// argument (n values) for the parameters in its first. Returns nil if GSL fails outright.
    static func fit(initial: [Double], residualCount n: Int, maxIterations: Int = 200,
                    residuals: @escaping ([Double], inout [Double]) -> Void) -> Solution? {
        deelema_gsl_quiet()
        let p = initial.count
        guard n >= p, p > 0 else { return nil }
        let context = Context(p: p, n: n, residuals: residuals)
        let unmanaged = Unmanaged.passRetained(context)
        defer { unmanaged.release() }
        var fdf = gsl_multifit_nlinear_fdf()
        fdf.f = { x, params, f in
            guard let x, let params, let f else { return Int32(GSL_EFAILED) }
            let c = Unmanaged<Context>.fromOpaque(params).takeUnretainedValue()
            for i in 0..<c.x.count { c.x[i] = gsl_vector_get(x, i) }
            c.residuals(c.x, &c.r)
            for i in 0..<c.r.count {
                guard c.r[i].isFinite else { return Int32(GSL_EDOM) }
                gsl_vector_set(f, i, c.r[i])
            }
            return Int32(GSL_SUCCESS)
        }
        fdf.df = nil
        fdf.fvv = nil
        fdf.n = n
        fdf.p = p
        fdf.params = unmanaged.toOpaque()
        var settings = gsl_multifit_nlinear_default_parameters()
        settings.h_df = 1e-6
        guard let w = gsl_multifit_nlinear_alloc(deelema_multifit_trust(), &settings, n, p) else { return nil }
        defer { gsl_multifit_nlinear_free(w) }
        guard let x0 = gsl_vector_alloc(p), let covar = gsl_matrix_alloc(p, p) else { return nil }
        defer { gsl_vector_free(x0); gsl_matrix_free(covar) }
        for i in 0..<p { gsl_vector_set(x0, i, initial[i]) }
        return withUnsafeMutablePointer(to: &fdf) { fdfp -> Solution? in
            guard gsl_multifit_nlinear_init(x0, fdfp, w) == GSL_SUCCESS else { return nil }
            var info: Int32 = 0
            let status = gsl_multifit_nlinear_driver(maxIterations, 1e-10, 1e-10, 1e-12, nil, nil, &info, w)
            guard let J = gsl_multifit_nlinear_jac(w), let x = gsl_multifit_nlinear_position(w),
                  let f = gsl_multifit_nlinear_residual(w) else { return nil }
            gsl_multifit_nlinear_covar(J, 1e-12, covar)
            var chi2 = 0.0
            for i in 0..<n { let r = gsl_vector_get(f, i); chi2 += r * r }
            var cov = [Double](repeating: 0, count: p * p)
            for i in 0..<p { for j in 0..<p { cov[i * p + j] = gsl_matrix_get(covar, i, j) } }
            return Solution(parameters: (0..<p).map { gsl_vector_get(x, $0) }, covariance: cov, chi2: chi2,
                            converged: status == GSL_SUCCESS)
        }
    }

    /// Asymptotic covariance of a binned Poisson maximum-likelihood fit: the inverse of the
    /// expected Fisher information sum_k (d mu_k / d theta_i)(d mu_k / d theta_j) / mu_k, with the
    /// derivatives of the expected counts `expected` taken by central differences at `theta`.
    /// Row-major p x p; nil when the information matrix is singular.
    /// With `scales` s_k (weighted histograms) the information of bin k is divided by s_k.
    static func poissonCovariance(at theta: [Double], scales: [Double]? = nil, expected: ([Double]) -> [Double]) -> [Double]? {
        let p = theta.count
        let mu = expected(theta)
        var grads = [[Double]]()
        for i in 0..<p {
            let h = 1e-5 * max(abs(theta[i]), 1e-3)
            var up = theta, down = theta
            up[i] += h; down[i] -= h
            let mu1 = expected(up), mu0 = expected(down)
            grads.append((0..<mu.count).map { (mu1[$0] - mu0[$0]) / (2 * h) })
        }
        var info = [Double](repeating: 0, count: p * p)
        for k in 0..<mu.count where mu[k] > 1e-12 {
            let d = scales.map { mu[k] * $0[k] } ?? mu[k]
            for i in 0..<p { for j in 0..<p { info[i * p + j] += grads[i][k] * grads[j][k] / d } }
        }
        return invert(info, p)
    }

    /// Inverse of a small symmetric positive-definite matrix (Gauss-Jordan with pivoting).
    static func invert(_ m: [Double], _ n: Int) -> [Double]? {
        var a = m, inv = [Double](repeating: 0, count: n * n)
        for i in 0..<n { inv[i * n + i] = 1 }
        for col in 0..<n {
            var pivot = col
            for r in col..<n where abs(a[r * n + col]) > abs(a[pivot * n + col]) { pivot = r }
            guard abs(a[pivot * n + col]) > 1e-300, a[pivot * n + col].isFinite else { return nil }
            if pivot != col {
                for c in 0..<n { a.swapAt(col * n + c, pivot * n + c); inv.swapAt(col * n + c, pivot * n + c) }
            }
            let d = a[col * n + col]
            for c in 0..<n { a[col * n + c] /= d; inv[col * n + c] /= d }
            for r in 0..<n where r != col {
                let f = a[r * n + col]
                if f == 0 { continue }
                for c in 0..<n { a[r * n + c] -= f * a[col * n + c]; inv[r * n + c] -= f * inv[col * n + c] }
            }
        }
        return inv
    }

    /// Poisson deviance residual of an observed count n against an expectation mu > 0:
    /// sign(n - mu) sqrt(2 (mu - n + n ln(n / mu))); the squares sum to -2 ln(L / L_saturated),
    /// so least squares on them is the binned maximum-likelihood fit.
    @inline(__always)
    static func devianceResidual(observed n: Double, expected mu: Double) -> Double {
        let m = max(mu, 1e-12)
        let d = n > 0 ? 2 * (m - n + n * log(n / m)) : 2 * m
        return (n >= m ? 1 : -1) * max(d, 0).squareRoot()
    }
}
