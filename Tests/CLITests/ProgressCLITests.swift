import Foundation
import Testing

/// Issue 16 item 2: off a terminal (the pipes of these runs) long commands write progress
/// lines with rates and the time left to standard error, and nothing to standard output.
@Suite struct ProgressCLITests {
    func run(_ args: [String], interval: String = "10") throws -> CLIRunner.Outcome {
        let (p, out, err) = try CLIRunner.start(args, environment: ["DEELEMA_PROGRESS_INTERVAL": interval])
        let o = out.fileHandleForReading.readDataToEndOfFile()
        let e = err.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return CLIRunner.Outcome(status: p.terminationStatus, stdout: String(decoding: o, as: UTF8.self),
                                 stderr: String(decoding: e, as: UTF8.self))
    }

    @Test func longCommandsWriteProgressLinesOffATerminal() throws {
        let dir = try CLIRunner.scratch("progress")
        defer { try? FileManager.default.removeItem(at: dir) }
        func path(_ n: String) -> String { dir.appendingPathComponent(n).path }
        let g = try run(["generate", "--topology", "ttbar", "--events", "20000", "--threads", "1", "--output", path("tt.npz")])
        #expect(g.status == 0, "\(g.output)")
        let lines = g.stderr.split(separator: "\n").filter { $0.hasPrefix("generate ttbar: ") }
        // Chunks of 4096 events: a line per 10 % crossed, the last at 100 %.
        #expect(lines.count >= 4 && lines.count <= 11, "\(g.stderr)")
        #expect(lines.dropLast().allSatisfy { $0.contains("events/s") && $0.contains("left") }, "\(g.stderr)")
        #expect(lines.last?.contains("100% (20000/20000") == true, "\(g.stderr)")
        #expect(!g.stderr.contains("\r") && !g.stdout.contains("events/s"), "no bar drawing off a terminal; stdout clean")

        // A method without per-event progress: a line per interval, then one saying it is done.
        let e = try run(["estimate", path("tt.npz"), "--method", "mt2", "--output", path("mt2.npz")], interval: "0.2")
        #expect(e.status == 0, "\(e.output)")
        #expect(e.stderr.contains("estimate mt2 on 20000 events: done in"), "\(e.stderr)")

        // m2 counts its events: lines per 10 % with a rate and the time left, the last at 100 %.
        let small = try run(["generate", "--topology", "ttbar", "--events", "600", "--threads", "1", "--output", path("small.npz")])
        #expect(small.status == 0, "\(small.output)")
        let m2 = try run(["estimate", path("small.npz"), "--method", "m2", "--output", path("m2.npz")])
        #expect(m2.status == 0, "\(m2.output)")
        let m2Lines = m2.stderr.split(separator: "\n").filter { $0.hasPrefix("estimate m2 on 600 events: ") }
        #expect(m2Lines.count >= 5 && m2Lines.dropLast().allSatisfy { $0.contains("left") }, "\(m2.stderr)")
        #expect(m2Lines.last?.contains("100% (1000/1000") == true, "\(m2.stderr)")

        let t = try run(["train", path("tt.npz"), "--checkpoint", path("t.model"), "--epochs", "2", "--hidden", "8",
                         "--layers", "1", "--batch", "512"])
        #expect(t.status == 0, "\(t.output)")
        #expect(t.stderr.contains("train: ") && t.stderr.contains("steps/s") && t.stderr.contains("epoch 2 loss"), "\(t.stderr)")

        let b = try run(["bench", "--sample", path("tt.npz"), "--methods", "mt2", "--bootstrap", "2", "--report", path("b")])
        #expect(b.status == 0, "\(b.output)")
        #expect(b.stderr.contains("sample: done in") && b.stderr.contains("run mt2: done in"), "\(b.stderr)")
    }
}
