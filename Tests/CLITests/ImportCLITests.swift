import Events
import Formats
import Foundation
import Testing

/// `deelema import` through the real executable: our own LHE and HepMC3 files round-trip to the
/// native npz of the same generate command; a detector gives the same distributions as
/// generate's; malformed files give an error naming the line, a non-zero exit and no output.
@Suite struct ImportCLITests {
    static func fixture(_ name: String) -> String {
        CLIRunner.packageRoot.appendingPathComponent("Tests/Fixtures/import/\(name)").path
    }

    func generate(_ dir: URL, _ name: String, _ extra: [String] = [], card: String = "ttbar") throws -> String {
        let path = dir.appendingPathComponent(name).path
        let r = try CLIRunner.run(["generate", "--topology", card, "--events", "2500", "--seed", "11",
                                   "--output", path] + extra)
        #expect(r.status == 0, "\(r.output)")
        return path
    }

    @Test(arguments: [("lhe", [String](), "ttbar"), ("hepmc", [], "ttbar"), ("lhe", ["--isr"], "ttbar"),
                      ("hepmc", ["--isr"], "ttbar"), ("lhe", [], "hww"), ("hepmc", ["--isr"], "hww")])
    func ownFilesRoundTripToTheNativeTruth(ext: String, isr: [String], card: String) throws {
        let dir = try CLIRunner.scratch("import-roundtrip")
        defer { try? FileManager.default.removeItem(at: dir) }
        let native = try NPZ.read(path: try generate(dir, "x.npz", isr, card: card))
        let text = try generate(dir, "x.\(ext)", isr, card: card)
        let kind = native.kind
        let out = dir.appendingPathComponent("imported.npz").path
        let r = try CLIRunner.run(["import", text, "--topology", card, "--output", out] + isr)
        #expect(r.status == 0, "\(r.output)")
        #expect(r.stdout.contains("imported 2500 of 2500 events"), "\(r.stdout)")
        let imported = try NPZ.read(path: out)
        #expect(imported.count == native.count)
        // Truth and reconstructed four-vectors: exactly (the text writers print shortest round-trip
        // decimals); MET to rounding (the sum runs in the other chain order).
        for key in Key.truth(kind) + Key.reconstructed(kind) + (isr.isEmpty ? [] : [Key.trueISR, Key.isr]) {
            #expect(imported[key]?.doubles == native[key]?.doubles, "\(key)")
        }
        #expect(imported[Key.pairing] == native[Key.pairing])
        let m1 = try #require(imported[Key.met]?.doubles), m2 = try #require(native[Key.met]?.doubles)
        #expect(zip(m1, m2).allSatisfy { abs($0 - $1) <= 1e-9 * max(1, abs($1)) })
        #expect(imported[Key.weight]?.doubles == [Double](repeating: 1, count: native.count))
        let prov = try #require(imported.provenance)
        #expect(prov.extra["source"] == "x.\(ext)" && prov.extra["source_digest_fnv1a64"]?.count == 16)
        #expect(prov.detector == "ideal" && prov.generated == 2500 && prov.isr == !isr.isEmpty)
    }

    /// Mean and standard deviation.
    func moments(_ v: [Double]) -> (Double, Double) {
        let m = v.reduce(0, +) / Double(v.count)
        return (m, (v.map { ($0 - m) * ($0 - m) }.reduce(0, +) / Double(v.count)).squareRoot())
    }

    @Test func detectorGivesGenerateDistributions() throws {
        let dir = try CLIRunner.scratch("import-detector")
        defer { try? FileManager.default.removeItem(at: dir) }
        // Truth of 2500 ideal events; generate with CMS smearing from the same seed; import the truth with CMS.
        let lhe = try generate(dir, "x.lhe")
        let cms = try NPZ.read(path: try generate(dir, "cms.npz", ["--detector", "cms", "--smear-scale", "2"]))
        let out = dir.appendingPathComponent("imported.npz").path
        let r = try CLIRunner.run(["import", lhe, "--topology", "ttbar", "--detector", "cms", "--smear-scale", "2",
                                   "--seed", "3", "--output", out])
        #expect(r.status == 0, "\(r.output)")
        let imp = try NPZ.read(path: out)
        // The jets were smeared: a1 is not the true a of its chain.
        let a1 = try #require(imp[Key.a1]?.doubles), ta = try #require(imp[Key.truea1]?.doubles)
        #expect(zip(a1, ta).filter { $0 != $1 }.count > a1.count / 2)
        // Jet response (E_reco / E_true - 1) and MET magnitude: same distributions as generate's.
        func response(_ s: Sample) throws -> [Double] {
            let r = try #require(s[Key.a1]?.doubles), t = try #require(s[Key.truea1]?.doubles)
            var out: [Double] = []
            for i in stride(from: 0, to: r.count, by: 4) { out.append(r[i] / t[i] - 1) }
            return out
        }
        func met(_ s: Sample) throws -> [Double] {
            let m = try #require(s[Key.met]?.doubles)
            var out: [Double] = []
            for i in stride(from: 0, to: m.count, by: 2) {
                let x = m[i], y = m[i + 1]
                out.append((x * x + y * y).squareRoot())
            }
            return out
        }
        let (ri, si) = moments(try response(imp)), (rg, sg) = moments(try response(cms))
        #expect(abs(ri - rg) < 0.02 && abs(si / sg - 1) < 0.1, "response \(ri)±\(si) vs \(rg)±\(sg)")
        let (mi, _) = moments(try met(imp)), (mg, _) = moments(try met(cms))
        #expect(abs(mi / mg - 1) < 0.08, "MET \(mi) vs \(mg)")
        // Reproducible: the same seed gives the same file.
        let again = dir.appendingPathComponent("again.npz").path
        _ = try CLIRunner.run(["import", lhe, "--topology", "ttbar", "--detector", "cms", "--smear-scale", "2",
                               "--seed", "3", "--output", again])
        #expect(FileManager.default.contents(atPath: again) == FileManager.default.contents(atPath: out))
    }

    @Test func benchAcceptsAnImportedSample() throws {
        let dir = try CLIRunner.scratch("import-bench")
        defer { try? FileManager.default.removeItem(at: dir) }
        let lhe = try generate(dir, "x.lhe")
        let sample = dir.appendingPathComponent("x.npz").path
        let r = try CLIRunner.run(["import", lhe, "--topology", "ttbar", "--detector", "cms", "--output", sample])
        #expect(r.status == 0, "\(r.output)")
        let report = dir.appendingPathComponent("bench").path
        let b = try CLIRunner.run(["bench", "--topology", "ttbar", "--sample", sample, "--methods", "mt2,maos",
                                   "--report", report])
        #expect(b.status == 0, "\(b.output)")
        #expect(FileManager.default.fileExists(atPath: report + "/results.json"))
    }

    @Test func generatorLayoutsImportWithWeightsAndSkipCounts() throws {
        let dir = try CLIRunner.scratch("import-layouts")
        defer { try? FileManager.default.removeItem(at: dir) }
        let out = dir.appendingPathComponent("mg.npz").path
        let r = try CLIRunner.run(["import", Self.fixture("madgraph_madspin.lhe.gz"), "--topology", "ttbar",
                                   "--ids", "b=11,13", "--ids", "C=12,14", "--output", out])
        #expect(r.status == 0, "\(r.output)")
        #expect(r.stdout.contains("imported 2 of 4 events") && r.stdout.contains("skipped 2: B decay mode"), "\(r.stdout)")
        let s = try NPZ.read(path: out)
        #expect(s[Key.weight]?.doubles?.sorted() == [-688.7, 688.7])
        #expect(s.provenance?.extra["skipped_intermediate_decay"] == "2")
        for file in ["pythia8.hepmc3", "whizard.lhe"] {
            let o = dir.appendingPathComponent("\(file).npz").path
            let q = try CLIRunner.run(["import", Self.fixture(file), "--topology", "ttbar", "--ids", "b=11,13",
                                       "--ids", "C=12,14", "--output", o])
            #expect(q.status == 0 && FileManager.default.fileExists(atPath: o), "\(q.output)")
        }
    }

    @Test(arguments: [("truncated.lhe", ":64:"), ("bad_xml.lhe", ":58:"), ("few_numbers.lhe", ":45:"),
                      ("truncated.hepmc3", ":59:")])
    func malformedFilesFailWithoutOutput(file: String, line: String) throws {
        let dir = try CLIRunner.scratch("import-bad")
        defer { try? FileManager.default.removeItem(at: dir) }
        let out = dir.appendingPathComponent("out.npz").path
        let r = try CLIRunner.run(["import", Self.fixture(file), "--topology", "ttbar", "--output", out])
        #expect(r.status != 0)
        #expect(r.stderr.contains(file + line), "\(r.stderr)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path).isEmpty)
    }

    @Test func nothingImportedIsAnError() throws {
        let dir = try CLIRunner.scratch("import-none")
        defer { try? FileManager.default.removeItem(at: dir) }
        let out = dir.appendingPathComponent("out.npz").path
        // Whizard's first event has an e+ from the t: not the card's muon.
        let r = try CLIRunner.run(["import", Self.fixture("whizard.lhe"), "--topology", "ttbar", "--output", out])
        #expect(r.status != 0 && r.stderr.contains("no event imported"), "\(r.output)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path).isEmpty)
    }
}
