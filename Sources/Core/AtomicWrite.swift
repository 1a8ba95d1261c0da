#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// Whole-file writes that never leave a truncated file under the final name: the data go to a
/// temporary file beside the target (registered with `TemporaryFiles`, so SIGINT/SIGTERM/SIGHUP
/// remove it), which is then renamed onto the target. No fsync: the rename is atomic, not
/// durable. Streamed outputs too large to hold in memory use the Formats module's `AtomicFile`.
public enum AtomicWrite {
    /// Why a write failed. The temporary file is already removed.
    public struct Failure: Error, Sendable {
        /// What failed: writing the temporary file, or renaming it onto the target.
        public enum Step: Sendable {
            /// Writing the temporary file; `error` is Foundation's error.
            case write(error: any Error)
            /// Renaming it onto the target; `reason` is the system's words (strerror).
            case rename(reason: String)
        }
        /// The target.
        public let path: String
        /// The temporary file that was being written or renamed.
        public let temporary: String
        public let step: Step
    }

    /// The default temporary name for `path`: `PATH.tmp-PID`.
    public static func temporaryPath(for path: String) -> String { path + ".tmp-\(getpid())" }

    /// Writes `data` to `path` through a temporary file (`temporary`, by default
    /// `temporaryPath(for:)`).
    public static func write(_ data: Data, to path: String, temporary: String? = nil) throws(Failure) {
        let tmp = try stage(data, for: path, temporary: temporary)
        try publish(tmp, to: path)
    }

    /// Writes `data` to a temporary file beside `path` and returns its path; `publish` renames
    /// it into place, `unstage` removes it. Staging first lets outputs that belong together (an
    /// npz and its JSON) be written completely before either appears. Nothing is left behind
    /// when the write fails (a full disk, a directory without write permission).
    public static func stage(_ data: Data, for path: String, temporary: String? = nil) throws(Failure) -> String {
        let tmp = temporary ?? temporaryPath(for: path)
        TemporaryFiles.register(tmp)
        do {
            try data.write(to: URL(fileURLWithPath: tmp))
        } catch {
            unstage(tmp)  // a full disk leaves a partial file
            throw Failure(path: path, temporary: tmp, step: .write(error: error))
        }
        return tmp
    }

    /// Renames a staged temporary file onto `path` (removing it when that fails).
    public static func publish(_ tmp: String, to path: String) throws(Failure) {
        defer { TemporaryFiles.unregister(tmp) }
        guard rename(tmp, path) == 0 else {
            let why = String(cString: strerror(errno))
            unlink(tmp)
            throw Failure(path: path, temporary: tmp, step: .rename(reason: why))
        }
    }

    /// Removes a staged temporary file that will not be published.
    public static func unstage(_ tmp: String) {
        unlink(tmp)
        TemporaryFiles.unregister(tmp)
    }
}
