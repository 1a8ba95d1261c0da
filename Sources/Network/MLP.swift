import Core
/// A fully connected network x -> Linear -> GELU -> ... -> Linear with a hand-written
/// backward pass over row-major batches (one event per row), BLAS for every matrix
/// product and preallocated buffers (no allocation per step).
///
/// Parameters live in one flat array: for each layer l the weight W_l (out x in, row-major,
/// the PyTorch `Linear.weight` layout) followed by the bias b_l (out). The layer computes
/// z = x W^T + b. GELU (tanh form) follows every layer but the last.
public final class MLP<T: NetScalar> {
    /// Widths [input, hidden..., output].
    public let sizes: [Int]
    /// The largest batch the buffers hold.
    public let maxBatch: Int
    /// Threads for the element-wise loops (BLAS threads are set with `NetworkThreads`).
    public var threads: Int

    /// All parameters, flat (see the type's documentation for the layout).
    public var parameters: [T]
    /// d loss / d parameters from the last `backward`, same layout as `parameters`.
    public var gradients: [T]

    /// Offsets of W_l and b_l in `parameters`.
    public let weightOffsets: [Int]
    public let biasOffsets: [Int]

    // acts[0] is the input copy, acts[l + 1] the output of layer l (after GELU for hidden layers).
    @usableFromInline var acts: [UnsafeMutablePointer<T>]
    // pre[l]: pre-activation z of hidden layer l; tanhs[l]: its tanh term.
    @usableFromInline var pre: [UnsafeMutablePointer<T>]
    @usableFromInline var tanhs: [UnsafeMutablePointer<T>]
    @usableFromInline var deltaA: UnsafeMutablePointer<T>
    @usableFromInline var deltaB: UnsafeMutablePointer<T>
    @usableFromInline var batch = 0

    /// Number of linear layers.
    public var layerCount: Int { sizes.count - 1 }
    /// Input width.
    public var inputWidth: Int { sizes[0] }
    /// Output width.
    public var outputWidth: Int { sizes[sizes.count - 1] }

    /// A network with widths `sizes` (at least input and output), buffers for `maxBatch`
    /// rows, initialised as PyTorch's default `Linear` does: weights and biases uniform
    /// in (-1/sqrt(fan_in), 1/sqrt(fan_in)), drawn from `SplitMix64(seed:)` layer by layer
    /// (weights row-major, then biases).
    public init(sizes: [Int], maxBatch: Int, seed: UInt64, threads: Int = 1) {
        precondition(sizes.count >= 2 && sizes.allSatisfy { $0 > 0 } && maxBatch > 0, "MLP needs positive widths and batch")
        self.sizes = sizes
        self.maxBatch = maxBatch
        self.threads = max(1, threads)
        var w: [Int] = [], b: [Int] = []
        var offset = 0
        for l in 0..<(sizes.count - 1) {
            w.append(offset); offset += sizes[l] * sizes[l + 1]
            b.append(offset); offset += sizes[l + 1]
        }
        weightOffsets = w; biasOffsets = b
        parameters = [T](repeating: 0, count: offset)
        gradients = [T](repeating: 0, count: offset)
        let widest = sizes.max()!
        acts = sizes.map { n in
            let p = UnsafeMutablePointer<T>.allocate(capacity: maxBatch * n); p.initialize(repeating: 0, count: maxBatch * n); return p
        }
        let hidden = sizes.dropFirst().dropLast()
        pre = hidden.map { n in
            let p = UnsafeMutablePointer<T>.allocate(capacity: maxBatch * n); p.initialize(repeating: 0, count: maxBatch * n); return p
        }
        tanhs = hidden.map { n in
            let p = UnsafeMutablePointer<T>.allocate(capacity: maxBatch * n); p.initialize(repeating: 0, count: maxBatch * n); return p
        }
        deltaA = .allocate(capacity: maxBatch * widest); deltaA.initialize(repeating: 0, count: maxBatch * widest)
        deltaB = .allocate(capacity: maxBatch * widest); deltaB.initialize(repeating: 0, count: maxBatch * widest)
        reinitialise(seed: seed)
    }

    deinit {
        for p in acts { p.deallocate() }
        for p in pre { p.deallocate() }
        for p in tanhs { p.deallocate() }
        deltaA.deallocate(); deltaB.deallocate()
    }

    /// Redraws all parameters from `seed` (PyTorch default `Linear` initialisation).
    public func reinitialise(seed: UInt64) {
        var rng = SplitMix64(seed: seed)
        for l in 0..<layerCount {
            let fanIn = sizes[l], out = sizes[l + 1]
            let bound = 1 / Double(fanIn).squareRoot()
            for i in 0..<(out * fanIn) { parameters[weightOffsets[l] + i] = T((2 * rng.uniform() - 1) * bound) }
            for i in 0..<out { parameters[biasOffsets[l] + i] = T((2 * rng.uniform() - 1) * bound) }
        }
    }

    /// Total number of parameters.
    public var parameterCount: Int { parameters.count }

    /// Runs the network on `rows` rows of `input` (rows x inputWidth, row-major) and returns
    /// a pointer to the output (rows x outputWidth, row-major), valid until the next call.
    @_specialize(where T == Float)
    @_specialize(where T == Double)
    @discardableResult @inlinable
    public func forward(_ input: UnsafePointer<T>, rows: Int) -> UnsafePointer<T> {
        precondition(rows > 0 && rows <= maxBatch, "batch of \(rows) rows exceeds the MLP buffers (\(maxBatch))")
        batch = rows
        acts[0].update(from: input, count: rows * sizes[0])
        parameters.withUnsafeBufferPointer { pp in
            let p = pp.baseAddress!
            for l in 0..<layerCount {
                let nIn = sizes[l], nOut = sizes[l + 1]
                let z = l < layerCount - 1 ? pre[l] : acts[l + 1]
                let bias = p + biasOffsets[l]
                for r in 0..<rows { (z + r * nOut).update(from: bias, count: nOut) }
                T.gemm(transA: false, transB: true, m: rows, n: nOut, k: nIn, alpha: 1,
                       a: acts[l], lda: nIn, b: p + weightOffsets[l], ldb: nIn, beta: 1, c: z, ldc: nOut)
                if l < layerCount - 1 {
                    nonisolated(unsafe) let zz = z, yy = acts[l + 1], tt = tanhs[l]
                    ParallelLoop.forEachChunk(rows * nOut, chunks: threads, minChunk: 4096) { r in
                        T.geluForward(zz + r.lowerBound, yy + r.lowerBound, tt + r.lowerBound, count: r.count)
                    }
                }
            }
        }
        return UnsafePointer(acts[layerCount])
    }

    /// The output of the last `forward` (rows x outputWidth).
    public var output: UnsafePointer<T> { UnsafePointer(acts[layerCount]) }

    /// Back-propagates d loss / d output (rows x outputWidth of the last `forward`) and
    /// overwrites `gradients` with d loss / d parameters.
    @_specialize(where T == Float)
    @_specialize(where T == Double)
    @inlinable
    public func backward(_ gradOutput: UnsafePointer<T>) {
        let rows = batch
        precondition(rows > 0, "backward called before forward")
        var delta = deltaA, spare = deltaB
        delta.update(from: gradOutput, count: rows * outputWidth)
        parameters.withUnsafeBufferPointer { pp in
            gradients.withUnsafeMutableBufferPointer { gp in
                let p = pp.baseAddress!, g = gp.baseAddress!
                for l in stride(from: layerCount - 1, through: 0, by: -1) {
                    let nIn = sizes[l], nOut = sizes[l + 1]
                    // dW = delta^T x  (nOut x nIn)
                    T.gemm(transA: true, transB: false, m: nOut, n: nIn, k: rows, alpha: 1,
                           a: delta, lda: nOut, b: acts[l], ldb: nIn, beta: 0, c: g + weightOffsets[l], ldc: nIn)
                    // db = column sums of delta
                    let db = g + biasOffsets[l]
                    for j in 0..<nOut { db[j] = 0 }
                    for r in 0..<rows {
                        let row = delta + r * nOut
                        for j in 0..<nOut { db[j] += row[j] }
                    }
                    if l == 0 { break }
                    // dx = delta W  (rows x nIn), then through the GELU of layer l - 1.
                    T.gemm(transA: false, transB: false, m: rows, n: nIn, k: nOut, alpha: 1,
                           a: delta, lda: nOut, b: p + weightOffsets[l], ldb: nIn, beta: 0, c: spare, ldc: nIn)
                    nonisolated(unsafe) let dx = spare, zz = pre[l - 1], tt = tanhs[l - 1]
                    ParallelLoop.forEachChunk(rows * nIn, chunks: threads, minChunk: 4096) { r in
                        for i in r { dx[i] *= GELU.derivative(zz[i], t: tt[i]) }
                    }
                    swap(&delta, &spare)
                }
            }
        }
    }
}
