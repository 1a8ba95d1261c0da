import Events

/// Why a file could not be read or written. Every error names the file (and the array,
/// entry or event where that applies) in its description.
public struct FormatError: Error, CustomStringConvertible, Equatable {
    /// The class of problem, for callers and tests that branch on it.
    public enum Kind: String, Sendable, Equatable {
        /// The operating system refused an operation (open, write, rename, ...).
        case io
        /// The file is not a zip archive, or its zip structure is damaged.
        case badZip
        /// A zip entry is not a valid .npy array (bad magic or header).
        case badHeader
        /// The .npy dtype is not one the reader handles.
        case unsupportedDType
        /// The array is stored in Fortran order.
        case fortranOrder
        /// An entry holds fewer bytes than its header or directory promises.
        case truncated
        /// The stored CRC-32 does not match the data.
        case checksum
        /// A zip compression method other than stored (0) or deflated (8).
        case unsupportedCompression
        /// The arrays do not form a valid sample (missing key, wrong shape, NaN/Inf ...).
        case invalidSample
        /// A chunk given to a streaming writer does not match the writer's layout.
        case layoutMismatch
        /// The output extension names no supported format.
        case unsupportedFormat
        /// The writer was used after `finish()`/`abort()`, or finished with rows missing.
        case state
    }

    public var kind: Kind
    /// The file concerned.
    public var path: String
    /// What is wrong, naming the entry/key/event.
    public var detail: String

    public init(_ kind: Kind, path: String, _ detail: String) {
        self.kind = kind; self.path = path; self.detail = detail
    }

    public var description: String { "\(path): \(detail)" }

    /// Wraps a sample-validation error with the file it came from.
    static func sample(_ error: SampleError, path: String) -> FormatError {
        FormatError(.invalidSample, path: path, error.description)
    }
}
