import Baselines
import Events
import Generation

extension Estimators {
    /// `kinreco`: smeared analytic solutions (the CMS dilepton reconstruction) with an m(a b)
    /// prior from a separate simulated sample's truth, and a scan of the fixed parent mass.
    ///
    /// Cost: each event solves the analytic system `trials` x 2 pairings x (`scanPoints` + 1)
    /// times (the scan plus the fixed m_A of --masses). The harness's default, K = 100 and 21
    /// scan points over 0.7...1.3 m_A, is about 4400 solves (1.2-1.8 us each plus the smearing):
    /// 10000 `cms` t-tbar events took 27 s on the shared two-core VM (release build, load 7).
    public struct KinReco: Estimator {
        /// Smearing trials per event and pairing (K).
        public var trials: Int
        /// Points of the m_A scan over 0.7...1.3 x the m_A of --masses (>= 3).
        public var scanPoints: Int

        public init(trials: Int = 100, scanPoints: Int = 21) {
            self.trials = trials; self.scanPoints = scanPoints
        }

        public var method: Method { Method(rawValue: "kinreco") }
        public var summary: String {
            "smeared analytic solutions (K = \(trials) detector smearings, m(a b) prior from a separate simulation), m_A scanned around --masses"
        }
        public var help: [String] {
            ["smeared analytic solutions, K = \(trials) smearings per",
             "event; m_B, m_C from --masses, W width from the",
             "sample's card; m(a b) prior from --simulation's",
             "truth; m_A scanned at \(scanPoints) points 0.7...1.3 x its",
             "m_A; K x 2 x \(scanPoints + 1) solves per event (t-tbar-like only)"]
        }
        public var topologies: Set<TopologyKind> { [.ttbarLike] }
        public var reads: EstimatorInputs { [.pairing, .masses, .bootstrap, .progress, .simulation, .fitResolution] }
        public func requiresMasses(on kind: TopologyKind) -> Bool { true }

        public func run(on sample: Sample, options o: MethodOptions) throws -> EstimatorResult {
            guard let m = o.masses else { throw MethodError.needsMasses(method: method) }
            guard let simulation = o.simulation else { throw MethodError.needsSimulation(method: method) }
            try FitResolution.check(o.fitResolution, on: sample)
            var notes: [String] = []
            let resolution: ResolutionModel
            if let fit = o.fitResolution {
                resolution = try fit.model(for: sample)
                notes.append("resolution model assumed by --fit-resolution \(fit) (not the sample's provenance)")
            } else {
                guard let p = sample.provenance else { throw ResolutionModelError.noProvenance }
                resolution = try ResolutionModel(provenance: p)
            }
            let (width, widthNote) = Self.intermediateWidth(of: sample)
            notes.append(widthNote)
            let prior = try Self.prior(from: simulation, measuring: sample, notes: &notes)
            let low = max(0.7 * m.0, m.1 + 0.02 * m.0), high = max(1.3 * m.0, low + 0.2 * m.0)
            var options = SmearedSolutionOptions(
                trials: trials, parentMass: m.0, intermediateMass: m.1, intermediateWidth: width, invisibleMass: m.2,
                resolution: resolution, parentMassScan: SmearedSolutionOptions.grid(low...high, points: scanPoints),
                seed: UInt64(o.seed), bootstrap: max(2, o.bootstrap))
            if o.bootstrap < 2 { notes.append("bootstrap raised to 2 replicates (the scan's uncertainty needs them)") }
            options.seed = UInt64(o.seed)
            var r = try SmearedSolutionEstimator.run(sample: sample, pairing: o.pairing, options: options, prior: prior,
                                                     progress: o.progress.map { EventProgress(total: sample.count, report: $0) })
            r.notes = notes + r.notes
            return r
        }

        /// The width of B (GeV) from the card the sample's provenance names (with the card
        /// changes it records), a physics input like the masses; 0 (m_B fixed) when no card
        /// loads. Returns the width and a note saying where it came from.
        static func intermediateWidth(of sample: Sample) -> (Double, String) {
            guard let p = sample.provenance, var card = try? Card.load(nameOrPath: p.card) else {
                return (0, "width of B: 0 (narrow: the sample names no card that loads), m_B fixed at --masses")
            }
            if let recorded = p.extra["card_overrides"], !recorded.isEmpty,
               let changes = try? recorded.split(separator: " ").map({ text throws(CardError) in try CardOverride(parsing: String(text)) }),
               let changed = try? card.applying(changes) {
                card = changed
            }
            let w = card.particle(.B).width
            return (w, "width of B: \(w) GeV from the card '\(p.card)' of the sample's provenance")
        }

        /// The m(a b) prior from the simulation's truth. A simulation that is another part of the
        /// same generated sample (the bench's train split: same card, seed and shard) is accepted
        /// when both carry event numbers and share none; otherwise `SmearedSolutionEstimator`
        /// refuses a prior from the measured sample.
        static func prior(from simulation: Sample, measuring sample: Sample, notes: inout [String]) throws -> KinRecoPrior {
            var prior = try KinRecoPrior.fromTruth(simulation)
            var note = "m(a b) prior from the truth of a separate simulated sample of \(simulation.count) events"
            if let p = sample.provenance, let q = simulation.provenance, p.card == q.card, p.seed == q.seed,
               !Set(p.heldShards).isDisjoint(with: q.heldShards),
               let a = sample[Key.event]?.integers, let b = simulation[Key.event]?.integers,
               a.count == sample.count, b.count == simulation.count, Set(a).isDisjoint(with: b) {
                // Disjoint events of one generation run: a separate sample in the sense that matters.
                prior.sourceCard = nil; prior.sourceSeed = nil; prior.sourceShard = nil
                note += " (disjoint events of the same generation run, card \(q.card), seed \(q.seed): e.g. the bench's train split)"
            } else if let q = simulation.provenance {
                note += " (card \(q.card), seed \(q.seed), shard \(q.shard))"
            }
            notes.append(note)
            return prior
        }
    }
}
