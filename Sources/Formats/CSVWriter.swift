import Events

/// Writes a sample as CSV: a header row, then one row per event, streaming and atomic.
///
/// Columns, in the sample's key order: a four-vector array `k` (N, 4) gives `k_E,k_px,k_py,k_pz`;
/// `met` (or any (N, 2) array) `k_x,k_y`; an (N,) array the column `k`; any other (N, m...)
/// array `k_0 ... k_{M-1}` over its flattened row. Floats are written in Swift's shortest
/// round-trip form, integers as integers. There are no comment lines (so `pandas.read_csv`
/// and `csv` read it as is): the provenance goes to the sidecar `PATH.provenance.json`,
/// written and renamed together with the CSV.
public final class CSVWriter: EventFileWriter {
    public var path: String { out.path }
    private let out: BufferedOutput
    private var provenance: Provenance?
    private let keys: [String]
    private let rowShapes: [[Int]]
    private var open = true

    /// The sidecar path holding the provenance of the CSV file at `path`.
    public static func provenancePath(for path: String) -> String { path + ".provenance.json" }

    /// Column names for the arrays of `template`.
    public static func columns(of template: Sample) -> [String] {
        var names: [String] = []
        for key in template.keys {
            guard let c = template[key] else { continue }
            let row = Array(c.shape.dropFirst())
            if row.isEmpty { names.append(key) }
            else if row == [4] { names += ["E", "px", "py", "pz"].map { "\(key)_\($0)" } }
            else if row == [2] { names += ["x", "y"].map { "\(key)_\($0)" } }
            else { names += (0..<row.reduce(1, *)).map { "\(key)_\($0)" } }
        }
        return names
    }

    /// - Parameters:
    ///   - template: defines the columns (its rows are not written); every array needs an event axis.
    public init(path: String, template: Sample, provenance: Provenance?) throws(FormatError) {
        for key in template.keys where template[key]!.shape.isEmpty {
            throw FormatError(.layoutMismatch, path: path, "array '\(key)' is 0-d; CSV rows need an event axis")
        }
        keys = template.keys
        rowShapes = template.keys.map { Array(template[$0]!.shape.dropFirst()) }
        if let provenance { _ = try ProvenanceJSON.encode(provenance, path: path) }
        self.provenance = provenance
        out = try BufferedOutput(path: path)
        do throws(FormatError) {
            try out.write(CSVWriter.columns(of: template).joined(separator: ",") + "\n")
        } catch {
            abort()
            throw error
        }
    }

    public func append(_ chunk: Sample) throws(FormatError) {
        guard open else { throw FormatError(.state, path: path, "append after the writer was finished or failed") }
        do throws(FormatError) {
            guard Set(chunk.keys) == Set(keys) else {
                let diff = Set(chunk.keys).symmetricDifference(keys).sorted()
                throw FormatError(.layoutMismatch, path: path, "chunk's arrays differ from the template's: \(diff.joined(separator: ", "))")
            }
            let n = chunk.count
            var columns: [Column] = []
            for (key, shape) in zip(keys, rowShapes) {
                let c = chunk[key]!
                guard !c.shape.isEmpty, Array(c.shape.dropFirst()) == shape, c.rows == n else {
                    throw FormatError(.layoutMismatch, path: path, "array '\(key)' has shape \(c.shape) in this chunk, rows of shape \(shape) expected (\(n) rows)")
                }
                columns.append(c)
            }
            for i in 0..<n {
                var line = ""
                for (j, c) in columns.enumerated() {
                    let w = max(1, rowShapes[j].reduce(1, *))
                    for k in (i * w)..<((i + 1) * w) {
                        if !line.isEmpty { line += "," }
                        switch c.data {
                        case .float64(let v): line += "\(v[k])"
                        case .int64(let v): line += "\(v[k])"
                        case .int32(let v): line += "\(v[k])"
                        }
                    }
                }
                try out.write(line + "\n")
            }
        } catch {
            abort()
            throw error
        }
    }

    public func finish() throws(FormatError) {
        guard open else { throw FormatError(.state, path: path, "finish after the writer was finished or failed") }
        open = false
        var sidecar: AtomicFile? = nil
        do throws(FormatError) {
            if let provenance {
                let json = try ProvenanceJSON.encode(provenance, path: path)
                sidecar = try AtomicFile(path: CSVWriter.provenancePath(for: path))
                try sidecar!.write(Array((json + "\n").utf8), at: 0)
            }
            try out.commit()
            try sidecar?.commit()
        } catch {
            out.discard()
            sidecar?.discard()
            throw error
        }
    }

    public func updateProvenance(_ provenance: Provenance?) throws(FormatError) {
        guard open else { throw FormatError(.state, path: path, "provenance update after the writer was finished or failed") }
        if let provenance { _ = try ProvenanceJSON.encode(provenance, path: path) }
        self.provenance = provenance
    }

    public func abort() {
        open = false
        out.discard()
    }
}
