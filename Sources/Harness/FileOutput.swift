#if canImport(Glibc)
import Glibc
#endif
import Formats
import Foundation

/// File-system helpers shared by bench, sweep and report.
public enum FileOutput {
    /// Creates `path` as a directory (and its parents) unless it exists; throws when it is a file.
    public static func prepareDirectory(_ path: String) throws {
        var isDir: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDir) {
            guard isDir.boolValue else { throw HarnessError.reportIsFile(path) }
            return
        }
        do {
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        } catch {
            throw HarnessError.io(path: path, reason: "cannot create the directory: \(FoundationErrorText.reason(error))")
        }
    }

    /// Whether `path` is an existing directory.
    public static func isDirectory(_ path: String) -> Bool {
        var isDir: ObjCBool = false
        return FileManager.default.fileExists(atPath: path, isDirectory: &isDir) && isDir.boolValue
    }

    /// Writes `data` to a temporary file beside `path`, then renames it over `path`, so a reader
    /// (or a resumed sweep) never sees a truncated file under the final name.
    public static func writeAtomically(_ data: Data, to path: String) throws {
        let tmp = try stage(data, for: path)
        try publish(tmp, to: path)
    }

    /// Writes `data` to a temporary file beside `path` and returns its path; `publish` renames
    /// it into place, `unstage` removes it. Staging first lets outputs that belong together
    /// (an npz and its JSON) be written completely before either appears. Nothing is left
    /// behind when the write fails (a full disk, a directory without write permission).
    public static func stage(_ data: Data, for path: String) throws -> String {
        let tmp = path + ".tmp-\(getpid())"
        TemporaryFiles.register(tmp)
        do {
            try data.write(to: URL(fileURLWithPath: tmp))
        } catch {
            unstage(tmp)
            throw HarnessError.io(path: path, reason: "cannot write: \(FoundationErrorText.reason(error))")
        }
        return tmp
    }

    /// Renames a staged temporary file onto `path` (removing it when that fails).
    public static func publish(_ tmp: String, to path: String) throws {
        defer { TemporaryFiles.unregister(tmp) }
        guard rename(tmp, path) == 0 else {
            let why = String(cString: strerror(errno))
            unlink(tmp)
            throw HarnessError.io(path: path, reason: "cannot rename the temporary file into place: \(why)")
        }
    }

    /// Removes a staged temporary file that will not be published.
    public static func unstage(_ tmp: String) {
        unlink(tmp)
        TemporaryFiles.unregister(tmp)
    }

    /// `writeAtomically` for UTF-8 text.
    public static func writeAtomically(_ text: String, to path: String) throws {
        try writeAtomically(Data(text.utf8), to: path)
    }
}
