import Testing
@testable import Harness

/// Issue 16 item 5: the bench table shows an echoed input as a dash with a note, biases with
/// their significance, and DeeLeMa's ± as the training spread it is.
@Suite struct BenchTableTests {
    @Test func echoedInputSignificanceAndDeeLeMaLabel() {
        let config = BenchReport.Configuration(topology: "ttbar", detector: "cms", smearScale: 1, pairing: "unknown", isr: false,
                                               events: 10, trainEvents: 5, testEvents: 5, seed: 3, methods: ["maos", "deelema"])
        let maos = MethodReport(method: "maos", events: 5,
                                masses: [MassComparison(name: "M_A", value: 175.5, uncertainty: 1.5, truth: 172.5, bias: 3, how: "endpoint")],
                                massResolutions: [Resolution(name: "M_A", median: 0, width68: 5.68e-14, rms: 0, events: 5),
                                                  Resolution(name: "M_B", median: 0, width68: 12.5, rms: 14, events: 5)],
                                invisibleResolutions: [], handledFraction: 1, secondsPerEvent: 1e-6, notes: [])
        let deelema = MethodReport(method: "deelema", events: 5,
                                   masses: [MassComparison(name: "M_A", value: 170, uncertainty: 0.5, truth: 172.5, bias: -2.5, how: "learned")],
                                   massResolutions: [], invisibleResolutions: [], handledFraction: 1, secondsPerEvent: 1e-6, notes: [])
        let table = BenchReport(configuration: config, trueMasses: ["M_A": 172.5], methods: [maos, deelema], figures: []).table()
        #expect(table.contains("M_A –¹<br>M_B 12.5"), "\(table)")
        #expect(!table.contains("5.68e-14"))
        #expect(table.contains("¹ An input echoed back"))
        #expect(table.contains("M_A +3 (2.0σ)"), "\(table)")
        #expect(table.contains("M_A 170.0 ± 0.5 (training spread)") && table.contains("M_A -2.5 (5.0σ)"), "\(table)")
        #expect(!table.contains("175.5 ± 1.5 (training spread)"))
    }
}
