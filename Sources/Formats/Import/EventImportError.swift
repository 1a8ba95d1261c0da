/// Why an LHE or HepMC3 file could not be imported: names the file and the line (1-based;
/// 0 when the problem is the file as a whole, e.g. it cannot be opened).
public struct EventImportError: Error, CustomStringConvertible, Equatable {
    public var path: String
    public var line: Int
    public var detail: String

    public init(path: String, line: Int, _ detail: String) {
        self.path = path; self.line = line; self.detail = detail
    }

    public var description: String { line > 0 ? "\(path):\(line): \(detail)" : "\(path): \(detail)" }
}
