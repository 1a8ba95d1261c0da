import Events
import Formats
import Kinematics
import Foundation
import Testing
import TestSupport
@testable import Harness

/// A method that exists only in this file: each invisible particle carries half the measured
/// MET, massless, at zero pz. Its sample-level "estimate" is the mean mass of that ansatz, 0 GeV
/// by construction. It proves that one conforming type and one `register` call are all a new
/// method needs to run through `MethodRunner`, the bench, its report and its reproduce line.
struct HalfMETEstimator: Estimator {
    var method: Method { Method(rawValue: "halfmet") }
    var summary: String { "test only: each invisible carries half the MET, massless, at zero pz" }
    var topologies: Set<TopologyKind> { [.ttbarLike] }
    var reads: EstimatorInputs { [] }

    func run(on sample: Sample, options: MethodOptions) throws -> EstimatorResult {
        let met = try sample.transverse(Key.met)
        var c: [Double] = []
        c.reserveCapacity(4 * sample.count)
        for i in 0..<sample.count {
            let x = 0.5 * met[2 * i], y = 0.5 * met[2 * i + 1]
            c += [(x * x + y * y).squareRoot(), x, y, 0]
        }
        var out = Sample(kind: sample.kind, provenance: sample.provenance)
        out[OutputKey.c1] = .fourVectors(c)
        out[OutputKey.c2] = .fourVectors(c)
        out[OutputKey.status] = .ints([Int32](repeating: EventStatus.approximate.rawValue, count: sample.count))
        let mass = (0..<sample.count).map { i in FourVector(c, row: i).mass }.reduce(0, +) / Double(max(sample.count, 1))
        return EstimatorResult(method: method.rawValue, perEvent: out,
                               masses: [MassEstimate(name: MassName.c, value: mass, uncertainty: 0, how: "mean mass of the half-MET ansatz")],
                               notes: ["half the MET per invisible"])
    }
}

@Suite(.serialized) struct EstimatorRegistryTests {
    @Test func aRegisteredEstimatorRunsThroughTheRunnerAndTheBench() throws {
        var registry = EstimatorRegistry.standard
        registry.register(HalfMETEstimator())
        let halfmet = Method(rawValue: "halfmet")
        #expect(registry.methods == Method.allCases + [halfmet])
        #expect(try registry.parseList("mt2,halfmet") == [.mt2, halfmet])
        #expect(throws: MethodError.unknownMethod("halfmet")) { try EstimatorRegistry.standard.parseList("halfmet") }
        #expect(registry.helpText().contains("  halfmet   test only: each invisible carries half the MET"))

        let dir = try scratchDirectory("registry")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        var o = smallBench(dir, methods: [.mt2, halfmet])
        o.registry = registry
        let report = try Bench.run(o)
        #expect(report.methods.map(\.method) == ["mt2", "halfmet"])
        let row = try #require(report.methods.first { $0.method == "halfmet" })
        // Scored against the card like any method: M_C truth 0, the ansatz massless (to the
        // rounding of sqrt(E^2 - p^2) at E ~ 100 GeV, ~1e-6 GeV).
        let mC = try #require(row.masses.first)
        #expect(mC.name == "M_C" && mC.truth == 0 && abs(mC.value) < 1e-4 && mC.bias == mC.value, "\(mC)")
        // The harness scored its invisible momenta against the truth (both chains pooled).
        let px = try #require(row.invisibleResolutions.first { $0.name == "C.px" })
        #expect(px.events == 2 * row.events && px.width68 > 0)
        #expect(row.handledFraction == 1 && row.notes == ["half the MET per invisible"])
        let command = try #require(report.reproduce["halfmet"])
        #expect(command.contains("--method halfmet --pairing unknown"))

        // By hand through the runner on the saved split: the same row, and C1 + C2 balance the MET.
        let test = try NPZ.readSample(path: dir + "/test.npz", requireTruth: true)
        let byHand = try MethodRunner.run(halfmet, on: test, options: MethodOptions(invisibleMass: 0, bootstrap: 4, seed: 7),
                                          registry: registry)
        #expect(byHand.method == "halfmet" && byHand.invisibleMass == 0)
        #expect(byHand.masses.map(\.value) == row.masses.map(\.value))
        let c1 = try byHand.perEvent.fourVectors(OutputKey.c1), c2 = try byHand.perEvent.fourVectors(OutputKey.c2)
        let met = try test.transverse(Key.met)
        for i in 0..<test.count {
            #expect(abs(c1[4 * i + 1] + c2[4 * i + 1] - met[2 * i]) <= 1e-12 * max(1, abs(met[2 * i])))
        }
        // The standard registry does not know it; its topologies are enforced like any method's.
        #expect(throws: MethodError.unknownMethod("halfmet")) { try MethodRunner.run(halfmet, on: test, options: MethodOptions()) }
        let antler = ChainFixture.antler(n: 20, mD: 1000, mB: 400, mC: 100, seed: 3)
        #expect(throws: MethodError.wrongTopology(method: halfmet, topology: "antler")) {
            try MethodRunner.run(halfmet, on: antler, options: MethodOptions(), registry: registry)
        }
    }

    /// `all` runs each distinct computation once: on t-tbar-like samples `endpoint` repeats
    /// `mt2` and is left out; kinsolve, massscan and the kinematic fits do not run on antler samples.
    @Test func allRunsEachComputationOnce() throws {
        let r = EstimatorRegistry.standard
        let fits = ["nuweight", "klfit", "kinreco"].map { Method(rawValue: $0) }
        #expect(r.all(on: .ttbarLike) == [.mt2, .maos, .kinsolve, .massscan] + fits + [.m2, .deelema])
        #expect(r.all(on: .antler) == [.mt2, .maos, .m2, .endpoint, .deelema])
        // The help lists every method once, each name at the start of its entry.
        let help = r.helpText()
        for m in r.methods { #expect(help.contains("\n  \(m.rawValue) ") || help.hasPrefix("  \(m.rawValue) "), "\(m)") }
        // The endpoint method, asked for by name, gives mt2's numbers on a t-tbar-like sample.
        let tt = ChainFixture.ttbarLike(n: 600, mA: 172.5, mB: 80.38, mC: 0, ma: 4.7, seed: 5, maxBeta: 0.5)
        let options = MethodOptions(pairing: .unknown, invisibleMass: 0, bootstrap: 3, seed: 2)
        let a = try MethodRunner.run(.mt2, on: tt, options: options), b = try MethodRunner.run(.endpoint, on: tt, options: options)
        #expect(!a.masses.isEmpty && a.masses == b.masses)
    }
}
