/// Streaming reader of Les Houches Event files (hep-ph/0609017, LHEF 3.0; plain or gzipped as
/// MadGraph writes them). Reads the `<event>` blocks: the line NUP IDPRUP XWGTUP SCALUP
/// AQEDUP AQCDUP, then NUP particle lines IDUP ISTUP MOTHUP1 MOTHUP2 ICOLUP1 ICOLUP2 PX PY PZ
/// E M [VTIMUP SPINUP]. Whatever follows the particles inside an event (`#` comments,
/// `<mgrwt>`, `<rwgt>`, `<weights>`, ...) and the whole header are skipped; only the tag
/// structure the events depend on is checked (`<LesHouchesEvents>` first, `<event>` and
/// `</event>` paired, `</LesHouchesEvents>` last), so a truncated file is an error rather than
/// a shorter sample. Event groups (`<eventgroup>`, POWHEG-BOX NLO counter-events) are read as
/// their member events.
public final class LHEReader: GenEventReader {
    private let source: TextLineSource
    private var ordinal = 0
    private var started = false
    private var closed = false

    public init(path: String) throws(EventImportError) {
        source = try TextLineSource(path: path)
    }

    public var bytesRead: Int { source.bytesRead }
    public var fileSize: Int { source.fileSize }
    public var digest: String { source.digest }

    private func fail(_ detail: String, line: Int? = nil) -> EventImportError {
        EventImportError(path: source.path, line: line ?? source.lineNumber, detail)
    }

    public func next(into event: inout GenEvent) throws(EventImportError) -> Bool {
        while let line = try source.nextLine() {
            if !started {
                if line.isBlank || line.startsAfterBlanks(with: "<?xml") { continue }
                guard line.startsWithTag("<LesHouchesEvents") else {
                    throw fail("not a Les Houches Event file: expected <LesHouchesEvents ...>, found '\(line.text.prefix(60))'")
                }
                started = true
                continue
            }
            if closed {
                if line.isBlank { continue }
                throw fail("text after </LesHouchesEvents>")
            }
            if line.startsWithTag("<event") {
                try readEvent(into: &event, startLine: source.lineNumber)
                return true
            }
            if line.startsWithTag("</event") { throw fail("bad XML: </event> without <event>") }
            if line.startsWithTag("</LesHouchesEvents") { closed = true; continue }
        }
        if !started { throw fail("empty file: no <LesHouchesEvents> tag", line: 0) }
        if !closed { throw fail("file ends without </LesHouchesEvents> (truncated?)", line: source.lineNumber) }
        return false
    }

    /// The event block after its `<event>` line, up to and including `</event>`.
    private func readEvent(into event: inout GenEvent, startLine: Int) throws(EventImportError) {
        guard let head = try source.nextLine() else { throw fail("truncated event: file ends after <event> of line \(startLine)") }
        var f = LineFields(head)
        guard let nup = f.int(), let _ = f.int(), let weight = f.double() else {
            throw fail("event header needs NUP IDPRUP XWGTUP SCALUP AQEDUP AQCDUP (6 numbers), found '\(head.text.prefix(80))'")
        }
        guard f.double() != nil, f.double() != nil, f.double() != nil else {
            throw fail("event header needs 6 numbers (NUP IDPRUP XWGTUP SCALUP AQEDUP AQCDUP), found '\(head.text.prefix(80))'")
        }
        guard nup >= 0, nup < 100_000 else { throw fail("implausible particle count NUP = \(nup)") }
        event.particles.removeAll(keepingCapacity: true)
        event.weight = weight
        event.number = ordinal
        event.line = startLine
        ordinal += 1
        for k in 0..<nup {
            guard let line = try source.nextLine() else {
                throw fail("truncated event: file ends after \(k) of \(nup) particles (event of line \(startLine))")
            }
            if line.startsAfterBlanks(with: "<") || line.startsAfterBlanks(with: "#") {
                throw fail("truncated event: '\(line.text.prefix(40))' after \(k) of \(nup) particle lines (event of line \(startLine))")
            }
            var p = LineFields(line)
            guard let id = p.int(), let status = p.int(), let m1 = p.int(), let m2 = p.int(),
                  p.int() != nil, p.int() != nil,
                  let px = p.double(), let py = p.double(), let pz = p.double(), let e = p.double(), p.double() != nil
            else {
                throw fail("particle line needs IDUP ISTUP MOTHUP1 MOTHUP2 ICOLUP1 ICOLUP2 PX PY PZ E M (11+ numbers), found '\(line.text.prefix(100))'")
            }
            guard m1 >= 0, m2 >= 0, m1 <= nup, m2 <= nup else {
                throw fail("mother index out of range 0...\(nup): \(m1) \(m2)")
            }
            event.particles.append(GenParticle(pdg: id, status: status, mother1: m1, mother2: m2, px: px, py: py, pz: pz, e: e))
        }
        while let line = try source.nextLine() {
            if line.startsWithTag("</event") { return }
            if line.startsWithTag("<event") || line.startsWithTag("</LesHouchesEvents") {
                throw fail("bad XML: event of line \(startLine) not closed by </event>")
            }
        }
        throw fail("truncated event: file ends inside the event of line \(startLine)")
    }
}
