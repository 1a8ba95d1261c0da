import ArgumentParser
import Foundation
import Harness

/// `deelema calibrate ... --report DIR --emit slurm|condor`: one batch task per unfinished
/// point (the `--point ID` commands of `--plan`) and `deelema report DIR` as the follow-up,
/// which refuses to assemble while a point is missing and names it.
extension CalibrateCommand {
    /// This command line without `--plan` and `--emit`, run by `executable`, with every path
    /// absolute so that it runs from any directory.
    func batchWords(executable: String) -> [String] {
        var words: [String] = [executable]
        var rest = Array(CommandLine.arguments.dropFirst())
        while let w = rest.first {
            rest.removeFirst()
            if w == "--plan" { continue }
            if w == "--emit" { if !rest.isEmpty { rest.removeFirst() }; continue }
            if w.hasPrefix("--emit=") { continue }
            words.append(w)
        }
        for k in words.indices.dropLast() {
            switch words[k] {
            case "--report": words[k + 1] = BatchEmission.absolute(words[k + 1])
            case "--topology": words[k + 1] = BatchEmission.topology(words[k + 1])
            case "--sample":
                if let eq = words[k + 1].firstIndex(of: "=") {
                    let file = String(words[k + 1][words[k + 1].index(after: eq)...])
                    words[k + 1] = String(words[k + 1][..<eq]) + "=" + BatchEmission.absolute(file)
                }
            default: break
            }
        }
        return words
    }

    /// Memory per point task in MiB: a point holds its sample (about 0.5 KiB per event) and one
    /// pseudo-experiment's per-event outputs; generous headroom over that.
    static func memoryMB(events: Int, threads: Int) -> Int {
        512 + 16 * threads + events / 512
    }

    func emitBatch(_ o: CalibrationOptions, _ system: BatchSystem) throws {
        let dir = BatchEmission.absolute(o.report)
        if FileManager.default.fileExists(atPath: dir) && !FileOutput.isDirectory(dir) {
            throw RunFailure(description: "calibrate: \(HarnessError.reportIsFile(dir))")
        }
        let exe = BatchEmission.executable
        let words = batchWords(executable: exe)
        let all: [CalibrationPoint], open: [CalibrationPoint]
        do {
            all = try Calibration.allPoints(o)
            open = try Calibration.unfinished(o)
        } catch {
            throw RunFailure(description: "calibrate: \(RunFailure.text(error))")
        }
        let t = BatchEmission.threads(threads)
        let tasks = all.enumerated().compactMap { k, p -> BatchJob.Task? in
            open.contains(p) ? BatchJob.Task(index: k, unit: p.id, command: words + ["--point", p.id]) : nil
        }
        let job = BatchJob(name: "deelema-calibrate", directory: dir,
                           logDirectory: (dir as NSString).appendingPathComponent("logs"),
                           tasks: tasks, totalUnits: all.count, threads: t,
                           memoryMB: Self.memoryMB(events: o.eventsPerExperiment * o.pseudoExperiments, threads: t),
                           followUp: [exe, "report", dir], followUpName: "report", emittedBy: BatchEmission.commandLine)
        print(job.render(system), terminator: "")
    }
}
