#if canImport(Glibc)
import Glibc
#endif

/// One layer of the normal ziggurat: a rectangle [0, x_i] x [f(x_i), f(x_{i+1})] of the
/// density f(x) = exp(-x^2/2), x_0 > x_1 = r > ... > x_127 > x_128 = 0.
public struct ZigguratLayer: Sendable {
    /// x_i / 2^24: a 24-bit integer j maps to x = j * scale, uniform on [0, x_i).
    public let scale: Double
    /// 2^24 x_{i+1} / x_i: j below it puts x inside the curve for every height of the layer.
    public let limit: Double
    /// f(x_i) and f(x_{i+1}): the layer's height range (wedge test).
    public let fLow: Double
    public let fHigh: Double
}

/// The 128-layer ziggurat for the standard normal (Marsaglia and Tsang, J. Stat. Softw. 5(8),
/// 2000), with r and the common layer area v solved to 20 digits (mpmath) so that the top layer
/// closes: x_127 (1 - f(x_127)) = v. Layer 0 is the base strip [0, r] x [0, f(r)] plus the tail
/// beyond r, drawn as a rectangle of width v / f(r); the tail is sampled exactly by Marsaglia's
/// exponential method. Tables are built once, never freed.
public struct Ziggurat: @unchecked Sendable {
    /// Start of the 128 layers (immutable after construction).
    public let layers: UnsafePointer<ZigguratLayer>

    /// Tail start r and layer area v (each layer, and base strip + tail, has area v).
    public static let r = 3.4426198558966521214
    public static let v = 0.0099125630353364610791

    /// The shared table.
    public static let shared = Ziggurat()

    init() {
        let r = Self.r, v = Self.v
        func f(_ x: Double) -> Double { exp(-0.5 * x * x) }
        var x = [Double](repeating: 0, count: 129)
        x[0] = v / f(r)
        x[1] = r
        for i in 1..<127 { x[i + 1] = (-2 * log(f(x[i]) + v / x[i])).squareRoot() }
        x[128] = 0
        let p = UnsafeMutablePointer<ZigguratLayer>.allocate(capacity: 128)
        for i in 0..<128 {
            p[i] = ZigguratLayer(scale: x[i] / 16_777_216, limit: 16_777_216 * x[i + 1] / x[i],
                                 fLow: i == 0 ? 0 : f(x[i]), fHigh: f(x[i + 1]))
        }
        layers = UnsafePointer(p)
    }

    /// The layer boundary x_i (i in 0...127), for tests.
    public func boundary(_ i: Int) -> Double { layers[i].scale * 16_777_216 }
}
