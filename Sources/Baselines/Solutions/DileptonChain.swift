import Kinematics

/// The invisible-momentum constraints of one chain A -> a B, B -> b C, in units where momenta
/// and masses are divided by a common scale.
///
/// The two mass-shell conditions (C + b)^2 = m_B^2 and (C + a + b)^2 = m_A^2 are linear in the
/// invisible four-momentum C = (E, x, y, z), so E and z are linear in the transverse (x, y):
/// E = e0 + ex x + ey y, z = z0 + zx x + zy y, with (e0, z0) linear in
/// kB = (m_B^2 - m_C^2 - m_b^2) / 2 and kA = (m_A^2 - m_C^2 - m_ab^2) / 2. The slopes depend
/// only on the visibles, so a mass scan reuses them. C^2 = m_C^2 then makes (x, y) lie on a conic.
struct DileptonChain: Sendable {
    var eA = 0.0, eB = 0.0, ex = 0.0, ey = 0.0
    var zA = 0.0, zB = 0.0, zx = 0.0, zy = 0.0
    /// Squared masses of b and of the visible system a + b (scaled units).
    var mb2 = 0.0, ms2 = 0.0
    /// False when the linear system is singular (b and a + b have the same longitudinal velocity).
    var valid = false

    init() {}

    /// Chain with visibles `a` (from A) and `b` (from B), already divided by the scale.
    init(a: FourVector, b: FourVector) {
        let s = a + b
        let det = b.pz * s.e - b.e * s.pz
        mb2 = b.mass2
        ms2 = s.mass2
        let norm = max(abs(b.e * s.e), 1e-300)
        guard abs(det) > 1e-12 * norm else { return }
        let inv = 1 / det
        // Solve b.e E - b.pz z = kB + b.px x + b.py y and s.e E - s.pz z = kA + s.px x + s.py y.
        eB = -s.pz * inv; eA = b.pz * inv
        ex = (b.pz * s.px - s.pz * b.px) * inv
        ey = (b.pz * s.py - s.pz * b.py) * inv
        zB = -s.e * inv; zA = b.e * inv
        zx = (b.e * s.px - s.e * b.px) * inv
        zy = (b.e * s.py - s.e * b.py) * inv
        valid = true
    }

    /// Energy and longitudinal momentum offsets for squared masses (scaled units).
    @inline(__always)
    func offsets(mA2: Double, mB2: Double, mC2: Double) -> (e0: Double, z0: Double) {
        let kA = 0.5 * (mA2 - mC2 - ms2), kB = 0.5 * (mB2 - mC2 - mb2)
        return (eA * kA + eB * kB, zA * kA + zB * kB)
    }

    /// The conic E^2 - x^2 - y^2 - z^2 - m_C^2 = 0 in this chain's own transverse variables.
    @inline(__always)
    func conic(mA2: Double, mB2: Double, mC2: Double) -> Conic {
        let (e0, z0) = offsets(mA2: mA2, mB2: mB2, mC2: mC2)
        return Conic(xx: ex * ex - 1 - zx * zx, xy: 2 * (ex * ey - zx * zy), yy: ey * ey - 1 - zy * zy,
                     x: 2 * (e0 * ex - z0 * zx), y: 2 * (e0 * ey - z0 * zy), c: e0 * e0 - z0 * z0 - mC2)
    }

    /// The invisible four-vector (scaled units) at transverse (x, y), E and z from the linear relations.
    @inline(__always)
    func invisible(x: Double, y: Double, e0: Double, z0: Double) -> FourVector {
        FourVector(e: e0 + ex * x + ey * y, px: x, py: y, pz: z0 + zx * x + zy * y)
    }
}

/// A conic xx x^2 + xy x y + yy y^2 + x x + y y + c = 0 in the transverse plane.
struct Conic: Sendable {
    var xx: Double, xy: Double, yy: Double, x: Double, y: Double, c: Double

    @inline(__always)
    func value(_ u: Double, _ v: Double) -> Double {
        (xx * u + xy * v + x) * u + (yy * v + y) * v + c
    }

    @inline(__always)
    func gradient(_ u: Double, _ v: Double) -> (Double, Double) {
        (2 * xx * u + xy * v + x, xy * u + 2 * yy * v + y)
    }

    /// The same curve written in variables (u, v) = (mx - u', my - v') of another frame:
    /// returns the conic in (u', v').
    func reflected(mx: Double, my: Double) -> Conic {
        Conic(xx: xx, xy: xy, yy: yy,
              x: -2 * xx * mx - xy * my - x,
              y: -xy * mx - 2 * yy * my - y,
              c: xx * mx * mx + xy * mx * my + yy * my * my + x * mx + y * my + c)
    }
}
