import Foundation
import Testing
@testable import Harness

@Suite struct SummaryReportTests {
    func point(_ dir: String, _ id: String, smear: Double, values: [(String, Double)], topology: String = "antler_toy") throws {
        let config = BenchReport.Configuration(topology: topology, detector: "cms", smearScale: smear, pairing: "unknown", isr: false,
                                               events: 10, trainEvents: 5, testEvents: 5, seed: 1, methods: ["endpoint"])
        let masses = values.enumerated().map { k, v in
            MassComparison(name: v.0, value: v.1, uncertainty: 2, truth: 400, bias: v.1 - 400, how: "fit \(k)")
        }
        let m = MethodReport(method: "endpoint", events: 5, masses: masses, massResolutions: [], invisibleResolutions: [],
                             handledFraction: 1, secondsPerEvent: 1e-6, notes: [])
        let report = BenchReport(configuration: config, trueMasses: ["M_B": 400], methods: [m], figures: [])
        let pdir = dir + "/points/" + id
        try FileManager.default.createDirectory(atPath: pdir, withIntermediateDirectories: true)
        try report.json().write(to: URL(fileURLWithPath: pdir + "/results.json"))
    }

    /// Finished points only; one curve per (method, mass, pairing, ISR), ordered by smearing scale;
    /// a method with two estimates of the same mass gets two curves.
    @Test func assemblesFinishedPointsIntoCurves() throws {
        let dir = try scratchDirectory("summary")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try point(dir, "b", smear: 2, values: [("M_B", 410), ("M_B", 420)])
        try point(dir, "a", smear: 0, values: [("M_B", 401), ("M_B", 402)])
        try FileManager.default.createDirectory(atPath: dir + "/points/unfinished", withIntermediateDirectories: true)
        let s = try SummaryReport.assemble(directory: dir)
        #expect(s.points == ["a", "b"])
        #expect(s.entries.count == 2)
        let values = s.entries.map { $0.entries.map(\.value) }.sorted { $0[0] < $1[0] }
        #expect(values == [[401, 410], [402, 420]])
        #expect(s.entries.allSatisfy { $0.entries.map(\.smearScale) == [0, 2] && $0.method.hasPrefix("endpoint (fit") })
        #expect(s.figures == ["summary_M_B.png"])
        let back = try SummaryReport.decode(Data(contentsOf: URL(fileURLWithPath: dir + "/summary.json")))
        #expect(back.entries == s.entries)
        let md = try String(contentsOfFile: dir + "/summary.md", encoding: .utf8)
        #expect(md.contains("| s = 0 | s = 2 |") && md.contains("| endpoint (fit 0) | unknown | off | 401.0 ± 2 | 410.0 ± 2 |"))
    }

    @Test func refusesPointsOfDifferentTopologies() throws {
        let dir = try scratchDirectory("summary-mixed")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try point(dir, "a", smear: 0, values: [("M_B", 401)])
        try point(dir, "b", smear: 1, values: [("M_B", 401)], topology: "hww")
        #expect(throws: HarnessError.self) { try SummaryReport.assemble(directory: dir) }
    }
}
