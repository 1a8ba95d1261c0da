import Formats
import Foundation
import Testing

/// Issue 15, item 7: a merged file's provenance lists the shards it holds, and `merge` refuses
/// overlapping shard sets (a merged file together with one of its own shards).
@Suite struct MergeOverlapCLITests {
    @Test func overlappingShardSetsAreRefused() throws {
        let dir = try CLIRunner.scratch("merge-overlap")
        defer { try? FileManager.default.removeItem(at: dir) }
        func path(_ name: String) -> String { dir.appendingPathComponent(name).path }
        for k in 0..<3 {
            let r = try CLIRunner.run(["generate", "--topology", "toy", "--events", "200", "--seed", "4", "--shard", "\(k)",
                                       "--shards", "3", "--output", path("s\(k).npz")])
            #expect(r.status == 0, "\(r.output)")
        }
        // A merge in stages (two of three shards) says so (--partial); the final merge is complete.
        #expect(try CLIRunner.run(["merge", path("s0.npz"), path("s1.npz"), "--partial", "--output", path("m01.npz")]).status == 0)
        for shard in ["s0.npz", "s1.npz"] {
            let r = try CLIRunner.run(["merge", path("m01.npz"), path(shard), "--partial", "--output", path("bad.npz")])
            #expect(r.status != 0 && r.stderr.contains(shard) && r.stderr.contains("m01.npz") && r.stderr.contains("already merged"),
                    "\(shard): \(r.output)")
            #expect(!FileManager.default.fileExists(atPath: path("bad.npz")))
        }
        // Disjoint sets merge, and the result lists every shard it holds.
        let ok = try CLIRunner.run(["merge", path("m01.npz"), path("s2.npz"), "--output", path("all.npz")])
        #expect(ok.status == 0 && ok.stdout.contains("600 events"), "\(ok.output)")
        #expect(try NPZ.readHeader(path: path("all.npz")).provenance?.heldShards == [0, 1, 2])
        let again = try CLIRunner.run(["merge", path("all.npz"), path("s2.npz"), "--output", path("bad.npz")])
        #expect(again.status != 0 && again.stderr.contains("shard 2"), "\(again.output)")
    }
}
