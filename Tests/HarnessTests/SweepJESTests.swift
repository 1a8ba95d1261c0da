import Foundation
import Testing
@testable import Harness

/// The jet energy scale as a sweep axis: points, their bench options and commands, and the
/// summary's curves per JES.
@Suite struct SweepJESTests {
    @Test func jesAxisMakesPointsAndCurves() throws {
        let dir = try scratchDirectory("sweep-jes")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let plan = try SweepPlan(base: smallBench(dir, methods: [.mt2], events: 2000), directory: dir, smearScales: "1",
                                 pairings: "unknown", isr: "off", jes: "0.98,1.02")
        #expect(plan.points.map(\.id) == ["smear-1_pairing-unknown_isr-off_jes-0.98", "smear-1_pairing-unknown_isr-off_jes-1.02"])
        #expect(plan.options(for: plan.points[1]).energyScales.jet == 1.02)
        #expect(plan.commands()[0].contains("--jes 0.98") && !plan.commands()[1].contains("--jes 0.98"))
        // Without the axis the ids are those of before (resumable directories keep working).
        let plain = try SweepPlan(base: smallBench(dir, methods: [.mt2]), directory: dir, smearScales: "1", pairings: "unknown", isr: "off")
        #expect(plain.points.map(\.id) == ["smear-1_pairing-unknown_isr-off"] && plain.points[0].jes == nil)
        #expect(throws: HarnessError.self) {
            try SweepPlan(base: smallBench(dir, methods: [.mt2]), directory: dir, smearScales: "1", pairings: "unknown", isr: "off", jes: "1,-1")
        }
        let outcome = try Sweep.run(plan)
        let curves = outcome.summary.entries.filter { $0.method == "mt2" && $0.mass == "M_A" }
        #expect(Set(curves.compactMap(\.jes)) == [0.98, 1.02], "\(curves.map(\.label))")
        #expect(curves.allSatisfy { $0.label.contains("JES x") })
        let md = try String(contentsOfFile: dir + "/summary.md", encoding: .utf8)
        #expect(md.contains("| JES |") && md.contains("| 1.02 |"))
        // A higher jet scale moves the MT2(bl) endpoint up.
        let up = curves.first { $0.jes == 1.02 }?.entries.first?.value, down = curves.first { $0.jes == 0.98 }?.entries.first?.value
        if let up, let down { #expect(up > down) }
    }
}
