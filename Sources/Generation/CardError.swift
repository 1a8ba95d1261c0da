/// Why a topology card cannot be used. The description names the card file, the key
/// (dotted path, e.g. `particles.A.width`) and the reason.
public struct CardError: Error, Equatable, CustomStringConvertible {
    /// The card file (path as given) or the name that was looked up.
    public var file: String
    /// Dotted key path; empty when the problem concerns the whole file.
    public var key: String
    public var reason: String

    public init(file: String, key: String, reason: String) {
        self.file = file; self.key = key; self.reason = reason
    }

    public var description: String {
        key.isEmpty ? "card \(file): \(reason)" : "card \(file): key '\(key)': \(reason)"
    }
}
