import Foundation
import Harness

/// A fresh empty directory under the temporary folder.
func scratchDirectory(_ name: String) throws -> String {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("harness-\(name)-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    return dir.path
}

/// Bench options small enough for debug builds: a few hundred ttbar events, tiny DeeLeMa.
func smallBench(_ report: String, methods: [Method], events: Int = 300) -> BenchOptions {
    var o = BenchOptions(topology: "ttbar", events: events, report: report)
    o.detector = "cms"
    o.methods = methods
    o.allMethods = false
    o.bootstrap = 4
    o.seed = 7
    o.threads = 2
    o.deelema.epochs = 2
    o.deelema.hidden = 8
    o.deelema.layers = 1
    o.deelema.batchSize = 64
    return o
}

/// The `deelema` executable built beside the test runner (swift build --build-tests builds both).
func deelemaExecutable() -> String? {
    let dir = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
    for candidate in [dir, dir.deletingLastPathComponent()] {
        let p = candidate.appendingPathComponent("deelema").path
        if FileManager.default.isExecutableFile(atPath: p) { return p }
    }
    let fallback = URL(fileURLWithPath: FileManager.default.currentDirectoryPath).appendingPathComponent(".build/debug/deelema").path
    return FileManager.default.isExecutableFile(atPath: fallback) ? fallback : nil
}

/// Runs a shell command line; returns (exit status, stdout + stderr).
@discardableResult
func shell(_ command: String) throws -> (Int32, String) {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: "/bin/sh")
    p.arguments = ["-c", command]
    let out = Pipe()
    p.standardOutput = out
    p.standardError = out
    try p.run()
    let data = out.fileHandleForReading.readDataToEndOfFile()
    p.waitUntilExit()
    return (p.terminationStatus, String(decoding: data, as: UTF8.self))
}
