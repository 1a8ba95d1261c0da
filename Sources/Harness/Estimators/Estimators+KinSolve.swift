import Baselines
import Events

extension Estimators {
    /// `kinsolve`: the analytic dilepton solutions for a given mass hypothesis.
    public struct KinSolve: Estimator {
        public init() {}
        public var method: Method { .kinsolve }
        public var summary: String { "analytic dilepton solutions for given (m_A, m_B, m_C); estimates no mass" }
        public var help: [String] {
            ["analytic dilepton solutions for --masses mA,mB,mC",
             "(t-tbar-like only)"]
        }
        public var topologies: Set<TopologyKind> { [.ttbarLike] }
        public var reads: EstimatorInputs { [.pairing, .masses] }
        public func requiresMasses(on kind: TopologyKind) -> Bool { true }

        public func run(on sample: Sample, options o: MethodOptions) throws -> EstimatorResult {
            guard let m = o.masses else { throw MethodError.needsMasses(method: method) }
            var r = try KinematicSolutionEstimator.run(sample: sample, pairing: o.pairing,
                                                       masses: ChainMasses(mA: m.0, mB: m.1, mC: m.2))
            // The harness rebuilds parent masses with the pairing the solutions were taken from.
            if let used = r.perEvent[OutputKey.pairingUsed] { r.perEvent[OutputKey.pairingChosen] = used }
            r.notes.append("masses are inputs of this method (\(m.0), \(m.1), \(m.2) GeV); see massscan for estimates")
            return r
        }
    }
}
