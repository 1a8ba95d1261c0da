import Events
import Foundation

/// A method's name, as `deelema estimate --method` and `deelema bench --methods` take it. The
/// methods themselves are the entries of an `EstimatorRegistry`; the constants name those of
/// `EstimatorRegistry.standard`.
public struct Method: RawRepresentable, Hashable, Sendable, Codable, CustomStringConvertible {
    public let rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }
    public var description: String { rawValue }

    /// MT2 subsystems (t-tbar-like: MT2(l), MT2(bl), MT2(b); antler: MT2) with endpoint fits.
    public static let mt2 = Method(rawValue: "mt2")
    /// MT2-assisted on-shell invisible momenta; parent-mass peak fits.
    public static let maos = Method(rawValue: "maos")
    /// Analytic dilepton solutions for given (m_A, m_B, m_C) (t-tbar-like only).
    public static let kinsolve = Method(rawValue: "kinsolve")
    /// Mass-hypothesis scan over (m_A, m_B) (t-tbar-like only).
    public static let massscan = Method(rawValue: "massscan")
    /// Constrained M2 variables with endpoint fit (antler: resonance-constrained M2).
    public static let m2 = Method(rawValue: "m2")
    /// Endpoint and cusp fits (antler: m(a1 a2) cusp and endpoint, MT2; t-tbar-like: the MT2
    /// endpoints, the same numbers as `mt2`).
    public static let endpoint = Method(rawValue: "endpoint")
    /// The DeeLeMa network (needs a trained model).
    public static let deelema = Method(rawValue: "deelema")

    /// The methods of `EstimatorRegistry.standard`, in order.
    public static var allCases: [Method] { EstimatorRegistry.standard.methods }

    /// Parses a comma-separated list ("all" for every method) against `EstimatorRegistry.standard`;
    /// throws naming the unknown entry.
    public static func parseList(_ text: String) throws -> [Method] { try EstimatorRegistry.standard.parseList(text) }

    public init(from decoder: any Decoder) throws { rawValue = try decoder.singleValueContainer().decode(String.self) }
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(rawValue)
    }
}

/// Why a method cannot run; every message says what to do instead.
public enum MethodError: Error, Equatable, CustomStringConvertible {
    case unknownMethod(String)
    case wrongTopology(method: Method, topology: String)
    case needsMasses(method: Method)
    case needsModel(method: Method)
    case needsSimulation(method: Method)

    public var description: String {
        switch self {
        case .unknownMethod(let m):
            "unknown method '\(m)'; choose from \(Method.allCases.map(\.rawValue).joined(separator: ", ")) or all"
        case .wrongTopology(let m, let t):
            // Two topologies: a method refused on one handles the other only.
            "method \(m.rawValue) handles \(t == TopologyKind.antler.rawValue ? "t-tbar-like" : "antler") samples only; this sample is \(t)"
        case .needsMasses(let m):
            "method \(m.rawValue) needs a mass hypothesis: pass --masses mA,mB,mC (GeV)"
        case .needsModel(let m):
            "method \(m.rawValue) needs a trained model: pass --model FILE (from `deelema train`)"
        case .needsSimulation(let m):
            "method \(m.rawValue) needs a separate simulated sample for its priors (never the measured one): pass "
                + "--simulation FILE.npz with truth arrays (e.g. from `deelema generate`; bench and calibrate pass one themselves)"
        }
    }
}
