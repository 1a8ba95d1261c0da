#if canImport(Glibc)
import Glibc
#endif

/// A number with its gradient over the likelihood fit's seven parameters (forward-mode
/// automatic differentiation): `v` the value, `g` the partial derivatives (lane 7 unused).
struct FitDual {
    var v: Double
    var g: SIMD8<Double>

    @inline(__always) init(_ v: Double, _ g: SIMD8<Double> = SIMD8(repeating: 0)) { self.v = v; self.g = g }

    /// Parameter k with value v (gradient the unit vector k).
    @inline(__always) static func variable(_ v: Double, _ k: Int) -> FitDual {
        var g = SIMD8<Double>(repeating: 0)
        g[k] = 1
        return FitDual(v, g)
    }

    @inline(__always) static func + (a: FitDual, b: FitDual) -> FitDual { FitDual(a.v + b.v, a.g + b.g) }
    @inline(__always) static func - (a: FitDual, b: FitDual) -> FitDual { FitDual(a.v - b.v, a.g - b.g) }
    @inline(__always) static prefix func - (a: FitDual) -> FitDual { FitDual(-a.v, -a.g) }
    @inline(__always) static func * (a: FitDual, b: FitDual) -> FitDual { FitDual(a.v * b.v, a.v * b.g + b.v * a.g) }
    @inline(__always) static func / (a: FitDual, b: FitDual) -> FitDual {
        let inv = 1 / b.v
        return FitDual(a.v * inv, (a.g - (a.v * inv) * b.g) * inv)
    }
    // Mixed Double operands are methods, not operator overloads: more overloads of * and + on
    // Double slow the type checking of every arithmetic expression in the module.
    @inline(__always) func plus(_ b: Double) -> FitDual { FitDual(v + b, g) }
    @inline(__always) func times(_ b: Double) -> FitDual { FitDual(v * b, g * b) }

    @inline(__always) var squareRoot: FitDual {
        let r = v.squareRoot()
        return FitDual(r, r > 0 ? (0.5 / r) * g : SIMD8(repeating: 0))
    }
    @inline(__always) var exponential: FitDual { let e = exp(v); return FitDual(e, e * g) }
    @inline(__always) var logarithm: FitDual { FitDual(log(v), g / v) }
    @inline(__always) var hyperbolic: (cosh: FitDual, sinh: FitDual) {
        let c = cosh(v), s = sinh(v)
        return (FitDual(c, s * g), FitDual(s, c * g))
    }
}
