import Core
import Events

/// One .npy entry of an archive: its parsed header and access to its array bytes, read
/// straight from the file for stored entries or from memory for deflated ones.
struct NPYSource {
    let archive: ZipArchive
    let entry: ZipArchive.Entry
    let header: NPYHeader
    private let headerSize: Int
    private let fileOffset: UInt64
    private let memory: [UInt8]?

    private var path: String { archive.path }
    private var name: String { entry.name }

    init(archive: ZipArchive, entry: ZipArchive.Entry) throws(FormatError) {
        self.archive = archive
        self.entry = entry
        let path = archive.path
        switch entry.method {
        case 0:
            guard entry.compressedSize == entry.size else {
                throw FormatError(.badZip, path: path, "stored entry '\(entry.name)' has compressed size \(entry.compressedSize) != size \(entry.size)")
            }
            fileOffset = try archive.dataOffset(entry)
            memory = nil
        case 8:
            fileOffset = 0
            memory = try archive.inflated(entry)
        default:
            throw FormatError(.unsupportedCompression, path: path, "entry '\(entry.name)' uses zip compression method \(entry.method); only stored (0) and deflated (8) are supported")
        }
        let prefixLength = Int(min(UInt64(NPYHeader.prefixLength), entry.size))
        let prefix = try NPYSource.bytes(archive, memory, fileOffset, 0, prefixLength, entry.name)
        let size: Int
        switch NPYHeader.headerSize(prefix[...]) {
        case .success(let n): size = n
        case .failure(let p): throw FormatError(.badHeader, path: path, "entry '\(entry.name)': \(p.why)")
        }
        guard UInt64(size) <= entry.size else {
            throw FormatError(.truncated, path: path, "truncated entry '\(entry.name)': its .npy header needs \(size) bytes, the entry holds \(entry.size)")
        }
        headerSize = size
        let all = try NPYSource.bytes(archive, memory, fileOffset, 0, size, entry.name)
        switch NPYHeader.parse(all[...]) {
        case .success(let h): header = h
        case .failure(let p): throw FormatError(.badHeader, path: path, "entry '\(entry.name)': \(p.why)")
        }
        if header.elementCount == nil {
            throw FormatError(.badHeader, path: path, "entry '\(entry.name)': shape \(header.shapeRepr) is too large")
        }
        if header.fortranOrder {
            throw FormatError(.fortranOrder, path: path, "entry '\(entry.name)' is stored in Fortran order (fortran_order: True); only C order is supported")
        }
    }

    private static func bytes(_ archive: ZipArchive, _ memory: [UInt8]?, _ base: UInt64, _ offset: Int, _ count: Int,
                              _ name: String) throws(FormatError) -> [UInt8] {
        if let memory { return Array(memory[offset..<(offset + count)]) }
        return try archive.bytes(count: count, at: base + UInt64(offset), what: "entry '\(name)'")
    }

    /// Fills `buffer` with the `buffer.count` bytes after the header, then checks the CRC of the
    /// whole entry (reading any bytes beyond the array too).
    private func payload(into buffer: UnsafeMutableRawBufferPointer) throws(FormatError) {
        let available = entry.size - UInt64(headerSize)
        guard UInt64(buffer.count) <= available else {
            throw FormatError(.truncated, path: path, "truncated entry '\(name)': shape \(header.shapeRepr) of \(header.descr) needs \(buffer.count) bytes, the entry holds \(available)")
        }
        var crc: UInt32
        if let memory {
            memory.withUnsafeBytes { m in
                buffer.copyMemory(from: UnsafeRawBufferPointer(rebasing: m[headerSize..<(headerSize + buffer.count)]))
            }
            crc = memory.withUnsafeBytes { CRC32.update(0, $0) }
        } else {
            try archive.read(buffer, at: fileOffset + UInt64(headerSize), what: "entry '\(name)'")
            let head = try archive.bytes(count: headerSize, at: fileOffset, what: "entry '\(name)'")
            crc = CRC32.checksum(head)
            crc = CRC32.update(crc, UnsafeRawBufferPointer(buffer))
            let rest = Int(available) - buffer.count
            if rest > 0 {
                let tail = try archive.bytes(count: rest, at: fileOffset + UInt64(headerSize + buffer.count), what: "entry '\(name)'")
                crc = tail.withUnsafeBytes { CRC32.update(crc, $0) }
            }
        }
        guard crc == entry.crc else {
            throw FormatError(.checksum, path: path, "entry '\(name)' fails its CRC-32 check (stored \(hex(entry.crc)), computed \(hex(crc))): the file is corrupt")
        }
    }

    private func hex(_ v: UInt32) -> String { "0x" + String(v, radix: 16) }

    private func array<T: BitwiseCopyable>(_: T.Type, count: Int) throws(FormatError) -> [T] {
        // Check the size before allocating: a corrupt header must not ask for terabytes.
        let (bytes, overflow) = count.multipliedReportingOverflow(by: MemoryLayout<T>.stride)
        let available = entry.size - UInt64(headerSize)
        guard !overflow, UInt64(bytes) <= available else {
            throw FormatError(.truncated, path: path, "truncated entry '\(name)': shape \(header.shapeRepr) of \(header.descr) needs \(overflow ? "more than Int.max" : String(bytes)) bytes, the entry holds \(available)")
        }
        var result: Result<Void, FormatError> = .success(())
        let out = [T](unsafeUninitializedCapacity: count) { buf, initialized in
            do throws(FormatError) {
                try payload(into: UnsafeMutableRawBufferPointer(buf))
                initialized = count
            } catch {
                result = .failure(error)
                initialized = 0
            }
        }
        try result.get()
        return out
    }

    /// The entry as a sample column (float32 converted to float64).
    func column() throws(FormatError) -> Column {
        let n = header.elementCount ?? 0
        switch header.descr {
        case "<f8": return Column(shape: header.shape, data: .float64(try array(Double.self, count: n)))
        case "<f4": return Column(shape: header.shape, data: .float64(try array(Float.self, count: n).map(Double.init)))
        case "<i8": return Column(shape: header.shape, data: .int64(try array(Int64.self, count: n)))
        case "<i4": return Column(shape: header.shape, data: .int32(try array(Int32.self, count: n)))
        default:
            throw FormatError(.unsupportedDType, path: path, "entry '\(name)' has unsupported dtype '\(header.descr)' (supported: <f8, <f4, <i4, <i8)")
        }
    }

    /// The entry as a 0-d numpy unicode string (UTF-32LE, trailing NULs dropped).
    func string() throws(FormatError) -> String {
        guard header.descr.hasPrefix("<U"), let width = Int(header.descr.dropFirst(2)), header.shape.isEmpty else {
            throw FormatError(.unsupportedDType, path: path, "entry '\(name)' must be a 0-d unicode string, found dtype '\(header.descr)' shape \(header.shapeRepr)")
        }
        let units = try array(UInt32.self, count: width)
        var scalars = String.UnicodeScalarView()
        for u in units where u != 0 {
            guard let s = Unicode.Scalar(u) else {
                throw FormatError(.badHeader, path: path, "entry '\(name)' holds an invalid code point \(u)")
            }
            scalars.append(s)
        }
        return String(scalars)
    }
}
