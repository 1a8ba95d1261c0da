import Events
import Foundation
import Kinematics
import TestSupport
import Testing
@testable import Formats

/// A particle line parsed back from a written LHE or HepMC3 file.
struct ParsedParticle {
    var pdg: Int, status: Int, mother1: Int, mother2: Int, colour: Int, anticolour: Int
    var p: FourVector
    var mass: Double
}

/// Parses the `<event>` blocks of an LHE file: (event-info fields, particles).
func parseLHE(_ text: String) -> [(info: [Double], particles: [ParsedParticle])] {
    var events: [(info: [Double], particles: [ParsedParticle])] = []
    var lines: [Substring]? = nil
    for line in text.split(separator: "\n") {
        if line == "<event>" { lines = []; continue }
        if line == "</event>" {
            let l = lines!
            let info = l[0].split(separator: " ").map { Double($0)! }
            let ps = l[1...].map { s -> ParsedParticle in
                let f = s.split(separator: " ")
                let d = f.map { Double($0)! }
                return ParsedParticle(pdg: Int(f[0])!, status: Int(f[1])!, mother1: Int(f[2])!, mother2: Int(f[3])!,
                                      colour: Int(f[4])!, anticolour: Int(f[5])!,
                                      p: FourVector(e: d[9], px: d[6], py: d[7], pz: d[8]), mass: d[10])
            }
            events.append((info, ps))
            lines = nil
            continue
        }
        lines?.append(line)
    }
    return events
}

func close(_ a: FourVector, _ b: FourVector, tol: Double = 1e-9) -> Bool {
    let scale = max(1, abs(a.e), abs(b.e))
    return abs(a.e - b.e) <= tol * scale && abs(a.px - b.px) <= tol * scale
        && abs(a.py - b.py) <= tol * scale && abs(a.pz - b.pz) <= tol * scale
}

func sum(_ ps: [FourVector]) -> FourVector { ps.reduce(FourVector(e: 0, px: 0, py: 0, pz: 0), +) }

@Suite struct TextFormatTests {
    func writeAll(_ s: Sample, _ path: String, info: TruthRecordInfo, chunk: Int = 7) throws {
        let w = try EventFiles.writer(path: path, rows: s.count, template: s.selecting([0]), provenance: s.provenance,
                                      truthInfo: info)
        var start = 0
        while start < s.count {
            try w.append(s.selecting(Array(start..<min(s.count, start + chunk))))
            start += chunk
        }
        try w.finish()
    }

    /// Colour tags among incoming and final particles: each tag exactly twice, joined as
    /// in-colour/out-colour, in-anticolour/out-anticolour, in-colour/in-anticolour or
    /// out-colour/out-anticolour (colour conservation in the LHE convention).
    func coloursConsistent(_ ps: [ParsedParticle]) -> Bool {
        var ends: [Int: [String]] = [:]
        for p in ps where p.status == -1 || p.status == 1 {
            let side = p.status == -1 ? "in" : "out"
            if p.colour != 0 { ends[p.colour, default: []].append(side + "C") }
            if p.anticolour != 0 { ends[p.anticolour, default: []].append(side + "A") }
        }
        let allowed: Set<[String]> = [["inC", "outC"], ["inA", "outA"], ["inA", "inC"], ["outA", "outC"]]
        return ends.values.allSatisfy { allowed.contains($0.sorted()) }
    }

    @Test(arguments: [true, false])
    func lheTTbarStructureAndConservation(_ withISR: Bool) throws {
        let dir = try TempDir(); defer { dir.cleanup() }
        let s = ttbarSample(n: 23, withISR: withISR)
        let path = dir.path("tt.lhe")
        try writeAll(s, path, info: .ttbarDilepton(crossSectionPb: 830))
        #expect(try dir.contents() == ["tt.lhe"])
        let text = try String(contentsOfFile: path, encoding: .utf8)
        #expect(text.hasPrefix("<LesHouchesEvents version=\"3.0\">\n<header>\n<deelema_provenance>"))
        #expect(text.contains("&lt;&amp;&gt;"))  // provenance text XML-escaped
        #expect(text.contains("<init>\n2212 2212 6500.0 6500.0 0 0 0 0 3 1\n830.0 0.0 830.0 1\n</init>"))
        #expect(text.hasSuffix("</LesHouchesEvents>\n"))
        let events = parseLHE(text)
        #expect(events.count == 23)
        let n = withISR ? 13 : 12
        let statuses = withISR ? [-1, -1, 2, 2, 1, 1, 2, 1, 2, 1, 1, 1, 1] : [-1, -1, 2, 2, 1, 2, 1, 2, 1, 1, 1, 1]
        for (i, ev) in events.enumerated() {
            let ps = ev.particles
            #expect(Int(ev.info[0]) == n && ps.count == n)
            #expect(ps.map(\.status) == statuses)
            #expect(ps[0].pdg == 21 && ps[1].pdg == 21 && ps[2].pdg == 6 && ps[3].pdg == -6)
            let final = sum(ps.filter { $0.status == 1 }.map(\.p))
            if withISR {
                // Incoming partons along the beam axis; the final state (with the ISR jet) balances them.
                #expect(ps[0].p.px == 0 && ps[0].p.py == 0 && ps[0].p.pz > 0 && ps[1].p.pz < 0)
                #expect(close(sum([ps[0].p, ps[1].p]), final, tol: 1e-8), "event \(i)")
            } else {
                // Without the ISR record the partons carry the transverse boost (collinear in P's frame).
                #expect(close(sum([ps[0].p, ps[1].p]), final, tol: 1e-8), "event \(i)")
                #expect(abs(ps[0].mass) < 1e-3 && abs(ps[1].mass) < 1e-3)
            }
            // Every intermediate equals the sum of its daughters, which point back to it.
            for (k, p) in ps.enumerated() where p.status == 2 {
                let d = ps.filter { $0.mother1 == k + 1 }
                #expect(d.count == 2)
                #expect(close(p.p, sum(d.map(\.p)), tol: 1e-8))
            }
            // On-shell fixture: the top and W masses written are the card's.
            #expect(abs(ps[2].mass - 172.5) < 1e-6 && abs(ps[3].mass - 172.5) < 1e-6)
            let w = ps.filter { abs($0.pdg) == 24 }
            #expect(w.count == 2 && w.allSatisfy { abs($0.mass - 80.38) < 1e-6 })
            #expect(abs(ev.info[3] - (ps[2].p + ps[3].p).mass) < 1e-6)  // SCALUP = m(t tbar)
            // Colour: tops and b quarks carry tags, leptons and W none, and the flow is consistent.
            #expect(coloursConsistent(ps))
            #expect(ps.filter { abs($0.pdg) == 5 || abs($0.pdg) == 6 }.allSatisfy { ($0.colour != 0) != ($0.anticolour != 0) })
            #expect(ps.filter { abs($0.pdg) == 24 || abs($0.pdg) == 11 || abs($0.pdg) == 12 }.allSatisfy { $0.colour == 0 && $0.anticolour == 0 })
        }
        // The chain-1 b quark in the file is the sample's true_a1.
        let a1 = try s.fourVectors(Key.truea1)
        let b = events[4].particles.first { $0.pdg == 5 }!
        #expect(b.p.e == a1[16] && b.p.px == a1[17] && b.p.py == a1[18] && b.p.pz == a1[19])
        // pylhe, when installed, reads the same events and sees conservation too.
        let pylhe = try pythonOK("""
            import sys
            try:
                import pylhe
            except ImportError:
                print('missing'); sys.exit(0)
            f = pylhe.LHEFile.fromfile(sys.argv[1])
            evs = list(f.events)
            bad = 0
            for e in evs:
                ps = e.particles
                for c in ('px', 'py', 'pz', 'e'):
                    tin = sum(getattr(p, c) for p in ps if p.status == -1)
                    tout = sum(getattr(p, c) for p in ps if p.status == 1)
                    bad += abs(tin - tout) > 1e-6 * max(1.0, abs(tin))
            print(len(evs), sum(len(e.particles) for e in evs), bad)
            """, [path]).trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(pylhe == "missing" || pylhe == "23 \(23 * n) 0")
    }

    @Test func lheAntlerStructure() throws {
        let dir = try TempDir(); defer { dir.cleanup() }
        var s = ChainFixture.antler(n: 11, mD: 700, mB: 80.38, mC: 0)
        addISR(&s)
        let path = dir.path("h.lhe")
        try EventFiles.write(s, to: path, truthInfo: .scalarToWW())  // one-shot path of the factory
        let events = parseLHE(try String(contentsOfFile: path, encoding: .utf8))
        #expect(events.count == 11)
        for ev in events {
            let ps = ev.particles
            #expect(ps.map(\.pdg) == [21, 21, 35, 21, 24, -24, -11, 12, 11, -12])
            #expect(ps.map(\.status) == [-1, -1, 2, 1, 2, 2, 1, 1, 1, 1])
            #expect(ps.map(\.mother1) == [0, 0, 1, 1, 3, 3, 5, 5, 6, 6])
            #expect(abs(ps[2].mass - 700) < 1e-6)
            #expect(close(ps[0].p + ps[1].p, sum(ps.filter { $0.status == 1 }.map(\.p)), tol: 1e-8))
            #expect(coloursConsistent(ps))
            #expect(ps[0].colour != 0 && ps[3].colour != 0)  // gg -> H + g colour flow
        }
    }

    /// Parses HepMC3 ASCII back: counts, vertex references and conservation at every vertex.
    @Test(arguments: [".hepmc", ".hepmc3"])
    func hepmc3StructureAndConservation(_ ext: String) throws {
        let dir = try TempDir(); defer { dir.cleanup() }
        let s = ttbarSample(n: 17)
        let path = dir.path("tt" + ext)
        try writeAll(s, path, info: .ttbarDilepton())
        let text = try String(contentsOfFile: path, encoding: .utf8)
        let lines = text.split(separator: "\n").map(String.init)
        #expect(lines[0].hasPrefix("HepMC::Version 3"))
        #expect(lines[1] == "HepMC::Asciiv3-START_EVENT_LISTING")
        #expect(lines.last == "HepMC::Asciiv3-END_EVENT_LISTING")
        #expect(lines.contains { $0.hasPrefix("A deelema_provenance {") })
        var events: [[String]] = []
        for l in lines {
            if l.hasPrefix("E ") { events.append([l]) } else if !events.isEmpty, !l.hasPrefix("HepMC::") { events[events.count - 1].append(l) }
        }
        #expect(events.count == 17)
        for (i, ev) in events.enumerated() {
            let head = ev[0].split(separator: " ")
            #expect(Int(head[1]) == 1000 + i)  // the sample's event numbers
            #expect(ev[1] == "U GEV MM")
            let ps = ev.filter { $0.hasPrefix("P ") }.map { $0.split(separator: " ").map(String.init) }
            let vs = ev.filter { $0.hasPrefix("V ") }.map { $0.split(separator: " ").map(String.init) }
            #expect(Int(head[2]) == vs.count && Int(head[3]) == ps.count)
            #expect(ps.count == 13 && vs.count == 5)  // hard process + A1, A2, B1, B2 decays
            // P id vertex pdg px py pz e m status: parents are the hard vertex -1, then one per decay.
            #expect(ps.map { Int($0[1])! } == Array(1...13))
            #expect(ps.map { Int($0[2])! } == [0, 0, -1, -1, -1, -2, -2, -3, -3, -4, -4, -5, -5])
            #expect(ps.map { Int($0[9])! } == [4, 4, 2, 2, 1, 1, 2, 1, 2, 1, 1, 1, 1])
            func momentum(_ id: Int) -> FourVector {
                let f = ps[id - 1].map { Double($0) ?? 0 }
                return FourVector(e: f[7], px: f[4], py: f[5], pz: f[6])
            }
            for v in vs {
                let id = Int(v[1])!
                let inner = v[3].dropFirst().dropLast().split(separator: ",").map { Int($0)! }
                let incoming = sum(inner.map(momentum))
                let outgoing = sum(ps.filter { Int($0[2]) == id }.map { momentum(Int($0[1])!) })
                #expect(close(incoming, outgoing, tol: 1e-8), "event \(i) vertex \(id)")
                // Incoming particles of a decay vertex have status 2 (decayed).
                if id != -1 { #expect(inner.allSatisfy { ps[$0 - 1][9] == "2" }) }
            }
        }
        // pyhepmc, when installed, reads the same events and vertices.
        let pyhepmc = try pythonOK("""
            import sys
            try:
                import pyhepmc
            except ImportError:
                print('missing'); sys.exit(0)
            n = nv = np_ = bad = 0
            with pyhepmc.open(sys.argv[1]) as f:
                for evt in f:
                    n += 1; nv += len(evt.vertices); np_ += len(evt.particles)
                    for v in evt.vertices:
                        for c in range(4):
                            a = sum(p.momentum[c] for p in v.particles_in)
                            b = sum(p.momentum[c] for p in v.particles_out)
                            bad += abs(a - b) > 1e-6 * max(1.0, abs(a))
            print(n, nv, np_, bad)
            """, [path]).trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(pyhepmc == "missing" || pyhepmc == "17 \(17 * 5) \(17 * 13) 0")
    }

    @Test func csvHasHeaderAndOneRowPerEvent() throws {
        let dir = try TempDir(); defer { dir.cleanup() }
        let s = ttbarSample(n: 19)
        let path = dir.path("tt.csv")
        try writeAll(s, path, info: .ttbarDilepton())
        #expect(try dir.contents() == ["tt.csv", "tt.csv.provenance.json"])
        let columns = CSVWriter.columns(of: s)
        #expect(Array(columns.prefix(5)) == ["a1_E", "a1_px", "a1_py", "a1_pz", "a2_E"])
        #expect(columns.contains("met_x") && columns.contains("met_y") && columns.contains("pairing") && columns.contains("event"))
        let p = try JSONDecoder().decode(Provenance.self, from: Data(contentsOf: URL(fileURLWithPath: CSVWriter.provenancePath(for: path))))
        #expect(p == s.provenance)
        let out = try pythonOK("""
        import sys, csv
        rows = list(csv.reader(open(sys.argv[1])))
        print(','.join(rows[0])); print(len(rows) - 1, len(set(len(r) for r in rows)))
        print(repr(sum(float(r[rows[0].index('b2_pz')]) for r in rows[1:])))
        """, [path]).split(separator: "\n").map(String.init)
        #expect(out[0] == columns.joined(separator: ","))
        #expect(out[1] == "19 1")
        let b2 = try s.fourVectors(Key.b2)
        let expected = (0..<19).reduce(0.0) { $0 + b2[4 * $1 + 3] }
        #expect(abs(Double(out[2])! - expected) <= 1e-9 * abs(expected))
        let pandas = try pythonOK("""
            import sys
            try:
                import pandas as pd
            except ImportError:
                print('missing'); sys.exit(0)
            d = pd.read_csv(sys.argv[1]); print(d.shape[0], d.shape[1], d['pairing'].dtype.kind)
            """, [path]).trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(pandas == "missing" || pandas == "19 \(columns.count) i")
    }

    @Test func textWritersNeedTruthAndCleanUpOnError() throws {
        // This test watches the temporary file, which only the named form (not O_TMPFILE) shows.
        AtomicFile.namedTemporariesOnly = true
        let dir = try TempDir(); defer { dir.cleanup() }
        var s = ttbarSample(n: 5)
        s[Key.trueB2] = nil
        for name in ["x.lhe", "x.hepmc3"] {
            let path = dir.path(name)
            #expect {
                _ = try EventFiles.writer(path: path, rows: 5, template: s, provenance: nil, truthInfo: .ttbarDilepton())
            } throws: { e in
                (e as? FormatError)?.kind == .invalidSample && "\(e)".contains("true_B2") && "\(e)".contains(path)
            }
            let full = ttbarSample(n: 5)
            let w = try EventFiles.writer(path: path, rows: 5, template: full, provenance: nil, truthInfo: .ttbarDilepton())
            try w.append(full.selecting([0, 1]))
            #expect(throws: FormatError.self) { try w.append(s) }
            #expect(try dir.contents().isEmpty)
        }
        let csv = dir.path("x.csv")
        let w = try EventFiles.writer(path: csv, rows: 5, template: ttbarSample(n: 5), provenance: ttbarSample(n: 1).provenance)
        #expect(try dir.contents().count == 1)  // the CSV temporary (the sidecar is made at finish)
        w.abort()
        #expect(try dir.contents().isEmpty)
    }

    /// The provenance given by `updateProvenance` before `finish()` (e.g. final efficiencies)
    /// is the one every format stores.
    @Test func updatedProvenanceIsStoredByEveryFormat() throws {
        let dir = try TempDir(); defer { dir.cleanup() }
        let s = ttbarSample(n: 6)
        var final = try #require(s.provenance)
        final.efficiency = 0.625
        final.generated = 96
        for name in ["u.npz", "u.lhe", "u.hepmc3", "u.csv"] {
            let path = dir.path(name)
            let w = try EventFiles.writer(path: path, rows: 6, template: s, provenance: s.provenance, truthInfo: .ttbarDilepton())
            try w.append(s)
            try w.updateProvenance(final)
            try w.finish()
            let stored: String
            switch name {
            case "u.npz": stored = try ProvenanceJSON.encode(try #require(NPZ.read(path: path).provenance), path: path)
            case "u.csv": stored = try String(contentsOfFile: CSVWriter.provenancePath(for: path), encoding: .utf8)
            default: stored = try String(contentsOfFile: path, encoding: .utf8)
            }
            #expect(stored.contains("\"efficiency\":0.625") && stored.contains("\"generated\":96"), "\(name)")
        }
        // Streaming with an update equals the one-shot file of the final provenance.
        var oneShot = s
        oneShot.provenance = final
        try NPZ.write(oneShot, to: dir.path("one.npz"))
        #expect(try fileBytes(dir.path("one.npz")) == fileBytes(dir.path("u.npz")))
        #expect(try dir.contents() == ["one.npz", "u.csv", "u.csv.provenance.json", "u.hepmc3", "u.lhe", "u.npz"])
    }
}
