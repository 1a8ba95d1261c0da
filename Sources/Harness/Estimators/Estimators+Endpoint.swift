import Baselines
import Events

extension Estimators {
    /// `endpoint`: the sample-level edges. On antler samples the m(a1 a2) cusp and endpoint and
    /// the MT2 endpoint; on t-tbar-like samples the MT2 endpoints, exactly the numbers of `mt2`
    /// (`repeats`), so `all` runs `mt2` alone there.
    public struct Endpoint: Estimator {
        public init() {}
        public var method: Method { .endpoint }
        public var summary: String { "endpoint and cusp fits (antler: m(a1 a2) cusp and endpoint, MT2; t-tbar-like: as mt2)" }
        public var help: [String] {
            ["endpoint fits (t-tbar-like: MT2 subsystems, the numbers",
             "of mt2; antler: m(a1 a2) cusp and endpoint, MT2)"]
        }
        public var topologies: Set<TopologyKind> { [.ttbarLike, .antler] }
        public var reads: EstimatorInputs { [.pairing, .masses, .invisibleMass, .bootstrap] }
        public func repeats(on kind: TopologyKind) -> Method? { kind == .ttbarLike ? .mt2 : nil }

        public func run(on sample: Sample, options o: MethodOptions) throws -> EstimatorResult {
            var r = try MT2Estimator.run(sample: sample, pairing: o.pairing, chi: o.invisibleMass,
                                         chiB: sample.kind == .ttbarLike ? (o.masses?.1 ?? 0) : 0)
            if sample.kind == .antler {
                let cusp = try AntlerCuspEstimator.run(sample: sample, mC: o.invisibleMass)
                r.masses += cusp.masses
                r.notes += cusp.notes
                if let m = cusp.perEvent[OutputKey.ma1a2] { r.perEvent[OutputKey.ma1a2] = m }
            }
            let ends = EndpointWindow.mt2Endpoints(r.perEvent, bootstrap: o.bootstrap, seed: o.seed, widths: o.widths,
                                                   weights: o.eventWeights)
            r.masses += ends.masses
            r.notes += ends.notes
            return r
        }
    }
}
