import Events

/// A streaming writer of event files. Chunks of a sample are appended in order; `finish()`
/// completes the file and renames it from its temporary name onto the requested path;
/// `abort()` (or any error, or dropping the writer unfinished) removes the temporary file
/// so no truncated file ever appears under the requested name.
public protocol EventFileWriter: AnyObject {
    /// The requested output path.
    var path: String { get }
    /// Appends the next chunk of events (same keys, row shapes and dtypes as the template).
    func append(_ chunk: Sample) throws(FormatError)
    /// Replaces the provenance the file will hold (every format stores it at `finish()`), e.g.
    /// with the efficiencies known only after the last chunk.
    func updateProvenance(_ provenance: Provenance?) throws(FormatError)
    /// Completes the file and moves it to `path`.
    func finish() throws(FormatError)
    /// Discards everything written so far; the requested path is left untouched.
    func abort()
}
