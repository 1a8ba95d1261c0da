import Events
import Formats
import Foundation
import Testing

/// Issue 15, items 5, 6, 12 and 14: the methods do what their help says, and a model or a
/// bench never scores one card's events against another card's masses.
@Suite struct MethodContractCLITests {
    @Test func deelemaRefusesASampleOfAnotherKindUnlessAllowed() throws {
        let dir = try CLIRunner.scratch("mismatch")
        defer { try? FileManager.default.removeItem(at: dir) }
        func path(_ name: String) -> String { dir.appendingPathComponent(name).path }
        #expect(try CLIRunner.run(["generate", "--topology", "toy", "--events", "600", "--output", path("toy.npz")]).status == 0)
        #expect(try CLIRunner.run(["generate", "--topology", "toy", "--events", "300", "--seed", "2", "--output", path("toy2.npz")]).status == 0)
        #expect(try CLIRunner.run(["generate", "--topology", "toy", "--events", "300", "--detector", "cms", "--output", path("toycms.npz")]).status == 0)
        #expect(try CLIRunner.run(["generate", "--topology", "ttbar", "--events", "300", "--output", path("tt.npz")]).status == 0)
        let t = try CLIRunner.run(["train", path("toy.npz"), "--checkpoint", path("toy.model"), "--mc", "700", "--epochs", "1",
                                   "--hidden", "8", "--layers", "1", "--batch", "128"])
        #expect(t.status == 0, "\(t.output)")
        // Same card and detector, another seed: runs, with no mismatch note.
        let same = try CLIRunner.run(["estimate", path("toy2.npz"), "--method", "deelema", "--model", path("toy.model"), "--output", path("r.npz")])
        #expect(same.status == 0 && !same.stdout.contains("MISMATCH"), "\(same.output)")
        for (file, needle) in [("tt.npz", "card 'ttbar'"), ("toycms.npz", "detector cms")] {
            let refused = try CLIRunner.run(["estimate", path(file), "--method", "deelema", "--model", path("toy.model"), "--output", path("r.npz")])
            #expect(refused.status != 0 && refused.stderr.contains(needle) && refused.stderr.contains("--allow-mismatch"), "\(file): \(refused.output)")
            let allowed = try CLIRunner.run(["estimate", path(file), "--method", "deelema", "--model", path("toy.model"),
                                             "--allow-mismatch", "--output", path("r.npz")])
            #expect(allowed.status == 0 && allowed.stdout.contains("MISMATCH") && allowed.stdout.contains(needle), "\(file): \(allowed.output)")
            let json = try String(contentsOfFile: path("r.json"), encoding: .utf8)
            #expect(json.contains("MISMATCH"))
        }
        // No provenance to compare, but momenta a fifth of the training sample's: another mass-scale regime.
        let toy = try NPZ.read(path: path("toy2.npz"))
        var scaled = Sample(kind: .ttbarLike)
        for key in [Key.a1, Key.a2, Key.b1, Key.b2] { scaled[key] = .fourVectors(try toy.fourVectors(key).map { $0 * 0.2 }) }
        scaled[Key.met] = .transverse(try toy.transverse(Key.met).map { $0 * 0.2 })
        try NPZ.write(scaled, to: path("scaled.npz"))
        let regime = try CLIRunner.run(["estimate", path("scaled.npz"), "--method", "deelema", "--model", path("toy.model"), "--output", path("r.npz")])
        #expect(regime.status != 0 && regime.stderr.contains("mass scale"), "\(regime.output)")
    }

    @Test func benchUsesTheSampleCard() throws {
        let dir = try CLIRunner.scratch("bench-card")
        defer { try? FileManager.default.removeItem(at: dir) }
        func path(_ name: String) -> String { dir.appendingPathComponent(name).path }
        #expect(try CLIRunner.run(["generate", "--topology", "ttbar", "--events", "400", "--output", path("tt.npz")]).status == 0)
        let conflict = try CLIRunner.run(["bench", "--topology", "toy", "--sample", path("tt.npz"), "--methods", "mt2",
                                          "--bootstrap", "2", "--report", path("b1")])
        #expect(conflict.status != 0 && conflict.stderr.contains("'ttbar'") && conflict.stderr.contains("'toy'"), "\(conflict.output)")
        #expect(!FileManager.default.fileExists(atPath: path("b1/results.json")))
        let ok = try CLIRunner.run(["bench", "--sample", path("tt.npz"), "--methods", "mt2", "--bootstrap", "2", "--report", path("b2")])
        #expect(ok.status == 0, "\(ok.output)")
        let results = try String(contentsOfFile: path("b2/results.json"), encoding: .utf8)
        #expect(results.contains("\"topology\" : \"ttbar\"") || results.contains("\"topology\":\"ttbar\""), "\(results.prefix(400))")
        #expect(results.contains("172.5"))
    }

    @Test func mt2BHonoursTheTrialMass() throws {
        let dir = try CLIRunner.scratch("mt2b")
        defer { try? FileManager.default.removeItem(at: dir) }
        func path(_ name: String) -> String { dir.appendingPathComponent(name).path }
        #expect(try CLIRunner.run(["generate", "--topology", "ttbar", "--events", "500", "--output", path("tt.npz")]).status == 0)
        let plain = try CLIRunner.run(["estimate", path("tt.npz"), "--method", "mt2", "--output", path("a.npz")])
        #expect(plain.status == 0 && plain.stdout.contains("chiB = 0.0 GeV"), "\(plain.output)")
        let trial = try CLIRunner.run(["estimate", path("tt.npz"), "--method", "mt2", "--masses", "172.5,80.38,0", "--output", path("b.npz")])
        #expect(trial.status == 0 && trial.stdout.contains("chiB = 80.38 GeV"), "\(trial.output)")
        let b0 = try #require(NPZ.read(path: path("a.npz"))["mt2_b"]?.doubles)
        let bB = try #require(NPZ.read(path: path("b.npz"))["mt2_b"]?.doubles)
        // MT2 is never below its trial invisible mass: with chi_B = m_B every value is at least m_B.
        #expect(bB.allSatisfy { $0 >= 80.38 - 1e-6 }, "min \(bB.min() ?? .nan)")
        #expect(b0.contains { $0 < 80.38 })
    }

    @Test func maosSaysWhichParentMassItUses() throws {
        let dir = try CLIRunner.scratch("maos")
        defer { try? FileManager.default.removeItem(at: dir) }
        func path(_ name: String) -> String { dir.appendingPathComponent(name).path }
        #expect(try CLIRunner.run(["generate", "--topology", "ttbar", "--events", "2000", "--output", path("tt.npz")]).status == 0)
        let fitted = try CLIRunner.run(["estimate", path("tt.npz"), "--method", "maos", "--output", path("f.npz")])
        #expect(fitted.status == 0 && fitted.stdout.contains("from the MT2 endpoint fit for every event"), "\(fitted.output)")
        let perEvent = try CLIRunner.run(["estimate", path("tt.npz"), "--method", "maos", "--maos-parent", "mt2", "--output", path("p.npz")])
        #expect(perEvent.status == 0 && perEvent.stdout.contains("parent mass = event MT2") && !perEvent.stdout.contains("endpoint fit"),
                "\(perEvent.output)")
        let c1f = try #require(NPZ.read(path: path("f.npz"))["C1"]?.doubles)
        let c1p = try #require(NPZ.read(path: path("p.npz"))["C1"]?.doubles)
        #expect(c1f != c1p)
        // Too few events for an endpoint fit: the per-event variant, said so, and never "nan".
        #expect(try CLIRunner.run(["generate", "--topology", "ttbar", "--events", "10", "--output", path("small.npz")]).status == 0)
        let small = try CLIRunner.run(["estimate", path("small.npz"), "--method", "maos", "--output", path("s.npz")])
        #expect(small.status == 0 && small.stdout.contains("each event's MT2 instead") && !small.output.lowercased().contains("nan"),
                "\(small.output)")
        let help = try CLIRunner.run(["estimate", "--help"])
        #expect(help.stdout.contains("--maos-parent") && help.stdout.contains("fitted on the sample for every event"), "\(help.stdout)")
    }

    @Test func cardWidthsAtOrAboveTheMassAreRefused() throws {
        let dir = try CLIRunner.scratch("widths")
        defer { try? FileManager.default.removeItem(at: dir) }
        func card(_ name: String, width: String) throws -> String {
            let url = dir.appendingPathComponent(name)
            try GenerateCLITests.goodCard.replacingOccurrences(of: "mass = 172.5", with: "mass = 172.5\nwidth = \(width)")
                .write(to: url, atomically: true, encoding: .utf8)
            return url.path
        }
        let out = dir.appendingPathComponent("o.npz").path
        for width in ["500", "172.5"] {
            let r = try CLIRunner.run(["generate", "--topology", try card("w\(width).toml", width: width), "--events", "50", "--output", out])
            #expect(r.status != 0 && r.stderr.contains("particles.A.width") && r.stderr.contains("mass"), "\(width): \(r.output)")
            #expect(!FileManager.default.fileExists(atPath: out))
        }
        let wide = try CLIRunner.run(["generate", "--topology", try card("wide.toml", width: "20"), "--events", "50", "--output", out])
        #expect(wide.status == 0 && wide.stderr.contains("warning") && wide.stderr.contains("particles.A.width")
                && wide.stderr.contains("Breit-Wigner"), "\(wide.output)")
        let narrow = try CLIRunner.run(["generate", "--topology", try card("narrow.toml", width: "1.32"), "--events", "50", "--output", out])
        #expect(narrow.status == 0 && !narrow.stderr.contains("warning"), "\(narrow.output)")
    }
}
