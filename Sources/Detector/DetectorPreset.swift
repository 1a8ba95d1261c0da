#if canImport(Glibc)
import Glibc
#endif
import Core
import Generation

/// Detector response presets (docs/physics.md#detector), resolutions taken from the public Delphes
/// cards (delphes/delphes, cards/delphes_card_ATLAS.tcl and delphes_card_CMS.tcl).
public enum DetectorPreset: String, Sendable, CaseIterable, Codable {
    /// No smearing (acceptance cuts still apply).
    case ideal
    /// ATLAS: Delphes muon and electron tracking resolutions, ATLAS HCAL jet energy resolution.
    case atlas
    /// CMS: the same lepton resolutions, CMS HCAL jet energy resolution.
    case cms

    /// The preset called `name` (case-insensitive); unknown names throw, listing the presets.
    public init(name: String) throws(DetectorError) {
        guard let p = DetectorPreset(rawValue: name.lowercased()) else {
            throw .unknownPreset(name)
        }
        self = p
    }
}

/// Why a detector configuration cannot be used.
public enum DetectorError: Error, Equatable, CustomStringConvertible {
    case unknownPreset(String)
    case badSmearScale(Double)
    case badSoftTerm(Double)
    case badEnergyScale(name: String, Double)

    public var description: String {
        switch self {
        case .unknownPreset(let n):
            "unknown detector preset '\(n)' (available: \(DetectorPreset.allCases.map(\.rawValue).joined(separator: ", ")))"
        case .badSmearScale(let s): "smearing scale must be a finite number >= 0, found \(s)"
        case .badSoftTerm(let s): "MET soft-term sigma must be a finite number >= 0 GeV, found \(s)"
        case .badEnergyScale(let name, let k): "\(name) energy-scale factor must be a finite number > 0 (1 is nominal), found \(k)"
        }
    }
}

/// The resolution formulas of the presets (GeV). |eta| bins are tested without computing
/// eta: |eta| <= c exactly when |pz| <= pT sinh(c).
public enum Resolution {
    // sinh of the bin edges 0.5, 1.5, 1.7 (literals: no lazy-global check in the hot loop;
    // checked against sinh() in SmearingTests).
    public static let sinh05 = 0.5210953054937474
    public static let sinh15 = 2.1292794550948173
    public static let sinh17 = 2.6456319338372323

    /// Muon relative pT resolution sigma(pT)/pT (both cards): |eta| <= 0.5:
    /// sqrt(0.01^2 + pT^2 1.0e-4^2); 0.5-1.5: sqrt(0.015^2 + pT^2 1.5e-4^2);
    /// beyond: sqrt(0.025^2 + pT^2 3.5e-4^2). Lane 0 of the four-lane form.
    @inlinable @inline(__always)
    public static func muonRelative(pt: Double, absPz: Double) -> Double {
        muonRelative(pt: Lanes(repeating: pt), absPz: Lanes(repeating: absPz))[0]
    }

    /// Electron tracking relative pT resolution: |eta| <= 0.5: sqrt(0.03^2 + pT^2 1.3e-3^2);
    /// 0.5-1.5: sqrt(0.05^2 + pT^2 1.7e-3^2); beyond: sqrt(0.15^2 + pT^2 3.1e-3^2). Lane 0 of
    /// the four-lane form.
    @inlinable @inline(__always)
    public static func electronRelative(pt: Double, absPz: Double) -> Double {
        electronRelative(pt: Lanes(repeating: pt), absPz: Lanes(repeating: absPz))[0]
    }

    /// ATLAS jet energy resolution sigma(E): |eta| <= 1.7: sqrt(E^2 0.0302^2 + E 0.5205^2 + 1.59^2);
    /// beyond: sqrt(E^2 0.05^2 + E 0.706^2). Lane 0 of the four-lane form.
    @inlinable @inline(__always)
    public static func atlasJet(energy e: Double, pt: Double, absPz: Double) -> Double {
        atlasJet(energy: Lanes(repeating: e), pt: Lanes(repeating: pt), absPz: Lanes(repeating: absPz))[0]
    }

    /// CMS jet energy resolution sigma(E) for |eta| <= 3.0: sqrt(E^2 0.05^2 + E 1.5^2). Lane 0 of
    /// the four-lane form.
    @inlinable @inline(__always)
    public static func cmsJet(energy e: Double) -> Double {
        cmsJet(energy: Lanes(repeating: e))[0]
    }
}
