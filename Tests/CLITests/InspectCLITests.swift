import Foundation
import Testing

/// Issue 16 item 7: `inspect` validates (a broken file, NaN, unequal arrays: the reason and a
/// non-zero exit), reports the shard set of a merged file and explains its technical entries.
@Suite struct InspectCLITests {
    @Test func brokenFilesExitNonZeroWithTheReason() throws {
        let dir = try CLIRunner.scratch("inspect-broken")
        defer { try? FileManager.default.removeItem(at: dir) }
        let good = dir.appendingPathComponent("good.npz")
        #expect(try CLIRunner.run(["generate", "--topology", "toy", "--events", "300", "--threads", "1", "--output", good.path]).status == 0)
        let ok = try CLIRunner.run(["inspect", good.path])
        #expect(ok.status == 0, "\(ok.output)")
        let bytes = try Data(contentsOf: good)
        let truncated = dir.appendingPathComponent("truncated.npz")
        try bytes.prefix(bytes.count / 2).write(to: truncated)
        let empty = dir.appendingPathComponent("empty.npz")
        try Data().write(to: empty)
        for (file, needle) in [(truncated.path, "truncated.npz"), (empty.path, "empty.npz"),
                               (dir.appendingPathComponent("absent.npz").path, "absent.npz")] {
            let r = try CLIRunner.run(["inspect", file])
            #expect(r.status != 0, "\(file): \(r.output)")
            #expect(r.stderr.contains(needle), "\(file): \(r.output)")
            let json = try CLIRunner.run(["inspect", "--json", file])
            #expect(json.status != 0 && json.stdout.isEmpty, "\(file): \(json.output)")
        }
    }

    @Test func mergedFileListsItsShardsAndEntriesAreExplained() throws {
        let dir = try CLIRunner.scratch("inspect-merged")
        defer { try? FileManager.default.removeItem(at: dir) }
        func path(_ n: String) -> String { dir.appendingPathComponent(n).path }
        for k in 0..<3 {
            let r = try CLIRunner.run(["generate", "--topology", "toy", "--events", "100", "--shard", "\(k)", "--shards", "3",
                                       "--threads", "1", "--output", path("s\(k).npz")])
            #expect(r.status == 0, "\(r.output)")
        }
        #expect(try CLIRunner.run(["merge", path("s0.npz"), path("s2.npz"), "--partial", "--output", path("m.npz")]).status == 0)
        let merged = try CLIRunner.run(["inspect", path("m.npz")])
        #expect(merged.status == 0, "\(merged.output)")
        #expect(merged.stdout.contains("merged shards 1,3 of 3"), "\(merged.stdout)")
        #expect(merged.stdout.contains("1 of the request's shards are not in this file"), "\(merged.stdout)")
        #expect(!merged.stdout.contains("shard 1/3"), "one shard's statement for a merged file")
        #expect(merged.stdout.contains("block_size: 1024") && merged.stdout.contains("events per random-number block"))
        #expect(merged.stdout.contains("card_overrides: none"))
        let single = try CLIRunner.run(["inspect", path("s1.npz")])
        #expect(single.stdout.contains("shard 2/3 (shard seed "), "\(single.stdout)")
    }
}
