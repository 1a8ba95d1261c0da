/// Sequential, buffered writing of text into an `AtomicFile` (1 MiB buffer).
final class BufferedOutput {
    let file: AtomicFile
    private var buffer: [UInt8] = []
    private var offset: UInt64 = 0
    private let limit = 1 << 20

    init(path: String) throws(FormatError) {
        file = try AtomicFile(path: path)
        buffer.reserveCapacity(limit + 4096)
    }

    var path: String { file.path }

    /// Appends the UTF-8 bytes of `text`, flushing when the buffer is full.
    func write(_ text: String) throws(FormatError) {
        var t = text
        t.withUTF8 { buffer.append(contentsOf: $0) }
        if buffer.count >= limit { try flush() }
    }

    func flush() throws(FormatError) {
        try file.write(buffer, at: offset)
        offset += UInt64(buffer.count)
        buffer.removeAll(keepingCapacity: true)
    }

    /// Flushes and renames the file onto its final name.
    func commit() throws(FormatError) {
        do { try flush() } catch { file.discard(); throw error }
        try file.commit()
    }

    func discard() { file.discard() }

    /// Bytes written so far (flushed or buffered).
    var size: UInt64 { offset + UInt64(buffer.count) }
}

/// Text output whose header is known only at the end (it holds the final provenance): the
/// body goes to one temporary file; `commit(header:)` writes the header and copies the body
/// into a second temporary beside the target, renames that onto the target and removes the first.
final class DeferredHeaderOutput {
    private let body: BufferedOutput
    let path: String

    init(path: String) throws(FormatError) {
        self.path = path
        body = try BufferedOutput(path: path)
    }

    func write(_ text: String) throws(FormatError) { try body.write(text) }

    func commit(header: String) throws(FormatError) {
        do throws(FormatError) {
            try body.flush()
            let out = try AtomicFile(path: path)
            do throws(FormatError) {
                let head = Array(header.utf8)
                try out.write(head, at: 0)
                var buffer = [UInt8](repeating: 0, count: 1 << 22)
                var offset: UInt64 = 0
                let total = body.size
                while offset < total {
                    let n = Int(min(UInt64(buffer.count), total - offset))
                    try withMutableBytes(&buffer) { (b) throws(FormatError) in
                        let part = UnsafeMutableRawBufferPointer(rebasing: b[0..<n])
                        try body.file.read(part, at: offset)
                        try out.write(UnsafeRawBufferPointer(part), at: UInt64(head.count) + offset)
                    }
                    offset += UInt64(n)
                }
                try out.commit()
            } catch {
                out.discard()
                throw error
            }
        } catch {
            body.discard()
            throw error
        }
        body.discard()
    }

    func discard() { body.discard() }
}
