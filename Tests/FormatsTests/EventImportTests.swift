import Events
import Formats
import Foundation
import Testing

/// The LHE and HepMC3 readers and the chain matcher on the checked-in files of
/// Tests/Fixtures/import (MadGraph5 + MadSpin, Pythia 8 and Whizard layouts; malformed files).
@Suite struct EventImportTests {
    static func fixture(_ name: String) -> String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Fixtures/import/\(name)").path
    }

    static let dilepton = ImportIDs(kind: .ttbarLike, A: [6], B: [24], C: [12, 14], a: [5], b: [11, 13])

    /// All events of a file.
    static func events(_ name: String) throws -> [GenEvent] {
        let reader = try GenEventFiles.reader(path: fixture(name))
        var all: [GenEvent] = [], e = GenEvent()
        while try reader.next(into: &e) { all.append(e) }
        return all
    }

    /// Matches every event: truth rows (nil when skipped) and skip reasons.
    static func match(_ events: [GenEvent], _ ids: ImportIDs, recoil: Bool = false)
        -> (rows: [[Double]?], skipped: [ImportSkipReason]) {
        let m = ChainMatcher(ids: ids, recoil: recoil)
        var rows: [[Double]?] = [], skipped: [ImportSkipReason] = []
        for e in events {
            var out = [Double](repeating: .nan, count: 4 * m.roles)
            let r = out.withUnsafeMutableBufferPointer { m.match(e, into: $0.baseAddress!) }
            if let r { skipped.append(r); rows.append(nil) } else { rows.append(out) }
        }
        return (rows, skipped)
    }

    /// Four-vector `role` of a truth row, and a particle's (E, px, py, pz).
    static func v(_ row: [Double], _ role: Int) -> [Double] { Array(row[4 * role..<4 * role + 4]) }
    static func v(_ p: GenParticle) -> [Double] { [p.e, p.px, p.py, p.pz] }

    @Test func madGraphMadSpinLayout() throws {
        let evs = try Self.events("madgraph_madspin.lhe")
        #expect(evs.count == 4)
        #expect(evs.map(\.weight) == [688.7, -688.7, 688.7, 688.7])
        #expect(evs[0].particles.count == 12 && evs[0].line == 40)
        let (rows, skipped) = Self.match(evs, Self.dilepton)
        // Event 2: W- -> d u~ (hadronic); event 3: W+ -> tau+ nu_tau, taus not listed.
        #expect(skipped == [.intermediateDecay, .intermediateDecay])
        let r0 = try #require(rows[0])
        let ps = evs[0].particles
        // Roles A1 A2 B1 B2 C1 C2 a1 a2 b1 b2 = record positions 3 4 5 7 10 12 6 8 9 11.
        for (role, position) in [(0, 3), (1, 4), (2, 5), (3, 7), (4, 10), (5, 12), (6, 6), (7, 8), (8, 9), (9, 11)] {
            #expect(Self.v(r0, role) == Self.v(ps[position - 1]), "role \(role)")
        }
        // Listing taus (and their neutrinos) imports event 3.
        var withTaus = Self.dilepton
        _ = withTaus.set(role: "b", ids: [11, 13, 15]); _ = withTaus.set(role: "C", ids: [12, 14, 16])
        #expect(Self.match(evs, withTaus).skipped == [.intermediateDecay])
        // With the card's muon-only ids event 0 (e+ from the t) is skipped too.
        let muons = ImportIDs(kind: .ttbarLike, A: [6], B: [24], C: [14], a: [5], b: [13])
        #expect(Self.match(evs, muons).skipped.count == 3)
    }

    @Test func gzippedLHEReadsLikeThePlainFile() throws {
        let plain = try Self.events("madgraph_madspin.lhe"), gz = try Self.events("madgraph_madspin.lhe.gz")
        #expect(plain.count == gz.count)
        for (a, b) in zip(plain, gz) { #expect(a.particles == b.particles && a.weight == b.weight) }
        // A gzip file cut short is an error, not fewer events.
        let dir = try TempDir(); defer { dir.cleanup() }
        let data = try Data(contentsOf: URL(fileURLWithPath: Self.fixture("madgraph_madspin.lhe.gz")))
        let cut = dir.path("cut.lhe.gz")
        try data.prefix(data.count / 2).write(to: URL(fileURLWithPath: cut))
        let reader = try GenEventFiles.reader(path: cut)
        var e = GenEvent()
        #expect(throws: EventImportError.self) { while try reader.next(into: &e) {} }
    }

    @Test func pythia8HepMC3Layout() throws {
        let evs = try Self.events("pythia8.hepmc3")
        #expect(evs.count == 2 && evs[0].particles.count == 35)
        let (rows, skipped) = Self.match(evs, Self.dilepton)
        #expect(skipped.isEmpty)
        let r0 = try #require(rows[0])
        let ps = evs[0].particles
        // The top's truth is its last copy (status 62, position 10), not the 22 or 44 copies.
        #expect(ps[9].status == 62 && Self.v(r0, 0) == Self.v(ps[9]))
        // The W is its last copy (62), the e+ the decay product (23), not the copy after its photon.
        #expect(ps[15].status == 62 && Self.v(r0, 2) == Self.v(ps[15]))
        #expect(ps[17].pdg == -11 && ps[17].status == 23 && Self.v(r0, 8) == Self.v(ps[17]))
        #expect(ps[11].pdg == 5 && Self.v(r0, 6) == Self.v(ps[11]))
        // Recoil: the final-state particles outside the chains (the beam remnants here, as the ISR
        // gluon hadronises in one string with the b quarks).
        let (withRecoil, _) = Self.match(evs, Self.dilepton, recoil: true)
        let isr = Self.v(try #require(withRecoil[0]), 10)
        #expect(abs(isr[1] - 0.1) < 1e-9 && abs(isr[2] - (-0.1)) < 1e-9)
    }

    @Test func whizardLayout() throws {
        let evs = try Self.events("whizard.lhe")
        #expect(evs.count == 2 && evs.allSatisfy { $0.weight == 1 })
        // The second event has no resonance history (no t, no W): skipped as missing its parents.
        let (rows, skipped) = Self.match(evs, Self.dilepton)
        #expect(skipped == [.missingParent])
        let r0 = try #require(rows[0])
        // A = a + B and B = b + C within the Fortran ES17.10 precision.
        for i in 0..<2 {
            for k in 0..<4 {
                #expect(abs(r0[4 * i + k] - r0[4 * (6 + i) + k] - r0[4 * (2 + i) + k]) < 1e-7)
                #expect(abs(r0[4 * (2 + i) + k] - r0[4 * (8 + i) + k] - r0[4 * (4 + i) + k]) < 1e-7)
            }
        }
    }

    @Test(arguments: [
        ("truncated.lhe", 64, "truncated event"),
        ("bad_xml.lhe", 58, "bad XML"),
        ("few_numbers.lhe", 45, "particle line needs"),
        ("truncated.hepmc3", 59, "truncated event"),
    ])
    func malformedFilesNameTheLine(file: String, line: Int, message: String) throws {
        let reader = try GenEventFiles.reader(path: Self.fixture(file))
        var e = GenEvent()
        do {
            while try reader.next(into: &e) {}
            Issue.record("\(file) was read without an error")
        } catch {
            #expect(error.line == line, "\(error)")
            #expect(error.description.contains(file) && error.description.contains(message), "\(error)")
        }
    }

    @Test func peersReadTheFixturesAlike() throws {
        // pylhe and pyhepmc, when installed, see the same events, particles, weights and parents:
        // the fixtures are valid files of their formats, not only of our readers.
        var ours: [String] = []
        for name in ["madgraph_madspin.lhe", "whizard.lhe", "pythia8.hepmc3"] {
            let evs = try Self.events(name)
            ours.append("\(name) \(evs.count) \(evs.map { String($0.particles.count) }.joined(separator: ",")) "
                        + evs.map { String($0.weight) }.joined(separator: ",") + " "
                        + String(evs.reduce(0) { $0 + $1.particles.reduce(0) { $0 + $1.mother1 } }))
        }
        let peers = try pythonOK("""
            import sys
            try:
                import pylhe, pyhepmc
            except ImportError:
                print('missing'); sys.exit(0)
            d = sys.argv[1]
            for name in ['madgraph_madspin.lhe', 'whizard.lhe']:
                evs = list(pylhe.LHEFile.fromfile(d + name).events)
                print(name, len(evs), ','.join(str(len(e.particles)) for e in evs),
                      ','.join(repr(float(e.eventinfo.weight)) for e in evs),
                      sum(int(p.mother1) for e in evs for p in e.particles))
            with pyhepmc.open(d + 'pythia8.hepmc3') as f:
                evs = [e for e in f]
            # Our mother1: the lowest incoming particle id of the production vertex (0: none).
            m = sum(min((q.id for q in p.production_vertex.particles_in), default=0) if p.production_vertex else 0
                    for e in evs for p in e.particles)
            print('pythia8.hepmc3', len(evs), ','.join(str(len(e.particles)) for e in evs),
                  ','.join(repr(float(e.weights[0])) for e in evs), m)
            """, [Self.fixture("") + "/"]).trimmingCharacters(in: .whitespacesAndNewlines)
        if peers != "missing" { #expect(peers == ours.joined(separator: "\n")) }
    }

    @Test func eventGroupsAreReadAsTheirEvents() throws {
        // POWHEG-BOX style NLO groups; "<event" must not match "<eventgroup".
        let text = try String(contentsOfFile: Self.fixture("whizard.lhe"), encoding: .utf8)
        let grouped = text.replacingOccurrences(of: "</init>\n", with: "</init>\n<eventgroup nreal=\"1\">\n")
            .replacingOccurrences(of: "</LesHouchesEvents>", with: "</eventgroup>\n</LesHouchesEvents>")
        let dir = try TempDir(); defer { dir.cleanup() }
        try grouped.write(toFile: dir.path("g.lhe"), atomically: true, encoding: .utf8)
        let reader = try GenEventFiles.reader(path: dir.path("g.lhe"))
        var e = GenEvent(), n = 0
        while try reader.next(into: &e) { n += 1 }
        #expect(n == 2)
    }

    @Test func notAnEventFile() throws {
        let dir = try TempDir(); defer { dir.cleanup() }
        try "hello\n".write(toFile: dir.path("x.lhe"), atomically: true, encoding: .utf8)
        try "HepMC::IO_GenEvent-START_EVENT_LISTING\n".write(toFile: dir.path("x.hepmc"), atomically: true, encoding: .utf8)
        for name in ["x.lhe", "x.hepmc"] {
            let reader = try GenEventFiles.reader(path: dir.path(name))
            var e = GenEvent()
            #expect(throws: EventImportError.self) { _ = try reader.next(into: &e) }
        }
        #expect(throws: EventImportError.self) { _ = try GenEventFiles.reader(path: dir.path("x.root")) }
    }

    @Test func antlerChains() throws {
        // D -> W+ W-, W -> l nu, written as our LHE writer lays it out (D = 35).
        let lhe = """
        <LesHouchesEvents version="3.0">
        <init>
        2212 2212 6500 6500 0 0 0 0 3 1
        1 0 1 1
        </init>
        <event>
        8 1 1 300 0.0078125 0.118
        21 -1 0 0 0 0 0 0 150 150 0 0 9
        21 -1 0 0 0 0 0 0 -150 150 0 0 9
        35 2 1 2 0 0 0 0 0 300 300 0 9
        24 2 3 3 0 0 0 0 100 160 124.9 0 9
        -24 2 3 3 0 0 0 0 -100 140 98 0 9
        -13 1 4 4 0 0 30 10 60 68 0 0 9
        14 1 4 4 0 0 -30 -10 40 92 0 0 9
        13 1 5 5 0 0 20 5 -50 54 0 0 9
        </event>
        </LesHouchesEvents>
        """
        let dir = try TempDir(); defer { dir.cleanup() }
        try lhe.write(toFile: dir.path("a.lhe"), atomically: true, encoding: .utf8)
        let reader = try GenEventFiles.reader(path: dir.path("a.lhe"))
        var e = GenEvent()
        #expect(try reader.next(into: &e))
        let ids = ImportIDs(kind: .antler, B: [24], C: [14], a: [13], D: [35])
        // The W- has no neutrino: its decay is not B -> a C.
        #expect(Self.match([e], ids).skipped == [.intermediateDecay])
        e.particles.append(GenParticle(pdg: -14, status: 1, mother1: 5, mother2: 5, px: -20, py: -5, pz: -50, e: 86))
        let (rows, skipped) = Self.match([e], ids)
        #expect(skipped.isEmpty)
        let r = try #require(rows[0])
        // Roles D B1 B2 C1 C2 a1 a2.
        #expect(Self.v(r, 0) == [300, 0, 0, 0] && Self.v(r, 5) == [68, 30, 10, 60] && Self.v(r, 4) == [86, -20, -5, -50])
        #expect(Self.match([e], ImportIDs(kind: .antler, B: [24], C: [14], a: [13], D: [25])).skipped == [.missingParent])
    }
}
