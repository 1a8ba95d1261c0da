#if canImport(Glibc)
import Glibc
#endif
import Foundation

/// One-line texts for Foundation's file errors, whose default description is a multi-line
/// `NSCocoaErrorDomain` dump that names neither the operation nor, always, the file.
public enum FoundationErrorText {
    /// The reason of a Foundation file error in the operating system's words ("No space left
    /// on device", "Permission denied", ...), else the first line of its localized description.
    public static func reason(_ error: any Error) -> String {
        let ns = error as NSError
        if let underlying = ns.userInfo[NSUnderlyingErrorKey] as? NSError, underlying.domain == NSPOSIXErrorDomain {
            return String(cString: strerror(Int32(underlying.code)))
        }
        if ns.domain == NSPOSIXErrorDomain { return String(cString: strerror(Int32(ns.code))) }
        if ns.domain == NSCocoaErrorDomain {
            switch CocoaError.Code(rawValue: ns.code) {
            case .fileWriteOutOfSpace: return String(cString: strerror(ENOSPC))
            case .fileWriteNoPermission, .fileReadNoPermission: return String(cString: strerror(EACCES))
            case .fileNoSuchFile, .fileReadNoSuchFile: return String(cString: strerror(ENOENT))
            case .fileWriteFileExists: return String(cString: strerror(EEXIST))
            case .fileWriteVolumeReadOnly: return String(cString: strerror(EROFS))
            default: break
            }
        }
        return ns.localizedDescription.split(separator: "\n").first.map(String.init) ?? "unknown error"
    }

    /// "PATH: reason" for a Foundation (Cocoa or POSIX domain) error, taking the path from the
    /// error when it carries one; nil for every other error, which describes itself.
    public static func line(_ error: any Error, path: String? = nil) -> String? {
        let ns = error as NSError
        guard ns.domain == NSCocoaErrorDomain || ns.domain == NSPOSIXErrorDomain else { return nil }
        let file = path ?? (ns.userInfo[NSFilePathErrorKey] as? String) ?? (ns.userInfo[NSURLErrorKey] as? URL)?.path
        return file.map { "\($0): \(reason(error))" } ?? reason(error)
    }
}
