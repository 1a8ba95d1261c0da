#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Refusal to write an output over one of the command's own inputs (`estimate --output` equal
/// to the sample, `merge` onto a shard, a checkpoint onto the training sample, ...): the
/// rename that publishes the output would destroy the input it was computed from.
public struct InputOverwrite: Error, CustomStringConvertible, Equatable {
    /// The output path as given and the input it would replace.
    public var output: String
    public var input: String
    /// What the input is, e.g. "the sample", "shard 2".
    public var role: String

    public var description: String {
        "refusing to write '\(output)': it is \(role) '\(input)' (the same file); choose another output path"
    }

    /// Throws when `output` names the same file as one of `inputs` (role, path): the same
    /// resolved path (symbolic links and `..` followed, also for an output that does not exist
    /// yet, through its directory) or, for existing files, the same device and inode (hard links).
    public static func check(output: String, inputs: [(role: String, path: String)]) throws(InputOverwrite) {
        for (role, input) in inputs where sameFile(output, input) {
            throw InputOverwrite(output: output, input: input, role: role)
        }
    }

    /// Whether two paths name the same file.
    public static func sameFile(_ a: String, _ b: String) -> Bool {
        var sa = stat(), sb = stat()
        if stat(a, &sa) == 0, stat(b, &sb) == 0 { return sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino }
        guard let ra = resolved(a), let rb = resolved(b) else { return false }
        return ra == rb
    }

    /// The absolute path with every link followed; for a file that does not exist, its
    /// resolved directory plus its name.
    static func resolved(_ path: String) -> String? {
        if let full = realpath(path, nil) {
            defer { free(full) }
            return String(cString: full)
        }
        let slash = path.lastIndex(of: "/")
        let dir = slash.map { $0 == path.startIndex ? "/" : String(path[..<$0]) } ?? "."
        let name = slash.map { String(path[path.index(after: $0)...]) } ?? path
        guard let full = realpath(dir, nil) else { return nil }
        defer { free(full) }
        let d = String(cString: full)
        return d == "/" ? "/" + name : d + "/" + name
    }
}
