import Events
import Foundation
import TestSupport
import Testing

/// A fresh temporary directory per test, removed by `cleanup()`.
struct TempDir {
    let url: URL
    init() throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("formats-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }
    func path(_ name: String) -> String { url.appendingPathComponent(name).path }
    /// Names in the directory (hidden temporary files included).
    func contents() throws -> [String] { try FileManager.default.contentsOfDirectory(atPath: url.path).sorted() }
    func cleanup() { try? FileManager.default.removeItem(at: url) }
}

/// Runs `python3 -c script args...`; returns exit status, stdout and stderr.
func python(_ script: String, _ args: [String] = []) throws -> (status: Int32, out: String, err: String) {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    p.arguments = ["python3", "-c", script] + args
    let out = Pipe(), err = Pipe()
    p.standardOutput = out
    p.standardError = err
    try p.run()
    let o = out.fileHandleForReading.readDataToEndOfFile()
    let e = err.fileHandleForReading.readDataToEndOfFile()
    p.waitUntilExit()
    return (p.terminationStatus, String(decoding: o, as: UTF8.self), String(decoding: e, as: UTF8.self))
}

/// Runs a python script that must succeed; returns its stdout.
func pythonOK(_ script: String, _ args: [String] = [], sourceLocation: SourceLocation = #_sourceLocation) throws -> String {
    let r = try python(script, args)
    #expect(r.status == 0, "python failed: \(r.err)", sourceLocation: sourceLocation)
    return r.out
}

/// A small t-tbar-like sample with an event number, a recoil ISR jet (so the truth final
/// state has zero total pt) and provenance.
func ttbarSample(n: Int = 40, withISR: Bool = true) -> Sample {
    var s = ChainFixture.ttbarLike(n: n, mA: 172.5, mB: 80.38, mC: 0, ma: 4.7, mb: 0, seed: 777)
    s[Key.event] = .longs((0..<n).map { Int64(1000 + $0) })
    if withISR { addISR(&s) }
    s.provenance?.extra = ["note": "test <&> \"quoted\" \\ slash"]
    return s
}

/// Adds `true_isr`: a massless jet balancing the truth final state's transverse momentum.
func addISR(_ s: inout Sample) {
    let keys = s.kind == .ttbarLike ? [Key.trueA1, Key.trueA2] : [Key.trueD]
    var isr: [Double] = []
    for i in 0..<s.count {
        var px = 0.0, py = 0.0
        for k in keys {
            let v = try! s.fourVectors(k)
            px += v[4 * i + 1]; py += v[4 * i + 2]
        }
        let pz = 37.0 * Double(i % 5 - 2)
        isr += [(px * px + py * py + pz * pz).squareRoot(), -px, -py, pz]
    }
    s[Key.trueISR] = .fourVectors(isr)
}

/// The bytes of a file.
func fileBytes(_ path: String) throws -> [UInt8] { [UInt8](try Data(contentsOf: URL(fileURLWithPath: path))) }
