import DeeLeMa
import Events

extension Estimators {
    /// `deelema`: the trained network of `deelema train` (the bench trains one on its train split).
    public struct DeeLeMa: Estimator {
        public init() {}
        public var method: Method { .deelema }
        public var summary: String { "the DeeLeMa network of `deelema train`: learned masses and per-event invisible momenta" }
        public var help: [String] {
            ["the trained network of `deelema train` (--model); a",
             "sample of another card, detector setting or mass scale",
             "than the training sample is refused unless",
             "--allow-mismatch"]
        }
        public var topologies: Set<TopologyKind> { [.ttbarLike, .antler] }
        public var reads: EstimatorInputs { [.model, .allowMismatch] }
        /// Its ± is the spread of the learned mass over the last epochs and against the per-event masses.
        public var uncertaintyLabel: String? { "training spread" }

        public func run(on sample: Sample, options o: MethodOptions) throws -> EstimatorResult {
            guard let model = o.model else { throw MethodError.needsModel(method: method) }
            return try DeeLeMaEstimator.run(sample: sample, checkpoint: model, allowMismatch: o.allowMismatch)
        }
    }
}
