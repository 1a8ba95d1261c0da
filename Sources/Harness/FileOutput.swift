import Core
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
    /// it into place, `unstage` removes it (`AtomicWrite`, with the harness's error).
    public static func stage(_ data: Data, for path: String) throws -> String {
        do throws(AtomicWrite.Failure) { return try AtomicWrite.stage(data, for: path) } catch { throw harnessError(error) }
    }

    /// Renames a staged temporary file onto `path` (removing it when that fails).
    public static func publish(_ tmp: String, to path: String) throws {
        do throws(AtomicWrite.Failure) { try AtomicWrite.publish(tmp, to: path) } catch { throw harnessError(error) }
    }

    /// Removes a staged temporary file that will not be published.
    public static func unstage(_ tmp: String) { AtomicWrite.unstage(tmp) }

    private static func harnessError(_ failure: AtomicWrite.Failure) -> HarnessError {
        switch failure.step {
        case .write(let error):
            HarnessError.io(path: failure.path, reason: "cannot write: \(FoundationErrorText.reason(error))")
        case .rename(let why):
            HarnessError.io(path: failure.path, reason: "cannot rename the temporary file into place: \(why)")
        }
    }

    /// `writeAtomically` for UTF-8 text.
    public static func writeAtomically(_ text: String, to path: String) throws {
        try writeAtomically(Data(text.utf8), to: path)
    }
}
