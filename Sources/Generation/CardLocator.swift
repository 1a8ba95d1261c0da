import Foundation

extension Card {
    /// The environment variable naming a user's own card folders (colon-separated), searched
    /// before every other folder.
    public static let cardsEnvironmentVariable = "DEELEMA_CARDS"

    /// Loads a card. A value containing "/" or ending in ".toml" is read as a path; a bare
    /// name NAME resolves to `NAME.toml` in `directory` when given, else in the folders of
    /// `searchFolders()` (the `DEELEMA_CARDS` folders first), else to the shipped card of that
    /// name compiled into the binary (`bundledTexts`). An unknown name throws a `CardError`
    /// listing the cards available and the folders searched.
    public static func load(nameOrPath: String, directory: String? = nil) throws(CardError) -> Card {
        let url: URL
        if nameOrPath.contains("/") || nameOrPath.hasSuffix(".toml") {
            url = URL(fileURLWithPath: nameOrPath)
        } else if let found = locate(name: nameOrPath, directory: directory) {
            url = found
        } else if directory == nil, let text = bundledTexts[nameOrPath] {
            return try decode(toml: text, name: nameOrPath, file: "bundled card '\(nameOrPath)'")
        } else {
            let folders = directory.map { [URL(fileURLWithPath: $0)] } ?? searchFolders()
            var names = Set(folders.flatMap { availableCards(in: $0) })
            if directory == nil { names.formUnion(bundledTexts.keys) }
            let searched = folders.map(\.path).joined(separator: ", ")
            throw CardError(file: nameOrPath, key: "",
                            reason: "no card named '\(nameOrPath)' (available: \(names.sorted().joined(separator: ", ")); "
                                + "searched: \(searched.isEmpty ? "no card folder found" : searched)"
                                + (directory == nil ? " and the bundled cards; \(cardsEnvironmentVariable) adds folders" : "") + ")")
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

    /// The file a bare card name resolves to in `directory` or the search folders, or nil when
    /// none holds it (the name may still be a bundled card).
    public static func locate(name: String, directory: String? = nil) -> URL? {
        let folders = directory.map { [URL(fileURLWithPath: $0)] } ?? searchFolders()
        return folders.lazy.map { $0.appendingPathComponent("\(name).toml") }
            .first { FileManager.default.fileExists(atPath: $0.path) }
    }

    /// Card names (file stems) in a folder.
    public static func availableCards(in folder: URL) -> [String] {
        let items = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        return items.filter { $0.hasSuffix(".toml") }.map { String($0.dropLast(5)) }.sorted()
    }

    /// Card folders in search order (deduplicated): the `DEELEMA_CARDS` folders, the first
    /// `topologies/` upward from the current directory, the first one upward from the
    /// executable's real folder (symlinks resolved), and `share/deelema/topologies` beside the
    /// executable's `bin/` (where `make install` puts them).
    public static func searchFolders() -> [URL] {
        var out: [URL] = []
        func add(_ url: URL) {
            var isDir: ObjCBool = false
            if FileManager.default.fileExists(atPath: url.path, isDirectory: &isDir), isDir.boolValue, !out.contains(url) {
                out.append(url)
            }
        }
        let environment = ProcessInfo.processInfo.environment[cardsEnvironmentVariable] ?? ""
        for part in environment.split(separator: ":") where !part.isEmpty {
            add(URL(fileURLWithPath: String(part)).standardizedFileURL)
        }
        let executableFolder = executableURL.deletingLastPathComponent()
        for start in [URL(fileURLWithPath: FileManager.default.currentDirectoryPath), executableFolder] {
            var dir = start.standardizedFileURL
            while true {
                let candidate = dir.appendingPathComponent("topologies")
                var isDir: ObjCBool = false
                if FileManager.default.fileExists(atPath: candidate.path, isDirectory: &isDir), isDir.boolValue {
                    add(candidate)
                    break
                }
                let parent = dir.deletingLastPathComponent()
                if parent.path == dir.path { break }
                dir = parent
            }
        }
        add(executableFolder.deletingLastPathComponent().appendingPathComponent("share/deelema/topologies").standardizedFileURL)
        return out
    }

    /// The running executable with symlinks resolved: `argv[0]` may be a bare name found
    /// through PATH or a link, neither of which says where the binary lies.
    static var executableURL: URL {
        let proc = URL(fileURLWithPath: "/proc/self/exe")
        if let target = try? FileManager.default.destinationOfSymbolicLink(atPath: proc.path) {
            return URL(fileURLWithPath: target)
        }
        return URL(fileURLWithPath: CommandLine.arguments.first ?? ".").resolvingSymlinksInPath()
    }
}
