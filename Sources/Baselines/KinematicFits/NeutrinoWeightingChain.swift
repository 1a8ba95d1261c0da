import Kinematics

/// One chain A -> a B, B -> b C for neutrino weighting: given the rapidity y of the invisible C
/// and the masses, its transverse momentum q has up to two values.
///
/// Write C = (mT cosh y, qx, qy, mT sinh y) with mT = sqrt(m_C^2 + q^2). The two mass shells
/// (b + C)^2 = m_B^2 and (a + b + C)^2 = m_A^2 read alpha_v mT = k_v + vT.q for v = b and
/// v = s = a + b, with alpha_v = E_v cosh y - pz_v sinh y (> 0) and
/// kB = (m_B^2 - m_C^2 - m_b^2)/2, kA = (m_A^2 - m_C^2 - m_s^2)/2. Eliminating mT gives a line
/// n.q = c, n = alpha_s bT - alpha_b sT, c = alpha_b kA - alpha_s kB; along it, q = q0 + t u
/// (q0 the foot of the line, u its unit direction), mT = A + B t is linear and
/// mT^2 = m_C^2 + q^2 a quadratic in t: (1 - B^2) t^2 - 2 A B t - (A^2 - m_C^2 - q0^2) = 0.
/// Roots with mT > 0 are solutions. Rapidity equals pseudorapidity for a massless C.
struct NeutrinoWeightingChain: Sendable {
    var bx = 0.0, by = 0.0, be = 0.0, bz = 0.0
    var sx = 0.0, sy = 0.0, se = 0.0, sz = 0.0
    /// Squared masses of b and of a + b (GeV^2).
    var mb2 = 0.0, ms2 = 0.0

    init() {}

    init(a: FourVector, b: FourVector) {
        let s = a + b
        bx = b.px; by = b.py; be = b.e; bz = b.pz
        sx = s.px; sy = s.py; se = s.e; sz = s.pz
        mb2 = b.mass2; ms2 = s.mass2
    }

    /// kB for the hypothesis m_B, m_C (squared, GeV^2).
    @inline(__always) func kB(mB2: Double, mC2: Double) -> Double { 0.5 * (mB2 - mC2 - mb2) }
    /// kA for the hypothesis m_A, m_C (squared, GeV^2).
    @inline(__always) func kA(mA2: Double, mC2: Double) -> Double { 0.5 * (mA2 - mC2 - ms2) }

    /// The transverse solutions for rapidity (cosh y, sinh y) = (ch, sh): returns how many (0,
    /// 1 or 2) and writes them to `q0`, `q1`.
    @inline(__always)
    func solve(ch: Double, sh: Double, kA: Double, kB: Double, mC2: Double,
               _ q0: inout SIMD2<Double>, _ q1: inout SIMD2<Double>) -> Int {
        let ab = be * ch - bz * sh, asum = se * ch - sz * sh
        let nx = asum * bx - ab * sx, ny = asum * by - ab * sy
        let n2 = nx * nx + ny * ny
        // Parallel transverse directions with equal velocities: no line, no solution.
        guard n2 > 1e-24 * (asum * asum * (bx * bx + by * by) + ab * ab * (sx * sx + sy * sy)), ab > 0 else { return 0 }
        let c = ab * kA - asum * kB
        let inv = 1 / n2, invN = inv.squareRoot()
        let fx = c * nx * inv, fy = c * ny * inv
        let ux = -ny * invN, uy = nx * invN
        let a = (kB + bx * fx + by * fy) / ab, b = (bx * ux + by * uy) / ab
        let k = mC2 + fx * fx + fy * fy
        let oneMinus = max(0, 1 - b * b)
        let d = a * a - oneMinus * k
        guard d >= 0 else { return 0 }
        let r = d.squareRoot()
        // Roots of (1 - B^2) t^2 - 2 A B t - (A^2 - K) = 0 without cancellation.
        let big = a * b + (a * b >= 0 ? r : -r)
        var count = 0
        if big != 0 {
            let tSmall = -(a * a - k) / big
            if a + b * tSmall > 0 { q0 = SIMD2(fx + tSmall * ux, fy + tSmall * uy); count = 1 }
            if oneMinus > 1e-12 {
                let tBig = big / oneMinus
                if a + b * tBig > 0 {
                    let q = SIMD2(fx + tBig * ux, fy + tBig * uy)
                    if count == 0 { q0 = q } else { q1 = q }
                    count += 1
                }
            }
        }
        return count
    }

    /// The invisible four-vector (GeV) for transverse momentum q and rapidity (ch, sh).
    @inline(__always)
    static func invisible(_ q: SIMD2<Double>, ch: Double, sh: Double, mC2: Double) -> FourVector {
        let mT = (mC2 + q.x * q.x + q.y * q.y).squareRoot()
        return FourVector(e: mT * ch, px: q.x, py: q.y, pz: mT * sh)
    }
}
