import Events
import Formats
import Foundation
import Testing
import TestSupport
@testable import Harness

@Suite(.serialized) struct BenchTests {
    /// The bench's numbers are those of running each method by hand on the saved test split with
    /// the options `deelema estimate` builds from the recorded command.
    @Test func numbersEqualEstimateByHand() throws {
        let dir = try scratchDirectory("bench")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let methods: [Method] = [.mt2, .maos, .endpoint, .kinsolve, .deelema]
        let report = try Bench.run(smallBench(dir, methods: methods))
        let saved = try BenchReport.decode(Data(contentsOf: URL(fileURLWithPath: dir + "/results.json")))
        #expect(saved.methods.map(\.method) == methods.map(\.rawValue))
        #expect(saved.configuration.trainEvents + saved.configuration.testEvents == 300)
        #expect(saved.trueMasses["M_A"] == 172.5 && saved.trueMasses["M_B"] == 80.38)
        let test = try NPZ.readSample(path: dir + "/test.npz", requireTruth: true)
        #expect(test.count == saved.configuration.testEvents)
        for m in methods {
            var options = MethodOptions(pairing: .unknown, masses: m == .kinsolve ? (172.5, 80.38, 0) : nil, invisibleMass: 0,
                                        model: m == .deelema ? dir + "/deelema.model" : nil, bootstrap: 4, seed: 7)
            options.widths = ["M_A": 1.32, "M_B": 2.085]  // the card's, as `--widths` in the recorded command
            let byHand = try MethodRunner.run(m, on: test, options: options)
            let row = try #require(saved.methods.first { $0.method == m.rawValue })
            #expect(row.masses.map(\.name) == byHand.masses.map(\.name), "\(m)")
            for (a, b) in zip(row.masses, byHand.masses) {
                #expect(a.value == b.value && a.uncertainty == b.uncertainty, "\(m) \(a.name)")
            }
            #expect(row.handledFraction == byHand.handledFraction)
            let command = try #require(saved.reproduce[m.rawValue])
            #expect(command.contains("--method \(m.rawValue) --pairing unknown") && command.contains("--bootstrap 4 --seed 7"))
            #expect(command.contains("--widths M_A=1.32,M_B=2.085"), "\(command)")
        }
        #expect(!(saved.methods.first { $0.method == "mt2" }?.masses.isEmpty ?? true))
        #expect(report.figureError == nil)
        for f in saved.figures {
            let png = try Data(contentsOf: URL(fileURLWithPath: dir + "/" + f))
            #expect(png.prefix(4) == Data([0x89, 0x50, 0x4E, 0x47]), "\(f) is a PNG")
        }
        #expect(saved.figures.contains("maos_masses.png") && saved.figures.contains("mt2_distributions.png")
                && saved.figures.contains("invisible_residuals_pz.png"))
        let md = try String(contentsOfFile: dir + "/report.md", encoding: .utf8)
        #expect(md.contains("| deelema |") && md.contains("bootstrap"))
    }

    /// --sample: the bench uses the file's events and provenance, and scores against its truth.
    /// An estimator returning the truth would score zero; MAOS on an unsmeared fixture must at
    /// least get the transverse sum of its invisible momenta equal to the measured MET.
    @Test func benchOnAGivenSample() throws {
        let dir = try scratchDirectory("sample")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let file = dir + "/fixture.npz"
        let fixture = ChainFixture.ttbarLike(n: 400, mA: 172.5, mB: 80.38, mC: 0, ma: 4.7, seed: 11, maxBeta: 0.5)
        try NPZ.write(fixture, to: file)
        var o = smallBench(dir + "/r", methods: [.maos])
        o.sample = file
        o.pairing = .truth
        let r = try Bench.run(o)
        #expect(r.configuration.events == 400 && r.configuration.testEvents == 200)
        #expect(r.configuration.detector == fixture.provenance?.detector)
        let test = try NPZ.readSample(path: dir + "/r/test.npz", requireTruth: true)
        let byHand = try MethodRunner.run(.maos, on: test, options: MethodOptions(pairing: .truth, invisibleMass: 0, bootstrap: 4, seed: 7))
        let c1 = try byHand.perEvent.fourVectors("C1"), c2 = try byHand.perEvent.fourVectors("C2"), met = try test.transverse("met")
        for i in 0..<test.count {
            #expect(abs(c1[4 * i + 1] + c2[4 * i + 1] - met[2 * i]) < 1e-6 * max(1, abs(met[2 * i])))
        }
        let px = try #require(r.methods[0].invisibleResolutions.first { $0.name == "C.px" })
        #expect(px.events == 400 && px.width68 > 0)
    }

    @Test func badArgumentsGiveClearErrors() throws {
        #expect(throws: MethodError.unknownMethod("mt3")) { try Method.parseList("mt2,mt3") }
        let dir = try scratchDirectory("bad")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let file = dir + "/plain.txt"
        try "x".write(toFile: file, atomically: true, encoding: .utf8)
        #expect(throws: HarnessError.reportIsFile(file)) { try Bench.run(smallBench(file, methods: [.mt2])) }
        #expect(throws: HarnessError.reportIsFile(file)) { try SummaryReport.assemble(directory: file) }
        #expect(throws: HarnessError.noFinishedPoints(dir)) { try SummaryReport.assemble(directory: dir) }
        let base = smallBench(dir, methods: [.mt2])
        #expect(throws: HarnessError.emptySweepList(option: "--smear-scale")) {
            try SweepPlan(base: base, directory: dir, smearScales: "", pairings: "unknown", isr: "off")
        }
        #expect(throws: HarnessError.emptySweepList(option: "--pairing")) {
            try SweepPlan(base: base, directory: dir, smearScales: "0,1", pairings: ",", isr: "off")
        }
        #expect(throws: HarnessError.badSweepValue(option: "--smear-scale", value: "-1", reason: "is not a number >= 0")) {
            try SweepPlan(base: base, directory: dir, smearScales: "0,-1", pairings: "unknown", isr: "off")
        }
        // An antler sample handed to a t-tbar bench.
        let antler = dir + "/antler.npz"
        try NPZ.write(ChainFixture.antler(n: 50, mD: 700, mB: 80.38, mC: 0, seed: 2), to: antler)
        var o = smallBench(dir + "/out", methods: [.mt2])
        o.sample = antler
        do {
            _ = try Bench.run(o)
            Issue.record("a wrong-topology sample was accepted")
        } catch let e as HarnessError {
            guard case .wrongTopology(let f, _, let found) = e else { Issue.record("unexpected \(e)"); return }
            #expect(f == antler && found == "antler")
            #expect(e.description.contains("antler") && e.description.contains("ttbar"))
        }
        var antlerBench = smallBench(dir + "/out2", methods: [.kinsolve])
        antlerBench.topology = "antler_toy"
        #expect(throws: HarnessError.methodNotForTopology(method: "kinsolve", topology: "antler")) { try Bench.run(antlerBench) }
    }

    /// A sweep of two points; one point deleted (as if killed before it finished) is redone on the
    /// re-run and the other is skipped, untouched.
    @Test func sweepResumesWithoutRedoingFinishedPoints() throws {
        let dir = try scratchDirectory("sweep")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        // 2000 events: with the realistic (softer) t-tbar spectra, 500 smeared test events leave
        // too few near the MT2(bl) edge for its endpoint fit at s = 1.
        let plan = try SweepPlan(base: smallBench(dir, methods: [.mt2, .maos], events: 2000), directory: dir,
                                 smearScales: "0,1", pairings: "unknown", isr: "off")
        #expect(plan.points.map(\.id) == ["smear-0_pairing-unknown_isr-off", "smear-1_pairing-unknown_isr-off"])
        let first = try Sweep.run(plan)
        #expect(first.ran.count == 2 && first.skipped.isEmpty)
        let keep = plan.pointDirectory(plan.points[0]) + "/results.json"
        let before = try FileManager.default.attributesOfItem(atPath: keep)[.modificationDate] as! Date
        try FileManager.default.removeItem(atPath: plan.pointDirectory(plan.points[1]))
        let second = try Sweep.run(plan)
        #expect(second.ran == [plan.points[1].id] && second.skipped == [plan.points[0].id])
        let after = try FileManager.default.attributesOfItem(atPath: keep)[.modificationDate] as! Date
        #expect(before == after)
        #expect(second.summary.points.count == 2)
        let mA = try #require(second.summary.entries.first { $0.method == "mt2" && $0.mass == "M_A" })
        #expect(mA.entries.map(\.smearScale) == [0, 1])
        #expect(second.summary.figures.contains("summary_M_A.png"))
        #expect(FileManager.default.fileExists(atPath: dir + "/summary.json") && FileManager.default.fileExists(atPath: dir + "/summary.md"))
        let commands = plan.commands(executable: "deelema")
        #expect(commands.count == 2 && commands[1].contains("--smear-scale 1 --pairing unknown --no-isr --methods mt2,maos"))
        #expect(commands[1].hasSuffix("--report \(URL(fileURLWithPath: plan.pointDirectory(plan.points[1])).standardizedFileURL.path)"))
    }
}
