import Events

/// The part the truth-record text writers (`HepMC3Writer`, `LHEWriter`) share: the template's
/// record layout, the provenance kept until `finish`, the body streamed to a
/// `DeferredHeaderOutput`, and the open / finished-or-failed state. Each writer supplies only
/// its format: the text of a chunk's events, the header and the closing line.
final class TruthRecordStream {
    let info: TruthRecordInfo
    private(set) var provenance: Provenance?
    private let template: TruthRecord
    private let out: DeferredHeaderOutput
    private var open = true

    var path: String { out.path }

    /// Checks that `template` has the truth arrays and `provenance` encodes, then opens the
    /// temporary body file beside `path`.
    init(path: String, template: Sample, info: TruthRecordInfo, provenance: Provenance?) throws(FormatError) {
        self.template = try TruthRecord(sample: template, info: info, path: path)
        self.info = info
        if let provenance { _ = try ProvenanceJSON.encode(provenance, path: path) }
        self.provenance = provenance
        out = try DeferredHeaderOutput(path: path)
    }

    /// Replaces the provenance written at `finish` (checked to encode now).
    func updateProvenance(_ provenance: Provenance?) throws(FormatError) {
        guard open else { throw FormatError(.state, path: path, "provenance update after the writer was finished or failed") }
        if let provenance { _ = try ProvenanceJSON.encode(provenance, path: path) }
        self.provenance = provenance
    }

    /// Builds the record of `chunk`, checks its layout against the template's and hands it to
    /// `writeEvents`, which writes the chunk's events with `write`. Any error aborts the stream.
    func append(_ chunk: Sample, _ writeEvents: (TruthRecord) throws(FormatError) -> Void) throws(FormatError) {
        guard open else { throw FormatError(.state, path: path, "append after the writer was finished or failed") }
        do throws(FormatError) {
            let record = try TruthRecord(sample: chunk, info: info, path: path)
            guard record.matches(template) else {
                throw FormatError(.layoutMismatch, path: path, "chunk's truth record (topology or ISR) differs from the template's")
            }
            try writeEvents(record)
        } catch {
            abort()
            throw error
        }
    }

    /// Appends `text` to the body.
    func write(_ text: String) throws(FormatError) { try out.write(text) }

    /// Writes `footer` after the body, then the file `header()` followed by the body to `path`.
    func finish(footer: String, header: () throws(FormatError) -> String) throws(FormatError) {
        guard open else { throw FormatError(.state, path: path, "finish after the writer was finished or failed") }
        open = false
        do throws(FormatError) {
            try out.write(footer)
            try out.commit(header: try header())
        } catch {
            out.discard()
            throw error
        }
    }

    /// Removes the temporary body; later calls are refused.
    func abort() {
        open = false
        out.discard()
    }
}
