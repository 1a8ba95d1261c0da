#if canImport(Glibc)
import Glibc
#endif
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
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    /// Whether `path` is an existing directory.
    public static func isDirectory(_ path: String) -> Bool {
        var isDir: ObjCBool = false
        return FileManager.default.fileExists(atPath: path, isDirectory: &isDir) && isDir.boolValue
    }

    /// Writes `data` to a temporary file beside `path`, then renames it over `path`, so a reader
    /// (or a resumed sweep) never sees a truncated file under the final name.
    public static func writeAtomically(_ data: Data, to path: String) throws {
        let tmp = path + ".tmp-\(getpid())"
        try data.write(to: URL(fileURLWithPath: tmp))
        guard rename(tmp, path) == 0 else {
            let why = String(cString: strerror(errno))
            try? FileManager.default.removeItem(atPath: tmp)
            throw HarnessError.badResults(file: path, reason: "cannot rename the temporary file into place: \(why)")
        }
    }

    /// `writeAtomically` for UTF-8 text.
    public static func writeAtomically(_ text: String, to path: String) throws {
        try writeAtomically(Data(text.utf8), to: path)
    }
}
