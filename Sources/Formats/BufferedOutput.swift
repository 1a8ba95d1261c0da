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
}
