import Events

/// The output formats, chosen by file extension.
public enum EventFileFormat: String, Sendable, CaseIterable {
    case npz, lhe, hepmc3, csv

    /// Extension (lower case, no dot) to format.
    public static let extensions: [(String, EventFileFormat)] =
        [("npz", .npz), ("lhe", .lhe), ("hepmc", .hepmc3), ("hepmc3", .hepmc3), ("csv", .csv)]

    /// The format of `path` by its extension; unknown extensions throw, listing the supported ones.
    public init(path: String) throws(FormatError) {
        let name = path.split(separator: "/").last.map(String.init) ?? path
        let ext = name.contains(".") ? String(name.split(separator: ".").last!).lowercased() : ""
        guard let f = EventFileFormat.extensions.first(where: { $0.0 == ext })?.1 else {
            let list = EventFileFormat.extensions.map { "." + $0.0 }.joined(separator: ", ")
            throw FormatError(.unsupportedFormat, path: path, "unsupported output extension '\(ext.isEmpty ? "(none)" : "." + ext)'; supported: \(list)")
        }
        self = f
    }

    /// Whether the format writes the truth record and so needs a `TruthRecordInfo`.
    public var needsTruthInfo: Bool { self == .lhe || self == .hepmc3 }
}

/// Makes the streaming writer for an output path.
public enum EventFiles {
    /// A writer for `path`, chosen by its extension.
    /// - Parameters:
    ///   - rows: total events (needed up front by npz; the text formats ignore it).
    ///   - template: a chunk defining keys, shapes and dtypes (not written by itself).
    ///   - truthInfo: PDG ids and beam energy, required for .lhe and .hepmc/.hepmc3.
    public static func writer(path: String, rows: Int, template: Sample, provenance: Provenance?,
                              truthInfo: TruthRecordInfo? = nil) throws(FormatError) -> any EventFileWriter {
        let format = try EventFileFormat(path: path)
        if format.needsTruthInfo && truthInfo == nil {
            throw FormatError(.unsupportedFormat, path: path, "\(format.rawValue) output needs the particle ids and beam energy (TruthRecordInfo)")
        }
        switch format {
        case .npz: return try NPZStreamWriter(path: path, rows: rows, template: template, provenance: provenance)
        case .lhe: return try LHEWriter(path: path, template: template, info: truthInfo!, provenance: provenance)
        case .hepmc3: return try HepMC3Writer(path: path, template: template, info: truthInfo!, provenance: provenance)
        case .csv: return try CSVWriter(path: path, template: template, provenance: provenance)
        }
    }
}
