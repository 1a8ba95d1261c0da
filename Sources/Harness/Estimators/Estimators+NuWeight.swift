import Baselines
import Events

extension Estimators {
    /// `nuweight`: neutrino weighting with the detector's MET resolution, m_A scanned around --masses.
    public struct NuWeight: Estimator {
        public init() {}
        public var method: Method { Method(rawValue: "nuweight") }
        public var summary: String {
            "neutrino weighting: MET-resolution weights over invisible rapidities, m_A scanned around --masses"
        }
        public var help: [String] {
            ["neutrino weighting (detector resolution from the",
             "sample); m_B, m_C from --masses, m_A scanned",
             "0.5...1.5 x its m_A (t-tbar-like only)"]
        }
        public var topologies: Set<TopologyKind> { [.ttbarLike] }
        public var reads: EstimatorInputs { [.pairing, .masses, .bootstrap, .progress, .fitResolution] }
        public func requiresMasses(on kind: TopologyKind) -> Bool { true }

        public func run(on sample: Sample, options o: MethodOptions) throws -> EstimatorResult {
            guard let m = o.masses else { throw MethodError.needsMasses(method: method) }
            var options = NeutrinoWeightingOptions(mB: m.1, mC: m.2)
            Self.scan(&options, around: m.0)
            options.bootstrapReplicates = o.bootstrap
            options.seed = o.seed
            options.momentaAtSampleMass = true
            try FitResolution.check(o.fitResolution, on: sample)
            options.resolution = try o.fitResolution.map { try $0.model(for: sample) }
            var r = try NeutrinoWeightingEstimator.run(sample: sample, pairing: o.pairing, options: options,
                                                       progress: o.progress.map { EventProgress(total: sample.count, report: $0) })
            Self.noteOverride(o, &r)
            return r
        }

        /// Says first in the notes that the resolution model is `--fit-resolution`'s.
        static func noteOverride(_ o: MethodOptions, _ r: inout EstimatorResult) {
            if let fit = o.fitResolution {
                r.notes.insert("resolution model assumed by --fit-resolution \(fit) (not the sample's provenance)", at: 0)
            }
        }

        /// The m_A scan of the harness: 41 points over 0.5...1.5 m_A, starting above m_B.
        static func scan(_ options: inout NeutrinoWeightingOptions, around mA: Double) {
            let low = max(0.5 * mA, options.mB + 0.02 * mA), high = max(1.5 * mA, low + 0.4 * mA)
            options.mALow = low
            options.mAStep = (high - low) / 40
            options.mAHigh = low + 40 * options.mAStep
        }
    }

    /// `klfit`: the dilepton likelihood fit (neutrino weight, energy transfer functions, rapidity priors).
    public struct KLFit: Estimator {
        public init() {}
        public var method: Method { Method(rawValue: "klfit") }
        public var summary: String {
            "likelihood fit of m_A, visible energies and invisible rapidities with the detector's resolutions"
        }
        public var help: [String] {
            ["likelihood fit (m_A, visible energies, invisible",
             "rapidities); m_B, m_C from --masses, start grid",
             "0.5...1.5 x its m_A (t-tbar-like only)"]
        }
        public var topologies: Set<TopologyKind> { [.ttbarLike] }
        public var reads: EstimatorInputs { [.pairing, .masses, .bootstrap, .progress, .fitResolution] }
        public func requiresMasses(on kind: TopologyKind) -> Bool { true }

        public func run(on sample: Sample, options o: MethodOptions) throws -> EstimatorResult {
            guard let m = o.masses else { throw MethodError.needsMasses(method: method) }
            var options = LikelihoodFitOptions(mB: m.1, mC: m.2)
            NuWeight.scan(&options.grid, around: m.0)
            options.grid.bootstrapReplicates = o.bootstrap
            options.grid.seed = o.seed
            options.momentaAtSampleMass = true
            try FitResolution.check(o.fitResolution, on: sample)
            options.grid.resolution = try o.fitResolution.map { try $0.model(for: sample) }
            var r = try LikelihoodFitEstimator.run(sample: sample, pairing: o.pairing, options: options,
                                                   progress: o.progress.map { EventProgress(total: sample.count, report: $0) })
            NuWeight.noteOverride(o, &r)
            return r
        }
    }
}
