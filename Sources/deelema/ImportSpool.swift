import Core
import Events
import Formats
import Foundation

/// Holds the samples of an import on disk until the row count is known: the npz writer lays
/// its arrays out at fixed offsets and needs the total up front, but how many events an
/// imported file contributes is known only at its end. Each chunk's columns are written as
/// raw bytes to a temporary file beside the output (removed by `close()`), then read back one
/// chunk at a time, so memory stays that of one chunk.
final class ImportSpool {
    let url: URL
    private var handle: FileHandle
    private(set) var template: Sample?
    private var chunkRows: [Int] = []
    private(set) var rows = 0

    init(beside output: String) throws {
        let out = URL(fileURLWithPath: output)
        url = out.deletingLastPathComponent().appendingPathComponent(".\(out.lastPathComponent).spool-\(UUID().uuidString)")
        // Removed by the signal handler too when SIGINT/SIGTERM/SIGHUP stops the import
        // (registered before it exists, so no signal can fall in between).
        TemporaryFiles.register(url.path)
        guard FileManager.default.createFile(atPath: url.path, contents: nil) else {
            TemporaryFiles.unregister(url.path)
            throw ValidationErrorText("cannot create the temporary file \(url.path)")
        }
        handle = try FileHandle(forWritingTo: url)
    }

    /// Appends a chunk (same keys and row shapes as the first).
    func append(_ s: Sample) throws {
        if template == nil { template = s }
        for key in s.keys {
            guard let c = s[key] else { continue }
            switch c.data {
            case .float64(let v): try v.withUnsafeBytes { try handle.write(contentsOf: $0) }
            case .int64(let v): try v.withUnsafeBytes { try handle.write(contentsOf: $0) }
            case .int32(let v): try v.withUnsafeBytes { try handle.write(contentsOf: $0) }
            }
        }
        chunkRows.append(s.count)
        rows += s.count
    }

    /// Reads the chunks back in order.
    func replay(_ body: (Sample) throws -> Void) throws {
        try handle.close()
        guard let template else { return }
        let reader = try FileHandle(forReadingFrom: url)
        defer { try? reader.close() }
        for n in chunkRows {
            var s = Sample(kind: template.kind, provenance: template.provenance)
            for key in template.keys {
                let c = template[key]!
                let perRow = c.shape.dropFirst().reduce(1, *)
                let count = n * perRow
                let shape = [n] + c.shape.dropFirst()
                func load<T>(_: T.Type) throws -> [T] {
                    let bytes = count * MemoryLayout<T>.stride
                    guard let data = try reader.read(upToCount: bytes), data.count == bytes else {
                        throw ValidationErrorText("temporary file \(url.path) is shorter than written")
                    }
                    return data.withUnsafeBytes { Array($0.bindMemory(to: T.self)) }
                }
                switch c.data {
                case .float64: s[key] = Column(shape: shape, data: .float64(try load(Double.self)))
                case .int64: s[key] = Column(shape: shape, data: .int64(try load(Int64.self)))
                case .int32: s[key] = Column(shape: shape, data: .int32(try load(Int32.self)))
                }
            }
            try body(s)
        }
    }

    /// Removes the temporary file.
    func close() {
        try? handle.close()
        try? FileManager.default.removeItem(at: url)
        TemporaryFiles.unregister(url.path)
    }
}

/// A plain error message for the command line.
struct ValidationErrorText: Error, CustomStringConvertible {
    let description: String
    init(_ text: String) { description = text }
}
