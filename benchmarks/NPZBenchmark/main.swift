// Throughput of the npz streaming writer and reader against numpy (savez / load), and of
// the two CRC-32 implementations. Usage:
//   swift build -c release --product NPZBenchmark && .build/release/NPZBenchmark [events] [dir]
//   .build/release/NPZBenchmark zip64 DIR     (a real 4.5 GB ZIP64 file, checked by numpy)
//   .build/release/NPZBenchmark text N DIR    (LHE, HepMC3, CSV writers; pandas.to_csv peer)
import Core
import Events
import Formats
import Foundation

/// `NPZBenchmark zip64 DIR`: writes a real > 4 GiB file (a1: 140 M rows = 4.48 GB, so its entry
/// needs ZIP64 sizes and the next entry a ZIP64 offset), reads it back, checks sampled rows, and
/// lets numpy/zipfile read the entry lying beyond 4 GiB and the last rows of the big one.
func zip64Check(dir: String) throws {
    let rows = 140_000_000, chunk = 1_000_000
    let path = (dir as NSString).appendingPathComponent("npzbench-zip64.npz")
    func block(_ k: Int) -> Sample {
        var s = Sample(kind: .antler)
        s[Key.a1] = .fourVectors((0..<(4 * chunk)).map { Double(k * chunk * 4 + $0) })
        s[Key.pairing] = .ints((0..<chunk).map { Int32(truncatingIfNeeded: k * chunk + $0) })
        return s
    }
    var t = Date().timeIntervalSinceReferenceDate
    let w = try NPZStreamWriter(path: path, rows: rows, template: block(0), provenance: nil)
    for k in 0..<(rows / chunk) { try w.append(block(k)) }
    try w.finish()
    let size = (try FileManager.default.attributesOfItem(atPath: path)[.size] as! NSNumber).int64Value
    print(String(format: "zip64: wrote %lld bytes in %.1f s", size, Date().timeIntervalSinceReferenceDate - t))
    t = Date().timeIntervalSinceReferenceDate
    let s = try NPZ.read(path: path)
    let a1 = try s.fourVectors(Key.a1), pairing = s[Key.pairing]!.integers!
    let lastA = a1[4 * rows - 1], lastP = pairing[rows - 1]
    precondition(lastA == Double(4 * rows - 1) && lastP == Int64(rows - 1))
    print(String(format: "zip64: read back in %.1f s, last a1 element %.0f, last pairing %d", Date().timeIntervalSinceReferenceDate - t, lastA, lastP))
    let p = Process()
    p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    p.arguments = ["python3", "-c", """
    import sys, zipfile, numpy as np
    z = zipfile.ZipFile(sys.argv[1])
    for i in z.infolist(): print(i.filename, i.file_size, i.header_offset)
    f = np.load(sys.argv[1]); p = f['pairing']; print('pairing', p.shape, p[-1], 'crc ok' if z.testzip() is None else 'crc BAD')
    a = f['a1']; print('a1', a.shape, a[-1, -1])
    """, path]
    try p.run()
    p.waitUntilExit()
    try? FileManager.default.removeItem(atPath: path)
}

/// `NPZBenchmark text N DIR`: events/s of the LHE, HepMC3 and CSV writers (t-tbar-like
/// records with ISR), against pandas.DataFrame.to_csv for the CSV.
func textCheck(events: Int, dir: String) throws {
    var s = Sample(kind: .ttbarLike, provenance: Provenance(card: "bench", topology: .ttbarLike, seed: 1))
    var x: UInt64 = 12345
    func next() -> Double { x = x &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407; return Double(x >> 11) * 0x1p-53 * 100 }
    // Consistent momenta are irrelevant to the writers' speed; positive energies suffice.
    for key in Key.reconstructed(.ttbarLike) + Key.truth(.ttbarLike) + [Key.trueISR] {
        s[key] = .fourVectors((0..<(4 * events)).map { $0 % 4 == 0 ? 500 + next() : next() })
    }
    s[Key.met] = .transverse((0..<(2 * events)).map { _ in next() })
    s[Key.pairing] = .ints((0..<events).map { Int32($0 % 2) })
    for ext in ["lhe", "hepmc3", "csv"] {
        let path = (dir as NSString).appendingPathComponent("npzbench-text.\(ext)")
        let t = Date().timeIntervalSinceReferenceDate
        try EventFiles.write(s, to: path, truthInfo: .ttbarDilepton())
        let dt = Date().timeIntervalSinceReferenceDate - t
        let size = (try FileManager.default.attributesOfItem(atPath: path)[.size] as! NSNumber).int64Value
        print(String(format: "%-7@ %d events in %.2f s = %.0f events/s (%.0f MB/s)", ext, events, dt, Double(events) / dt, Double(size) / dt / 1e6))
        if ext == "csv" {
            let p = Process()
            p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            p.arguments = ["python3", "-c", """
            import sys, time, pandas as pd
            d = pd.read_csv(sys.argv[1]); t = time.perf_counter(); d.to_csv(sys.argv[1] + '.pd', index=False)
            dt = time.perf_counter() - t; print('pandas.to_csv %d events in %.2f s = %.0f events/s' % (len(d), dt, len(d) / dt))
            """, path]
            try p.run()
            p.waitUntilExit()
            try? FileManager.default.removeItem(atPath: path + ".pd")
            try? FileManager.default.removeItem(atPath: CSVWriter.provenancePath(for: path))
        }
        try? FileManager.default.removeItem(atPath: path)
    }
}

if CommandLine.arguments.count > 3, CommandLine.arguments[1] == "text" {
    try textCheck(events: Int(CommandLine.arguments[2])!, dir: CommandLine.arguments[3])
    exit(0)
}

if CommandLine.arguments.count > 2, CommandLine.arguments[1] == "zip64" {
    try zip64Check(dir: CommandLine.arguments[2])
    exit(0)
}

let events = CommandLine.arguments.count > 1 ? Int(CommandLine.arguments[1])! : 1_000_000
let dir = CommandLine.arguments.count > 2 ? CommandLine.arguments[2] : NSTemporaryDirectory()
let chunk = 100_000

func now() -> Double { Date().timeIntervalSinceReferenceDate }

/// A t-tbar-like layout with truth: 14 (N, 4) arrays, met (N, 2), pairing and event numbers.
func chunkSample(start: Int, rows: Int) -> Sample {
    var s = Sample(kind: .ttbarLike, provenance: Provenance(card: "bench", topology: .ttbarLike, seed: 1))
    var x = UInt64(start) &* 0x9E37_79B9_7F4A_7C15 | 1
    func next() -> Double { x = x &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407; return Double(x >> 11) * 0x1p-53 * 200 - 100 }
    for key in Key.reconstructed(.ttbarLike) + Key.truth(.ttbarLike) {
        s[key] = .fourVectors((0..<(4 * rows)).map { _ in next() })
    }
    s[Key.met] = .transverse((0..<(2 * rows)).map { _ in next() })
    s[Key.pairing] = .ints((0..<rows).map { Int32(($0 + start) % 2) })
    s[Key.event] = .longs((0..<rows).map { Int64($0 + start) })
    return s
}

// CRC-32: zlib vs slicing-by-8 over 256 MiB.
let buffer = [UInt8](repeating: 0, count: 1 << 28).enumerated().map { UInt8(truncatingIfNeeded: $0.offset &* 2_654_435_761 >> 13) }
var crcResults: [(String, Double)] = []
for (name, f) in [("zlib crc32", CRC32.zlib), ("slicing-by-8", CRC32.slicingBy8)] as [(String, (UInt32, UnsafeRawBufferPointer) -> UInt32)] {
    var best = Double.infinity
    var c: UInt32 = 0
    for _ in 0..<3 {
        let t = now()
        c = buffer.withUnsafeBytes { f(0, $0) }
        best = min(best, now() - t)
    }
    crcResults.append((name, Double(buffer.count) / best / 1e6))
    print(String(format: "CRC-32 %-13@ %8.0f MB/s (crc %08x)", name, Double(buffer.count) / best / 1e6, c))
}

// Streaming writer.
let chunks = (0..<((events + chunk - 1) / chunk)).map { k in chunkSample(start: k * chunk, rows: min(chunk, events - k * chunk)) }
let path = (dir as NSString).appendingPathComponent("npzbench-swift.npz")
var writeBest = Double.infinity
for _ in 0..<3 {
    // Both peers write a fresh file: replacing an existing one adds the unlink of the old
    // (on this machine's ext4 with `discard`, up to a second for 0.5 GB) to whoever does it.
    try? FileManager.default.removeItem(atPath: path)
    let t = now()
    let w = try NPZStreamWriter(path: path, rows: events, template: chunks[0], provenance: chunks[0].provenance)
    for c in chunks { try w.append(c) }
    try w.finish()
    writeBest = min(writeBest, now() - t)
}
let bytes = Double((try FileManager.default.attributesOfItem(atPath: path)[.size] as! NSNumber).int64Value)
var readBest = Double.infinity
for _ in 0..<3 {
    let t = now()
    let s = try NPZ.read(path: path)
    precondition(s.count == events)
    readBest = min(readBest, now() - t)
}
print(String(format: "swift NPZStreamWriter: %d events, %.0f MB in %.3f s = %.0f MB/s", events, bytes / 1e6, writeBest, bytes / writeBest / 1e6))
print(String(format: "swift NPZ.read:        %.0f MB in %.3f s = %.0f MB/s", bytes / 1e6, readBest, bytes / readBest / 1e6))

// numpy peer: savez of the same arrays (held in memory), and load of the Swift file.
let script = """
import sys, time, numpy as np
src, dst = sys.argv[1], sys.argv[2]
arrays = {k: np.load(src)[k] for k in np.load(src).files}
best_w = best_r = 1e9
import os
for _ in range(3):
    if os.path.exists(dst): os.remove(dst)
    t = time.perf_counter(); np.savez(dst, **arrays); best_w = min(best_w, time.perf_counter() - t)
for _ in range(3):
    t = time.perf_counter(); f = np.load(src); d = {k: f[k] for k in f.files}; best_r = min(best_r, time.perf_counter() - t)
print(best_w, best_r)
"""
let p = Process()
p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
let numpyPath = (dir as NSString).appendingPathComponent("npzbench-numpy.npz")
p.arguments = ["python3", "-c", script, path, numpyPath]
let pipe = Pipe()
p.standardOutput = pipe
try p.run()
let out = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
p.waitUntilExit()
let f = out.split(whereSeparator: { $0 == " " || $0 == "\n" }).compactMap { Double($0) }
let numpyBytes = Double((try FileManager.default.attributesOfItem(atPath: numpyPath)[.size] as! NSNumber).int64Value)
print(String(format: "numpy.savez:           %.0f MB in %.3f s = %.0f MB/s", numpyBytes / 1e6, f[0], numpyBytes / f[0] / 1e6))
print(String(format: "numpy.load (all keys): %.0f MB in %.3f s = %.0f MB/s", bytes / 1e6, f[1], bytes / f[1] / 1e6))
print(String(format: "ratio write swift/numpy = %.2f, read swift/numpy = %.2f (throughput)", f[0] / writeBest, f[1] / readBest))
print(String(format: "ratio CRC zlib/slicing-by-8 = %.2f", crcResults[0].1 / crcResults[1].1))
try? FileManager.default.removeItem(atPath: path)
try? FileManager.default.removeItem(atPath: numpyPath)
