import Foundation
import Formats
import Testing
@testable import Harness

/// Runs the built `deelema` executable: the CLI path of the bench, sweep and report commands.
@Suite(.serialized) struct CommandLineTests {
    /// `deelema estimate`, run by hand with the command the report lists, writes the report's numbers.
    @Test func reportedCommandsReproduceTheNumbers() throws {
        let exe = try #require(deelemaExecutable(), "build the deelema executable first (swift build --build-tests)")
        let dir = try scratchDirectory("cli-bench")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let (status, out) = try shell("\(exe) bench --topology ttbar --events 1000 --methods mt2,deelema --seed 5 --bootstrap 4 "
                                      + "--deelema-epochs 2 --deelema-hidden 8 --deelema-layers 1 --deelema-batch 64 --threads 2 --report \(dir)/r")
        #expect(status == 0, "\(out)")
        #expect(out.contains("| mt2 |") && out.contains("report: \(dir)/r/report.md"))
        let saved = try BenchReport.decode(Data(contentsOf: URL(fileURLWithPath: dir + "/r/results.json")))
        for row in saved.methods {
            let command = try #require(saved.reproduce[row.method])
            let output = "\(dir)/\(row.method).npz"
            let line = command.replacingOccurrences(of: "deelema estimate", with: "\(exe) estimate")
                .replacingOccurrences(of: "--output \(row.method).npz", with: "--output \(output)")
            let (s, text) = try shell(line)
            #expect(s == 0, "\(text)")
            #expect(try NPZ.read(path: output).count == saved.configuration.testEvents)
            let byHand = try EstimateSummary.decode(Data(contentsOf: URL(fileURLWithPath: EstimateSummary.path(forOutput: output))))
            #expect(!row.masses.isEmpty)
            #expect(byHand.masses.map(\.name) == row.masses.map(\.name))
            for (m, h) in zip(row.masses, byHand.masses) {
                #expect(h.value == m.value && h.uncertainty == m.uncertainty, "\(row.method) \(m.name)")
            }
            #expect(byHand.handledFraction == row.handledFraction)
        }
    }

    /// The --plan commands, run one by one, then `deelema report`, give the sweep's summary.
    @Test func planRunPointByPointGivesTheSweepSummary() throws {
        let exe = try #require(deelemaExecutable())
        let dir = try scratchDirectory("cli-plan")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let args = "--topology ttbar --events 200 --methods mt2 --seed 3 --bootstrap 4 --smear-scale 0,2 --pairing true --threads 2"
        let (s1, o1) = try shell("\(exe) sweep \(args) --report \(dir)/a")
        #expect(s1 == 0, "\(o1)")
        let (s2, plan) = try shell("\(exe) sweep \(args) --report \(dir)/b --plan")
        #expect(s2 == 0, "\(plan)")
        let lines = plan.split(separator: "\n").map(String.init)
        #expect(lines.count == 2 && lines.allSatisfy { $0.hasPrefix(exe + " bench ") })
        for line in lines {
            let (s, o) = try shell(line)
            #expect(s == 0, "\(o)")
        }
        let (s3, o3) = try shell("\(exe) report \(dir)/b")
        #expect(s3 == 0, "\(o3)")
        let a = try SummaryReport.decode(Data(contentsOf: URL(fileURLWithPath: dir + "/a/summary.json")))
        let b = try SummaryReport.decode(Data(contentsOf: URL(fileURLWithPath: dir + "/b/summary.json")))
        #expect(a.points == b.points && a.points.count == 2)
        #expect(a.entries.map { $0.entries.map(\.value) } == b.entries.map { $0.entries.map(\.value) })
        #expect(a.entries.map { $0.entries.map(\.uncertainty) } == b.entries.map { $0.entries.map(\.uncertainty) })
        // A re-run of the plan has nothing left to do.
        let (_, again) = try shell("\(exe) sweep \(args) --report \(dir)/b --plan")
        #expect(again.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty)
    }

    @Test func badArgumentsExitNonZeroWithAMessage() throws {
        let exe = try #require(deelemaExecutable())
        let dir = try scratchDirectory("cli-bad")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try "x".write(toFile: dir + "/file", atomically: true, encoding: .utf8)
        let cases: [(String, String)] = [
            ("bench --topology ttbar --methods mt2,foo --report \(dir)/r", "unknown method 'foo'"),
            ("sweep --topology ttbar --smear-scale '' --report \(dir)/s", "--smear-scale needs a non-empty"),
            ("bench --topology ttbar --events 50 --methods mt2 --report \(dir)/file", "is a file"),
            ("report \(dir)/file", "is a file"),
        ]
        for (args, message) in cases {
            let (s, out) = try shell("\(exe) \(args)")
            #expect(s != 0, "\(args)")
            #expect(out.contains(message), "\(args): \(out)")
        }
    }
}
