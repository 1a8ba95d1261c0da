import Foundation
import Testing

/// Issue 16 item 8: a finished training is extended with more --epochs; a refused checkpoint's
/// message offers --restart; an epoch is reported only once its checkpoint is written; an
/// unwritable checkpoint path fails before any training.
@Suite struct TrainSessionCLITests {
    static let small = ["--mc", "700", "--hidden", "8", "--layers", "1", "--batch", "128", "--seed", "3"]

    @Test func finishedTrainingIsExtendedAndRefusalsOfferRestart() throws {
        let dir = try CLIRunner.scratch("train-extend")
        defer { try? FileManager.default.removeItem(at: dir) }
        let toy = dir.appendingPathComponent("toy.npz").path
        #expect(try CLIRunner.run(["generate", "--topology", "toy", "--events", "1000", "--threads", "1", "--output", toy]).status == 0)
        let model = dir.appendingPathComponent("toy.model").path
        let first = try CLIRunner.run(["train", toy, "--checkpoint", model, "--epochs", "2"] + Self.small)
        #expect(first.status == 0, "\(first.output)")
        let more = try CLIRunner.run(["train", toy, "--checkpoint", model, "--epochs", "3"] + Self.small)
        #expect(more.status == 0, "\(more.output)")
        #expect(more.stdout.contains("extending the finished 2 epochs training"), "\(more.output)")
        #expect(more.stdout.contains("epoch   3 ") && !more.stdout.contains("epoch   1 "), "\(more.output)")
        #expect(more.stdout.contains("after 3 epochs"), "\(more.output)")

        var bytes = try Data(contentsOf: URL(fileURLWithPath: model))
        bytes[bytes.count / 2] ^= 0x5A
        try bytes.write(to: URL(fileURLWithPath: model))
        let corrupt = try CLIRunner.run(["train", toy, "--checkpoint", model, "--epochs", "3"] + Self.small)
        #expect(corrupt.status != 0 && corrupt.stderr.contains("corrupted") && corrupt.stderr.contains("--restart"), "\(corrupt.output)")
        let restarted = try CLIRunner.run(["train", toy, "--checkpoint", model, "--epochs", "1", "--restart"] + Self.small)
        #expect(restarted.status == 0, "\(restarted.output)")
    }

    @Test func unwritableCheckpointFailsBeforeTraining() throws {
        let dir = try CLIRunner.scratch("train-unwritable")
        defer { try? FileManager.default.removeItem(at: dir) }
        let toy = dir.appendingPathComponent("toy.npz").path
        #expect(try CLIRunner.run(["generate", "--topology", "toy", "--events", "300", "--threads", "1", "--output", toy]).status == 0)
        for target in [dir.appendingPathComponent("missing/dir/m.model").path, toy + "/m.model", dir.path] {
            let r = try CLIRunner.run(["train", toy, "--checkpoint", target, "--epochs", "1"] + Self.small)
            #expect(r.status != 0, "\(target): \(r.output)")
            #expect(r.stderr.contains("--checkpoint"), "\(target): \(r.output)")
            #expect(!r.stdout.contains("epoch   1"), "trained before failing: \(r.output)")
        }
    }

    @Test func epochIsReportedAfterItsCheckpoint() throws {
        let dir = try CLIRunner.scratch("train-order")
        defer { try? FileManager.default.removeItem(at: dir) }
        let toy = dir.appendingPathComponent("toy.npz").path
        #expect(try CLIRunner.run(["generate", "--topology", "toy", "--events", "3000", "--threads", "1", "--output", toy]).status == 0)
        let model = dir.appendingPathComponent("m.model").path
        let (p, out, _) = try CLIRunner.start(["train", toy, "--checkpoint", model, "--epochs", "50"] + Self.small)
        var text = ""
        let handle = out.fileHandleForReading
        while !text.contains("epoch   1 ") {
            let chunk = handle.availableData
            if chunk.isEmpty { break }
            text += String(decoding: chunk, as: UTF8.self)
        }
        // Killed at once after the line: the checkpoint of that epoch must already be there.
        kill(p.processIdentifier, SIGKILL)
        p.waitUntilExit()
        #expect(text.contains("epoch   1 "), "\(text)")
        let resumed = try CLIRunner.run(["train", toy, "--checkpoint", model, "--epochs", "50"] + Self.small)
        let line = resumed.stdout.split(separator: "\n").first { $0.hasPrefix("resuming") }.map(String.init) ?? resumed.output
        let epoch = Int(line.split(separator: " ").dropFirst(4).first ?? "") ?? -1
        #expect(epoch >= 1, "\(line)")
    }
}
