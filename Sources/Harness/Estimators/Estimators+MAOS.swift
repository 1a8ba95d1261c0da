import Baselines
import Events

extension Estimators {
    /// `maos`: MT2-assisted on-shell invisible momenta and the peak fit of the mass they do not fix.
    public struct MAOS: Estimator {
        public init() {}
        public var method: Method { .maos }
        public var summary: String { "MT2-assisted on-shell invisible momenta C1, C2 and a parent-mass peak fit" }
        public var help: [String] {
            ["MAOS invisible momenta C1, C2. Parent mass: --masses",
             "(original MAOS), else one MT2 endpoint",
             "fitted on the sample for every event (--maos-parent",
             "endpoint, the default), or each event's own MT2",
             "(--maos-parent mt2: modified MAOS; also the fallback,",
             "said in the notes, when the endpoint fit fails)"]
        }
        public var topologies: Set<TopologyKind> { [.ttbarLike, .antler] }
        public var reads: EstimatorInputs { [.pairing, .masses, .invisibleMass, .bootstrap, .maosParent] }

        public func run(on sample: Sample, options o: MethodOptions) throws -> EstimatorResult {
            // The parent of each MAOS leg: A (t-tbar-like) or B (antler).
            let given = sample.kind == .antler ? o.masses?.1 : o.masses?.0
            return try MAOSPeak.run(sample: sample, pairing: o.pairing, given: given, policy: o.maosParent,
                                    chi: o.invisibleMass, bootstrap: o.bootstrap, seed: o.seed, widths: o.widths,
                                    weights: o.eventWeights)
        }
    }
}
