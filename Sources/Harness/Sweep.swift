import Foundation

/// `deelema sweep`: a bench at every point of a plan, skipping points already finished (so a
/// killed sweep resumes where it stopped), then the summary of `deelema report`.
public enum Sweep {
    /// What a sweep did: point ids run now and ids skipped as already finished.
    public struct Outcome: Sendable {
        public var ran: [String]
        public var skipped: [String]
        public var summary: SummaryReport
    }

    /// Runs the plan. `progress` gets the point index, the point count, the point id and the
    /// point's bench progress.
    public static func run(_ plan: SweepPlan,
                           progress: ((_ point: Int, _ points: Int, _ id: String, _ stage: String, _ done: Int, _ total: Int) -> Void)? = nil) throws -> Outcome {
        try FileOutput.prepareDirectory(plan.directory)
        var ran: [String] = [], skipped: [String] = []
        for (k, point) in plan.points.enumerated() {
            if plan.isFinished(point) { skipped.append(point.id); continue }
            _ = try Bench.run(plan.options(for: point)) { stage, done, total in
                progress?(k, plan.points.count, point.id, stage, done, total)
            }
            ran.append(point.id)
        }
        let summary = try SummaryReport.assemble(directory: plan.directory)
        return Outcome(ran: ran, skipped: skipped, summary: summary)
    }
}
