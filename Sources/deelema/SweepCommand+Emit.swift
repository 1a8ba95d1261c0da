import ArgumentParser
import Foundation
import Harness

/// `deelema sweep ... --report DIR --emit slurm|condor`: a batch submission with one task per
/// unfinished point (the points `--plan` would print) and `deelema report DIR --expect <every
/// point>` as the follow-up, which refuses to assemble while a point is missing.
extension SweepCommand {
    /// Memory per point task in MiB: a bench holds its sample and the methods' per-event
    /// outputs. Measured peak RSS: 32 MiB (2k toy events, mt2 and endpoint), 44 MiB (20k), 56 MiB
    /// (5k t-tbar events, every method including DeeLeMa training), i.e. under 1 KiB per event
    /// over a fixed part; the request doubles the per-event part and has ample fixed headroom.
    static func memoryMB(events: Int, threads: Int) -> Int {
        256 + 16 * threads + events / 512
    }

    /// Prints the batch submission for the unfinished points of `sweep` (see the type's doc).
    func emitBatch(_ sweep: SweepPlan, _ system: BatchSystem) throws {
        var plan = sweep
        plan.directory = BatchEmission.absolute(sweep.directory)
        plan.base.threads = BatchEmission.threads(sweep.base.threads)
        if FileManager.default.fileExists(atPath: plan.directory) && !FileOutput.isDirectory(plan.directory) {
            throw RunFailure(description: "sweep: \(HarnessError.reportIsFile(plan.directory))")
        }
        let exe = BatchEmission.executable
        let tasks = plan.points.enumerated().compactMap { k, p -> BatchJob.Task? in
            plan.isFinished(p) ? nil : BatchJob.Task(index: k, unit: p.id, command: plan.arguments(for: p, executable: exe))
        }
        let job = BatchJob(name: "deelema-sweep", directory: plan.directory,
                           logDirectory: (plan.directory as NSString).appendingPathComponent("logs"),
                           tasks: tasks, totalUnits: plan.points.count, threads: plan.base.threads,
                           memoryMB: Self.memoryMB(events: plan.base.events, threads: plan.base.threads),
                           followUp: [exe, "report", plan.directory, "--expect", plan.points.map(\.id).joined(separator: ",")],
                           followUpName: "report", emittedBy: BatchEmission.commandLine)
        print(job.render(system), terminator: "")
    }
}
