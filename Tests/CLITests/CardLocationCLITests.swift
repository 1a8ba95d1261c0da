import Foundation
import Testing

/// Issue 16 item 1: the bundled cards are found wherever the binary runs (a copy in an empty
/// directory, a symlink, another working directory), and DEELEMA_CARDS folders come first.
@Suite struct CardLocationCLITests {
    /// Runs `executable args...` in `directory` with `environment` added; waits.
    static func run(_ executable: URL, _ args: [String], in directory: URL,
                    environment: [String: String] = [:]) throws -> CLIRunner.Outcome {
        let p = Process()
        p.executableURL = executable
        p.arguments = args
        p.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        p.currentDirectoryURL = directory
        let out = Pipe(), err = Pipe()
        p.standardOutput = out
        p.standardError = err
        try p.run()
        let o = out.fileHandleForReading.readDataToEndOfFile()
        let e = err.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return CLIRunner.Outcome(status: p.terminationStatus, stdout: String(decoding: o, as: UTF8.self),
                                 stderr: String(decoding: e, as: UTF8.self))
    }

    @Test func copiedBinaryInAnEmptyDirectoryFindsTheBundledCards() throws {
        let dir = try CLIRunner.scratch("cards-copy")
        defer { try? FileManager.default.removeItem(at: dir) }
        let bin = dir.appendingPathComponent("bin")
        let work = dir.appendingPathComponent("work")
        try FileManager.default.createDirectory(at: bin, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
        let copy = bin.appendingPathComponent("deelema")
        try FileManager.default.copyItem(at: CLIRunner.executable, to: copy)
        let link = dir.appendingPathComponent("link-deelema")
        try FileManager.default.createSymbolicLink(at: link, withDestinationURL: copy)

        let args = ["generate", "--topology", "ttbar", "--events", "50", "--seed", "3", "--threads", "1", "--output"]
        let copied = try Self.run(copy, args + ["copied.npz"], in: work)
        #expect(copied.status == 0, "\(copied.output)")
        let linked = try Self.run(link, args + ["linked.npz"], in: work)
        #expect(linked.status == 0, "\(linked.output)")
        // The bundled card is the shipped file: the same bytes as a run inside the source tree.
        let reference = work.appendingPathComponent("reference.npz")
        let inTree = try CLIRunner.run(args + [reference.path])
        #expect(inTree.status == 0, "\(inTree.output)")
        let a = try Data(contentsOf: work.appendingPathComponent("copied.npz"))
        #expect(a == (try Data(contentsOf: reference)))
        #expect(a == (try Data(contentsOf: work.appendingPathComponent("linked.npz"))))

        let unknown = try Self.run(copy, ["generate", "--topology", "nope", "--events", "5", "--output", "x.npz"], in: work)
        #expect(unknown.status != 0)
        #expect(unknown.stderr.contains("no card named 'nope'"))
        #expect(unknown.stderr.contains("ttbar"), "the bundled cards are listed: \(unknown.stderr)")
        #expect(unknown.stderr.contains("DEELEMA_CARDS"))
    }

    @Test func userCardFolderIsSearchedFirst() throws {
        let dir = try CLIRunner.scratch("cards-env")
        defer { try? FileManager.default.removeItem(at: dir) }
        let cards = dir.appendingPathComponent("mycards")
        try FileManager.default.createDirectory(at: cards, withIntermediateDirectories: true)
        // A user's "ttbar" with a heavier top shadows the bundled one.
        let shipped = try String(contentsOf: CLIRunner.packageRoot.appendingPathComponent("topologies/ttbar.toml"), encoding: .utf8)
        let heavy = shipped.replacingOccurrences(of: "mass = 172.5", with: "mass = 180.0")
        #expect(heavy != shipped)
        try heavy.write(to: cards.appendingPathComponent("ttbar.toml"), atomically: true, encoding: .utf8)
        try GenerateCLITests.goodCard.write(to: cards.appendingPathComponent("mine.toml"), atomically: true, encoding: .utf8)
        let env = ["DEELEMA_CARDS": cards.path]
        let mine = try Self.run(CLIRunner.executable, ["generate", "--topology", "mine", "--events", "20", "--threads", "1",
                                                       "--output", "mine.npz"], in: dir, environment: env)
        #expect(mine.status == 0, "\(mine.output)")
        let a = try Self.run(CLIRunner.executable, ["generate", "--topology", "ttbar", "--events", "20", "--threads", "1",
                                                    "--output", "user.npz"], in: dir, environment: env)
        let b = try Self.run(CLIRunner.executable, ["generate", "--topology", "ttbar", "--events", "20", "--threads", "1",
                                                    "--output", "bundled.npz"], in: dir)
        #expect(a.status == 0 && b.status == 0, "\(a.output) \(b.output)")
        let info = try Self.run(CLIRunner.executable, ["inspect", "user.npz"], in: dir)
        let infoBundled = try Self.run(CLIRunner.executable, ["inspect", "bundled.npz"], in: dir)
        let digest = { (s: String) in s.split(separator: "\n").first { $0.hasPrefix("card:") }.map(String.init) ?? "" }
        #expect(!digest(info.stdout).isEmpty)
        #expect(digest(info.stdout) != digest(infoBundled.stdout), "the user's card was used")
    }

    @Test func sweepPlanLinesRunFromAnotherDirectory() throws {
        let dir = try CLIRunner.scratch("cards-plan")
        defer { try? FileManager.default.removeItem(at: dir) }
        let plan = try Self.run(CLIRunner.executable, ["sweep", "--topology", "ttbar", "--smear-scale", "0", "--events", "400",
                                                       "--methods", "mt2", "--bootstrap", "2", "--report", "sw", "--plan"],
                                in: dir)
        #expect(plan.status == 0, "\(plan.output)")
        let line = try #require(plan.stdout.split(separator: "\n").first.map(String.init))
        #expect(!line.contains("--threads"), "the planning machine's cores are not the batch node's: \(line)")
        let elsewhere = try CLIRunner.scratch("cards-plan-elsewhere")
        defer { try? FileManager.default.removeItem(at: elsewhere) }
        let shell = Process()
        shell.executableURL = URL(fileURLWithPath: "/bin/sh")
        shell.arguments = ["-c", line]
        shell.currentDirectoryURL = elsewhere
        shell.standardOutput = FileHandle.nullDevice
        let err = Pipe()
        shell.standardError = err
        try shell.run()
        let text = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        shell.waitUntilExit()
        #expect(shell.terminationStatus == 0, "\(line): \(text)")
        #expect(FileManager.default.fileExists(atPath: dir.appendingPathComponent("sw").path), "the report went where the plan said")
    }
}
