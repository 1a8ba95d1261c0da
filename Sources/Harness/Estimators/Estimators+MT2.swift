import Baselines
import Events

extension Estimators {
    /// `mt2`: the MT2 subsystem values per event and their endpoint fits.
    public struct MT2: Estimator {
        public init() {}
        public var method: Method { .mt2 }
        public var summary: String { "MT2 subsystems per event (antler: MT2) and their endpoint fits -> M_A, M_B" }
        public var help: [String] {
            ["MT2(l), MT2(bl), MT2(b) per event (antler: MT2),",
             "endpoint fits -> M_A, M_B. Trial masses: m_C of --masses",
             "(or --mc); for MT2(b) m_B of --masses (else 0)"]
        }
        public var topologies: Set<TopologyKind> { [.ttbarLike, .antler] }
        public var reads: EstimatorInputs { [.pairing, .masses, .invisibleMass, .bootstrap] }

        public func run(on sample: Sample, options o: MethodOptions) throws -> EstimatorResult {
            // MT2(b)'s invisibles are the B's: the trial m_B of --masses, else 0 (t-tbar-like only).
            let chiB = sample.kind == .ttbarLike ? (o.masses?.1 ?? 0) : 0
            var r = try MT2Estimator.run(sample: sample, pairing: o.pairing, chi: o.invisibleMass, chiB: chiB)
            let ends = EndpointWindow.mt2Endpoints(r.perEvent, bootstrap: o.bootstrap, seed: o.seed, widths: o.widths,
                                                   weights: o.eventWeights)
            r.masses += ends.masses
            r.notes += ends.notes
            return r
        }
    }
}
