import CGSL
import Kinematics

/// Analytic solutions of the t-tbar-like (dilepton) system for a given mass hypothesis.
///
/// Method: for each chain the mass shells of B and A are linear in the invisible four-momentum,
/// leaving the on-shell condition of C as a conic in the invisible transverse momentum
/// (Betchart, Demina, Harel, arXiv:1305.1878 call them ellipses). The MET constraint
/// C2T = MET - C1T maps chain 2's conic into chain 1's variables; the resultant of the two
/// conics in y is a quartic in x (Sonnenschein, hep-ph/0603011), whose roots come from
/// Ferrari's closed form with Newton polish (`Quartic`; `gsl_poly_complex_solve` with
/// `.companionMatrix`, and always for a quartic degenerated to a cubic). Every near-real root is polished by Newton's method on both conics
/// and kept when both are satisfied to round-off and both invisible energies are positive.
/// Massive visibles and massive invisibles are handled exactly. Momenta are divided by m_A
/// internally for conditioning.
///
/// Not thread-safe (it owns GSL workspaces): use one instance per thread.
public final class KinematicSolver {
    private let ws3: UnsafeMutablePointer<gsl_poly_complex_workspace>
    private let ws4: UnsafeMutablePointer<gsl_poly_complex_workspace>
    private let coef: UnsafeMutablePointer<Double>
    private let roots: UnsafeMutablePointer<Double>
    /// How the quartic's roots are found.
    public let quarticMethod: QuarticMethod

    /// How `KinematicSolver` finds the roots of the quartic.
    public enum QuarticMethod: String, Sendable, CaseIterable {
        /// Ferrari's closed form with Newton polish (`Quartic`): the default.
        case closedForm
        /// GSL's companion-matrix eigenvalues (`gsl_poly_complex_solve`) and both y of every
        /// root polished: the solver before issue 13, kept as the reference of the tests and
        /// the benchmark.
        case companionMatrix
    }

    public init(quarticMethod: QuarticMethod = .closedForm) {
        self.quarticMethod = quarticMethod
        deelema_gsl_quiet()
        guard let w3 = gsl_poly_complex_workspace_alloc(4), let w4 = gsl_poly_complex_workspace_alloc(5) else {
            fatalError("gsl_poly_complex_workspace_alloc failed: out of memory")
        }
        ws3 = w3; ws4 = w4
        coef = .allocate(capacity: 5)
        roots = .allocate(capacity: 8)
    }

    deinit {
        gsl_poly_complex_workspace_free(ws3)
        gsl_poly_complex_workspace_free(ws4)
        coef.deallocate()
        roots.deallocate()
    }

    /// All real solutions (C1, C2), GeV, for visibles a1, b1 on chain 1 and a2, b2 on chain 2,
    /// measured missing transverse momentum (metX, metY), and masses (m_A, m_B, m_C).
    /// Returns an empty set when the hypothesis admits no solution or is not ordered.
    public func solve(a1: FourVector, b1: FourVector, a2: FourVector, b2: FourVector,
                      metX: Double, metY: Double, masses: ChainMasses) -> KinematicSolutions {
        guard masses.isOrdered else { return KinematicSolutions() }
        let scale = masses.mA, inv = 1 / scale
        let ch1 = DileptonChain(a: inv * a1, b: inv * b1), ch2 = DileptonChain(a: inv * a2, b: inv * b2)
        let m2 = ScaledMasses(masses, scale: scale)
        return solveScaled(ch1, ch2, mx: metX * inv, my: metY * inv, m2, outputScale: scale)
    }

    /// Solutions in scaled units multiplied back by `outputScale`.
    func solveScaled(_ ch1: DileptonChain, _ ch2: DileptonChain, mx: Double, my: Double,
                     _ m: ScaledMasses, outputScale: Double) -> KinematicSolutions {
        solveScaled(ch1, ch2, mx: mx, my: my, m, m, outputScale: outputScale)
    }

    /// Solutions with a mass hypothesis per chain (`m1` for chain 1, `m2` for chain 2: the
    /// smeared-solution method draws each chain's m_B from its Breit-Wigner), scaled units
    /// multiplied back by `outputScale`.
    func solveScaled(_ ch1: DileptonChain, _ ch2: DileptonChain, mx: Double, my: Double,
                     _ m1: ScaledMasses, _ m2: ScaledMasses, outputScale: Double) -> KinematicSolutions {
        var out = KinematicSolutions()
        guard ch1.valid, ch2.valid else { return out }
        let q1 = ch1.conic(mA2: m1.mA2, mB2: m1.mB2, mC2: m1.mC2)
        let q2 = ch2.conic(mA2: m2.mA2, mB2: m2.mB2, mC2: m2.mC2).reflected(mx: mx, my: my)
        let o1 = ch1.offsets(mA2: m1.mA2, mB2: m1.mB2, mC2: m1.mC2)
        let o2 = ch2.offsets(mA2: m2.mA2, mB2: m2.mB2, mC2: m2.mC2)
        let tol1 = 1e-9 * q1.size, tol2 = 1e-9 * q2.size
        var found: (Double, Double, Double, Double, Double, Double, Double, Double) = (0, 0, 0, 0, 0, 0, 0, 0)
        var nFound = 0
        let nRoots = quarticRoots(q1, q2)
        for r in 0..<nRoots {
            let re = roots[2 * r], im = roots[2 * r + 1]
            guard re.isFinite, abs(im) <= 1e-2 * (1 + abs(re)) else { continue }
            // y on conic 1 at this x: both roots of the quadratic are tried.
            let a = q1.yy, b = q1.xy * re + q1.y, c = (q1.xx * re + q1.x) * re + q1.c
            var ys = (0.0, 0.0), nys = 1
            if abs(a) > 1e-14 * (abs(b) + abs(c)) {
                let disc = max(b * b - 4 * a * c, 0).squareRoot()
                let qq = -0.5 * (b + (b >= 0 ? disc : -disc))
                ys = (qq / a, qq != 0 ? c / qq : qq / a)
                nys = 2
            } else if b != 0 {
                ys = (-c / b, 0)
            } else {
                continue
            }
            // Of the two y only one usually lies on conic 2 as well: polish it first and the
            // other only when it is near conic 2 too (two solutions sharing an x, at a double
            // root of the resultant), which saves half of the polishing.
            var order = (ys.0, ys.1)
            if nys == 2 && quarticMethod == .closedForm {
                let f0 = abs(q2.value(re, ys.0)), f1 = abs(q2.value(re, ys.1))
                if f1 < f0 { order = (ys.1, ys.0) }
                if max(f0, f1) > Self.secondYTolerance * q2.size { nys = 1 }
            }
            for k in 0..<nys {
                var x = re, y = k == 0 ? order.0 : order.1
                guard Self.newton(q1, q2, &x, &y) else { continue }
                guard abs(q1.value(x, y)) <= tol1, abs(q2.value(x, y)) <= tol2 else { continue }
                var duplicate = false
                withUnsafeBytes(of: &found) { raw in
                    let f = raw.bindMemory(to: Double.self)
                    for j in 0..<nFound where abs(f[2 * j] - x) + abs(f[2 * j + 1] - y) < 1e-8 * (1 + abs(x) + abs(y)) {
                        duplicate = true
                    }
                }
                guard !duplicate, nFound < 4 else { continue }
                let c1 = ch1.invisible(x: x, y: y, e0: o1.e0, z0: o1.z0)
                let c2 = ch2.invisible(x: mx - x, y: my - y, e0: o2.e0, z0: o2.z0)
                guard c1.e > 0, c2.e > 0 else { continue }
                withUnsafeMutableBytes(of: &found) { raw in
                    let f = raw.bindMemory(to: Double.self)
                    f[2 * nFound] = x; f[2 * nFound + 1] = y
                }
                nFound += 1
                out.append(outputScale * c1, outputScale * c2)
            }
        }
        return out
    }

    /// Roots of the resultant of q1 and q2 in y (a polynomial of degree <= 4 in x), written to
    /// `roots` as packed complex numbers; returns how many.
    private func quarticRoots(_ q1: Conic, _ q2: Conic) -> Int {
        // q = A y^2 + B(x) y + C(x), B = p1 x + p0, C = t2 x^2 + t1 x + t0.
        let a2 = q1.yy, b2 = q2.yy
        let p1 = q1.xy, p0 = q1.y, t2 = q1.xx, t1 = q1.x, t0 = q1.c
        let r1 = q2.xy, r0 = q2.y, s2 = q2.xx, s1 = q2.x, s0 = q2.c
        // u = a2 C2 - b2 C1 (quadratic), v = a2 B2 - b2 B1 (linear), w = B1 C2 - B2 C1 (cubic).
        let u2 = a2 * s2 - b2 * t2, u1 = a2 * s1 - b2 * t1, u0 = a2 * s0 - b2 * t0
        let v1 = a2 * r1 - b2 * p1, v0 = a2 * r0 - b2 * p0
        let w3 = p1 * s2 - r1 * t2
        let w2 = p1 * s1 + p0 * s2 - r1 * t1 - r0 * t2
        let w1 = p1 * s0 + p0 * s1 - r1 * t0 - r0 * t1
        let w0 = p0 * s0 - r0 * t0
        // Resultant = u^2 - v w.
        coef[4] = u2 * u2 - v1 * w3
        coef[3] = 2 * u2 * u1 - (v1 * w2 + v0 * w3)
        coef[2] = u1 * u1 + 2 * u2 * u0 - (v1 * w1 + v0 * w2)
        coef[1] = 2 * u1 * u0 - (v1 * w0 + v0 * w1)
        coef[0] = u0 * u0 - v0 * w0
        var big = 0.0
        for i in 0...4 { big = max(big, abs(coef[i])) }
        guard big > 0, big.isFinite else { return 0 }
        var degree = 4
        while degree > 0 && abs(coef[degree]) <= 1e-13 * big { degree -= 1 }
        switch degree {
        case 4 where quarticMethod == .closedForm:
            let (re, im) = Quartic.roots(coef[4], coef[3], coef[2], coef[1], coef[0])
            for i in 0..<4 { roots[2 * i] = re[i]; roots[2 * i + 1] = im[i] }
            return 4
        case 4:
            return gsl_poly_complex_solve(coef, 5, ws4, roots) == GSL_SUCCESS ? 4 : 0
        case 3:
            return gsl_poly_complex_solve(coef, 4, ws3, roots) == GSL_SUCCESS ? 3 : 0
        case 2:
            let a = coef[2], b = coef[1], c = coef[0]
            let disc = b * b - 4 * a * c
            if disc >= 0 {
                let qq = -0.5 * (b + (b >= 0 ? disc.squareRoot() : -disc.squareRoot()))
                roots[0] = qq / a; roots[1] = 0
                roots[2] = qq != 0 ? c / qq : qq / a; roots[3] = 0
            } else {
                let re = -b / (2 * a), im = (-disc).squareRoot() / (2 * abs(a))
                roots[0] = re; roots[1] = im; roots[2] = re; roots[3] = -im
            }
            return 2
        case 1:
            roots[0] = -coef[0] / coef[1]; roots[1] = 0
            return 1
        default:
            return 0
        }
    }

    /// The second y of a root is polished when conic 2 is below this fraction of its
    /// coefficient size there (see `solveScaled`).
    static let secondYTolerance = 1e-2

    /// Newton's method on (q1, q2) = 0 from (x, y); false if the Jacobian is singular or it diverges.
    @inline(__always)
    static func newton(_ q1: Conic, _ q2: Conic, _ x: inout Double, _ y: inout Double) -> Bool {
        for _ in 0..<30 {
            let f1 = q1.value(x, y), f2 = q2.value(x, y)
            let (g11, g12) = q1.gradient(x, y), (g21, g22) = q2.gradient(x, y)
            let det = g11 * g22 - g12 * g21
            guard det != 0, det.isFinite else { return f1 == 0 && f2 == 0 }
            let dx = (f1 * g22 - f2 * g12) / det, dy = (g11 * f2 - g21 * f1) / det
            x -= dx; y -= dy
            guard x.isFinite, y.isFinite else { return false }
            if abs(dx) + abs(dy) <= 1e-15 * (1 + abs(x) + abs(y)) { break }
        }
        return true
    }
}

/// Squared masses divided by the squared scale.
struct ScaledMasses: Sendable {
    var mA2: Double, mB2: Double, mC2: Double
    init(_ m: ChainMasses, scale: Double) {
        let k = 1 / (scale * scale)
        mA2 = m.mA * m.mA * k; mB2 = m.mB * m.mB * k; mC2 = m.mC * m.mC * k
    }
}

extension Conic {
    /// A magnitude for residual tolerances: the sum of absolute coefficients.
    var size: Double { abs(xx) + abs(xy) + abs(yy) + abs(x) + abs(y) + abs(c) }
}
