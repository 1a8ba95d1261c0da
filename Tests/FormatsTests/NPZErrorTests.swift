import Events
import Foundation
import Testing
@testable import Formats

/// Every malformed input gives a FormatError of the right kind whose text names the file
/// and the problem; failed writes leave neither the file nor a temporary behind.
@Suite struct NPZErrorTests {
    func expectError(_ kind: FormatError.Kind, _ path: String, mentions words: [String],
                     sourceLocation: SourceLocation = #_sourceLocation, _ body: () throws -> Void) {
        do {
            try body()
            Issue.record("expected a \(kind) error for \(path)", sourceLocation: sourceLocation)
        } catch let e as FormatError {
            #expect(e.kind == kind, "\(e)", sourceLocation: sourceLocation)
            #expect(e.description.contains(path), "\(e)", sourceLocation: sourceLocation)
            for w in words { #expect(e.description.contains(w), "'\(w)' not in: \(e)", sourceLocation: sourceLocation) }
        } catch {
            Issue.record("unexpected error \(error)", sourceLocation: sourceLocation)
        }
    }

    /// Writes a zip whose entries are (name, python expression of the bytes).
    func zip(_ dir: TempDir, _ name: String, _ entries: String, compressed: Bool = false) throws -> String {
        let path = dir.path(name)
        _ = try pythonOK("""
        import sys, io, zipfile, numpy as np
        z = zipfile.ZipFile(sys.argv[1], 'w', \(compressed ? "zipfile.ZIP_DEFLATED" : "zipfile.ZIP_STORED"))
        def npy(a):
            b = io.BytesIO(); np.save(b, a); return b.getvalue()
        for name, data in \(entries):
            z.writestr(name, data)
        z.close()
        """, [path])
        return path
    }

    @Test func notAZipAndMissingFile() throws {
        let dir = try TempDir(); defer { dir.cleanup() }
        let text = dir.path("text.npz")
        try "just some text, long enough to hold an end record".write(toFile: text, atomically: false, encoding: .utf8)
        expectError(.badZip, text, mentions: ["not a zip"]) { _ = try NPZ.read(path: text) }
        let tiny = dir.path("tiny.npz")
        try "PK".write(toFile: tiny, atomically: false, encoding: .utf8)
        expectError(.badZip, tiny, mentions: ["not a zip"]) { _ = try NPZ.read(path: tiny) }
        let missing = dir.path("missing.npz")
        expectError(.io, missing, mentions: ["cannot open"]) { _ = try NPZ.read(path: missing) }
    }

    @Test func unsupportedDTypeFortranOrderBadHeader() throws {
        let dir = try TempDir(); defer { dir.cleanup() }
        let u8 = try zip(dir, "u8.npz", "[('a1.npy', npy(np.zeros((2, 4), dtype='u1')))]")
        expectError(.unsupportedDType, u8, mentions: ["a1.npy", "|u1"]) { _ = try NPZ.read(path: u8) }
        let c16 = try zip(dir, "c16.npz", "[('a1.npy', npy(np.zeros((2, 4), dtype='<c16')))]", compressed: true)
        expectError(.unsupportedDType, c16, mentions: ["a1.npy", "<c16"]) { _ = try NPZ.read(path: c16) }
        let big = try zip(dir, "big.npz", "[('a1.npy', npy(np.zeros((2, 4), dtype='>f8')))]")
        expectError(.unsupportedDType, big, mentions: [">f8"]) { _ = try NPZ.read(path: big) }
        let fortran = try zip(dir, "f.npz", "[('a1.npy', npy(np.asfortranarray(np.zeros((3, 4)))))]")
        expectError(.fortranOrder, fortran, mentions: ["a1.npy", "Fortran"]) { _ = try NPZ.read(path: fortran) }
        let magic = try zip(dir, "magic.npz", "[('a1.npy', b'this is not an npy array at all')]")
        expectError(.badHeader, magic, mentions: ["a1.npy", "magic"]) { _ = try NPZ.read(path: magic) }
        let dict = try zip(dir, "dict.npz", "[('a1.npy', npy(np.zeros(2))[:10] + b'{garbage'.ljust(117) + b'\\n')]")
        expectError(.badHeader, dict, mentions: ["a1.npy"]) { _ = try NPZ.read(path: dict) }
        let pickle = try zip(dir, "obj.npz", "[('a1.npy', b'\\x93NUMPY\\x01\\x00' + (118).to_bytes(2, 'little') + b\"{'descr': '|O', 'fortran_order': False, 'shape': (2,), }\".ljust(117) + b'\\n')]")
        expectError(.unsupportedDType, pickle, mentions: ["|O"]) { _ = try NPZ.read(path: pickle) }
    }

    @Test func truncatedEntriesAndFiles() throws {
        let dir = try TempDir(); defer { dir.cleanup() }
        // The header promises (10, 4) float64 but only 3 rows of data follow.
        let short = try zip(dir, "short.npz", "[('a1.npy', npy(np.zeros((10, 4)))[:-7 * 32])]")
        expectError(.truncated, short, mentions: ["truncated entry 'a1.npy'"]) { _ = try NPZ.read(path: short) }
        let shortZ = try zip(dir, "shortz.npz", "[('a1.npy', npy(np.zeros((10, 4)))[:-7 * 32])]", compressed: true)
        expectError(.truncated, shortZ, mentions: ["a1.npy"]) { _ = try NPZ.read(path: shortZ) }
        // Corrupt shapes must give errors, not huge allocations or overflow traps.
        let huge = try zip(dir, "huge.npz", "[('a1.npy', b'\\x93NUMPY\\x01\\x00' + (118).to_bytes(2, 'little') + b\"{'descr': '<f8', 'fortran_order': False, 'shape': (1099511627776, 4), }\".ljust(117) + b'\\n' + bytes(64))]")
        expectError(.truncated, huge, mentions: ["a1.npy", "(1099511627776, 4)"]) { _ = try NPZ.read(path: huge) }
        let overflow = try zip(dir, "overflow.npz", "[('a1.npy', b'\\x93NUMPY\\x01\\x00' + (118).to_bytes(2, 'little') + b\"{'descr': '<f8', 'fortran_order': False, 'shape': (4611686018427387904, 4611686018427387904), }\".ljust(117) + b'\\n')]")
        expectError(.badHeader, overflow, mentions: ["a1.npy", "too large"]) { _ = try NPZ.read(path: overflow) }
        // A file cut in the middle: the end record is gone.
        let s = ttbarSample(n: 20)
        let whole = dir.path("whole.npz")
        try NPZ.write(s, to: whole)
        let bytes = try fileBytes(whole)
        let cut = dir.path("cut.npz")
        try Data(bytes[0..<(bytes.count / 2)]).write(to: URL(fileURLWithPath: cut))
        expectError(.badZip, cut, mentions: ["end-of-central-directory"]) { _ = try NPZ.read(path: cut) }
    }

    @Test func corruptDataFailsTheCRC() throws {
        let dir = try TempDir(); defer { dir.cleanup() }
        let path = dir.path("crc.npz")
        try NPZ.write(ttbarSample(n: 20), to: path)
        var bytes = try fileBytes(path)
        bytes[200] ^= 0x01  // inside the first entry's data
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        expectError(.checksum, path, mentions: ["a1.npy", "CRC"]) { _ = try NPZ.read(path: path) }
    }

    @Test func readSampleNamesMissingKeyShapeAndBadEvent() throws {
        let dir = try TempDir(); defer { dir.cleanup() }
        var s = ttbarSample(n: 10)
        s[Key.a2] = nil
        let missing = dir.path("missing.npz")
        try NPZ.write(s, to: missing)
        expectError(.invalidSample, missing, mentions: ["'a2'"]) { _ = try NPZ.readSample(path: missing) }

        var w = ttbarSample(n: 10)
        w[Key.b2] = Column(shape: [10, 3], data: .float64(Array(repeating: 1, count: 30)))
        let shape = dir.path("shape.npz")
        try NPZ.write(w, to: shape)
        expectError(.invalidSample, shape, mentions: ["'b2'", "[10, 3]"]) { _ = try NPZ.readSample(path: shape) }

        var bad = ttbarSample(n: 10)
        var v = try bad.fourVectors(Key.b1)
        v[4 * 7 + 2] = .nan
        bad[Key.b1] = .fourVectors(v)
        let nan = dir.path("nan.npz")
        try NPZ.write(bad, to: nan)
        expectError(.invalidSample, nan, mentions: ["'b1'", "event 7"]) { _ = try NPZ.readSample(path: nan) }
    }

    @Test func unwritablePathNamesThePath() throws {
        let path = "/nonexistent-dir-\(UUID().uuidString)/x.npz"
        expectError(.io, path, mentions: ["temporary"]) { try NPZ.write(ttbarSample(n: 3), to: path) }
    }

    @Test func streamingErrorsNameTheKeyAndLeaveNoFiles() throws {
        // This test watches the temporary file, which only the named form (not O_TMPFILE) shows.
        AtomicFile.namedTemporariesOnly = true
        let dir = try TempDir(); defer { dir.cleanup() }
        let s = ttbarSample(n: 10)
        let path = dir.path("s.npz")
        func writer() throws -> NPZStreamWriter {
            try NPZStreamWriter(path: path, rows: 10, template: s, provenance: s.provenance)
        }
        var missing = s.selecting([0, 1]); missing[Key.met] = nil
        var w = try writer()
        expectError(.layoutMismatch, path, mentions: ["'met'"]) { try w.append(missing) }
        #expect(try dir.contents().isEmpty)
        #expect(throws: FormatError.self) { try w.finish() }

        var extra = s.selecting([0]); extra["bogus"] = .scalars([1])
        w = try writer()
        expectError(.layoutMismatch, path, mentions: ["'bogus'"]) { try w.append(extra) }

        var dtype = s.selecting([0]); dtype[Key.pairing] = .longs([0])
        w = try writer()
        expectError(.layoutMismatch, path, mentions: ["'pairing'", "<i8"]) { try w.append(dtype) }

        var shape = s.selecting([0]); shape[Key.met] = Column(shape: [1, 3], data: .float64([1, 2, 3]))
        w = try writer()
        expectError(.layoutMismatch, path, mentions: ["'met'", "[1, 3]"]) { try w.append(shape) }

        w = try writer()
        try w.append(s.selecting(Array(0..<6)))
        expectError(.layoutMismatch, path, mentions: ["overflows"]) { try w.append(s.selecting(Array(0..<6))) }

        w = try writer()
        try w.append(s.selecting(Array(0..<6)))
        expectError(.state, path, mentions: ["6 of the declared 10"]) { try w.finish() }

        w = try writer()
        try w.append(s.selecting(Array(0..<6)))
        w.abort()
        #expect(try dir.contents().isEmpty)

        // A writer dropped without finish removes its temporary file too.
        do {
            let dropped = try writer()
            try withExtendedLifetime(dropped) {
                try dropped.append(s.selecting([0]))
                #expect(try dir.contents().count == 1)
                #expect(try dir.contents()[0].hasPrefix(".s.npz.tmp-"))
            }
        }
        #expect(try dir.contents().isEmpty)
        // An existing file is left untouched by a failed rewrite.
        try NPZ.write(s, to: path)
        let before = try fileBytes(path)
        w = try writer()
        w.abort()
        #expect(try fileBytes(path) == before)
        #expect(try dir.contents() == ["s.npz"])
    }

    @Test func unknownExtensionListsTheSupportedOnes() throws {
        let path = "/tmp/out.root"
        expectError(.unsupportedFormat, path, mentions: [".npz", ".lhe", ".hepmc", ".hepmc3", ".csv"]) {
            _ = try EventFileFormat(path: path)
        }
        #expect(try EventFileFormat(path: "a/b.HEPMC") == .hepmc3)
        #expect(try EventFileFormat(path: "x.lhe") == .lhe)
        let needs = "/tmp/x.lhe"
        expectError(.unsupportedFormat, needs, mentions: ["TruthRecordInfo"]) {
            _ = try EventFiles.writer(path: needs, rows: 1, template: ttbarSample(n: 1), provenance: nil)
        }
    }
}
