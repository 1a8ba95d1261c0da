#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Core

/// A file written out of sight and put in place under `path` by `commit()`; `discard()` (or
/// deinit without commit) drops it, so a failed or interrupted write never leaves a truncated
/// file under the requested name.
///
/// Where the file system allows (Linux, `O_TMPFILE`), the data go to an anonymous file in the
/// destination's directory: a process killed even by SIGKILL leaves nothing behind, the kernel
/// frees it. `commit()` links it in under a temporary name and renames that onto `path`.
/// Elsewhere the file is `.NAME.tmp-PID-XXXXXX` beside the destination: registered with
/// `TemporaryFiles` (removed on SIGINT/SIGTERM/SIGHUP), and a later writer of the same target
/// removes those whose process is gone. No fsync: the rename is atomic, not durable.
final class AtomicFile {
    let path: String
    /// The named temporary file; nil while the data sit in an anonymous file.
    private(set) var tempPath: String?
    private let dir: String
    private let name: String
    private var fd: Int32
    private var done = false

    init(path: String) throws(FormatError) {
        self.path = path
        let slash = path.lastIndex(of: "/")
        dir = slash.map { String(path[...$0]) } ?? ""
        name = slash.map { String(path[path.index(after: $0)...]) } ?? path
        guard !name.isEmpty else { throw FormatError(.io, path: path, "output path names a directory, not a file") }
        TemporaryFiles.removeStale(directory: dir, name: name)
        if let anonymous = AtomicFile.openAnonymous(directory: dir) {
            fd = anonymous
            tempPath = nil
        } else {
            let (fd, temp) = try AtomicFile.makeNamed(dir: dir, name: name, path: path)
            self.fd = fd
            tempPath = temp
        }
        _ = fchmod(fd, 0o644)
    }

    deinit { if !done { discard() } }

    /// Use the named temporaries everywhere (tests that watch the temporary file set it; the
    /// two forms are equally valid, so a test switching it affects no other test's outcome).
    nonisolated(unsafe) static var namedTemporariesOnly = false

    /// An anonymous file in `directory` (`O_TMPFILE`), or nil where the system or file system
    /// has none, or when `DEELEMA_NAMED_TEMPORARIES` is set (tests of the named fallback).
    private static func openAnonymous(directory: String) -> Int32? {
        #if os(Linux) && (arch(x86_64) || arch(arm64))
        guard getenv("DEELEMA_NAMED_TEMPORARIES") == nil, !namedTemporariesOnly else { return nil }
        // O_TMPFILE is a compound macro Swift does not import: __O_TMPFILE | O_DIRECTORY (generic Linux values).
        let oTmpfile: Int32 = 0o20000000 | O_DIRECTORY
        let fd = open(directory.isEmpty ? "." : directory, oTmpfile | O_RDWR | O_CLOEXEC, 0o644)
        return fd >= 0 ? fd : nil
        #else
        return nil
        #endif
    }

    /// A new empty file `.NAME.tmp-PID-XXXXXX` beside the target, registered with
    /// `TemporaryFiles` *before* it exists: a signal between creating and registering it would
    /// otherwise leave it behind (the name is chosen here and created with O_EXCL, a new name
    /// on the rare collision).
    private static func makeNamed(dir: String, name: String, path: String) throws(FormatError) -> (Int32, String) {
        for _ in 0..<100 {
            let candidate = dir + TemporaryFiles.prefix(name: name, pid: getpid()) + randomSuffix()
            TemporaryFiles.register(candidate)
            let fd = open(candidate, O_CREAT | O_EXCL | O_RDWR | O_CLOEXEC, 0o600)
            if fd >= 0 { return (fd, candidate) }
            let error = errno
            TemporaryFiles.unregister(candidate)
            guard error == EEXIST else {
                throw FormatError(.io, path: path, "cannot create a temporary file beside it: \(String(cString: strerror(error)))")
            }
        }
        throw FormatError(.io, path: path, "cannot create a temporary file beside it: 100 names taken")
    }

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

    /// Puts the file in place under `path` and closes it.
    func commit() throws(FormatError) {
        guard !done else { throw FormatError(.state, path: path, "file already finished") }
        done = true
        if tempPath == nil {
            // linkat cannot replace an existing file: link the anonymous file in under a
            // temporary name (with our pid, so a kill in between is cleaned up later), then rename.
            for _ in 0..<100 {
                let candidate = dir + TemporaryFiles.prefix(name: name, pid: getpid()) + AtomicFile.randomSuffix()
                TemporaryFiles.register(candidate)
                if linkat(AT_FDCWD, "/proc/self/fd/\(fd)", AT_FDCWD, candidate, AT_SYMLINK_FOLLOW) == 0 {
                    tempPath = candidate
                    break
                }
                let why = errno
                TemporaryFiles.unregister(candidate)
                if why != EEXIST {
                    close(fd); fd = -1
                    throw FormatError(.io, path: path, "cannot link the finished file in: \(String(cString: strerror(why)))")
                }
            }
            guard tempPath != nil else {
                close(fd); fd = -1
                throw FormatError(.io, path: path, "cannot link the finished file in: no free temporary name")
            }
        }
        let temp = tempPath!
        defer { TemporaryFiles.unregister(temp) }
        if close(fd) != 0 {
            let why = errnoText()
            unlink(temp)
            throw FormatError(.io, path: path, "close failed: \(why)")
        }
        fd = -1
        if rename(temp, path) != 0 {
            let why = errnoText()
            unlink(temp)
            throw FormatError(.io, path: path, "cannot rename the finished temporary file onto it: \(why)")
        }
    }

    /// Closes and removes the temporary file; the requested path is left untouched.
    func discard() {
        guard !done else { return }
        done = true
        close(fd)
        fd = -1
        if let temp = tempPath {
            unlink(temp)
            TemporaryFiles.unregister(temp)
        }
    }

    /// Six random characters for a temporary name.
    private static func randomSuffix() -> String {
        let alphabet = Array("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")
        return String((0..<6).map { _ in alphabet.randomElement()! })
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
