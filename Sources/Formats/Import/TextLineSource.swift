#if canImport(Glibc)
import Glibc
#endif
import CZlib

/// Lines of a text file, plain or gzipped (detected from the gzip magic bytes), read in
/// 1 MiB blocks: memory stays flat whatever the file size. Keeps the line number and an
/// FNV-1a 64 digest of the raw bytes (the same hash the cards' digests use), so the importer
/// can name the exact source file in the provenance without a second pass.
final class TextLineSource {
    let path: String
    private(set) var lineNumber = 0
    private(set) var bytesRead = 0
    let fileSize: Int
    private let fd: Int32
    private let rawCapacity = 1 << 20
    private let raw: UnsafeMutablePointer<UInt8>
    /// Decoded text: lines are taken from lo..<hi; one spare byte past hi for a sentinel.
    private var text: UnsafeMutablePointer<UInt8>
    private var capacity = 1 << 21
    private var lo = 0, hi = 0
    private var rawEOF = false
    private var hash: UInt64 = 0xcbf2_9ce4_8422_2325
    /// The inflate state when gzipped; heap-allocated because zlib keeps a pointer to it.
    private var stream: UnsafeMutablePointer<z_stream>?
    private var streamEnded = false

    init(path: String) throws(EventImportError) {
        self.path = path
        fd = open(path, O_RDONLY)
        guard fd >= 0 else {
            throw EventImportError(path: path, line: 0, "cannot open: \(String(cString: strerror(errno)))")
        }
        var st = stat()
        fileSize = fstat(fd, &st) == 0 ? Int(st.st_size) : 0
        raw = .allocate(capacity: rawCapacity)
        text = .allocate(capacity: capacity + 1)
    }

    deinit {
        if let stream { inflateEnd(stream); stream.deallocate() }
        close(fd)
        raw.deallocate(); text.deallocate()
    }

    /// FNV-1a 64 of the raw bytes read so far, 16 hex digits.
    var digest: String {
        let hex = String(hash, radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }

    /// Reads the next raw block into `raw`; returns its length (0 at end of file).
    private func readRaw() throws(EventImportError) -> Int {
        guard !rawEOF else { return 0 }
        var n = 0
        repeat { n = read(fd, raw, rawCapacity) } while n < 0 && errno == EINTR
        guard n >= 0 else { throw EventImportError(path: path, line: lineNumber, "read failed: \(String(cString: strerror(errno)))") }
        if n == 0 { rawEOF = true; return 0 }
        var h = hash
        for i in 0..<n { h = (h ^ UInt64(raw[i])) &* 0x0000_0100_0000_01B3 }
        hash = h
        bytesRead += n
        return n
    }

    /// Appends more decoded text after `hi` (the buffer has room); false at the end of input.
    private func fill() throws(EventImportError) -> Bool {
        if stream == nil && bytesRead == 0 {
            let n = try readRaw()
            if n == 0 { return false }
            if n >= 2 && raw[0] == 0x1f && raw[1] == 0x8b {
                let s = UnsafeMutablePointer<z_stream>.allocate(capacity: 1)
                s.initialize(to: z_stream())
                // 15 + 16: a gzip wrapper (inflateInit2 is a macro Swift cannot call).
                guard inflateInit2_(s, 15 + 16, zlibVersion(), Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
                    s.deallocate()
                    throw EventImportError(path: path, line: 0, "zlib initialisation failed")
                }
                s.pointee.next_in = raw; s.pointee.avail_in = UInt32(n)
                stream = s
            } else {
                (text + hi).update(from: raw, count: n)
                hi += n
                return true
            }
        }
        guard let stream else {
            let room = capacity - hi
            var n = 0
            if room >= rawCapacity { n = try readRaw(); (text + hi).update(from: raw, count: n) } else {
                // Rare: less room than a raw block; read straight into the text buffer.
                repeat { n = read(fd, text + hi, room) } while n < 0 && errno == EINTR
                guard n >= 0 else { throw EventImportError(path: path, line: lineNumber, "read failed") }
                var h = hash
                for i in 0..<n { h = (h ^ UInt64(text[hi + i])) &* 0x0000_0100_0000_01B3 }
                hash = h; bytesRead += n
            }
            hi += n
            return n > 0
        }
        while true {
            if stream.pointee.avail_in == 0 {
                let n = try readRaw()
                if n == 0 {
                    if streamEnded { return false }
                    throw EventImportError(path: path, line: lineNumber + 1, "gzip stream ends early (truncated .gz file)")
                }
                stream.pointee.next_in = raw; stream.pointee.avail_in = UInt32(n)
            }
            if streamEnded {
                // Another gzip member follows (concatenated .gz files).
                inflateReset(stream)
                streamEnded = false
            }
            stream.pointee.next_out = text + hi
            stream.pointee.avail_out = UInt32(capacity - hi)
            let before = hi
            let rc = inflate(stream, Z_NO_FLUSH)
            hi = capacity - Int(stream.pointee.avail_out)
            if rc == Z_STREAM_END { streamEnded = true }
            else if rc != Z_OK && rc != Z_BUF_ERROR {
                throw EventImportError(path: path, line: lineNumber + 1, "corrupt gzip data (zlib error \(rc))")
            }
            if hi > before { return true }
        }
    }

    /// The next line without its line end (valid until the next call); nil at the end of the
    /// file. The byte after the line is always a newline, so `strtod` stops there.
    func nextLine() throws(EventImportError) -> UnsafeBufferPointer<UInt8>? {
        var searchFrom = lo
        while true {
            if hi > searchFrom, let nl = memchr(text + searchFrom, 0x0a, hi - searchFrom) {
                let end = text.distance(to: nl.assumingMemoryBound(to: UInt8.self))
                let start = lo
                lo = end + 1
                lineNumber += 1
                var last = end
                if last > start && text[last - 1] == 0x0d { last -= 1 }
                return UnsafeBufferPointer(start: text + start, count: last - start)
            }
            // No full line buffered: move the partial line to the front, grow if it fills the buffer.
            if lo > 0 {
                let n = hi - lo
                if n > 0 { text.update(from: text + lo, count: n) }
                lo = 0; hi = n
            }
            if hi == capacity {
                let bigger = UnsafeMutablePointer<UInt8>.allocate(capacity: 2 * capacity + 1)
                bigger.update(from: text, count: hi)
                text.deallocate(); text = bigger; capacity *= 2
            }
            searchFrom = hi
            if try !fill() {
                guard hi > lo else { return nil }
                // Last line without a newline: add the sentinel in the spare byte.
                text[hi] = 0x0a
                let start = lo
                lo = hi
                lineNumber += 1
                var last = hi
                if last > start && text[last - 1] == 0x0d { last -= 1 }
                return UnsafeBufferPointer(start: text + start, count: last - start)
            }
        }
    }
}

/// Whitespace-separated numbers of one line. Never reads past the line: fields are only
/// parsed after a non-blank byte has been found inside it.
struct LineFields {
    let line: UnsafeBufferPointer<UInt8>
    var i = 0

    init(_ line: UnsafeBufferPointer<UInt8>, from start: Int = 0) { self.line = line; i = start }

    @inline(__always)
    mutating func skipBlanks() {
        while i < line.count && (line[i] == 0x20 || line[i] == 0x09) { i += 1 }
    }

    var atEnd: Bool { mutating get { skipBlanks(); return i >= line.count } }

    /// The next field as an integer (optional sign, digits; a float form such as "3.0" or
    /// "1e0" is accepted when integral).
    @inline(__always)
    mutating func int() -> Int? {
        skipBlanks()
        guard i < line.count else { return nil }
        var j = i, negative = false
        if line[j] == 0x2d || line[j] == 0x2b { negative = line[j] == 0x2d; j += 1 }
        var v = 0, digits = 0
        while j < line.count, line[j] >= 0x30, line[j] <= 0x39 { v = v &* 10 &+ Int(line[j] &- 0x30); j += 1; digits += 1 }
        if digits > 0 && digits < 19 && (j == line.count || line[j] == 0x20 || line[j] == 0x09) {
            i = j
            return negative ? -v : v
        }
        guard let d = double(), d == d.rounded(), abs(d) < 9e18 else { return nil }
        return Int(d)
    }

    /// The next field as a double (`strtod`: decimal, exponent, inf/nan forms).
    @inline(__always)
    mutating func double() -> Double? {
        skipBlanks()
        guard i < line.count else { return nil }
        let start = UnsafeRawPointer(line.baseAddress! + i).assumingMemoryBound(to: CChar.self)
        var end: UnsafeMutablePointer<CChar>? = nil
        let v = strtod(start, &end)
        guard let end else { return nil }
        let used = UnsafeRawPointer(end) - UnsafeRawPointer(start)
        // The field must end at a blank or the line end.
        guard used > 0, i + used <= line.count,
              i + used == line.count || line[i + used] == 0x20 || line[i + used] == 0x09 else { return nil }
        i += used
        return v
    }
}

extension UnsafeBufferPointer where Element == UInt8 {
    /// Whether the line, after leading blanks, starts with `prefix` (ASCII).
    func startsAfterBlanks(with prefix: StaticString) -> Bool {
        var i = 0
        while i < count && (self[i] == 0x20 || self[i] == 0x09) { i += 1 }
        let n = prefix.utf8CodeUnitCount
        guard count - i >= n else { return false }
        let p = prefix.utf8Start
        for k in 0..<n where self[i + k] != p[k] { return false }
        return true
    }

    /// Whether the line, after leading blanks, starts with the XML tag `prefix` (e.g. "<event"):
    /// the name must end there (">", "/", a blank or the line end), so "<event" does not match
    /// "<eventgroup>".
    func startsWithTag(_ prefix: StaticString) -> Bool {
        guard startsAfterBlanks(with: prefix) else { return false }
        var i = 0
        while i < count && (self[i] == 0x20 || self[i] == 0x09) { i += 1 }
        let j = i + prefix.utf8CodeUnitCount
        return j == count || self[j] == UInt8(ascii: ">") || self[j] == UInt8(ascii: "/") || self[j] == 0x20 || self[j] == 0x09
    }

    /// Whether the line holds only blanks.
    var isBlank: Bool { allSatisfy { $0 == 0x20 || $0 == 0x09 } }

    var text: String { String(decoding: self, as: UTF8.self) }
}
