/// GELU in its tanh form, as PyTorch's `GELU(approximate="tanh")`:
/// gelu(x) = x/2 (1 + tanh(c (x + 0.044715 x^3))), c = sqrt(2/pi).
public enum GELU {
    /// sqrt(2/pi).
    public static let c = 0.7978845608028654
    /// The cubic coefficient of the tanh approximation.
    public static let k = 0.044715

    /// gelu(x) and t = tanh(c (x + k x^3)) (kept for the backward pass).
    @inlinable @inline(__always)
    public static func forward<T: NetScalar>(_ x: T) -> (y: T, t: T) {
        let t = T.tanh(T(c) * (x + T(k) * x * x * x))
        return (T(0.5) * x * (1 + t), t)
    }

    /// d gelu / dx at x given t = tanh(c (x + k x^3)).
    @inlinable @inline(__always)
    public static func derivative<T: NetScalar>(_ x: T, t: T) -> T {
        T(0.5) * (1 + t) + T(0.5) * x * (1 - t * t) * T(c) * (1 + T(3 * k) * x * x)
    }
}
