#if canImport(Glibc)
import Glibc
#endif

/// Adam (Kingma & Ba 2014) with PyTorch's defaults and update form: betas (0.9, 0.999),
/// eps 1e-8, no weight decay:
/// m = b1 m + (1 - b1) g, v = b2 v + (1 - b2) g^2,
/// p -= (lr / (1 - b1^t)) m / (sqrt(v) / sqrt(1 - b2^t) + eps).
public struct Adam<T: NetScalar>: Sendable {
    public var beta1: Double = 0.9
    public var beta2: Double = 0.999
    public var epsilon: Double = 1e-8
    /// Steps taken so far (t of the bias corrections).
    public var step: Int = 0
    /// First and second moments, one per parameter.
    public var m: [T]
    public var v: [T]

    /// Moments for `count` parameters, zero-initialised.
    public init(count: Int) {
        m = [T](repeating: 0, count: count)
        v = [T](repeating: 0, count: count)
    }

    /// One update of `params` (count as given at init) with gradients `grads` and rate `lr`.
    @_specialize(where T == Float)
    @_specialize(where T == Double)
    @inlinable
    public mutating func update(_ params: UnsafeMutablePointer<T>, _ grads: UnsafePointer<T>, lr: Double) {
        step += 1
        let bc1 = 1 - pow(beta1, Double(step)), bc2 = 1 - pow(beta2, Double(step))
        let stepSize = T(lr / bc1), invSqrtBC2 = T(1 / bc2.squareRoot()), eps = T(epsilon)
        let b1 = T(beta1), b2 = T(beta2), c1 = T(1 - beta1), c2 = T(1 - beta2)
        let n = m.count
        m.withUnsafeMutableBufferPointer { mp in
            v.withUnsafeMutableBufferPointer { vp in
                let mm = mp.baseAddress!, vv = vp.baseAddress!
                for i in 0..<n {
                    let g = grads[i]
                    let mi = b1 * mm[i] + c1 * g
                    let vi = b2 * vv[i] + c2 * g * g
                    mm[i] = mi; vv[i] = vi
                    params[i] -= stepSize * mi / (T.sqrt(vi) * invSqrtBC2 + eps)
                }
            }
        }
    }
}

/// The polynomial learning-rate schedule lr_e = lr0 (1 - e/E)^power, e = 0..<E (power 2 in
/// the reference), applied per epoch.
public struct PolynomialSchedule: Sendable, Equatable, Codable {
    public var initial: Double
    public var epochs: Int
    public var power: Double

    public init(initial: Double, epochs: Int, power: Double = 2) {
        self.initial = initial; self.epochs = epochs; self.power = power
    }

    /// The rate for 0-based epoch `e`.
    public func rate(epoch e: Int) -> Double {
        guard epochs > 0 else { return initial }
        return initial * pow(max(0, 1 - Double(e) / Double(epochs)), power)
    }
}
