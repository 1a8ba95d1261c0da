import Events
import Foundation
import Testing
@testable import Formats

@Suite struct NPZWriteTests {
    @Test func swiftRoundTripRestoresEveryArrayAndProvenance() throws {
        let dir = try TempDir(); defer { dir.cleanup() }
        let s = ttbarSample()
        let path = dir.path("rt.npz")
        try NPZ.write(s, to: path)
        let r = try NPZ.read(path: path)
        #expect(r.kind == .ttbarLike)
        #expect(r.keys == s.keys)
        for k in s.keys { #expect(r[k] == s[k], "array \(k)") }
        #expect(r.provenance == s.provenance)
        #expect(try dir.contents() == ["rt.npz"])
        // Zero events: (0, 4) arrays that numpy and the reader both accept.
        let empty = s.selecting([])
        try NPZ.write(empty, to: dir.path("empty.npz"))
        let e = try NPZ.read(path: dir.path("empty.npz"))
        #expect(e.count == 0 && e[Key.a1]?.shape == [0, 4] && e.keys == s.keys)
        let shape = try pythonOK("import sys, numpy as np; print(np.load(sys.argv[1])['a1'].shape)", [dir.path("empty.npz")])
        #expect(shape.trimmingCharacters(in: .whitespacesAndNewlines) == "(0, 4)")
    }

    /// numpy loads the file as is (allow_pickle=False) and sees the same values; each .npy
    /// entry is byte-identical to what numpy.save writes for the loaded array; the zip CRCs
    /// pass Python's zipfile.testzip.
    @Test func numpyLoadsSwiftFileWithSameValues() throws {
        let dir = try TempDir(); defer { dir.cleanup() }
        let s = ttbarSample(n: 25)
        let path = dir.path("np.npz")
        try NPZ.write(s, to: path)
        let script = """
        import sys, io, json, zipfile, numpy as np
        f = np.load(sys.argv[1], allow_pickle=False)
        z = zipfile.ZipFile(sys.argv[1])
        assert z.testzip() is None
        for k in f.files:
            a = f[k]
            b = io.BytesIO(); np.save(b, a)
            same = b.getvalue() == z.read(k + '.npy')
            if k == 'provenance':
                print(k, a.dtype.str, a.shape, same, json.dumps(json.loads(str(a)), sort_keys=True))
            else:
                print(k, a.dtype.str, 'x'.join(map(str, a.shape)), same, repr(float(np.sum(a * np.arange(1, a.size + 1).reshape(a.shape)))))
        """
        let lines = try pythonOK(script, [path]).split(separator: "\n").map(String.init)
        #expect(lines.count == s.keys.count + 1)
        for line in lines {
            let f = line.split(separator: " ", maxSplits: 4).map(String.init)
            #expect(f[3] == "True", "entry \(f[0]) differs from numpy.save bytes")
            if f[0] == "provenance" {
                let p = try JSONDecoder().decode(Provenance.self, from: Data(f[4].utf8))
                #expect(p == s.provenance)
                #expect(f[1].hasPrefix("<U"))
                continue
            }
            let c = try #require(s[f[0]])
            #expect(f[1] == c.data.dtype)
            // Same weighted checksum as numpy computes: sum of x_j * (j+1) over the flat array.
            let v: [Double] = c.doubles ?? c.integers!.map(Double.init)
            var sum = 0.0
            for (j, x) in v.enumerated() { sum += x * Double(j + 1) }
            let theirs = try #require(Double(f[4]))
            #expect(abs(theirs - sum) <= 1e-9 * max(1, abs(sum)), "\(f[0]): numpy \(theirs) swift \(sum)")
        }
    }

    @Test func streamingWriterIsByteIdenticalToOneShotAndDeterministic() throws {
        let dir = try TempDir(); defer { dir.cleanup() }
        let s = ttbarSample(n: 53)
        try NPZ.write(s, to: dir.path("one.npz"))
        try NPZ.write(s, to: dir.path("again.npz"))
        let w = try NPZStreamWriter(path: dir.path("stream.npz"), rows: s.count, template: s.selecting([0]),
                                    provenance: s.provenance)
        var start = 0
        for size in [7, 0, 20, 1, 25] {
            try w.append(s.selecting(Array(start..<(start + size))))
            start += size
        }
        try w.finish()
        let one = try fileBytes(dir.path("one.npz"))
        #expect(one == (try fileBytes(dir.path("again.npz"))))
        #expect(one == (try fileBytes(dir.path("stream.npz"))))
        #expect(try dir.contents() == ["again.npz", "one.npz", "stream.npz"])
    }

    /// 0-d arrays (fitted masses in estimator output) are stored as numpy 0-d arrays; a chunk
    /// carrying one replaces the template's value.
    @Test func zeroDimensionalArraysRoundTrip() throws {
        let dir = try TempDir(); defer { dir.cleanup() }
        var s = ttbarSample(n: 8)
        s["M_A"] = Column(shape: [], data: .float64([172.25]))
        s["n_fit"] = Column(shape: [], data: .int32([7]))
        let path = dir.path("scalars.npz")
        try NPZ.write(s, to: path)
        let r = try NPZ.read(path: path)
        #expect(r["M_A"] == s["M_A"] && r["n_fit"] == s["n_fit"] && r.count == 8 && r.keys == s.keys)
        let out = try pythonOK("import sys, numpy as np; f = np.load(sys.argv[1]); print(f['M_A'].shape, float(f['M_A']), int(f['n_fit']))", [path])
        #expect(out.trimmingCharacters(in: .whitespacesAndNewlines) == "() 172.25 7")
        var template = s
        template["M_A"] = Column(shape: [], data: .float64([-1]))
        let w = try NPZStreamWriter(path: dir.path("stream.npz"), rows: 8, template: template, provenance: s.provenance)
        var first = s.selecting([0, 1, 2]); first["M_A"] = nil; first["n_fit"] = nil
        try w.append(first)
        var rest = s.selecting(Array(3..<8)); rest["n_fit"] = nil
        try w.append(rest)
        try w.finish()
        #expect(try fileBytes(dir.path("stream.npz")) == fileBytes(path))
    }

    /// ZIP64 forced by a zero threshold: every entry carries ZIP64 sizes and offsets and the
    /// archive ends with the ZIP64 end record and locator; numpy, zipfile and our reader accept it.
    @Test func zip64LayoutReadsBackEverywhere() throws {
        let dir = try TempDir(); defer { dir.cleanup() }
        let s = ttbarSample(n: 12)
        let path = dir.path("z64.npz")
        try NPZ.write(s, to: path, zip64Threshold: 0)
        let bytes = try fileBytes(path)
        let end64: [UInt8] = [0x50, 0x4B, 0x06, 0x06], locator: [UInt8] = [0x50, 0x4B, 0x06, 0x07]
        let tail = Array(bytes.suffix(22 + 20 + 56))
        #expect(Array(tail[0..<4]) == end64)
        #expect(Array(tail[56..<60]) == locator)
        let r = try NPZ.read(path: path)
        for k in s.keys { #expect(r[k] == s[k]) }
        #expect(r.provenance == s.provenance)
        let out = try pythonOK("""
        import sys, zipfile, numpy as np
        z = zipfile.ZipFile(sys.argv[1]); assert z.testzip() is None
        print(sum(1 for i in z.infolist() if i.extract_version >= 45), len(z.infolist()))
        f = np.load(sys.argv[1]); print(repr(float(f['true_A1'].sum())))
        """, [path])
        let f = out.split(whereSeparator: { $0 == " " || $0 == "\n" }).map(String.init)
        #expect(f[0] == f[1] && Int(f[1]) == s.keys.count + 1)
        let sum = try s.fourVectors(Key.trueA1).reduce(0, +)
        #expect(abs(Double(f[2])! - sum) <= 1e-9 * abs(sum))
        // Same data below the threshold: plain zip, different bytes, same arrays.
        try NPZ.write(s, to: dir.path("plain.npz"))
        #expect(try fileBytes(dir.path("plain.npz")) != bytes)
    }

    /// The .npy header matches numpy's format module: aligned to 64 bytes, growth padding, versions.
    @Test func npyHeaderEncodingMatchesNumpy() throws {
        let h = NPYHeader(descr: "<f8", fortranOrder: false, shape: [10, 4]).encoded()
        #expect(h.count % 64 == 0)
        let text = String(decoding: h[10...], as: UTF8.self)
        #expect(text.hasPrefix("{'descr': '<f8', 'fortran_order': False, 'shape': (10, 4), }"))
        #expect(text.hasSuffix(" \n"))
        #expect(NPYHeader(descr: "<i4", fortranOrder: false, shape: [3]).shapeRepr == "(3,)")
        #expect(NPYHeader(descr: "<U5", fortranOrder: false, shape: []).shapeRepr == "()")
        // numpy's own bytes for the same headers (np.lib.format.write_array_header_1_0 path via np.save).
        let out = try pythonOK("""
        import io, numpy as np
        for a in [np.zeros((10, 4)), np.zeros(3, dtype='<i4'), np.array('hello')]:
            b = io.BytesIO(); np.save(b, a); v = b.getvalue()
            hl = 10 + int.from_bytes(v[8:10], 'little'); print(v[:hl].hex())
        """)
        let theirs = out.split(separator: "\n").map(String.init)
        let ours = [NPYHeader(descr: "<f8", fortranOrder: false, shape: [10, 4]),
                    NPYHeader(descr: "<i4", fortranOrder: false, shape: [3]),
                    NPYHeader(descr: "<U5", fortranOrder: false, shape: [])]
            .map { $0.encoded().map { String(format: "%02x", $0) }.joined() }
        #expect(theirs == ours)
    }

    @Test func deeLeMaExportHasExactlyTheReferenceKeys() throws {
        let dir = try TempDir(); defer { dir.cleanup() }
        let s = ttbarSample(n: 30)
        let d = try DeeLeMaLayout.convert(s)
        #expect(d.keys == ["b1", "b2", "l1", "l2", "nu1", "nu2", "met"])
        #expect(d.provenance?.layout == "deelema")
        let path = dir.path("deelema.npz")
        try NPZ.write(d, to: path)
        let back = try NPZ.readSample(path: path)
        #expect(back.keys == d.keys)
        let out = try pythonOK("import sys, numpy as np; print(' '.join(sorted(np.load(sys.argv[1]).files)))", [path])
        #expect(out.trimmingCharacters(in: .whitespacesAndNewlines) == "b1 b2 l1 l2 met nu1 nu2 provenance")
    }
}
