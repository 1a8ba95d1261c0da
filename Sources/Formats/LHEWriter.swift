import Events
import Kinematics

/// Writes the truth record as a Les Houches Event File, version 3.0 (hep-ph/0609017 and the
/// LHEF 3.0 update), streaming and atomic.
///
/// `<header>` holds the provenance JSON in `<deelema_provenance>`; `<init>` the beams (ids,
/// sqrt(s)/2 each), PDF ids 0 (the generator's own parametrised gluon density is no LHAPDF
/// set), IDWTUP 3 (unweighted) and one process (LPRUP 1) with the cross section in pb if
/// known (else 1); each `<event>` the NUP IDPRUP XWGTUP SCALUP AQEDUP AQCDUP line (weight
/// = cross section or 1, scale = the produced system's invariant mass, nominal couplings
/// 1/128 and 0.118 that the generator does not use) and one line per particle: IDUP ISTUP
/// MOTHUP1 MOTHUP2 ICOLUP1 ICOLUP2 PX PY PZ E M VTIMUP(0) SPINUP(9 = unknown). The particle
/// order, statuses and colour tags are those of `TruthRecord` and `ColourFlow`.
public final class LHEWriter: EventFileWriter {
    public var path: String { stream.path }
    private let stream: TruthRecordStream
    private var info: TruthRecordInfo { stream.info }

    /// - Parameters:
    ///   - template: a chunk of the sample (defines topology and whether `true_isr` is present);
    ///     its rows are not written.
    public init(path: String, template: Sample, info: TruthRecordInfo, provenance: Provenance?) throws(FormatError) {
        stream = try TruthRecordStream(path: path, template: template, info: info, provenance: provenance)
    }

    /// The file header: `<header>` with the provenance, and `<init>`.
    private func header() throws(FormatError) -> String {
        var head = "<LesHouchesEvents version=\"3.0\">\n<header>\n"
        if let provenance = stream.provenance {
            head += "<deelema_provenance>\n\(xmlEscape(try ProvenanceJSON.encode(provenance, path: path)))\n</deelema_provenance>\n"
        }
        let xsec = info.crossSectionPb ?? 1
        head += "</header>\n<init>\n"
        head += "\(info.beam1) \(info.beam2) \(info.sqrtS / 2) \(info.sqrtS / 2) 0 0 0 0 3 1\n"
        head += "\(xsec) \(info.crossSectionErrorPb) \(xsec) 1\n</init>\n"
        return head
    }

    public func updateProvenance(_ provenance: Provenance?) throws(FormatError) {
        try stream.updateProvenance(provenance)
    }

    private func xmlEscape(_ s: String) -> String {
        var r = ""
        for c in s {
            switch c {
            case "&": r += "&amp;"
            case "<": r += "&lt;"
            case ">": r += "&gt;"
            default: r.append(c)
            }
        }
        return r
    }

    public func append(_ chunk: Sample) throws(FormatError) {
        try stream.append(chunk) { (record) throws(FormatError) in
            let weight = info.crossSectionPb ?? 1
            for i in 0..<chunk.count {
                let ps = record.event(i)
                let system = ps.filter { $0.mother1 == 1 && $0.mother2 == 2 && $0.status == 2 }
                    .reduce(FourVector(e: 0, px: 0, py: 0, pz: 0)) { $0 + $1.p }
                var text = "<event>\n\(ps.count) 1 \(weight) \(system.mass) 0.0078125 0.118\n"
                for p in ps {
                    text += "\(p.pdg) \(p.status) \(p.mother1) \(p.mother2) \(p.colour) \(p.anticolour) "
                    text += "\(p.p.px) \(p.p.py) \(p.p.pz) \(p.p.e) \(p.mass) 0 9\n"
                }
                text += "</event>\n"
                try stream.write(text)
            }
        }
    }

    public func finish() throws(FormatError) {
        try stream.finish(footer: "</LesHouchesEvents>\n", header: header)
    }

    public func abort() { stream.abort() }
}
