import Foundation

/// The complex roots of a real quartic in closed form (Ferrari's method through the
/// resolvent cubic), each polished by Newton's method on the original polynomial.
///
/// Used by `KinematicSolver` instead of a companion-matrix eigenvalue solver: the closed form
/// costs a few square roots and one cubic root, and the polish makes up the precision the
/// closed form loses to cancellation. The caller polishes the solutions once more on the two
/// conics, so the roots only have to land in the right basin.
enum Quartic {
    /// Roots of c4 x^4 + c3 x^3 + c2 x^2 + c1 x + c0 (c4 != 0) as (real parts, imaginary parts).
    static func roots(_ c4: Double, _ c3: Double, _ c2: Double, _ c1: Double, _ c0: Double)
        -> (re: SIMD4<Double>, im: SIMD4<Double>) {
        let a = c3 / c4, b = c2 / c4, c = c1 / c4, d = c0 / c4
        // Depressed quartic y^4 + p y^2 + q y + r with x = y - a/4.
        let a2 = a * a
        let p = b - 0.375 * a2
        let q = c - 0.5 * a * b + 0.125 * a2 * a
        let r = d - 0.25 * a * c + 0.0625 * a2 * b - 0.01171875 * a2 * a2
        var re = SIMD4<Double>(), im = SIMD4<Double>()
        let shift = -0.25 * a
        let scale = max(abs(p), abs(q).squareRoot(), abs(r).squareRoot().squareRoot(), 1e-300)
        if abs(q) <= 1e-14 * scale * scale * scale {
            // Biquadratic: y^2 = z with z^2 + p z + r = 0.
            let (z0, z1) = quadratic(1, p, r)
            let (s0, s1) = (complexSqrt(z0), complexSqrt(z1))
            re = SIMD4(s0.0, -s0.0, s1.0, -s1.0) + shift
            im = SIMD4(s0.1, -s0.1, s1.1, -s1.1)
        } else {
            // Resolvent cubic 8 m^3 + 8 p m^2 + (2 p^2 - 8 r) m - q^2 = 0: it is negative at
            // m = 0 and grows without bound, so it has a positive root.
            let m = positiveCubicRoot(p, 0.25 * p * p - r, -0.125 * q * q)
            let s = (2 * m).squareRoot()
            // y^4 + p y^2 + q y + r = (y^2 + s y + p/2 + m - q/(2s)) (y^2 - s y + p/2 + m + q/(2s)).
            let k = q / (2 * s)
            let (u0, u1) = quadratic(1, s, 0.5 * p + m - k)
            let (v0, v1) = quadratic(1, -s, 0.5 * p + m + k)
            re = SIMD4(u0.0, u1.0, v0.0, v1.0) + shift
            im = SIMD4(u0.1, u1.1, v0.1, v1.1)
        }
        // Only roots that may be real are used (|Im| <= 1e-2 (1 + |Re|) in `KinematicSolver`):
        // polish those.
        for i in 0..<4 where abs(im[i]) <= 0.1 * (1 + abs(re[i])) { polish(c4, c3, c2, c1, c0, &re[i], &im[i]) }
        return (re, im)
    }

    /// Roots of a z^2 + b z + c (real coefficients, a != 0) as (re, im) pairs; the real pair
    /// by the cancellation-free formula.
    @inline(__always)
    static func quadratic(_ a: Double, _ b: Double, _ c: Double) -> ((Double, Double), (Double, Double)) {
        let disc = b * b - 4 * a * c
        if disc >= 0 {
            let qq = -0.5 * (b + (b >= 0 ? disc.squareRoot() : -disc.squareRoot()))
            let r0 = qq / a, r1 = qq != 0 ? c / qq : qq / a
            return ((r0, 0), (r1, 0))
        }
        let re = -b / (2 * a), im = (-disc).squareRoot() / (2 * abs(a))
        return ((re, im), (re, -im))
    }

    /// sqrt of the complex number (re, im), principal branch.
    @inline(__always)
    static func complexSqrt(_ z: (Double, Double)) -> (Double, Double) {
        let (x, y) = z
        if y == 0 { return x >= 0 ? (x.squareRoot(), 0) : (0, (-x).squareRoot()) }
        let modulus = (x * x + y * y).squareRoot()
        let u = (0.5 * (modulus + x)).squareRoot()
        return (u, y / (2 * u))
    }

    /// The largest real root of m^3 + e2 m^2 + e1 m + e0 with e0 < 0 (so it is positive),
    /// by the trigonometric or Cardano form, then Newton-polished.
    static func positiveCubicRoot(_ e2: Double, _ e1: Double, _ e0: Double) -> Double {
        // Depressed: m = t - e2/3, t^3 + P t + Q = 0.
        let shift = -e2 / 3
        let pp = e1 - e2 * e2 / 3
        let qq = (2 * e2 * e2 * e2 - 9 * e2 * e1) / 27 + e0
        var t: Double
        let disc = 0.25 * qq * qq + pp * pp * pp / 27
        if disc <= 0 && pp < 0 {
            // Three real roots: the largest is 2 sqrt(-P/3) cos(theta / 3).
            let rr = (-pp / 3).squareRoot()
            let arg = max(-1, min(1, -qq / (2 * rr * rr * rr)))
            t = 2 * rr * cos(acos(arg) / 3)
        } else {
            let sd = max(disc, 0).squareRoot()
            t = cbrt(-0.5 * qq + sd) + cbrt(-0.5 * qq - sd)
        }
        var m = t + shift
        for _ in 0..<4 {
            let f = ((m + e2) * m + e1) * m + e0
            let df = (3 * m + 2 * e2) * m + e1
            guard df != 0, df.isFinite else { break }
            let step = f / df
            m -= step
            if abs(step) <= 1e-16 * abs(m) { break }
        }
        return max(m, 0)
    }

    /// Newton's method on the quartic at the complex point (re, im): a few iterations, kept
    /// only while they reduce |p(z)|.
    @inline(__always)
    static func polish(_ c4: Double, _ c3: Double, _ c2: Double, _ c1: Double, _ c0: Double,
                       _ re: inout Double, _ im: inout Double) {
        func eval(_ x: Double, _ y: Double) -> (Double, Double, Double, Double) {
            // Horner in complex arithmetic for p and p'.
            var pr = c4, pi = 0.0, dr = 0.0, di = 0.0
            @inline(__always) func step(_ coef: Double) {
                let ndr = dr * x - di * y + pr, ndi = dr * y + di * x + pi
                dr = ndr; di = ndi
                let npr = pr * x - pi * y + coef, npi = pr * y + pi * x
                pr = npr; pi = npi
            }
            step(c3); step(c2); step(c1); step(c0)
            return (pr, pi, dr, di)
        }
        var (pr, pi, dr, di) = eval(re, im)
        var size = pr * pr + pi * pi
        for _ in 0..<3 {
            let den = dr * dr + di * di
            guard den > 0, size > 0 else { return }
            let sr = (pr * dr + pi * di) / den, si = (pi * dr - pr * di) / den
            let nr = re - sr, ni = im - si
            let e = eval(nr, ni)
            let nsize = e.0 * e.0 + e.1 * e.1
            guard nsize < size else { return }
            re = nr; im = ni
            (pr, pi, dr, di) = e
            size = nsize
        }
    }
}
