import Foundation

/// Paths inside the repository, for tests that read its bundled files.
public enum RepositoryPaths {
    /// The `topologies/` folder of the bundled cards.
    public static let topologies = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("topologies").path
}
