/// Streaming reader of HepMC3 ASCII files (the `Asciiv3` listing of HepMC3's `WriterAscii`,
/// as Pythia 8, Herwig, Whizard and our own writer produce; plain or gzipped). Per event: `E`
/// (number, vertex and particle counts), `U` (GEV or MEV; MeV are converted to GeV), `W` (the
/// first weight is kept), `P id parent pdg px py pz e m status` and `V id status [in,...]`.
/// A particle's parent is a vertex id (< 0; its mothers are the vertex's incoming particles),
/// a particle id (> 0; a vertex with that one incoming particle) or 0 (none). Attribute (`A`),
/// run-info (`T`, `N`) and other lines are skipped. HepMC2 (`IO_GenEvent`) is refused.
public final class HepMC3Reader: GenEventReader {
    private let source: TextLineSource
    private var started = false
    private var closed = false
    /// A line read ahead: the `E` line of the next event.
    private var pendingEventLine: Int?
    private var pendingHeader: (number: Int, particles: Int)?
    /// Incoming particles of the current event's vertices, by -id (index 0 unused).
    private var vertexIn: [[Int]] = []

    public init(path: String) throws(EventImportError) {
        source = try TextLineSource(path: path)
    }

    public var bytesRead: Int { source.bytesRead }
    public var fileSize: Int { source.fileSize }
    public var digest: String { source.digest }

    private func fail(_ detail: String, line: Int? = nil) -> EventImportError {
        EventImportError(path: source.path, line: line ?? source.lineNumber, detail)
    }

    private func parseEventLine(_ line: UnsafeBufferPointer<UInt8>) throws(EventImportError) -> (Int, Int) {
        var f = LineFields(line, from: 1)
        guard let number = f.int(), let _ = f.int(), let particles = f.int(), particles >= 0 else {
            throw fail("event line needs E number vertices particles, found '\(line.text.prefix(80))'")
        }
        return (number, particles)
    }

    public func next(into event: inout GenEvent) throws(EventImportError) -> Bool {
        // Find the next `E` line (or read it ahead already).
        while pendingHeader == nil {
            guard let line = try source.nextLine() else {
                if !started { throw fail("empty file: no HepMC::Version / Asciiv3 listing", line: 0) }
                if !closed { throw fail("file ends without HepMC::Asciiv3-END_EVENT_LISTING (truncated?)") }
                return false
            }
            if line.isBlank { continue }
            if !started {
                if line.startsAfterBlanks(with: "HepMC::Version") { continue }
                if line.startsAfterBlanks(with: "HepMC::Asciiv3-START_EVENT_LISTING") { started = true; continue }
                if line.startsAfterBlanks(with: "HepMC::IO_GenEvent") {
                    throw fail("HepMC2 (IO_GenEvent) format is not supported; convert to HepMC3 ASCII")
                }
                throw fail("not a HepMC3 ASCII file: expected HepMC::Asciiv3-START_EVENT_LISTING, found '\(line.text.prefix(60))'")
            }
            if closed { throw fail("text after HepMC::Asciiv3-END_EVENT_LISTING") }
            if line.startsAfterBlanks(with: "HepMC::Asciiv3-END_EVENT_LISTING") { closed = true; continue }
            if line.startsAfterBlanks(with: "E ") {
                pendingHeader = try parseEventLine(line)
                pendingEventLine = source.lineNumber
                break
            }
            if line.startsAfterBlanks(with: "P ") || line.startsAfterBlanks(with: "V ") {
                throw fail("particle or vertex line outside an event")
            }
        }
        let (number, count) = pendingHeader!
        let startLine = pendingEventLine!
        pendingHeader = nil
        event.particles.removeAll(keepingCapacity: true)
        event.number = number; event.weight = 1; event.line = startLine
        var unit = 1.0
        vertexIn.removeAll(keepingCapacity: true)
        vertexIn.append([])
        while let line = try source.nextLine() {
            guard let c = line.first(where: { $0 != 0x20 && $0 != 0x09 }) else { continue }
            switch c {
            case UInt8(ascii: "P"):
                var f = LineFields(line, from: line.firstIndex(of: c)! + 1)
                guard let id = f.int(), let parent = f.int(), let pdg = f.int(), let px = f.double(), let py = f.double(),
                      let pz = f.double(), let e = f.double(), f.double() != nil, let status = f.int() else {
                    throw fail("particle line needs P id parent pdg px py pz e m status (9 fields), found '\(line.text.prefix(100))'")
                }
                guard id == event.particles.count + 1 else {
                    throw fail("particle id \(id) out of order (expected \(event.particles.count + 1))")
                }
                var m1 = 0, m2 = 0
                if parent > 0 {
                    guard parent < id else { throw fail("particle \(id) has parent particle \(parent) not yet defined") }
                    m1 = parent; m2 = parent
                } else if parent < 0 {
                    guard -parent < vertexIn.count, !vertexIn[-parent].isEmpty else {
                        throw fail("particle \(id) comes from vertex \(parent), which is not defined before it")
                    }
                    let ins = vertexIn[-parent]
                    m1 = ins.min()!; m2 = ins.count > 1 ? ins.max()! : m1
                }
                event.particles.append(GenParticle(pdg: pdg, status: status, mother1: m1, mother2: m2,
                                                   px: px * unit, py: py * unit, pz: pz * unit, e: e * unit))
            case UInt8(ascii: "V"):
                var f = LineFields(line, from: line.firstIndex(of: c)! + 1)
                guard let id = f.int(), id < 0, f.int() != nil else {
                    throw fail("vertex line needs V id(<0) status [incoming,...], found '\(line.text.prefix(100))'")
                }
                f.skipBlanks()
                guard f.i < line.count, line[f.i] == UInt8(ascii: "[") else {
                    throw fail("vertex line needs a [incoming,...] list, found '\(line.text.prefix(100))'")
                }
                var ins: [Int] = []
                var v = 0, digits = 0, j = f.i + 1, closedList = false
                while j < line.count {
                    let b = line[j]
                    if b >= 0x30 && b <= 0x39 { v = v * 10 + Int(b - 0x30); digits += 1 }
                    else if b == UInt8(ascii: ",") || b == UInt8(ascii: "]") {
                        if digits > 0 { ins.append(v) }
                        v = 0; digits = 0
                        if b == UInt8(ascii: "]") { closedList = true; break }
                    } else if b != 0x20 { throw fail("bad vertex list in '\(line.text.prefix(100))'") }
                    j += 1
                }
                guard closedList, !ins.isEmpty, ins.allSatisfy({ $0 >= 1 && $0 <= event.particles.count }) else {
                    throw fail("vertex \(id): incoming list must name particles defined before it, found '\(line.text.prefix(100))'")
                }
                while vertexIn.count <= -id { vertexIn.append([]) }
                vertexIn[-id] = ins
            case UInt8(ascii: "W"):
                var f = LineFields(line, from: line.firstIndex(of: c)! + 1)
                if let w = f.double() { event.weight = w } else { throw fail("weight line without a number") }
            case UInt8(ascii: "U"):
                let t = line.text
                if t.contains("MEV") { unit = 1e-3 } else if !t.contains("GEV") { throw fail("unknown momentum unit in '\(t)'") }
            case UInt8(ascii: "E"):
                try finishEvent(event, count: count, startLine: startLine)
                pendingHeader = try parseEventLine(line)
                pendingEventLine = source.lineNumber
                return true
            default:
                if line.startsAfterBlanks(with: "HepMC::Asciiv3-END_EVENT_LISTING") {
                    try finishEvent(event, count: count, startLine: startLine)
                    closed = true
                    return true
                }
                if line.startsAfterBlanks(with: "HepMC::") { throw fail("unexpected '\(line.text.prefix(60))' inside an event") }
            }
        }
        throw fail("truncated event: file ends inside the event of line \(startLine)")
    }

    private func finishEvent(_ event: GenEvent, count: Int, startLine: Int) throws(EventImportError) {
        guard event.particles.count == count else {
            throw fail("truncated event: the event of line \(startLine) declares \(count) particles, \(event.particles.count) found")
        }
    }
}
