import Foundation

/// The check behind `deelema report --expect`: a batch-run sweep is assembled only when every
/// point of its plan finished, so a killed array task cannot silently drop a point from the summary.
public enum SweepCompleteness {
    /// Parses the `--expect` list (comma-separated point ids, e.g. `smear-0_pairing-unknown_isr-off`).
    public static func parse(_ text: String) throws -> [String] {
        let ids = text.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
        guard !ids.isEmpty, !ids.contains(where: \.isEmpty) else { throw HarnessError.emptySweepList(option: "--expect") }
        for id in ids where id.contains("/") || id.hasPrefix(".") {
            throw HarnessError.badSweepValue(option: "--expect", value: id, reason: "is not a point id (a directory name under DIR/points)")
        }
        return ids
    }

    /// The ids among `expected` whose `DIR/points/<id>/results.json` does not exist.
    public static func missing(directory: String, expected: [String]) -> [String] {
        let points = (directory as NSString).appendingPathComponent("points") as NSString
        return expected.filter { id in
            !FileManager.default.fileExists(atPath: (points.appendingPathComponent(id) as NSString).appendingPathComponent(Bench.resultsFile))
        }
    }

    /// Throws `HarnessError.incompleteSweep` naming every unfinished point.
    public static func require(directory: String, expected: [String]) throws {
        guard FileOutput.isDirectory(directory) else { throw HarnessError.noSuchDirectory(directory) }
        let m = missing(directory: directory, expected: expected)
        guard m.isEmpty else { throw HarnessError.incompleteSweep(directory: directory, missing: m, expected: expected.count) }
    }
}
