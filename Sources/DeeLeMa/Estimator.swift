import Events
import Network

/// DeeLeMa as an estimator with the common contract `(Sample, options) -> EstimatorResult`.
///
/// Per-event arrays (GeV): `C1`, `C2` (N, 4) invisible four-momenta (chain 1 is the chain of
/// a1); t-tbar-like: `m_A1 m_A2 m_B1 m_B2`; antler: `m_D m_B1 m_B2`; `pairing_chosen` (int32,
/// the sample's convention: 0 when a1 and b1 share a chain; the sample's own pairing under
/// truth pairing); `loss` (the event's physics loss, scaled units); `status` (0, or 2 when an
/// output is not finite); with several completion hypotheses, `hypothesis` (int32, the 0-based
/// head whose completion is reported: the one with the lowest loss).
///
/// Masses: `M_A` and `M_B` (antler: `M_D`, `M_B`), the learned parameters in GeV. Their
/// uncertainty combines in quadrature (a) the standard deviation of the learned mass over the
/// last min(5, E) epochs (the optimiser's residual wander) and (b) half the distance between the
/// learned mass and the median of the per-event masses (m_X1, m_X2) on the evaluated sample
/// (how far the network's events sit from the parameter). It is a systematic-style spread, not
/// a bootstrap; the harness's repeated samples give the statistical one.
public enum DeeLeMaEstimator {
    public static let method = "deelema"

    /// Runs the model saved in the checkpoint at `path` on every event of `sample`. A sample
    /// of another card, detector setting or mass scale than the training sample is refused
    /// (the learned masses are the training sample's) unless `allowMismatch`, and then the
    /// differences lead the notes.
    public static func run(sample: Sample, checkpoint path: String, threads: Int = 1,
                           allowMismatch: Bool = false) throws(DeeLeMaError) -> EstimatorResult {
        let c = try CheckpointContents.read(path: path)
        var config = c.header.config
        config.threads = max(1, threads)
        guard c.header.topology == sample.kind else {
            throw .checkpoint(path: path, reason: "was trained on \(Wording.withArticle(c.header.topology.rawValue)) sample, the input is \(Wording.withArticle(sample.kind.rawValue)) sample")
        }
        var mismatchNotes: [String] = []
        if let trained = c.header.origin {
            let differences = trained.differences(from: TrainingOrigin(sample: sample))
            if !differences.isEmpty {
                let list = differences.joined(separator: "; ")
                guard allowMismatch else {
                    throw .checkpoint(path: path, reason: "was trained on another kind of sample (input vs training: \(list)); its masses are the training sample's. Train on this kind of sample, or pass --allow-mismatch to run it anyway")
                }
                mismatchNotes.append("MISMATCH allowed (--allow-mismatch): the model was trained on another kind of sample (input vs training: \(list)); the masses are the training sample's, not a measurement of this one")
            }
        } else {
            mismatchNotes.append("the checkpoint does not record its training sample: card, detector and mass scale not checked")
        }
        let data = try PreparedData(sample: sample, config: config)
        NetworkThreads.setBLASThreads(config.threads)
        let model = DeeLeMaModel<Float>(topology: data.topology, inputWidth: data.inputWidth, config: config,
                                        maxBatch: min(4096, data.count))
        guard model.net.sizes == c.header.sizes else {
            throw .checkpoint(path: path, reason: "layer sizes \(c.header.sizes) do not fit inputs of width \(data.inputWidth)")
        }
        model.net.parameters = c.parameters
        model.massParameters = SIMD2(c.mass[0], c.mass[1])
        var result = infer(model: model, data: data, config: config, history: c.history, sample: sample)
        result.notes = mismatchNotes + result.notes
        return result
    }

    /// Runs a trainer's current model on every event of `sample`.
    public static func run(sample: Sample, trainer: DeeLeMaTrainer) throws(DeeLeMaError) -> EstimatorResult {
        let data = try PreparedData(sample: sample, config: trainer.config)
        return infer(model: trainer.model, data: data, config: trainer.config, history: trainer.history, sample: sample)
    }

    static func infer(model: DeeLeMaModel<Float>, data: PreparedData, config: DeeLeMaConfig,
                      history: [EpochRecord], sample: Sample) -> EstimatorResult {
        let clock = ContinuousClock(), start = clock.now
        let n = data.count, rows = model.net.maxBatch, scale = config.scale
        var results = [(EventEvaluation, Int32)](repeating: (EventEvaluation(), 0), count: rows)
        var c1 = [Double](repeating: 0, count: 4 * n), c2 = c1
        var m = [[Double]](repeating: [Double](repeating: 0, count: n), count: 4)
        var chosen = [Int32](repeating: 0, count: n), status = chosen, hypothesis = chosen
        var loss = [Double](repeating: 0, count: n)
        let all = Array(0..<n)
        var lo = 0
        while lo < n {
            let hi = min(n, lo + rows)
            all.withUnsafeBufferPointer { idx in
                results.withUnsafeMutableBufferPointer { res in
                    model.infer(data, indices: UnsafeBufferPointer(rebasing: idx[lo..<hi]), into: res)
                }
            }
            for r in 0..<(hi - lo) {
                let i = lo + r, (e, p) = results[r]
                let lab1 = data.toLab(e.c1, event: i), lab2 = data.toLab(e.c2, event: i)
                for k in 0..<4 { c1[4 * i + k] = lab1[k] * scale; c2[4 * i + k] = lab2[k] * scale; m[k][i] = e.masses[k] * scale }
                loss[i] = e.loss
                chosen[i] = model.unknownPairing ? p : (data.truePairing?[i] ?? 0)
                hypothesis[i] = Int32(e.hypothesis)
                let finite = (e.c1 + e.c2).sum().isFinite && e.masses.sum().isFinite && e.loss.isFinite
                status[i] = finite ? EventStatus.exact.rawValue : EventStatus.failed.rawValue
            }
            lo = hi
        }
        let elapsed = (clock.now - start).seconds
        var out = Sample(kind: sample.kind, provenance: sample.provenance)
        out[OutputKey.c1] = .fourVectors(c1)
        out[OutputKey.c2] = .fourVectors(c2)
        let M = model.masses * scale
        var masses: [MassEstimate] = []
        let tail = history.suffix(5)
        func spread(_ xs: [Double]) -> Double {
            guard xs.count > 1 else { return 0 }
            let mean = xs.reduce(0, +) / Double(xs.count)
            return (xs.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(xs.count - 1)).squareRoot()
        }
        func estimate(_ name: String, _ value: Double, _ perEvent: [Double], _ past: [Double]) -> MassEstimate {
            let good = perEvent.filter { $0.isFinite }.sorted()
            let median = good.isEmpty ? value : good[good.count / 2]
            let u = (spread(past) * spread(past) + 0.25 * (median - value) * (median - value)).squareRoot()
            return MassEstimate(name: name, value: value, uncertainty: u,
                                how: "DeeLeMa learned mass (\(config.mode.rawValue), \(config.pairing.rawValue) pairing, \(Wording.count(history.count, "epoch")))")
        }
        switch sample.kind {
        case .ttbarLike:
            for (k, name) in [OutputKey.mA1, OutputKey.mA2, OutputKey.mB1, OutputKey.mB2].enumerated() { out[name] = .scalars(m[k]) }
            masses.append(estimate(MassName.a, M[1], m[0] + m[1], tail.map(\.massA)))
            masses.append(estimate(MassName.b, M[0], m[2] + m[3], tail.map(\.massB)))
        case .antler:
            out[OutputKey.mD] = .scalars(m[0]); out[OutputKey.mB1] = .scalars(m[2]); out[OutputKey.mB2] = .scalars(m[3])
            masses.append(estimate(MassName.d, M[1], m[0], tail.map(\.massA)))
            masses.append(estimate(MassName.b, M[0], m[2] + m[3], tail.map(\.massB)))
        }
        out[OutputKey.pairingChosen] = .ints(chosen)
        if model.hypotheses > 1 { out[OutputKey.hypothesis] = .ints(hypothesis) }
        out[OutputKey.loss] = .scalars(loss)
        out[OutputKey.status] = .ints(status)
        let handled = Double(status.filter { $0 != EventStatus.failed.rawValue }.count) / Double(n)
        var notes = ["completion \(config.completion.rawValue), \(config.frame.rawValue) frame, loss \(config.loss.rawValue), scale \(scale) GeV, M_C \(config.mC) GeV fixed"]
        if model.unknownPairing { notes.append("pairing chosen per event by the lower physics loss") }
        if model.hypotheses > 1 { notes.append("\(model.hypotheses) completion hypotheses, the lowest-loss one per event") }
        return EstimatorResult(method: method, perEvent: out, masses: masses, handledFraction: handled,
                               secondsPerEvent: elapsed / Double(n), notes: notes, invisibleMass: config.mC)
    }
}
