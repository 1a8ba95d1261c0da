import Events
import Foundation

/// Provenance as stored in files: JSON with sorted keys (deterministic bytes).
public enum ProvenanceJSON {
    /// The JSON text of `provenance`, keys sorted, no insignificant whitespace; fails
    /// (naming `path`, the file being written) if it holds a NaN or infinite number.
    public static func encode(_ provenance: Provenance, path: String) throws(FormatError) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        do {
            return String(decoding: try encoder.encode(provenance), as: UTF8.self)
        } catch {
            throw FormatError(.invalidSample, path: path, "provenance cannot be stored as JSON: \(error)")
        }
    }

    /// Decodes provenance JSON read from `path` (named in the error).
    public static func decode(_ text: String, path: String) throws(FormatError) -> Provenance {
        do {
            return try JSONDecoder().decode(Provenance.self, from: Data(text.utf8))
        } catch {
            throw FormatError(.badHeader, path: path, "provenance is not valid provenance JSON: \(error)")
        }
    }
}
