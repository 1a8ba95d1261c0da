import Baselines
import Detector
import Events

/// The detector resolution the resolution-aware fits (`nuweight`, `klfit`, `kinreco`) assume
/// when told to, instead of the one the sample's provenance names: a preset and a global scale.
/// A sweep passes one (`--fit-resolution cms:1`) so that every smearing point is fitted with the
/// nominal model, i.e. deliberately mis-modelled away from scale 1.
public struct FitResolution: Sendable, Equatable, Codable, CustomStringConvertible {
    public var preset: DetectorPreset
    /// Multiplies every resolution of the preset (finite, >= 0; 0: perfect measurement assumed).
    public var scale: Double

    /// Throws `HarnessError.badOption` (--fit-resolution) for a negative or non-finite scale.
    public init(preset: DetectorPreset, scale: Double) throws {
        guard scale.isFinite, scale >= 0 else {
            throw HarnessError.badOption(name: "--fit-resolution", reason: "the scale must be a finite number >= 0, got \(scale)")
        }
        self.preset = preset; self.scale = scale
    }

    /// Parses "PRESET:SCALE" (e.g. "cms:1", "atlas:0.5"); throws `HarnessError.badOption`
    /// naming --fit-resolution and what is wrong.
    public init(parsing text: String) throws {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
        guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty else {
            throw HarnessError.badOption(name: "--fit-resolution", reason: "wants PRESET:SCALE (e.g. cms:1), got '\(text)'")
        }
        guard let preset = DetectorPreset(rawValue: parts[0].lowercased()) else {
            throw HarnessError.badOption(name: "--fit-resolution",
                                         reason: "unknown preset '\(parts[0])' in '\(text)'; choose ideal, atlas or cms")
        }
        guard let scale = Double(parts[1]) else {
            throw HarnessError.badOption(name: "--fit-resolution", reason: "scale '\(parts[1])' in '\(text)' is not a number")
        }
        try self.init(preset: preset, scale: scale)
    }

    /// "cms:1", as `--fit-resolution` takes it.
    public var description: String { "\(preset.rawValue):\(Bench.number(scale))" }

    /// The model a fit assumes on `sample`: the provenance's visible classes and MET soft term
    /// with this preset and scale; without a usable provenance, the t-tbar card's classes (a jet,
    /// b muon) and no soft term.
    public func model(for sample: Sample) throws -> ResolutionModel {
        if let p = sample.provenance, let base = try? ResolutionModel(provenance: p) {
            return try base.overriding(preset: preset, scale: scale)
        }
        return try ResolutionModel(preset: preset, scale: scale)
    }

    /// Throws `HarnessError.badOption` naming --fit-resolution when neither an override nor the
    /// sample's provenance says which resolution a fit should assume.
    static func check(_ fit: FitResolution?, on sample: Sample) throws {
        if fit == nil, sample.provenance == nil {
            throw HarnessError.badOption(name: "--fit-resolution",
                                         reason: "the sample has no provenance to read the detector resolution from: pass --fit-resolution PRESET:SCALE (e.g. cms:1)")
        }
    }
}
