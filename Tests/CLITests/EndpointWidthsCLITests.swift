import Foundation
import Testing

/// `deelema estimate --widths`: the Breit-Wigner widths the endpoint fits fold in, checked on
/// input and changing the fitted endpoint.
@Suite struct EndpointWidthsCLITests {
    @Test func widthsAreParsedAndUsed() throws {
        let dir = try CLIRunner.scratch("widths")
        defer { try? FileManager.default.removeItem(at: dir) }
        let tt = dir.appendingPathComponent("tt.npz").path
        #expect(try CLIRunner.run(["generate", "--topology", "ttbar", "--events", "2000", "--seed", "1", "--output", tt]).status == 0)
        func estimate(_ extra: [String], _ name: String) throws -> CLIRunner.Outcome {
            try CLIRunner.run(["estimate", tt, "--method", "mt2", "--bootstrap", "0", "--output", dir.appendingPathComponent(name).path] + extra)
        }
        let narrow = try estimate([], "narrow.npz"), wide = try estimate(["--widths", "M_A=1.32,M_B=2.085"], "wide.npz")
        #expect(narrow.status == 0 && wide.status == 0, "\(narrow.output)\n\(wide.output)")
        func value(_ o: CLIRunner.Outcome, _ name: String) -> Double? {
            guard let line = o.stdout.split(separator: "\n").first(where: { $0.contains("\(name) = ") }),
                  let number = line.split(separator: "=").dropFirst().first?.split(separator: " ").first else { return nil }
            return Double(number)
        }
        let mB0 = try #require(value(narrow, "M_B")), mB1 = try #require(value(wide, "M_B"))
        #expect(mB0 != mB1)
        #expect(abs(mB1 / 80.38 - 1) < 0.01, "M_B \(mB1) with the W width")
        for bad in ["M_X=1", "M_B=-1", "M_B=1,M_B=2", "M_B"] {
            let r = try estimate(["--widths", bad], "bad.npz")
            #expect(r.status != 0 && (r.stderr.contains("width") || r.stderr.contains("NAME") || r.stderr.contains("twice")), "\(bad): \(r.output)")
        }
    }
}
