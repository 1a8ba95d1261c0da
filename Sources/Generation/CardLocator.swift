import Foundation

extension Card {
    /// Loads a card. A value containing "/" or ending in ".toml" is read as a path; a bare
    /// name NAME resolves to `NAME.toml` in `directory` when given, else in the first
    /// `topologies/` folder found searching upward from the current directory, then upward
    /// from the executable's folder. An unknown name throws a `CardError` listing the cards
    /// available in the folders searched.
    public static func load(nameOrPath: String, directory: String? = nil) throws(CardError) -> Card {
        let url: URL
        if nameOrPath.contains("/") || nameOrPath.hasSuffix(".toml") {
            url = URL(fileURLWithPath: nameOrPath)
        } else {
            let folders = directory.map { [URL(fileURLWithPath: $0)] } ?? searchFolders()
            guard let found = folders.lazy.map({ $0.appendingPathComponent("\(nameOrPath).toml") })
                .first(where: { FileManager.default.fileExists(atPath: $0.path) }) else {
                let names = Set(folders.flatMap { availableCards(in: $0) }).sorted()
                let searched = folders.map(\.path).joined(separator: ", ")
                throw CardError(file: nameOrPath, key: "",
                                reason: "no card named '\(nameOrPath)' (available: \(names.joined(separator: ", ")); searched: \(searched.isEmpty ? "no topologies folder found" : searched))")
            }
            url = found
        }
        // Foundation's read errors say neither the path nor the reason ("error 256"): check first.
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory) else {
            throw CardError(file: url.path, key: "", reason: "no such file")
        }
        guard !isDirectory.boolValue else {
            throw CardError(file: url.path, key: "", reason: "is a directory, not a .toml card file")
        }
        guard FileManager.default.isReadableFile(atPath: url.path) else {
            throw CardError(file: url.path, key: "", reason: "permission denied")
        }
        let text: String
        do {
            text = try String(contentsOf: url, encoding: .utf8)
        } catch {
            let first = error.localizedDescription.split(separator: "\n").first.map(String.init) ?? ""
            throw CardError(file: url.path, key: "", reason: "cannot read the file as UTF-8 text: \(first)")
        }
        return try decode(toml: text, name: url.deletingPathExtension().lastPathComponent, file: url.path)
    }

    /// Card names (file stems) in a folder.
    public static func availableCards(in folder: URL) -> [String] {
        let items = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        return items.filter { $0.hasSuffix(".toml") }.map { String($0.dropLast(5)) }.sorted()
    }

    /// `topologies/` folders: the first one upward from the current directory, then the
    /// first one upward from the executable's folder (deduplicated).
    public static func searchFolders() -> [URL] {
        var out: [URL] = []
        let starts = [URL(fileURLWithPath: FileManager.default.currentDirectoryPath),
                      URL(fileURLWithPath: CommandLine.arguments.first ?? ".").deletingLastPathComponent()]
        for start in starts {
            var dir = start.standardizedFileURL
            while true {
                let candidate = dir.appendingPathComponent("topologies")
                var isDir: ObjCBool = false
                if FileManager.default.fileExists(atPath: candidate.path, isDirectory: &isDir), isDir.boolValue {
                    if !out.contains(candidate) { out.append(candidate) }
                    break
                }
                let parent = dir.deletingLastPathComponent()
                if parent.path == dir.path { break }
                dir = parent
            }
        }
        return out
    }
}
