import Core
import Events
import Network

/// The DeeLeMa network, its two mass parameters and the physics loss, evaluated over batches
/// of a `PreparedData`. Generic over the scalar so the Double instance can be checked against
/// finite differences; training uses Float (sgemm).
public final class DeeLeMaModel<T: NetScalar> {
    public let physics: PhysicsLoss
    public let net: MLP<T>
    /// Resolve the pairing per event (min of the loss over the two pairings).
    public let unknownPairing: Bool
    /// Completion hypotheses (output heads) per event; see `DeeLeMaConfig.hypotheses`.
    public let hypotheses: Int
    /// u_B and u_A (u_D for the antler), see `PhysicsLoss.masses`.
    public var massParameters = SIMD2<Double>(0, 0)
    /// d mean loss / d massParameters from the last `evaluate(gradients: true)`.
    public private(set) var massGradient = SIMD2<Double>(0, 0)

    var inputBuffer: [T]
    // Filled row by row by the parallel loss loop (one writer per row).
    let gradBuffer: SharedOutput<T>
    let rowLoss: SharedOutput<Double>
    let rowMassGradient: SharedOutput<SIMD2<Double>>

    /// A model for `config` on inputs of `inputWidth` numbers (16 t-tbar-like, 8 antler).
    public init(topology: TopologyKind, inputWidth: Int, config: DeeLeMaConfig, maxBatch: Int) {
        physics = PhysicsLoss(topology: topology, mode: config.mode, metric: config.loss, mC: config.mC / config.scale)
        unknownPairing = topology == .ttbarLike && config.pairing == .unknown
        hypotheses = config.hypotheses
        let outputs = config.mode.outputCount * config.hypotheses
        let sizes = [inputWidth] + [Int](repeating: config.hidden, count: config.layers + 1) + [outputs]
        net = MLP(sizes: sizes, maxBatch: maxBatch, seed: config.seed, threads: config.threads)
        inputBuffer = [T](repeating: 0, count: maxBatch * inputWidth)
        gradBuffer = SharedOutput(repeating: 0, count: maxBatch * outputs)
        rowLoss = SharedOutput(repeating: 0, count: maxBatch)
        rowMassGradient = SharedOutput(repeating: .zero, count: maxBatch)
    }

    /// The learned masses in scaled units: (M_B, M_A) or (M_B, M_D).
    public var masses: SIMD2<Double> { physics.masses(massParameters).M }

    /// Loads the rows `indices` of `data` into the input buffer and runs the network.
    @_specialize(where T == Float)
    @_specialize(where T == Double)
    func forward(_ data: PreparedData, _ indices: UnsafeBufferPointer<Int>) -> UnsafePointer<T> {
        let w = data.inputWidth
        inputBuffer.withUnsafeMutableBufferPointer { buf in
            data.inputs.withUnsafeBufferPointer { src in
                for (r, i) in indices.enumerated() {
                    for k in 0..<w { buf[r * w + k] = T(src[i * w + k]) }
                }
            }
        }
        return inputBuffer.withUnsafeBufferPointer { net.forward($0.baseAddress!, rows: indices.count) }
    }

    /// Mean physics loss over the rows `indices` of `data` (at most `maxBatch`). With
    /// `gradients`, also fills `net.gradients` and `massGradient` with its gradient.
    @_specialize(where T == Float)
    @_specialize(where T == Double)
    public func evaluate(_ data: PreparedData, indices: UnsafeBufferPointer<Int>, gradients: Bool) -> Double {
        let rows = indices.count
        let out = forward(data, indices)
        let width = net.outputWidth, heads = hypotheses, nHead = width / heads
        let (M, dM0, dM1) = physics.masses(massParameters)
        let scale = 1 / Double(rows)
        let physics = self.physics, unknown = unknownPairing
        nonisolated(unsafe) let o = out
        nonisolated(unsafe) let idx = indices
        let lb = rowLoss, mg = rowMassGradient, gb = gradBuffer
        data.visibles.withUnsafeBufferPointer { visBuf in
            data.targets.withUnsafeBufferPointer { tgtBuf in
                nonisolated(unsafe) let vb = visBuf, tb = tgtBuf
                ParallelLoop.forEachChunk(rows, chunks: net.threads, minChunk: 256) { range in
                    for r in range {
                        let i = idx[r]
                        let (e, _, h) = physics.evaluateBest(o + r * width, heads: heads, vb[i], tb[i], M, unknown: unknown)
                        lb[r] = e.loss
                        mg[r] = e.massGradient
                        for k in 0..<width { gb[r * width + k] = 0 }
                        for k in 0..<nHead { gb[r * width + h * nHead + k] = T(e.outputGradient[k] * scale) }
                    }
                }
            }
        }
        var total = 0.0
        var gM = SIMD2<Double>()
        for r in 0..<rows { total += rowLoss[r]; gM += rowMassGradient[r] }
        if gradients {
            net.backward(UnsafePointer(gradBuffer.buffer.baseAddress!))
            gM *= scale
            massGradient = SIMD2(gM[0] * dM0[0] + gM[1] * dM1[0], gM[0] * dM0[1] + gM[1] * dM1[1])
        }
        return total * scale
    }

    /// Per-event inference on the rows `indices`: writes the evaluation and chosen pairing
    /// of row r to `results[r]`.
    @_specialize(where T == Float)
    @_specialize(where T == Double)
    public func infer(_ data: PreparedData, indices: UnsafeBufferPointer<Int>,
                      into results: UnsafeMutableBufferPointer<(EventEvaluation, Int32)>) {
        let rows = indices.count
        let out = forward(data, indices)
        let width = net.outputWidth, heads = hypotheses
        let M = physics.masses(massParameters).M
        let physics = self.physics, unknown = unknownPairing
        nonisolated(unsafe) let o = out, idx = indices, res = results
        data.visibles.withUnsafeBufferPointer { visBuf in
            data.targets.withUnsafeBufferPointer { tgtBuf in
                nonisolated(unsafe) let vb = visBuf, tb = tgtBuf
                ParallelLoop.forEachChunk(rows, chunks: net.threads, minChunk: 256) { range in
                    for r in range {
                        let (e, p, _) = physics.evaluateBest(o + r * width, heads: heads, vb[idx[r]], tb[idx[r]], M, unknown: unknown)
                        res[r] = (e, p)
                    }
                }
            }
        }
    }
}
