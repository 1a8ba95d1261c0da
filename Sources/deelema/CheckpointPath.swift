#if canImport(Glibc)
import Glibc
#endif
import Foundation

/// Checks that a checkpoint can be written before any training: an unwritable path used to
/// fail only after a whole epoch.
enum CheckpointPath {
    /// Creates and removes a probe file beside `path` (as the atomic checkpoint write does with
    /// its temporary); throws naming the path and the system's reason.
    static func checkWritable(_ path: String) throws {
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue {
            throw RunFailure(description: "--checkpoint \(path): is a directory; give a file path")
        }
        let folder = URL(fileURLWithPath: path).deletingLastPathComponent().path
        let probe = URL(fileURLWithPath: folder).appendingPathComponent(".deelema-probe-\(getpid())").path
        let fd = open(probe, O_WRONLY | O_CREAT | O_EXCL, 0o600)
        guard fd >= 0 else {
            let reason = String(cString: strerror(errno))
            throw RunFailure(description: "--checkpoint \(path): cannot write in \(folder) (\(reason)); nothing was trained")
        }
        close(fd)
        unlink(probe)
    }
}
