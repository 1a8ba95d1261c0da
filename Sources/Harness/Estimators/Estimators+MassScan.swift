import Baselines
import Events
import Foundation

extension Estimators {
    /// `massscan`: the (m_A, m_B) hypothesis scan by kinematic solvability.
    public struct MassScan: Estimator {
        public init() {}
        public var method: Method { .massscan }
        public var summary: String { "(m_A, m_B) hypothesis scan by kinematic solvability, centred on the MT2 endpoints or --masses" }
        public var help: [String] {
            ["(m_A, m_B) hypothesis scan by kinematic solvability",
             "(t-tbar-like only)"]
        }
        public var topologies: Set<TopologyKind> { [.ttbarLike] }
        public var reads: EstimatorInputs { [.pairing, .masses, .invisibleMass, .bootstrap, .progress] }

        public func run(on sample: Sample, options o: MethodOptions) throws -> EstimatorResult {
            let guess: (Double, Double)
            if let m = o.masses {
                guess = (m.0, m.1)
            } else {
                guard let g = try MassScanSeed.guess(sample: sample, pairing: o.pairing, mC: o.invisibleMass,
                                                     bootstrap: o.bootstrap, seed: o.seed, widths: o.widths,
                                                     weights: o.eventWeights) else {
                    throw MethodError.needsMasses(method: method)
                }
                guess = g
            }
            let grid = MassScanSeed.grid(around: guess)
            var r = try MassScanEstimator.run(sample: sample, pairing: o.pairing, mC: o.invisibleMass, grid: grid,
                                              bootstrap: o.bootstrap, seed: o.seed,
                                              progress: o.progress.map { EventProgress(total: grid.refinements + 2, report: $0) })
            r.notes.append(String(format: "grid centred on (%.1f, %.1f) GeV %@", guess.0, guess.1,
                                  o.masses == nil ? "from the MT2 endpoints" : "from --masses"))
            return r
        }
    }
}
