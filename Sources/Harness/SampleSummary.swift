import Events
import Kinematics

/// A distribution reduced to what a physicist scans first: count, peak, widths, range.
public struct DistributionSummary: Sendable, Codable {
    public var name: String
    public var count: Int
    public var peak: Double
    public var fwhm: Double
    public var median: Double
    /// Half the 16-84% range (GeV for masses and momenta).
    public var width68: Double
    public var min: Double
    public var max: Double

    /// Summarises `values`; nil when there are fewer than 10 finite values.
    public init?(name: String, values: [Double]) {
        let v = values.filter { $0.isFinite }.sorted()
        guard let p = Statistics.peak(v), let med = Statistics.quantile(sorted: v, 0.5),
              let w = Statistics.robustWidth(v) else { return nil }
        self.name = name; count = v.count; peak = p.position; fwhm = p.fwhm
        median = med; width68 = w; self.min = v.first!; self.max = v.last!
    }
}

/// The summary `deelema inspect` prints: truth masses and visible distributions of a sample.
public enum SampleSummary {
    /// Invariant masses (GeV) of the four-vectors under `key` (signed for space-like rows).
    public static func masses(_ sample: Sample, _ key: String) -> [Double]? {
        guard let v = try? sample.fourVectors(key) else { return nil }
        return (0..<(v.count / 4)).map { FourVector(v, row: $0).mass }
    }

    /// Transverse momenta (GeV) of the four-vectors under `key`.
    public static func transverseMomenta(_ sample: Sample, _ key: String) -> [Double]? {
        guard let v = try? sample.fourVectors(key) else { return nil }
        return (0..<(v.count / 4)).map { FourVector(v, row: $0).pt }
    }

    /// Pseudorapidities of the four-vectors under `key`.
    public static func pseudorapidities(_ sample: Sample, _ key: String) -> [Double]? {
        guard let v = try? sample.fourVectors(key) else { return nil }
        return (0..<(v.count / 4)).map { FourVector(v, row: $0).eta }
    }

    /// Every distribution worth a line: truth masses of each role, visible pt and eta, MET.
    public static func distributions(of sample: Sample) -> [DistributionSummary] {
        var out: [DistributionSummary] = []
        for key in Key.truth(sample.kind) {
            if let m = masses(sample, key), let d = DistributionSummary(name: "m(\(key))", values: m) { out.append(d) }
        }
        for key in Key.reconstructed(sample.kind) {
            if let pt = transverseMomenta(sample, key), let d = DistributionSummary(name: "pt(\(key))", values: pt) {
                out.append(d)
            }
            if let eta = pseudorapidities(sample, key), let d = DistributionSummary(name: "eta(\(key))", values: eta) {
                out.append(d)
            }
        }
        if let met = try? sample.transverse(Key.met) {
            let mag = (0..<(met.count / 2)).map { i -> Double in
                let x = met[2 * i], y = met[2 * i + 1]
                return (x * x + y * y).squareRoot()
            }
            if let d = DistributionSummary(name: "|met|", values: mag) { out.append(d) }
        }
        if sample.kind == .ttbarLike, let a1 = try? sample.fourVectors(Key.a1), let b1 = try? sample.fourVectors(Key.b1) {
            let m = (0..<(a1.count / 4)).map { (FourVector(a1, row: $0) + FourVector(b1, row: $0)).mass }
            if let d = DistributionSummary(name: "m(a1 b1)", values: m) { out.append(d) }
        } else if sample.kind == .antler, let a1 = try? sample.fourVectors(Key.a1), let a2 = try? sample.fourVectors(Key.a2) {
            let m = (0..<(a1.count / 4)).map { (FourVector(a1, row: $0) + FourVector(a2, row: $0)).mass }
            if let d = DistributionSummary(name: "m(a1 a2)", values: m) { out.append(d) }
        }
        return out
    }
}
