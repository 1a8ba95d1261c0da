import Core
import Events

/// Writes an npz file (a STORED zip of .npy arrays, loadable by `numpy.load`) chunk by chunk
/// with memory independent of the number of rows.
///
/// The total row count is known up front, so every array's entry (local header, .npy header
/// and data region) is laid out at a fixed offset when the writer is made; each chunk is
/// written into its regions with `pwrite` while a running CRC-32 per entry is kept; `finish()`
/// patches the CRCs into the local headers, writes the central directory and renames the file
/// into place. ZIP64 fields are used for any entry or offset of 4 GiB or more.
///
/// The bytes depend only on the data and the provenance (fixed DOS timestamp, no clock):
/// writing the same rows in any chunking gives the same file. Entries appear in the template's
/// key order, then `provenance` (a 0-d `<U{n}` numpy string holding `ProvenanceJSON`).
public final class NPZStreamWriter: EventFileWriter {
    public let path: String
    /// Rows (events) the file will hold; `finish()` fails unless exactly this many were appended.
    public let rows: Int

    private struct Slot {
        var key: String
        var rowShape: [Int]
        var dtype: String
        var rowBytes: Int
        var header: [UInt8]
        var entry: StoredEntry
        /// The value of a 0-d array (written at finish); nil for arrays with an event axis.
        var scalar: ColumnData?
    }

    private enum State { case open, finished, failed }

    private let file: AtomicFile
    private var slots: [Slot] = []
    private var provenance: Provenance?
    private var written = 0
    private var state = State.open
    private let threshold: UInt64
    /// End of the last array entry: the provenance entry and the directory follow at finish.
    private let dataEnd: UInt64

    /// Prepares `path` for `rows` events laid out like `template`.
    ///
    /// - Parameters:
    ///   - template: defines the keys, row shapes and dtypes; its rows are NOT written
    ///     (append it as the first chunk if it holds data). A 0-d array (e.g. a fitted mass)
    ///     is written once with the template's value, replaced by any chunk that carries it.
    ///   - provenance: stored as the `provenance` entry when given (written at `finish()`,
    ///     replaceable with `updateProvenance`).
    ///   - zip64Threshold: sizes/offsets at or above this use ZIP64 fields (default: the zip
    ///     limit 0xFFFFFFFF); lower it only to exercise ZIP64 in tests.
    public init(path: String, rows: Int, template: Sample, provenance: Provenance?,
                zip64Threshold: UInt64 = 0xFFFF_FFFF) throws(FormatError) {
        self.path = path
        self.rows = rows
        self.threshold = min(zip64Threshold, Zip.zip64Limit)
        guard rows >= 0 else { throw FormatError(.layoutMismatch, path: path, "negative row count \(rows)") }
        if let provenance { _ = try ProvenanceJSON.encode(provenance, path: path) }
        self.provenance = provenance
        var plan: [Slot] = []
        var offset: UInt64 = 0
        for key in template.keys {
            guard let column = template[key] else { continue }
            guard key != Key.provenance else {
                throw FormatError(.layoutMismatch, path: path, "array name 'provenance' is reserved for the provenance record")
            }
            let scalar = column.shape.isEmpty
            let rowShape = Array(column.shape.dropFirst())
            let itemSize = column.data.dtype.hasSuffix("4") ? 4 : 8
            let rowBytes = rowShape.reduce(1, *) * itemSize
            let header = NPYHeader(descr: column.data.dtype, fortranOrder: false,
                                   shape: scalar ? [] : [rows] + rowShape).encoded()
            let size = UInt64(header.count) + (scalar ? UInt64(itemSize) : UInt64(rows) * UInt64(rowBytes))
            var entry = StoredEntry(name: key + ".npy", headerOffset: offset, size: size, threshold: threshold)
            entry.crc = CRC32.checksum(header)
            plan.append(Slot(key: key, rowShape: rowShape, dtype: column.data.dtype, rowBytes: rowBytes,
                             header: header, entry: entry, scalar: scalar ? column.data : nil))
            offset = entry.dataOffset + size
        }
        dataEnd = offset
        file = try AtomicFile(path: path)
        slots = plan
        do throws(FormatError) {
            for slot in plan {
                try file.write(slot.entry.localHeader() + slot.header, at: slot.entry.headerOffset)
            }
        } catch {
            fail()
            throw error
        }
    }

    /// .npy header and UTF-32LE payload of a 0-d numpy unicode array holding `text`.
    static func stringArray(_ text: String) -> (header: [UInt8], payload: [UInt8]) {
        let scalars = Array(text.unicodeScalars)
        let n = max(1, scalars.count)
        var payload = [UInt8](repeating: 0, count: 4 * n)
        for (i, s) in scalars.enumerated() {
            for k in 0..<4 { payload[4 * i + k] = UInt8((s.value >> (8 * UInt32(k))) & 0xFF) }
        }
        return (NPYHeader(descr: "<U\(n)", fortranOrder: false, shape: []).encoded(), payload)
    }

    /// Writes the next rows. Keys, row shapes and dtypes must match the template; on any
    /// error the temporary file is removed and the writer cannot be used further.
    public func append(_ chunk: Sample) throws(FormatError) {
        guard state == .open else { throw FormatError(.state, path: path, "append after the writer was finished or failed") }
        do throws(FormatError) {
            try write(chunk)
        } catch {
            fail()
            throw error
        }
    }

    private func write(_ chunk: Sample) throws(FormatError) {
        let expected = Set(slots.map(\.key))
        for key in chunk.keys where !expected.contains(key) {
            throw FormatError(.layoutMismatch, path: path, "chunk has array '\(key)' that the template does not")
        }
        let firstRows = slots.first { $0.scalar == nil }
        let n = firstRows.flatMap { chunk[$0.key]?.rows } ?? 0
        var scalars: [(Int, ColumnData)] = []
        for (i, slot) in slots.enumerated() {
            guard let c = chunk[slot.key] else {
                if slot.scalar != nil { continue }
                throw FormatError(.layoutMismatch, path: path, "chunk lacks array '\(slot.key)'")
            }
            guard c.data.dtype == slot.dtype else {
                throw FormatError(.layoutMismatch, path: path, "array '\(slot.key)' has dtype \(c.data.dtype) in this chunk, \(slot.dtype) in the template")
            }
            if slot.scalar != nil {
                guard c.shape.isEmpty else {
                    throw FormatError(.layoutMismatch, path: path, "array '\(slot.key)' is 0-d in the template but has shape \(c.shape) in this chunk")
                }
                scalars.append((i, c.data))
                continue
            }
            guard !c.shape.isEmpty, Array(c.shape.dropFirst()) == slot.rowShape else {
                throw FormatError(.layoutMismatch, path: path, "array '\(slot.key)' has shape \(c.shape) in this chunk, rows of shape \(slot.rowShape) in the template")
            }
            guard c.rows == n else {
                throw FormatError(.layoutMismatch, path: path, "array '\(slot.key)' has \(c.rows) rows in this chunk, '\(firstRows!.key)' has \(n)")
            }
        }
        guard written + n <= rows else {
            throw FormatError(.layoutMismatch, path: path, "chunk of \(n) rows overflows the declared \(rows) rows (\(written) already written)")
        }
        for (i, value) in scalars { slots[i].scalar = value }
        let rowSlots = slots.indices.filter { slots[$0].scalar == nil }
        // Arrays are independent: write and checksum them in parallel (one writer per index).
        let jobs = rowSlots.map { k in
            let slot = slots[k]
            return (data: chunk[slot.key]!.data, crc: slot.entry.crc,
                    at: slot.entry.dataOffset + UInt64(slot.header.count) + UInt64(written) * UInt64(slot.rowBytes))
        }
        let crcOut = SharedOutput<UInt32>(repeating: 0, count: jobs.count)
        let errorOut = SharedOutput<FormatError?>(repeating: nil, count: jobs.count)
        let file = self.file.positional
        ParallelLoop.forEach(jobs.count) { i in
            let job = jobs[i]
            let body = { (b: UnsafeRawBufferPointer) -> Void in
                do throws(FormatError) { try file.write(b, at: job.at) } catch { errorOut[i] = error; return }
                crcOut[i] = CRC32.update(job.crc, b)
            }
            switch job.data {
            case .float64(let v): v.withUnsafeBytes(body)
            case .int64(let v): v.withUnsafeBytes(body)
            case .int32(let v): v.withUnsafeBytes(body)
            }
        }
        let crcs = crcOut.array, errors = errorOut.array
        if let error = errors.compactMap({ $0 }).first { throw error }
        for (j, k) in rowSlots.enumerated() { slots[k].entry.crc = crcs[j] }
        written += n
    }

    /// Replaces the provenance written at `finish()` (e.g. with the final efficiencies).
    public func updateProvenance(_ provenance: Provenance?) throws(FormatError) {
        guard state == .open else { throw FormatError(.state, path: path, "provenance update after the writer was finished or failed") }
        if let provenance { _ = try ProvenanceJSON.encode(provenance, path: path) }
        self.provenance = provenance
    }

    /// Patches the CRCs, writes the provenance entry and the central directory and renames the file into place.
    public func finish() throws(FormatError) {
        guard state == .open else { throw FormatError(.state, path: path, "finish after the writer was finished or failed") }
        do throws(FormatError) {
            guard written == rows else {
                throw FormatError(.state, path: path, "only \(written) of the declared \(rows) rows were appended")
            }
            for i in slots.indices {
                guard let value = slots[i].scalar else { continue }
                let bytes: [UInt8]
                switch value {
                case .float64(let v): bytes = v.withUnsafeBytes { Array($0) }
                case .int64(let v): bytes = v.withUnsafeBytes { Array($0) }
                case .int32(let v): bytes = v.withUnsafeBytes { Array($0) }
                }
                try file.write(bytes, at: slots[i].entry.dataOffset + UInt64(slots[i].header.count))
                slots[i].entry.crc = CRC32.checksum(slots[i].header + bytes)
            }
            var entries = slots.map(\.entry)
            var directoryOffset = dataEnd
            if let provenance {
                let p = NPZStreamWriter.stringArray(try ProvenanceJSON.encode(provenance, path: path))
                var entry = StoredEntry(name: Key.provenance + ".npy", headerOffset: dataEnd,
                                        size: UInt64(p.header.count + p.payload.count), threshold: threshold)
                entry.crc = CRC32.checksum(p.header + p.payload)
                try file.write(entry.localHeader() + p.header + p.payload, at: entry.headerOffset)
                entries.append(entry)
                directoryOffset = entry.dataOffset + entry.size
            }
            var directory: [UInt8] = []
            for e in entries {
                var w = ByteWriter()
                w.u32(e.crc)
                try file.write(w.bytes, at: e.crcOffset)
                directory += e.centralHeader()
            }
            let forced = entries.contains { $0.zip64Size || $0.zip64Offset }
            directory += zipEndRecords(count: entries.count, size: UInt64(directory.count), offset: directoryOffset,
                                       threshold: threshold, forceZip64: forced)
            try file.write(directory, at: directoryOffset)
            try file.commit()
            state = .finished
        } catch {
            fail()
            throw error
        }
    }

    /// Removes the temporary file; nothing appears under `path`.
    public func abort() { fail() }

    private func fail() {
        if state != .finished { state = .failed }
        file.discard()
    }
}
