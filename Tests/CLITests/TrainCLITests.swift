import Foundation
import Testing

/// `deelema train`: a run killed with SIGKILL and resumed ends with exactly the parameters of an
/// uninterrupted run; a corrupted checkpoint is refused.
@Suite struct TrainCLITests {
    /// The weights, Adam moments and mass parameters of a checkpoint (the layout in
    /// Sources/DeeLeMa/Checkpoint.swift): everything after the header up to the history.
    func stateBytes(_ path: String) throws -> Data {
        let d = try Data(contentsOf: URL(fileURLWithPath: path))
        let h = Int(d[12]) | Int(d[13]) << 8 | Int(d[14]) << 16 | Int(d[15]) << 24
        let start = 16 + h
        let pAt = start + 24
        var p = 0
        for k in 0..<8 { p |= Int(d[pAt + k]) << (8 * k) }
        let end = pAt + 8 + 12 * p + 48
        return d.subdata(in: (start + 8)..<end)
    }

    @Test func killedRunResumesToTheSameParameters() throws {
        let dir = try CLIRunner.scratch("train")
        defer { try? FileManager.default.removeItem(at: dir) }
        let toy = dir.appendingPathComponent("toy.npz").path
        #expect(try CLIRunner.run(["generate", "--topology", "toy", "--events", "3000", "--output", toy]).status == 0)
        let common = ["--mc", "700", "--epochs", "6", "--hidden", "16", "--layers", "1", "--batch", "256", "--seed", "5"]
        let straight = dir.appendingPathComponent("straight.model").path
        let r = try CLIRunner.run(["train", toy, "--checkpoint", straight] + common)
        #expect(r.status == 0, "\(r.output)")

        let killed = dir.appendingPathComponent("killed.model").path
        let (p, _, _) = try CLIRunner.start(["train", toy, "--checkpoint", killed] + common)
        let deadline = Date().addingTimeInterval(120)
        while !FileManager.default.fileExists(atPath: killed) && Date() < deadline && p.isRunning { usleep(2000) }
        if p.isRunning { kill(p.processIdentifier, SIGKILL) }
        p.waitUntilExit()
        #expect(FileManager.default.fileExists(atPath: killed))
        let resumed = try CLIRunner.run(["train", toy, "--checkpoint", killed] + common)
        #expect(resumed.status == 0, "\(resumed.output)")
        #expect(try stateBytes(killed) == stateBytes(straight))

        var bytes = try Data(contentsOf: URL(fileURLWithPath: killed))
        bytes[bytes.count / 2] ^= 0x5A
        try bytes.write(to: URL(fileURLWithPath: killed))
        let corrupt = try CLIRunner.run(["train", toy, "--checkpoint", killed] + common)
        #expect(corrupt.status != 0 && corrupt.stderr.contains("killed.model"), "\(corrupt.output)")
        let mismatch = try CLIRunner.run(["train", toy, "--checkpoint", straight, "--mc", "700", "--epochs", "5",
                                          "--hidden", "16", "--layers", "1", "--batch", "256", "--seed", "5"])
        #expect(mismatch.status != 0 && mismatch.stderr.contains("epochs"), "\(mismatch.output)")
    }
}
