import CGSL
#if canImport(Glibc)
import Glibc
#endif

/// The floating-point types the network core runs in: `Float` (training, `cblas_sgemm`)
/// and `Double` (gradient checks, `cblas_dgemm`). One generic code path serves both, so
/// the code checked against finite differences in Double is the code that trains in Float.
public protocol NetScalar: BinaryFloatingPoint, Sendable, Codable {
    /// Row-major C = alpha op(A) op(B) + beta C with op(A) (m x k), op(B) (k x n), C (m x n).
    static func gemm(transA: Bool, transB: Bool, m: Int, n: Int, k: Int, alpha: Self,
                     a: UnsafePointer<Self>, lda: Int, b: UnsafePointer<Self>, ldb: Int,
                     beta: Self, c: UnsafeMutablePointer<Self>, ldc: Int)
    /// Hyperbolic tangent.
    static func tanh(_ x: Self) -> Self
    /// Square root.
    static func sqrt(_ x: Self) -> Self
    /// y = gelu(z) and t = tanh(c (z + k z^3)) for `count` elements (see `GELU`).
    static func geluForward(_ z: UnsafePointer<Self>, _ y: UnsafeMutablePointer<Self>, _ t: UnsafeMutablePointer<Self>, count: Int)
    /// Conversion from Double (rounding to nearest for Float).
    init(_ x: Double)
    /// Little-endian bit pattern width in bytes (4 or 8), used by checkpoints.
    static var byteWidth: Int { get }
}

@inline(__always)
func cblasTranspose(_ t: Bool) -> CBLAS_TRANSPOSE { t ? CblasTrans : CblasNoTrans }

extension Float: NetScalar {
    @inlinable public static var byteWidth: Int { 4 }
    public static func gemm(transA: Bool, transB: Bool, m: Int, n: Int, k: Int, alpha: Float,
                            a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int,
                            beta: Float, c: UnsafeMutablePointer<Float>, ldc: Int) {
        cblas_sgemm(CblasRowMajor, cblasTranspose(transA), cblasTranspose(transB), Int32(m), Int32(n), Int32(k),
                    alpha, a, Int32(lda), b, Int32(ldb), beta, c, Int32(ldc))
    }
    @inlinable public static func tanh(_ x: Float) -> Float { tanhf(x) }
    /// Eight lanes at a time with `fastTanh` in optimised builds. Unoptimised (debug) builds
    /// call libm's `tanhf` per element instead: unoptimised SIMD code is ~50x slower, and the
    /// fast path has its own accuracy test.
    @inlinable public static func geluForward(_ z: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>,
                                              _ t: UnsafeMutablePointer<Float>, count: Int) {
        #if DEBUG
        for i in 0..<count {
            let (yy, tt) = GELU.forward(z[i])
            y[i] = yy; t[i] = tt
        }
        #else
        geluForwardFast(z, y, t, count: count)
        #endif
    }
    @inlinable public static func sqrt(_ x: Float) -> Float { x.squareRoot() }
}

extension Double: NetScalar {
    @inlinable public static var byteWidth: Int { 8 }
    public static func gemm(transA: Bool, transB: Bool, m: Int, n: Int, k: Int, alpha: Double,
                            a: UnsafePointer<Double>, lda: Int, b: UnsafePointer<Double>, ldb: Int,
                            beta: Double, c: UnsafeMutablePointer<Double>, ldc: Int) {
        cblas_dgemm(CblasRowMajor, cblasTranspose(transA), cblasTranspose(transB), Int32(m), Int32(n), Int32(k),
                    alpha, a, Int32(lda), b, Int32(ldb), beta, c, Int32(ldc))
    }
    @inlinable public static func tanh(_ x: Double) -> Double { Glibc.tanh(x) }
    /// Exact (Glibc) tanh, one element at a time: the reference path of the gradient checks.
    @inlinable public static func geluForward(_ z: UnsafePointer<Double>, _ y: UnsafeMutablePointer<Double>,
                                              _ t: UnsafeMutablePointer<Double>, count: Int) {
        for i in 0..<count {
            let (yy, tt) = GELU.forward(z[i])
            y[i] = yy; t[i] = tt
        }
    }
    @inlinable public static func sqrt(_ x: Double) -> Double { x.squareRoot() }
}

/// Thread control for the BLAS library and the element-wise loops of the network core.
public enum NetworkThreads {
    /// Sets the number of OpenBLAS threads (>= 1). The element-wise loops use the
    /// `threads` argument of the objects that run them.
    public static func setBLASThreads(_ n: Int) { openblas_set_num_threads(Int32(max(1, n))) }
    /// The current number of OpenBLAS threads.
    public static var blasThreads: Int { Int(openblas_get_num_threads()) }
}
