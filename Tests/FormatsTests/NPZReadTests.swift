import Events
import Foundation
import Testing
@testable import Formats

@Suite struct NPZReadTests {
    /// Arrays written by numpy (savez: stored with ZIP64 local extras; savez_compressed:
    /// deflated) in every accepted dtype read back with the values numpy wrote.
    @Test(arguments: ["savez", "savez_compressed"])
    func readsNumpyWrittenFiles(_ function: String) throws {
        let dir = try TempDir(); defer { dir.cleanup() }
        let path = dir.path("\(function).npz")
        _ = try pythonOK("""
        import sys, numpy as np
        n = 9
        i = np.arange(n * 4)
        np.\(function)(sys.argv[1],
            a1=(i * 0.5 - 3.25).reshape(n, 4),
            a2=(i * 0.25).reshape(n, 4).astype('<f4'),
            met=(np.arange(n * 2) * 1.5).reshape(n, 2),
            pairing=(np.arange(n) % 2).astype('<i4'),
            event=(np.arange(n) + 2**40).astype('<i8'))
        """, [path])
        let s = try NPZ.read(path: path)
        #expect(s.kind == .antler)  // no provenance and no b1: inferred from the keys
        #expect(s.provenance == nil)
        #expect(s[Key.a1] == Column(shape: [9, 4], data: .float64((0..<36).map { Double($0) * 0.5 - 3.25 })))
        #expect(s[Key.a2] == Column(shape: [9, 4], data: .float64((0..<36).map { Double($0) * 0.25 })))
        #expect(s[Key.met] == Column(shape: [9, 2], data: .float64((0..<18).map { Double($0) * 1.5 })))
        #expect(s[Key.pairing] == Column(shape: [9], data: .int32((0..<9).map { Int32($0 % 2) })))
        #expect(s[Key.event] == Column(shape: [9], data: .int64((0..<9).map { Int64($0) + (1 << 40) })))
    }

    /// .npy format versions 2.0 and 3.0 (written by numpy's format module into a zip).
    @Test func readsNpyVersions2And3() throws {
        let dir = try TempDir(); defer { dir.cleanup() }
        let path = dir.path("v.npz")
        _ = try pythonOK("""
        import sys, io, zipfile, numpy as np
        from numpy.lib import format as fmt
        z = zipfile.ZipFile(sys.argv[1], 'w')
        for name, v in [('b1', (2, 0)), ('b2', (3, 0))]:
            b = io.BytesIO(); fmt.write_array(b, np.arange(8.0).reshape(2, 4) + v[0], version=v)
            z.writestr(name + '.npy', b.getvalue())
        z.close()
        """, [path])
        let s = try NPZ.read(path: path)
        #expect(s.kind == .ttbarLike)  // b1 present
        #expect(try s.fourVectors("b1") == (0..<8).map { Double($0) + 2 })
        #expect(try s.fourVectors("b2") == (0..<8).map { Double($0) + 3 })
    }

    @Test func readSampleChecksTopologyKeys() throws {
        let dir = try TempDir(); defer { dir.cleanup() }
        let s = ttbarSample(n: 10)
        let path = dir.path("ok.npz")
        try NPZ.write(s, to: path)
        let r = try NPZ.readSample(path: path, expecting: .ttbarLike, requireTruth: true)
        #expect(r.count == 10)
        let e = #expect(throws: FormatError.self) { try NPZ.readSample(path: path, expecting: .antler) }
        #expect(e?.kind == .invalidSample)
        #expect(e?.description.contains(path) == true)
        #expect(e?.description.contains("antler") == true)
    }
}
