/// One particle of an imported generator event. Momenta in GeV, (px, py, pz, E) as the files
/// store them. Mothers are 1-based positions in the event (0: none), LHE style: the particle
/// descends from every position in mother1...mother2 (mother2 <= mother1 means mother1 only).
public struct GenParticle: Sendable, Equatable {
    public var pdg: Int
    /// LHE ISTUP (-1 incoming, 1 final, 2 intermediate) or the HepMC3 status (1 final, 2
    /// decayed, 4 beam, generator-specific otherwise).
    public var status: Int
    public var mother1: Int
    public var mother2: Int
    public var px: Double, py: Double, pz: Double, e: Double

    public init(pdg: Int, status: Int, mother1: Int, mother2: Int, px: Double, py: Double, pz: Double, e: Double) {
        self.pdg = pdg; self.status = status; self.mother1 = mother1; self.mother2 = mother2
        self.px = px; self.py = py; self.pz = pz; self.e = e
    }

    /// Whether position `m` (1-based) is among this particle's mothers.
    @inline(__always)
    public func hasMother(_ m: Int) -> Bool {
        mother2 > mother1 ? (mother1 <= m && m <= mother2) : mother1 == m
    }
}

/// One imported event: its particles, weight (LHE XWGTUP, HepMC3 first `W` value; 1 when
/// absent; may be negative), event number (HepMC3 `E`, or the ordinal for LHE) and the
/// line where it starts (for messages).
public struct GenEvent: Sendable {
    public var number: Int = 0
    public var weight: Double = 1
    public var line: Int = 0
    public var particles: [GenParticle] = []

    public init() {}
}

/// A streaming reader of generator events: one event at a time, flat memory.
public protocol GenEventReader: AnyObject {
    /// Fills `event` with the next event; false at the end of the file (after checking the
    /// file's closing line). Throws `EventImportError` naming the line on malformed input.
    func next(into event: inout GenEvent) throws(EventImportError) -> Bool
    /// Raw (compressed, for .gz) bytes consumed so far, and the file size: for progress.
    var bytesRead: Int { get }
    var fileSize: Int { get }
    /// FNV-1a 64 of the raw file bytes (hex), complete once `next` has returned false.
    var digest: String { get }
}

/// Opens the reader for `path` by its extension: `.lhe`, `.hepmc`, `.hepmc3`, each optionally
/// gzipped (`.gz`; gzip is detected from the content, not the name).
public enum GenEventFiles {
    public static let extensions = [".lhe", ".lhe.gz", ".hepmc", ".hepmc.gz", ".hepmc3", ".hepmc3.gz"]

    public static func reader(path: String) throws(EventImportError) -> any GenEventReader {
        let lower = path.lowercased()
        let stem = lower.hasSuffix(".gz") ? String(lower.dropLast(3)) : lower
        if stem.hasSuffix(".lhe") { return try LHEReader(path: path) }
        if stem.hasSuffix(".hepmc") || stem.hasSuffix(".hepmc3") { return try HepMC3Reader(path: path) }
        throw EventImportError(path: path, line: 0,
                               "unknown event file type; expected one of \(extensions.joined(separator: ", "))")
    }
}
