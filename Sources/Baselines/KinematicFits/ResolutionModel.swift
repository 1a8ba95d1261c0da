import Detector
import Events
import Generation
import Kinematics

/// The detector resolution a kinematic fit assumes: a `DetectorPreset`, a global smearing scale
/// and the detector class of the visibles a (from A) and b (from B).
///
/// By default it is read from the measured sample's provenance (preset and smearing scale), as
/// an analysis knows its calibrated resolutions; `overriding(preset:scale:)` mis-models it on
/// purpose (a sweep's robustness check). The formulas are the detector's own
/// (`Detector.resolution`, `Detector.smear`): jets have their energy smeared with the
/// four-vector scaled, leptons their pT with mass and direction kept. The detector model has no
/// angular smearing, so neither has this model: directions are kept exactly.
public struct ResolutionModel: Sendable {
    /// Preset whose resolution formulas are used.
    public let preset: DetectorPreset
    /// Global scale multiplying every resolution (0: no smearing).
    public let scale: Double
    /// Detector class of the visibles a1, a2 and of b1, b2.
    public let aClass: VisibleClass, bClass: VisibleClass
    let detector: Detector

    /// A model with an explicit preset and scale (>= 0, finite); throws `DetectorError` otherwise.
    public init(preset: DetectorPreset, scale: Double, aClass: VisibleClass, bClass: VisibleClass) throws(DetectorError) {
        detector = try Detector(preset: preset, scale: scale)
        self.preset = preset; self.scale = scale; self.aClass = aClass; self.bClass = bClass
    }

    /// The model of a sample's provenance (`detector`, `smearScale`); the visibles' classes from
    /// the card that generated it (`PDG.visibleClass` of a and b; anything else counts as a jet,
    /// as in the detector stage). Throws `ResolutionModelError` naming the provenance field.
    public init(provenance: Provenance?, card: Card) throws(ResolutionModelError) {
        try self.init(provenance: provenance,
                      aClass: PDG.visibleClass(card.particle(.a).pdg) ?? .jet,
                      bClass: card.topology == .ttbarLike ? (PDG.visibleClass(card.particle(.b).pdg) ?? .jet) : .jet)
    }

    /// The model of a sample's provenance with given visible classes.
    public init(provenance: Provenance?, aClass: VisibleClass, bClass: VisibleClass) throws(ResolutionModelError) {
        guard let provenance else { throw .noProvenance }
        guard let preset = DetectorPreset(rawValue: provenance.detector.lowercased()) else {
            throw .unknownDetector(provenance.detector)
        }
        do {
            try self.init(preset: preset, scale: provenance.smearScale, aClass: aClass, bClass: bClass)
        } catch {
            throw .badScale(provenance.smearScale)
        }
    }

    /// The same classes with another preset and/or scale (nil keeps the current one).
    public func overriding(preset: DetectorPreset? = nil, scale: Double? = nil) throws(DetectorError) -> ResolutionModel {
        try ResolutionModel(preset: preset ?? self.preset, scale: scale ?? self.scale, aClass: aClass, bClass: bClass)
    }

    /// Whether the model smears at all (a non-ideal preset with scale > 0).
    public var smears: Bool { detector.smears }

    /// The resolution at this scale of an object of class `cls` with four-momentum v (GeV):
    /// sigma(pT) for leptons, sigma(E) for jets; 0 when the model does not smear.
    public func sigma(_ cls: VisibleClass, _ v: FourVector) -> Double {
        smears ? scale * detector.resolution(cls, (v.e, v.px, v.py, v.pz)) : 0
    }

    /// v smeared by the standard normal deviate g (GeV): the detector's own formula, so a jet
    /// whose drawn energy is negative becomes the zero vector. v itself when the model does not smear.
    @inline(__always)
    public func smeared(_ cls: VisibleClass, _ v: FourVector, gaussian g: Double) -> FourVector {
        guard smears else { return v }
        let s = detector.smear(cls, (v.e, v.px, v.py, v.pz), gaussian: g)
        return FourVector(e: s.0, px: s.1, py: s.2, pz: s.3)
    }

    /// One line for notes: "cms x 1.0 (a: jet, b: muon)".
    public var summary: String { "\(preset.rawValue) x \(scale) (a: \(aClass.rawValue), b: \(bClass.rawValue))" }
}

/// Why a resolution model cannot be read from a sample's provenance.
public enum ResolutionModelError: Error, Equatable, CustomStringConvertible {
    case noProvenance
    case unknownDetector(String)
    case badScale(Double)

    public var description: String {
        switch self {
        case .noProvenance:
            "the sample has no provenance to read the detector resolution from; give the resolution model explicitly (preset and scale)"
        case .unknownDetector(let name):
            "provenance field 'detector' is '\(name)', not one of \(DetectorPreset.allCases.map(\.rawValue).joined(separator: ", ")); "
                + "give the resolution model explicitly (preset and scale)"
        case .badScale(let s): "provenance field 'smearScale' is \(s), expected a finite number >= 0"
        }
    }
}
