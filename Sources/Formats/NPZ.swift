import Core
import Events

/// The native event-file format: a numpy `.npz` archive with one array per key (see
/// Sources/Formats/README.md). Written STORED (uncompressed, loadable by `numpy.load` as is);
/// read stored or deflated (`numpy.savez_compressed`).
public enum NPZ {
    /// Writes `sample` (and its provenance) to `path` atomically. Same sample, same bytes.
    public static func write(_ sample: Sample, to path: String, zip64Threshold: UInt64 = 0xFFFF_FFFF) throws(FormatError) {
        // Rows of the first array with an event axis (0-d arrays such as fitted masses have none).
        let rows = sample.keys.lazy.compactMap { sample[$0] }.first { !$0.shape.isEmpty }?.rows ?? 0
        let writer = try NPZStreamWriter(path: path, rows: rows, template: sample,
                                         provenance: sample.provenance, zip64Threshold: zip64Threshold)
        try writer.append(sample)
        try writer.finish()
    }

    /// Reads every array of an npz file. Accepted: .npy versions 1.0/2.0/3.0, C order, dtypes
    /// `<f8`, `<f4` (converted to float64), `<i4`, `<i8`; the `provenance` entry (0-d `<U`) is
    /// decoded into `Sample.provenance`. Without provenance the topology is inferred from the
    /// keys (`b1` present: t-tbar-like, else antler). CRCs are checked.
    public static func read(path: String) throws(FormatError) -> Sample {
        let archive = try ZipArchive(path: path)
        let entries = archive.entries
        for entry in entries where !entry.name.hasSuffix(".npy") {
            throw FormatError(.badHeader, path: path, "entry '\(entry.name)' is not a .npy array")
        }
        // Entries are independent: read, inflate and checksum them in parallel (one slot per entry).
        let out = SharedOutput<Result<Column?, FormatError>>(repeating: .success(nil), count: entries.count)
        let text = SharedOutput<String?>(repeating: nil, count: entries.count)
        ParallelLoop.forEach(entries.count) { i in
            out[i] = Result { () throws(FormatError) -> Column? in
                let source = try NPYSource(archive: archive, entry: entries[i])
                if entries[i].name == Key.provenance + ".npy" {
                    text[i] = try source.string()
                    return nil
                }
                return try source.column()
            }
        }
        let results = out.array, texts = text.array
        var columns: [(String, Column)] = []
        var provenance: Provenance? = nil
        for (i, entry) in entries.enumerated() {
            if let column = try results[i].get() {
                columns.append((String(entry.name.dropLast(4)), column))
            } else if let json = texts[i] {
                provenance = try ProvenanceJSON.decode(json, path: path)
            }
        }
        let kind = provenance?.topology ?? (columns.contains { $0.0 == Key.b1 } ? .ttbarLike : .antler)
        var sample = Sample(kind: kind, provenance: provenance)
        for (key, column) in columns { sample[key] = column }
        return sample
    }

    /// The provenance and the event count of an npz file without reading its arrays: the
    /// `provenance` entry, and the first dimension of the first array with an event axis (0
    /// when there is none).
    public static func readHeader(path: String) throws(FormatError) -> (provenance: Provenance?, rows: Int) {
        let archive = try ZipArchive(path: path)
        var provenance: Provenance? = nil
        var rows: Int? = nil
        for entry in archive.entries {
            guard entry.name.hasSuffix(".npy") else {
                throw FormatError(.badHeader, path: path, "entry '\(entry.name)' is not a .npy array")
            }
            // Only the provenance and the first array's header are parsed.
            if entry.name == Key.provenance + ".npy" {
                provenance = try ProvenanceJSON.decode(try NPYSource(archive: archive, entry: entry).string(), path: path)
            } else if rows == nil {
                rows = try NPYSource(archive: archive, entry: entry).header.shape.first
            }
        }
        return (provenance, rows ?? 0)
    }

    /// Reads an event file and checks it is usable: the reconstructed four-vectors of its
    /// topology as (N, 4) float64, `met` (N, 2), optionally the truth record, equal row counts,
    /// at least one event, only finite numbers and only physical four-vectors (E >= 0, E >= |p|
    /// up to rounding, in every four-vector array present). `pairing` is optional (only
    /// `--pairing true` and scoring read it); when present it must be (N,) integers.
    /// Files in the DeeLeMa reference layout are checked for `DeeLeMaLayout.keys` instead.
    /// Every command reads samples through here, so every command refuses the same things
    /// with the same message.
    /// - Parameters:
    ///   - kind: when given, the file must hold this topology.
    ///   - requireTruth: also require every truth array of the topology.
    public static func readSample(path: String, expecting kind: TopologyKind? = nil,
                                  requireTruth: Bool = false) throws(FormatError) -> Sample {
        let sample = try read(path: path)
        if let kind, sample.kind != kind {
            throw FormatError.sample(.wrongTopology(expected: kind, found: sample.kind), path: path)
        }
        let deelema = sample.provenance?.layout == DeeLeMaLayout.name
            || (sample[Key.a1] == nil && sample[DeeLeMaLayout.l1] != nil)
        var vectors: [String]
        var integers: [String] = []
        var optionalVectors: [String] = []
        if deelema {
            vectors = DeeLeMaLayout.fourVectorKeys
        } else {
            vectors = Key.reconstructed(sample.kind)
            if sample.kind == .ttbarLike, sample[Key.pairing] != nil { integers.append(Key.pairing) }
            if requireTruth { vectors += Key.truth(sample.kind) }
            optionalVectors = (Key.truth(sample.kind) + [Key.isr, Key.trueISR]).filter { !vectors.contains($0) && sample[$0] != nil }
        }
        do throws(SampleError) {
            try sample.validate(requiring: vectors + [Key.met] + integers + optionalVectors)
            if sample[vectors[0]]?.rows == 0 { throw SampleError.empty }
            for key in vectors + optionalVectors { _ = try sample.fourVectors(key) }
            _ = try sample.transverse(Key.met)
            for key in integers {
                guard let c = sample[key], c.shape.count == 1, c.integers != nil else {
                    let c = sample[key]!
                    throw SampleError.wrongShape(key: key, expected: "(N,) integer", found: c.shape, dtype: c.data.dtype)
                }
            }
            try sample.checkPhysical(vectors + optionalVectors)
        } catch {
            throw FormatError.sample(error, path: path)
        }
        return sample
    }
}
