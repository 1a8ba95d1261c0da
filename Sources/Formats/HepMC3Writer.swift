import Events

/// Writes the truth record as HepMC3 ASCII (`HepMC::Asciiv3`), streaming and atomic.
///
/// Run information before the first event: a `T` tool line (deelema, version) and the run
/// attribute `A deelema_provenance <JSON>`. Per event: `E number vertices particles`,
/// `U GEV MM`, then every vertex explicitly as `V -k 0 [in,...]` followed by the particles
/// it produces as `P id vertex pdg px py pz e m status`. The incoming partons have no
/// production vertex and status 4 (the beams of this parton-level record); decayed
/// particles (A, B, D) have status 2, final ones 1. Vertex -1 is the hard process, then one
/// vertex per decaying particle in record order. The event number is the sample's `event`
/// array when present, else the running row index.
public final class HepMC3Writer: EventFileWriter {
    public var path: String { stream.path }
    private let stream: TruthRecordStream
    private var rowsWritten = 0

    /// - Parameters:
    ///   - template: a chunk of the sample (defines topology and whether `true_isr` is present);
    ///     its rows are not written.
    public init(path: String, template: Sample, info: TruthRecordInfo, provenance: Provenance?) throws(FormatError) {
        stream = try TruthRecordStream(path: path, template: template, info: info, provenance: provenance)
    }

    /// Version and listing lines, then the run information (tool, provenance attribute).
    private func header() throws(FormatError) -> String {
        var head = "HepMC::Version 3.02.06\nHepMC::Asciiv3-START_EVENT_LISTING\n"
        head += "T deelema\\|\(ToolInfo.version)\\|mass-estimation testbed truth record\n"
        if let provenance = stream.provenance {
            head += "A deelema_provenance \(escape(try ProvenanceJSON.encode(provenance, path: path)))\n"
        }
        return head
    }

    public func updateProvenance(_ provenance: Provenance?) throws(FormatError) {
        try stream.updateProvenance(provenance)
    }

    /// HepMC3 attribute escaping: backslash doubled, newline as `\|`.
    private func escape(_ s: String) -> String {
        var r = ""
        for c in s {
            switch c {
            case "\\": r += "\\\\"
            case "\n": r += "\\|"
            default: r.append(c)
            }
        }
        return r
    }

    public func append(_ chunk: Sample) throws(FormatError) {
        try stream.append(chunk) { (record) throws(FormatError) in
            let numbers = chunk[Key.event]?.integers
            for i in 0..<chunk.count {
                let ps = record.event(i)
                // Vertex of each decaying particle: -1 the hard process (mothers 1, 2), then in order.
                var vertexOf = [Int](repeating: 0, count: ps.count + 1)
                var vertices = 1
                for (k, p) in ps.enumerated() where p.status == 2 {
                    vertices += 1
                    vertexOf[k + 1] = -vertices
                }
                let number = numbers.map { Int($0[i]) } ?? (rowsWritten + i)
                var text = "E \(number) \(vertices) \(ps.count)\nU GEV MM\n"
                func particleLine(_ k: Int, _ vertex: Int) {
                    let p = ps[k]
                    text += "P \(k + 1) \(vertex) \(p.pdg) \(p.p.px) \(p.p.py) \(p.p.pz) \(p.p.e) \(p.mass) \(p.status == -1 ? 4 : p.status)\n"
                }
                for k in ps.indices where ps[k].status == -1 { particleLine(k, 0) }
                let incoming = ps.indices.filter { ps[$0].status == -1 }.map { String($0 + 1) }.joined(separator: ",")
                text += "V -1 0 [\(incoming)]\n"
                for k in ps.indices where ps[k].status != -1 && ps[k].mother1 == 1 && ps[k].mother2 == 2 { particleLine(k, -1) }
                for m in ps.indices where ps[m].status == 2 {
                    text += "V \(vertexOf[m + 1]) 0 [\(m + 1)]\n"
                    for k in ps.indices where ps[k].mother1 == m + 1 { particleLine(k, vertexOf[m + 1]) }
                }
                try stream.write(text)
            }
            rowsWritten += chunk.count
        }
    }

    public func finish() throws(FormatError) {
        try stream.finish(footer: "HepMC::Asciiv3-END_EVENT_LISTING\n\n", header: header)
    }

    public func abort() { stream.abort() }
}
