import Formats
import Foundation
import Testing

/// `deelema generate` and `merge` through the real executable: bad input gives a clear message,
/// a non-zero exit and no output file; the same command gives the same bytes.
@Suite struct GenerateCLITests {
    func card(_ dir: URL, _ name: String, _ text: String) throws -> String {
        let url = dir.appendingPathComponent(name)
        try text.write(to: url, atomically: true, encoding: .utf8)
        return url.path
    }

    static let goodCard = """
    topology = "ttbar-like"
    [production]
    model = "coloured-pair"
    [particles.A]
    pdg = 6
    mass = 172.5
    [particles.B]
    pdg = 24
    mass = 80.4
    [particles.C]
    pdg = 12
    mass = 0
    [particles.a]
    pdg = 5
    mass = 4.7
    [particles.b]
    pdg = -11
    mass = 0
    """

    @Test func badInputIsRefusedWithoutOutput() throws {
        let dir = try CLIRunner.scratch("generate")
        defer { try? FileManager.default.removeItem(at: dir) }
        let out = dir.appendingPathComponent("out.npz").path
        let cases: [(String, [String], String)] = [
            ("malformed TOML", ["--topology", try card(dir, "bad.toml", "topology = \"ttbar-like\n[[[")], "bad.toml"),
            ("unknown key", ["--topology", try card(dir, "unk.toml", Self.goodCard + "\ncolour = 3\n")], "colour"),
            ("unknown topology", ["--topology", "no_such_card"], "no_such_card"),
            ("forbidden masses", ["--topology", try card(dir, "forbid.toml", Self.goodCard.replacingOccurrences(of: "mass = 80.4", with: "mass = 180"))], "forbidden"),
            ("negative width", ["--topology", try card(dir, "neg.toml", Self.goodCard.replacingOccurrences(of: "mass = 172.5", with: "mass = 172.5\nwidth = -1"))], "width"),
            ("zero events", ["--topology", "ttbar", "--events", "0"], "events"),
            ("unknown detector", ["--topology", "ttbar", "--detector", "lhcb"], "lhcb"),
        ]
        for (what, args, needle) in cases {
            var full = ["generate"] + args + ["--output", out]
            if !args.contains("--events") { full += ["--events", "100"] }
            let r = try CLIRunner.run(full)
            #expect(r.status != 0, "\(what): exit status 0")
            #expect(r.stderr.contains(needle), "\(what): message does not name '\(needle)': \(r.stderr)")
            #expect(!FileManager.default.fileExists(atPath: out), "\(what): output file left behind")
        }
        let ext = try CLIRunner.run(["generate", "--topology", "ttbar", "--events", "10", "--output", dir.appendingPathComponent("x.root").path])
        #expect(ext.status != 0 && ext.stderr.contains(".root"))
        let unwritable = try CLIRunner.run(["generate", "--topology", "ttbar", "--events", "10", "--output", "/proc/deelema/x.npz"])
        #expect(unwritable.status != 0 && unwritable.stderr.contains("/proc/deelema"))
    }

    @Test func sameCommandSameBytesAndMergeRefusesMismatch() throws {
        let dir = try CLIRunner.scratch("merge")
        defer { try? FileManager.default.removeItem(at: dir) }
        func gen(_ name: String, _ extra: [String]) throws -> String {
            let path = dir.appendingPathComponent(name).path
            let r = try CLIRunner.run(["generate", "--topology", "toy", "--events", "500", "--seed", "3", "--output", path] + extra)
            #expect(r.status == 0, "\(r.stderr)")
            return path
        }
        let a = try gen("a.npz", ["--shard", "0", "--shards", "2", "--threads", "1"])
        let a2 = try gen("a2.npz", ["--shard", "0", "--shards", "2", "--threads", "2"])
        #expect(try Data(contentsOf: URL(fileURLWithPath: a)) == Data(contentsOf: URL(fileURLWithPath: a2)))
        let b = try gen("b.npz", ["--shard", "1", "--shards", "2"])
        let merged = dir.appendingPathComponent("m.npz").path
        let ok = try CLIRunner.run(["merge", a, b, "--output", merged])
        #expect(ok.status == 0 && ok.stdout.contains("1000 events"), "\(ok.output)")
        // The CLI streams the shards into the file; the in-memory merge written at once gives the same bytes.
        let inMemory = dir.appendingPathComponent("memory.npz").path
        try NPZ.write(ShardMerger.merge(paths: [a, b]), to: inMemory)
        #expect(try Data(contentsOf: URL(fileURLWithPath: merged)) == Data(contentsOf: URL(fileURLWithPath: inMemory)))
        let header = try NPZ.readHeader(path: merged)
        #expect(header.rows == 1000 && header.provenance?.extra["merged_shards"] == "0,1")
        let cms = try gen("c.npz", ["--shard", "1", "--shards", "2", "--detector", "cms"])
        let bad = dir.appendingPathComponent("bad.npz").path
        let r = try CLIRunner.run(["merge", a, cms, "--output", bad])
        #expect(r.status != 0 && r.stderr.contains("detector"), "\(r.output)")
        #expect(!FileManager.default.fileExists(atPath: bad))
        let twice = try CLIRunner.run(["merge", a, a2, "--output", bad])
        #expect(twice.status != 0 && twice.stderr.contains("shard 0"), "\(twice.output)")
    }
}
