#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A file written under a temporary name `.NAME.tmp-XXXXXX` in the destination's
/// directory and renamed onto `path` by `commit()`; `discard()` (or deinit without
/// commit) removes it, so a failed or interrupted write never leaves a truncated file
/// under the requested name. No fsync: the rename is atomic, not durable.
final class AtomicFile {
    let path: String
    let tempPath: String
    private var fd: Int32
    private var done = false

    init(path: String) throws(FormatError) {
        self.path = path
        let slash = path.lastIndex(of: "/")
        let dir = slash.map { String(path[...$0]) } ?? ""
        let name = slash.map { String(path[path.index(after: $0)...]) } ?? path
        guard !name.isEmpty else { throw FormatError(.io, path: path, "output path names a directory, not a file") }
        var template = Array("\(dir).\(name).tmp-XXXXXX".utf8CString)
        let fd = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard fd >= 0 else {
            throw FormatError(.io, path: path, "cannot create a temporary file beside it: \(errnoText())")
        }
        self.fd = fd
        self.tempPath = template.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
        _ = fchmod(fd, 0o644)
    }

    deinit { if !done { discard() } }

    /// Writes all of `bytes` at `offset`.
    func write(_ bytes: UnsafeRawBufferPointer, at offset: UInt64) throws(FormatError) {
        try positional.write(bytes, at: offset)
    }

    /// Reads exactly `buffer.count` bytes at `offset` back from the file.
    func read(_ buffer: UnsafeMutableRawBufferPointer, at offset: UInt64) throws(FormatError) {
        var got = 0
        while got < buffer.count {
            let n = pread(fd, buffer.baseAddress! + got, buffer.count - got, off_t(offset) + off_t(got))
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else { throw FormatError(.io, path: path, "cannot read back the temporary file: \(n < 0 ? errnoText() : "short read")") }
            got += n
        }
    }

    /// A sendable handle for concurrent writes at disjoint offsets (valid until commit/discard).
    var positional: PositionalWriter { PositionalWriter(fd: fd, path: path) }

    func write(_ bytes: [UInt8], at offset: UInt64) throws(FormatError) {
        try withBytes(bytes) { (b) throws(FormatError) in try write(b, at: offset) }
    }

    /// Closes the file and renames it onto `path`.
    func commit() throws(FormatError) {
        guard !done else { throw FormatError(.state, path: path, "file already finished") }
        done = true
        if close(fd) != 0 {
            let why = errnoText()
            unlink(tempPath)
            throw FormatError(.io, path: path, "close failed: \(why)")
        }
        fd = -1
        if rename(tempPath, path) != 0 {
            let why = errnoText()
            unlink(tempPath)
            throw FormatError(.io, path: path, "cannot rename the finished temporary file onto it: \(why)")
        }
    }

    /// Closes and removes the temporary file; the requested path is left untouched.
    func discard() {
        guard !done else { return }
        done = true
        close(fd)
        fd = -1
        unlink(tempPath)
    }
}

func errnoText() -> String { String(cString: strerror(errno)) }

/// `Array.withUnsafeBytes` with a typed-throwing body (the standard one rethrows untyped).
func withBytes<T, R>(_ array: [T], _ body: (UnsafeRawBufferPointer) throws(FormatError) -> R) throws(FormatError) -> R {
    try array.withUnsafeBytes { b in Result { () throws(FormatError) -> R in try body(b) } }.get()
}

/// `Array.withUnsafeMutableBytes` with a typed-throwing body.
func withMutableBytes<T, R>(_ array: inout [T], _ body: (UnsafeMutableRawBufferPointer) throws(FormatError) -> R) throws(FormatError) -> R {
    try array.withUnsafeMutableBytes { b in Result { () throws(FormatError) -> R in try body(b) } }.get()
}

/// `pwrite` on an open descriptor; safe to use from several threads at disjoint offsets.
struct PositionalWriter: Sendable {
    let fd: Int32
    let path: String

    /// Writes all of `bytes` at `offset`.
    func write(_ bytes: UnsafeRawBufferPointer, at offset: UInt64) throws(FormatError) {
        var written = 0
        while written < bytes.count {
            let n = pwrite(fd, bytes.baseAddress! + written, bytes.count - written, off_t(offset) + off_t(written))
            if n < 0 {
                if errno == EINTR { continue }
                throw FormatError(.io, path: path, "write failed: \(errnoText())")
            }
            written += n
        }
    }
}
