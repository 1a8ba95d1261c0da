import Foundation

/// The estimators `deelema estimate --method` and `deelema bench --methods` know.
public enum Method: String, Sendable, Codable, CaseIterable {
    /// MT2 subsystems (t-tbar-like: MT2(l), MT2(bl), MT2(b); antler: MT2) with endpoint fits.
    case mt2
    /// MT2-assisted on-shell invisible momenta; parent-mass peak fits.
    case maos
    /// Analytic dilepton solutions for given (m_A, m_B, m_C) (t-tbar-like only).
    case kinsolve
    /// Mass-hypothesis scan over (m_A, m_B) (t-tbar-like only).
    case massscan
    /// Constrained M2 variables with endpoint fit (antler: resonance-constrained M2).
    case m2
    /// Endpoint and cusp fits (t-tbar-like: MT2 subsystem endpoints; antler: m(a1 a2) cusp and endpoint).
    case endpoint
    /// The DeeLeMa network (needs a trained model).
    case deelema

    /// Whether the method runs on antler samples.
    public var supportsAntler: Bool { self != .kinsolve && self != .massscan }

    /// Parses a comma-separated list ("all" for every method); throws naming the unknown entry.
    public static func parseList(_ text: String) throws -> [Method] {
        if text == "all" { return Method.allCases }
        let parts = text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        guard !parts.isEmpty, !parts.contains(where: \.isEmpty) else {
            throw MethodError.unknownMethod(text)
        }
        return try parts.map { p in
            guard let m = Method(rawValue: p) else { throw MethodError.unknownMethod(p) }
            return m
        }
    }
}

/// Why a method cannot run; every message says what to do instead.
public enum MethodError: Error, Equatable, CustomStringConvertible {
    case unknownMethod(String)
    case wrongTopology(method: Method, topology: String)
    case needsMasses(method: Method)
    case needsModel(method: Method)

    public var description: String {
        switch self {
        case .unknownMethod(let m):
            "unknown method '\(m)'; choose from \(Method.allCases.map(\.rawValue).joined(separator: ", ")) or all"
        case .wrongTopology(let m, let t):
            "method \(m.rawValue) handles t-tbar-like samples only; this sample is \(t)"
        case .needsMasses(let m):
            "method \(m.rawValue) needs a mass hypothesis: pass --masses mA,mB,mC (GeV)"
        case .needsModel(let m):
            "method \(m.rawValue) needs a trained model: pass --model FILE (from `deelema train`)"
        }
    }
}
