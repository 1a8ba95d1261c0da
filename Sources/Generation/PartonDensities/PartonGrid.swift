#if canImport(Glibc)
import Glibc
#endif
import Core

/// The parton densities of the production model tabulated for the event loop: x f(x, mu_F^2)
/// on a grid uniform in ln x (cubic interpolation through four neighbouring points) at one or
/// more factorisation scales (linear interpolation in ln mu_F^2 between them). The closed-form
/// set costs some twenty transcendental functions per parton and x; the grid costs a few
/// multiply-adds, and agrees with the closed form to better than 1e-5 relative wherever the
/// density is not negligible (`PartonDensityTests`). Both the sampler's envelope and its
/// weights read the grid, so the unweighted events follow the tabulated densities exactly.
public struct PartonGrid: Sendable {
    /// The flavours tabulated, in storage order.
    public enum Flavour: Int, CaseIterable, Sendable {
        case gluon, up, upBar, down, downBar, strange
    }

    /// Smallest ln x on the grid (the grid ends at ln x = 0).
    public let lnXMin: Double
    /// Number of grid points in ln x.
    public let points: Int
    @usableFromInline let inverseStep: Double
    /// The factorisation scales of the nodes (GeV), increasing.
    public let scales: [Double]
    @usableFromInline let lnScale2: [Double]
    /// The flavours stored (the gluon alone for gluon fusion).
    public let flavours: [Flavour]
    /// Values per grid point: 1 for a single flavour, else 8 (the flavours of one point side by
    /// side, padded, so that one `SIMD8` holds them all).
    @usableFromInline let stride: Int
    /// values[(node * points + i) * stride + f] = x f of flavour slot f at grid point i.
    @usableFromInline let values: [Double]

    /// Grid points per unit of ln x (about 740 points per decade).
    public static let pointsPerUnit = 320.0

    /// Tabulates `flavours` of GRV 94 LO for x in [xMin, 1) at the factorisation scales
    /// `scales` (GeV; one scale for a fixed mu_F, several for a scale that follows the event).
    public init(xMin: Double, scales: [Double], flavours: [Flavour]) {
        precondition(xMin > 0 && xMin < 1 && !scales.isEmpty && !flavours.isEmpty)
        // Two points of margin below xMin for the cubic's left neighbour.
        let span = -log(xMin)
        points = max(16, Int((span * Self.pointsPerUnit).rounded(.up)) + 3)
        let step = span / Double(points - 3)
        inverseStep = 1 / step
        lnXMin = log(xMin) - step
        self.scales = scales
        lnScale2 = scales.map { log($0 * $0) }
        self.flavours = flavours
        precondition(flavours.count <= 8)
        stride = flavours.count == 1 ? 1 : 8
        var v = [Double](repeating: 0, count: scales.count * stride * points)
        for (k, q) in scales.enumerated() {
            for i in 0..<points {
                let x = exp(lnXMin + Double(i) * step)
                let d = GRV94LO.densities(x: min(x, 1), q2: q * q)
                for (f, flavour) in flavours.enumerated() {
                    v[(k * points + i) * stride + f] = Self.pick(flavour, d)
                }
            }
        }
        values = v
    }

    static func pick(_ f: Flavour, _ d: GRV94LO.Densities) -> Double {
        switch f {
        case .gluon: d.gluon
        case .up: d.up
        case .upBar: d.upBar
        case .down: d.down
        case .downBar: d.downBar
        case .strange: d.strange
        }
    }

    /// The interpolation weights at ln x: the first of the four grid points and the cubic
    /// (Catmull-Rom) weights. x at or above 1 lands on the last interval (x f = 0 there).
    @inlinable @inline(__always)
    func stencil(_ lnX: Double) -> (Int, SIMD4<Double>) {
        let t = (lnX - lnXMin) * inverseStep
        let i = min(max(Int(t), 1), points - 3)
        let f = min(max(t - Double(i), 0), 1)
        let f2 = f * f, f3 = f2 * f
        let w = SIMD4<Double>(-0.5 * f3 + f2 - 0.5 * f, 1.5 * f3 - 2.5 * f2 + 1,
                              -1.5 * f3 + 2 * f2 + 0.5 * f, 0.5 * f3 - 0.5 * f2)
        return (i - 1, w)
    }

    /// x f(x) of flavour slot `f` at scale node `node` (the sum in the order of `slots`).
    @inlinable @inline(__always)
    func value(_ f: Int, node: Int, _ s: (Int, SIMD4<Double>)) -> Double {
        values.withUnsafeBufferPointer { b in
            let p = b.baseAddress! + (node * points + s.0) * stride + f
            return p[0] * s.1[0] + p[stride] * s.1[1] + p[2 * stride] * s.1[2] + p[3 * stride] * s.1[3]
        }
    }

    /// Every flavour slot at once (stride 8): the four neighbouring points' rows weighted and
    /// summed, one vector operation per point.
    @inlinable @inline(__always)
    func slots(node: Int, _ s: (Int, SIMD4<Double>)) -> SIMD8<Double> {
        values.withUnsafeBufferPointer { b in
            let p = UnsafeRawPointer(b.baseAddress! + (node * points + s.0) * 8)
            let r0 = p.loadUnaligned(as: SIMD8<Double>.self), r1 = p.loadUnaligned(fromByteOffset: 64, as: SIMD8<Double>.self)
            let r2 = p.loadUnaligned(fromByteOffset: 128, as: SIMD8<Double>.self)
            let r3 = p.loadUnaligned(fromByteOffset: 192, as: SIMD8<Double>.self)
            return r0 * s.1[0] + r1 * s.1[1] + r2 * s.1[2] + r3 * s.1[3]
        }
    }

    /// The scale node below mu_F (GeV) and the weight of the node above.
    @inlinable @inline(__always)
    func node(_ scale: Double) -> (Int, Double) {
        guard lnScale2.count > 1 else { return (0, 0) }
        let l = log(scale * scale)
        var k = 0
        while k < lnScale2.count - 2 && l > lnScale2[k + 1] { k += 1 }
        let w = (l - lnScale2[k]) / (lnScale2[k + 1] - lnScale2[k])
        return (k, min(max(w, 0), 1))
    }

    /// x f(x, mu_F^2) of `flavour` (which must be tabulated) at ln x and scale mu_F (GeV).
    public func density(_ flavour: Flavour, lnX: Double, scale: Double) -> Double {
        guard let f = flavours.firstIndex(of: flavour) else { preconditionFailure("flavour \(flavour) not tabulated") }
        let s = stencil(lnX), (k, w) = node(scale)
        let low = value(f, node: k, s)
        return w == 0 ? low : low + w * (value(f, node: k + 1, s) - low)
    }

    /// The gluon-gluon product (x1 g(x1)) (x2 g(x2)) at one scale node blend.
    @inlinable @inline(__always)
    public func gluonGluon(lnX1: Double, lnX2: Double, scale: Double) -> Double {
        let s1 = stencil(lnX1), s2 = stencil(lnX2), (k, w) = node(scale)
        let low = value(0, node: k, s1) * value(0, node: k, s2)
        guard w != 0 else { return low }
        return low + w * (value(0, node: k + 1, s1) * value(0, node: k + 1, s2) - low)
    }

    /// The gluon-gluon product and the quark-antiquark luminosity
    /// sum_q [x1 q(x1) x2 q-bar(x2) + x1 q-bar(x1) x2 q(x2)] (q = u, d, s; s = s-bar) at the
    /// first scale node (pair production uses one fixed scale).
    /// Needs all six flavours in `Flavour` order.
    @inlinable @inline(__always)
    public func luminosities(lnX1: Double, lnX2: Double) -> (gg: Double, qq: Double) {
        let f1 = slots(node: 0, stencil(lnX1)), f2 = slots(node: 0, stencil(lnX2))
        let qq = f1[1] * f2[2] + f1[2] * f2[1] + f1[3] * f2[4] + f1[4] * f2[3] + 2 * f1[5] * f2[5]
        return (f1[0] * f2[0], qq)
    }

    /// `luminosities` of four points, lane by lane.
    @inlinable @inline(__always)
    public func luminosities(lnX1: Lanes, lnX2: Lanes) -> (gg: Lanes, qq: Lanes) {
        var gg = Lanes(), qq = Lanes()
        for l in 0..<4 {
            let lum = luminosities(lnX1: lnX1[l], lnX2: lnX2[l])
            gg[l] = lum.gg; qq[l] = lum.qq
        }
        return (gg, qq)
    }
}
