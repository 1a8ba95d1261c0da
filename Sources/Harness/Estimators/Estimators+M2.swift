import Baselines
import Events

extension Estimators {
    /// `m2`: the constrained M2 variables per event and the endpoint fit of the tightest.
    public struct M2: Estimator {
        public init() {}
        public var method: Method { .m2 }
        public var summary: String { "constrained M2XX, M2CX, M2XC, M2CC with the M2CC endpoint fit (antler: resonance-constrained M2)" }
        public var help: [String] {
            ["constrained M2XX, M2CX, M2XC, M2CC (antler: M2 and",
             "resonance-constrained M2 with --masses mD,mB,mC)"]
        }
        public var topologies: Set<TopologyKind> { [.ttbarLike, .antler] }
        public var reads: EstimatorInputs { [.pairing, .masses, .invisibleMass, .bootstrap, .progress] }
        public func requiresMasses(on kind: TopologyKind) -> Bool { kind == .antler }

        public func run(on sample: Sample, options o: MethodOptions) throws -> EstimatorResult {
            var r: EstimatorResult
            if sample.kind == .antler {
                guard let m = o.masses else { throw MethodError.needsMasses(method: method) }
                r = try M2Estimator.runAntler(sample: sample, mC: o.invisibleMass, mD: m.0,
                                              progress: o.progress.map { EventProgress(total: sample.count, report: $0) })
                Self.endpoint(&r, key: OutputKey.m2Res, name: MassName.b, how: "M2 (resonance-constrained) endpoint fit", o)
            } else {
                r = try M2Estimator.run(sample: sample, pairing: o.pairing, variable: nil, mC: o.invisibleMass,
                                        progress: o.progress.map { EventProgress(total: sample.count, report: $0) })
                Self.endpoint(&r, key: OutputKey.m2cc, name: MassName.a, how: "M2CC endpoint fit", o)
            }
            return r
        }

        /// The endpoint fit of the per-event array `key` as the estimate `name`, or a note saying
        /// why there is none.
        static func endpoint(_ r: inout EstimatorResult, key: String, name: String, how: String, _ o: MethodOptions) {
            let e = EndpointWindow.endpoint(r.perEvent[key]?.doubles, name: name, how: how, bootstrap: o.bootstrap, seed: o.seed,
                                            widths: o.widths, weights: o.eventWeights)
            r.masses += e.masses
            r.notes += e.notes
        }
    }
}
