import Foundation
import Testing

/// `--set`, `--jes` and `--les` on `generate` and `bench`: recorded in the provenance and the
/// report, bad values refused with the option named and no output.
@Suite struct CardOverrideCLITests {
    @Test func generateRecordsOverridesAndScales() throws {
        let dir = try CLIRunner.scratch("override")
        defer { try? FileManager.default.removeItem(at: dir) }
        let out = dir.appendingPathComponent("s.npz").path
        let r = try CLIRunner.run(["generate", "--topology", "ttbar", "--events", "300", "--set", "A.mass=175.5",
                                   "--set", "B.width=2.2", "--jes", "1.02", "--detector", "cms", "--output", out])
        #expect(r.status == 0, "\(r.stderr)")
        let inspect = try CLIRunner.run(["inspect", out])
        #expect(inspect.stdout.contains("card_overrides: A.mass=175.5 B.width=2.2"), "\(inspect.stdout)")
        #expect(inspect.stdout.contains("jet_energy_scale: 1.02") && inspect.stdout.contains("lepton_energy_scale: 1.0"))
        // The true top mass follows the override (peak of m(true_A1) near 175.5).
        #expect(inspect.stdout.contains("m(true_A1)         175.") || inspect.stdout.contains("m(true_A1)        175."),
                "\(inspect.stdout)")
    }

    @Test func badValuesAreRefused() throws {
        let dir = try CLIRunner.scratch("override-bad")
        defer { try? FileManager.default.removeItem(at: dir) }
        let out = dir.appendingPathComponent("s.npz").path
        let cases: [([String], String)] = [
            (["--set", "A.mass"], "KEY=VALUE"),
            (["--set", "D.mass=700"], "D.mass"),
            (["--set", "A.mass=80"], "forbidden decay"),
            (["--jes", "-1"], "--jes"),
            (["--les", "0"], "--les"),
        ]
        for (extra, needle) in cases {
            let r = try CLIRunner.run(["generate", "--topology", "ttbar", "--events", "50", "--output", out] + extra)
            #expect(r.status != 0, "\(extra): exit 0")
            #expect(r.stderr.contains(needle), "\(extra): \(r.stderr)")
            #expect(!FileManager.default.fileExists(atPath: out))
        }
        let bench = try CLIRunner.run(["bench", "--topology", "ttbar", "--events", "200", "--methods", "mt2", "--jes", "0",
                                       "--report", dir.appendingPathComponent("b").path])
        #expect(bench.status != 0 && bench.stderr.contains("--jes"), "\(bench.stderr)")
    }

    /// A bench with --set scores against the changed masses and says so in its report.
    @Test func benchScoresAgainstTheChangedCard() throws {
        let dir = try CLIRunner.scratch("override-bench")
        defer { try? FileManager.default.removeItem(at: dir) }
        let report = dir.appendingPathComponent("b").path
        let r = try CLIRunner.run(["bench", "--topology", "ttbar", "--events", "400", "--methods", "mt2", "--detector", "ideal",
                                   "--set", "A.mass=180", "--jes", "1.01", "--bootstrap", "2", "--report", report])
        #expect(r.status == 0, "\(r.stderr)")
        let md = try String(contentsOfFile: report + "/report.md", encoding: .utf8)
        #expect(md.contains("M_A = 180.0 GeV"), "\(md)")
        #expect(md.contains("Card changed with --set A.mass=180.0") && md.contains("jets x 1.01"), "\(md)")
    }
}
