import Foundation
import Testing

/// Issue 15, item 8: a `generate` stopped by SIGINT, SIGTERM or SIGKILL leaves no temporary
/// file beside its target, and a later run removes the named temporaries of writers that are gone.
@Suite(.serialized) struct InterruptedGenerateCLITests {
    /// Starts a generate far too large to finish, waits until its output file is open, signals
    /// it and waits for it to end. Returns whether it was still running when signalled.
    func interrupt(_ signal: Int32, named: Bool, into dir: URL) throws -> Bool {
        let out = dir.appendingPathComponent("big.npz").path
        let (p, _, _) = try CLIRunner.start(["generate", "--topology", "ttbar", "--events", "20000000", "--threads", "1",
                                             "--output", out],
                                            environment: named ? ["DEELEMA_NAMED_TEMPORARIES": "1"] : [:])
        let deadline = Date().addingTimeInterval(60)
        var open = false
        while !open && p.isRunning && Date() < deadline {
            // The anonymous file shows only among the process's descriptors, the named one in the directory.
            let fds = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/\(p.processIdentifier)/fd")) ?? []
            open = fds.contains { fd in
                ((try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/\(p.processIdentifier)/fd/\(fd)")) ?? "")
                    .hasPrefix(dir.path)
            }
            // A named temporary must also be in the directory: a descriptor under it can be the
            // directory itself, opened a moment before the file is created (a race under load).
            if open && named {
                open = !((try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? []).isEmpty
            }
            if !open { usleep(1000) }
        }
        let running = p.isRunning
        kill(p.processIdentifier, signal)
        p.waitUntilExit()
        return running && open
    }

    @Test(arguments: [(SIGKILL, false), (SIGTERM, false), (SIGINT, false), (SIGTERM, true), (SIGINT, true)])
    func stoppedGenerateLeavesNothing(signal: Int32, named: Bool) throws {
        let dir = try CLIRunner.scratch("interrupt-\(signal)-\(named)")
        defer { try? FileManager.default.removeItem(at: dir) }
        #expect(try interrupt(signal, named: named, into: dir), "generate was not caught writing")
        let left = try FileManager.default.contentsOfDirectory(atPath: dir.path)
        #expect(left.isEmpty, "signal \(signal), named temporaries \(named): left \(left)")
    }

    @Test func staleTemporariesOfDeadWritersAreRemoved() throws {
        let dir = try CLIRunner.scratch("stale")
        defer { try? FileManager.default.removeItem(at: dir) }
        // Named temporaries (no O_TMPFILE) and SIGKILL: no handler runs, the file stays.
        #expect(try interrupt(SIGKILL, named: true, into: dir))
        let killed = try FileManager.default.contentsOfDirectory(atPath: dir.path)
        #expect(killed.count == 1 && killed[0].hasPrefix(".big.npz.tmp-"), "\(killed)")
        // A temporary of a live writer (this test process) must survive the clean-up.
        let live = ".big.npz.tmp-\(getpid())-abcdef"
        #expect(FileManager.default.createFile(atPath: dir.appendingPathComponent(live).path, contents: Data()))
        let r = try CLIRunner.run(["generate", "--topology", "ttbar", "--events", "50", "--output",
                                   dir.appendingPathComponent("big.npz").path])
        #expect(r.status == 0, "\(r.output)")
        let after = try FileManager.default.contentsOfDirectory(atPath: dir.path).sorted()
        #expect(after == ["big.npz", live].sorted(), "\(after)")
    }
}
