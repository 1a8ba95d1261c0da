#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import CZlib

/// Read access to a zip archive: the central directory (ZIP64 included) and the bytes of
/// stored (method 0) or deflated (method 8) entries. Immutable once opened, so entries may
/// be read from several threads at once (positional reads).
final class ZipArchive: Sendable {
    struct Entry: Sendable {
        var name: String
        var method: Int
        var crc: UInt32
        var compressedSize: UInt64
        var size: UInt64
        var headerOffset: UInt64
    }

    let path: String
    let entries: [Entry]
    private let fd: Int32
    private let fileSize: UInt64

    init(path: String) throws(FormatError) {
        self.path = path
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { throw FormatError(.io, path: path, "cannot open: \(errnoText())") }
        var st = stat()
        guard fstat(fd, &st) == 0 else {
            let why = errnoText()
            close(fd)
            throw FormatError(.io, path: path, "cannot stat: \(why)")
        }
        self.fd = fd
        fileSize = UInt64(st.st_size)
        do throws(FormatError) {
            entries = try ZipArchive.directory(fd: fd, fileSize: fileSize, path: path)
        } catch {
            close(fd)
            throw error
        }
    }

    deinit { close(fd) }

    /// Reads exactly `buffer.count` bytes at `offset`; a short read is a truncated file.
    private static func read(fd: Int32, _ buffer: UnsafeMutableRawBufferPointer, at offset: UInt64,
                             path: String, what: String) throws(FormatError) {
        var got = 0
        while got < buffer.count {
            let n = pread(fd, buffer.baseAddress! + got, buffer.count - got, off_t(offset) + off_t(got))
            if n < 0 {
                if errno == EINTR { continue }
                throw FormatError(.io, path: path, "read failed in \(what): \(errnoText())")
            }
            if n == 0 { throw FormatError(.truncated, path: path, "file ends inside \(what)") }
            got += n
        }
    }

    private static func bytes(fd: Int32, count: Int, at offset: UInt64, path: String, what: String) throws(FormatError) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: count)
        try withMutableBytes(&out) { (b) throws(FormatError) in try read(fd: fd, b, at: offset, path: path, what: what) }
        return out
    }

    func read(_ buffer: UnsafeMutableRawBufferPointer, at offset: UInt64, what: String) throws(FormatError) {
        try ZipArchive.read(fd: fd, buffer, at: offset, path: path, what: what)
    }

    func bytes(count: Int, at offset: UInt64, what: String) throws(FormatError) -> [UInt8] {
        try ZipArchive.bytes(fd: fd, count: count, at: offset, path: path, what: what)
    }

    /// Locates the end records and parses every central-directory entry.
    private static func directory(fd: Int32, fileSize: UInt64, path: String) throws(FormatError) -> [Entry] {
        guard fileSize >= UInt64(Zip.endSize) else {
            throw FormatError(.badZip, path: path, "not a zip file (only \(fileSize) bytes)")
        }
        let tailLength = Int(min(fileSize, UInt64(Zip.endSize + 0xFFFF)))
        let tailStart = fileSize - UInt64(tailLength)
        let tail = try bytes(fd: fd, count: tailLength, at: tailStart, path: path, what: "the end of the file")
        var eocd: Int? = nil
        var i = tailLength - Zip.endSize
        while i >= 0 {
            if tail.u32(i) == Zip.endSignature, i + Zip.endSize + tail.u16(i + 20) <= tailLength { eocd = i; break }
            i -= 1
        }
        guard let e = eocd else {
            throw FormatError(.badZip, path: path, "not a zip file (no end-of-central-directory record)")
        }
        var count = UInt64(tail.u16(e + 10))
        var cdSize = UInt64(tail.u32(e + 12))
        var cdOffset = UInt64(tail.u32(e + 16))
        let locatorAt = e - Zip.end64LocatorSize
        if locatorAt >= 0, tail.u32(locatorAt) == Zip.end64LocatorSignature {
            let end64Offset = tail.u64(locatorAt + 8)
            guard end64Offset + UInt64(Zip.end64Size) <= fileSize else {
                throw FormatError(.badZip, path: path, "ZIP64 end record offset \(end64Offset) lies beyond the file")
            }
            let r = try bytes(fd: fd, count: Zip.end64Size, at: end64Offset, path: path, what: "the ZIP64 end record")
            guard r.u32(0) == Zip.end64Signature else {
                throw FormatError(.badZip, path: path, "bad ZIP64 end-of-central-directory signature")
            }
            count = r.u64(32); cdSize = r.u64(40); cdOffset = r.u64(48)
        }
        guard cdOffset + cdSize <= fileSize, cdSize < (1 << 40) else {
            throw FormatError(.badZip, path: path, "central directory (\(cdSize) bytes at \(cdOffset)) lies beyond the end of the \(fileSize)-byte file")
        }
        let cd = try bytes(fd: fd, count: Int(cdSize), at: cdOffset, path: path, what: "the central directory")
        var out: [Entry] = []
        var p = 0
        for k in 0..<count {
            guard p + Zip.centralHeaderSize <= cd.count, cd.u32(p) == Zip.centralSignature else {
                throw FormatError(.badZip, path: path, "central directory entry \(k) is damaged")
            }
            let nameLength = cd.u16(p + 28), extraLength = cd.u16(p + 30), commentLength = cd.u16(p + 32)
            let end = p + Zip.centralHeaderSize + nameLength + extraLength + commentLength
            guard end <= cd.count else { throw FormatError(.badZip, path: path, "central directory entry \(k) overruns the directory") }
            let name = String(decoding: cd[(p + 46)..<(p + 46 + nameLength)], as: UTF8.self)
            var entry = Entry(name: name, method: cd.u16(p + 10), crc: cd.u32(p + 16),
                              compressedSize: UInt64(cd.u32(p + 20)), size: UInt64(cd.u32(p + 24)),
                              headerOffset: UInt64(cd.u32(p + 42)))
            // ZIP64 extended information: only the fields saturated in the fixed header, in order.
            var x = p + 46 + nameLength
            let xEnd = x + extraLength
            while x + 4 <= xEnd {
                let tag = cd.u16(x), length = cd.u16(x + 2)
                guard x + 4 + length <= xEnd else { break }
                if tag == Zip.zip64ExtraTag {
                    var f = x + 4
                    func next() throws(FormatError) -> UInt64 {
                        guard f + 8 <= x + 4 + length else {
                            throw FormatError(.badZip, path: path, "ZIP64 extra field of '\(name)' is too short")
                        }
                        defer { f += 8 }
                        return cd.u64(f)
                    }
                    if entry.size == Zip.zip64Limit { entry.size = try next() }
                    if entry.compressedSize == Zip.zip64Limit { entry.compressedSize = try next() }
                    if entry.headerOffset == Zip.zip64Limit { entry.headerOffset = try next() }
                }
                x += 4 + length
            }
            out.append(entry)
            p = end
        }
        return out
    }

    /// Offset of the entry's (possibly compressed) data, from its local header.
    func dataOffset(_ entry: Entry) throws(FormatError) -> UInt64 {
        guard entry.headerOffset + UInt64(Zip.localHeaderSize) <= fileSize else {
            throw FormatError(.truncated, path: path, "entry '\(entry.name)': local header lies beyond the end of the file")
        }
        let h = try bytes(count: Zip.localHeaderSize, at: entry.headerOffset, what: "the local header of '\(entry.name)'")
        guard h.u32(0) == Zip.localSignature else {
            throw FormatError(.badZip, path: path, "entry '\(entry.name)': bad local header signature")
        }
        if h.u16(6) & 1 != 0 { throw FormatError(.badZip, path: path, "entry '\(entry.name)' is encrypted") }
        let start = entry.headerOffset + UInt64(Zip.localHeaderSize + h.u16(26) + h.u16(28))
        guard start + entry.compressedSize <= fileSize else {
            throw FormatError(.truncated, path: path, "truncated entry '\(entry.name)': \(entry.compressedSize) bytes at \(start) run past the end of the \(fileSize)-byte file")
        }
        return start
    }

    /// The decompressed bytes of a deflated entry, checked against its size.
    func inflated(_ entry: Entry) throws(FormatError) -> [UInt8] {
        let start = try dataOffset(entry)
        guard entry.compressedSize < (1 << 40), entry.size < (1 << 40) else {
            throw FormatError(.badZip, path: path, "entry '\(entry.name)' declares an implausible size")
        }
        var input = try bytes(count: Int(entry.compressedSize), at: start, what: "entry '\(entry.name)'")
        var output = [UInt8](repeating: 0, count: Int(entry.size))
        var stream = z_stream()
        guard deelema_inflate_init_raw(&stream) == Z_OK else {
            throw FormatError(.io, path: path, "zlib could not start inflating '\(entry.name)'")
        }
        defer { inflateEnd(&stream) }
        var status: Int32 = Z_OK
        var produced = 0
        input.withUnsafeMutableBufferPointer { inp in
            output.withUnsafeMutableBufferPointer { out in
                stream.next_in = inp.baseAddress
                stream.next_out = out.baseAddress
                var inLeft = inp.count, outLeft = out.count
                repeat {
                    let inStep = min(inLeft, Int(UInt32.max)), outStep = min(outLeft, Int(UInt32.max))
                    stream.avail_in = UInt32(inStep)
                    stream.avail_out = UInt32(outStep)
                    status = inflate(&stream, Z_NO_FLUSH)
                    inLeft -= inStep - Int(stream.avail_in)
                    outLeft -= outStep - Int(stream.avail_out)
                } while status == Z_OK && (inLeft > 0 || outLeft > 0) && (stream.avail_in == 0 || stream.avail_out == 0)
                produced = out.count - outLeft
            }
        }
        guard status == Z_STREAM_END || (status == Z_OK && produced == output.count) else {
            if status == Z_BUF_ERROR || status == Z_OK {
                throw FormatError(.truncated, path: path, "truncated entry '\(entry.name)': deflate stream ends early (\(produced) of \(entry.size) bytes)")
            }
            throw FormatError(.badZip, path: path, "entry '\(entry.name)' is not valid deflate data (zlib status \(status))")
        }
        guard produced == output.count else {
            throw FormatError(.truncated, path: path, "truncated entry '\(entry.name)': inflates to \(produced) bytes, directory says \(entry.size)")
        }
        return output
    }
}
