import Detector
import Events
import Kinematics

/// The detector resolution a kinematic fit assumes: a `DetectorPreset`, a global smearing scale,
/// the MET soft-term sigma and the detector class of the visibles a (from A) and b (from B).
///
/// By default it is read from the measured sample's provenance (preset, smearing scale, soft
/// term), as an analysis knows its calibrated resolutions; an explicit model or
/// `overriding(preset:scale:)` mis-models it on purpose (a sweep's robustness check). The
/// formulas are the detector's own (`Detector.resolution`, `Detector.smear`): jets have their
/// energy smeared with the four-vector scaled, leptons their pT with mass and direction kept.
/// The detector model has no angular smearing, so neither has this model: directions are kept
/// exactly. Resolutions are evaluated at the measured four-momenta (the true ones are unknown to
/// a fit); the generator evaluates them at the true ones, a second-order difference.
public struct ResolutionModel: Sendable {
    /// Preset whose resolution formulas are used.
    public let preset: DetectorPreset
    /// Global scale multiplying every resolution (0: perfect measurement).
    public let scale: Double
    /// Gaussian MET soft term per component at scale 1 (GeV); the detector adds scale times it.
    public let softTermSigma: Double
    /// Detector class of the visibles a1, a2 and of b1, b2.
    public let aClass: VisibleClass, bClass: VisibleClass
    let detector: Detector

    /// A model with an explicit preset and scale (>= 0, finite) and soft term; throws
    /// `DetectorError` otherwise. The default classes are the t-tbar card's (a jet, b muon).
    public init(preset: DetectorPreset, scale: Double, softTermSigma: Double = 0,
                aClass: VisibleClass = .jet, bClass: VisibleClass = .muon) throws(DetectorError) {
        detector = try Detector(preset: preset, scale: scale, softTermSigma: softTermSigma)
        self.preset = preset; self.scale = scale; self.softTermSigma = softTermSigma
        self.aClass = aClass; self.bClass = bClass
    }

    /// The model a sample was made with: preset, smearing scale and soft term (`met_soft_sigma`
    /// in `extra`, 0 when absent) from its provenance, object classes from the PDG ids of the
    /// provenance's card (shipped or on the card path, `ChainClasses(cardNamed:)`); when the
    /// card cannot be loaded, a is a jet and b a muon (the t-tbar card). Throws `DetectorError`
    /// for an unknown preset name.
    public init(provenance p: Provenance) throws(DetectorError) {
        let preset = try DetectorPreset(name: p.detector)
        let classes = ChainClasses(cardNamed: p.card) ?? .ttbar
        try self.init(preset: preset, scale: p.smearScale, softTermSigma: Self.softTerm(p), aClass: classes.a, bClass: classes.b)
    }

    /// The model of a sample's provenance (`detector`, `smearScale`, soft term) with the
    /// visibles' classes of its card (`ChainClasses(card:)`). Throws `ResolutionModelError`
    /// naming the provenance field.
    public init(provenance: Provenance?, classes: ChainClasses) throws(ResolutionModelError) {
        try self.init(provenance: provenance, aClass: classes.a, bClass: classes.b)
    }

    /// The model of a sample's provenance with given visible classes.
    public init(provenance: Provenance?, aClass: VisibleClass, bClass: VisibleClass) throws(ResolutionModelError) {
        guard let provenance else { throw .noProvenance }
        guard let preset = DetectorPreset(rawValue: provenance.detector.lowercased()) else {
            throw .unknownDetector(provenance.detector)
        }
        do {
            try self.init(preset: preset, scale: provenance.smearScale, softTermSigma: Self.softTerm(provenance),
                          aClass: aClass, bClass: bClass)
        } catch {
            throw .badScale(provenance.smearScale)
        }
    }

    static func softTerm(_ p: Provenance) -> Double { p.extra["met_soft_sigma"].flatMap(Double.init) ?? 0 }

    /// The same classes and soft term with another preset and/or scale (nil keeps the current one).
    public func overriding(preset: DetectorPreset? = nil, scale: Double? = nil) throws(DetectorError) -> ResolutionModel {
        try ResolutionModel(preset: preset ?? self.preset, scale: scale ?? self.scale, softTermSigma: softTermSigma,
                            aClass: aClass, bClass: bClass)
    }

    /// Whether the model smears at all (a non-ideal preset with scale > 0).
    public var smears: Bool { detector.smears }

    /// The resolution at this scale of an object of class `cls` with four-momentum v (GeV):
    /// sigma(pT) for leptons, sigma(E) for jets; 0 when the model does not smear.
    public func sigma(_ cls: VisibleClass, _ v: FourVector) -> Double {
        smears ? scale * detector.resolution(cls, (v.e, v.px, v.py, v.pz)) : 0
    }

    /// sigma of the energy (GeV) of a measured object v of class `cls`. Jets are smeared in
    /// energy; leptons in pT with direction and mass kept, so dE/dpT = |p|^2 / (E pT).
    @inline(__always)
    public func energySigma(_ cls: VisibleClass, _ v: FourVector) -> Double {
        let r = scale * detector.resolution(cls, (v.e, v.px, v.py, v.pz))
        if cls == .jet { return r }
        let pt = v.pt
        guard pt > 0, v.e > 0 else { return 0 }
        return r * (v.px * v.px + v.py * v.py + v.pz * v.pz) / (v.e * pt)
    }

    /// sigma of the transverse momentum (GeV) of a measured object v of class `cls`: the whole
    /// four-vector of a jet scales with its energy (sigma(pT) = sigma(E) pT / E); leptons are
    /// smeared in pT directly. The smearing keeps directions, so the error is along v's pT.
    @inline(__always)
    public func transverseSigma(_ cls: VisibleClass, _ v: FourVector) -> Double {
        let r = scale * detector.resolution(cls, (v.e, v.px, v.py, v.pz))
        if cls == .jet { return v.e > 0 ? r * v.pt / v.e : 0 }
        return r
    }

    /// Covariance (xx, xy, yy) of the measured MET (GeV^2): MET = -(sum of the measured
    /// visibles) - ISR jet + soft term, each visible contributing sigma(pT)^2 along its own pT
    /// direction, plus (scale softTermSigma)^2 on the diagonal.
    public func metCovariance(a1: FourVector, a2: FourVector, b1: FourVector, b2: FourVector,
                              isr: FourVector?) -> SIMD3<Double> {
        var c = SIMD3<Double>(repeating: 0)
        func add(_ cls: VisibleClass, _ v: FourVector) {
            let pt = v.pt
            guard pt > 0 else { return }
            let s = transverseSigma(cls, v), ux = v.px / pt, uy = v.py / pt
            c += s * s * SIMD3(ux * ux, ux * uy, uy * uy)
        }
        add(aClass, a1); add(aClass, a2); add(bClass, b1); add(bClass, b2)
        if let j = isr { add(.jet, j) }
        let soft = scale * softTermSigma
        c[0] += soft * soft; c[2] += soft * soft
        return c
    }

    /// v smeared by the standard normal deviate g (GeV): the detector's own formula, so a jet
    /// whose drawn energy is negative becomes the zero vector. v itself when the model does not smear.
    @inline(__always)
    public func smeared(_ cls: VisibleClass, _ v: FourVector, gaussian g: Double) -> FourVector {
        guard smears else { return v }
        let s = detector.smear(cls, (v.e, v.px, v.py, v.pz), gaussian: g)
        return FourVector(e: s.0, px: s.1, py: s.2, pz: s.3)
    }

    /// One line for notes: "cms x 1.0, MET soft term 0.0 GeV (a: jet, b: muon)".
    public var summary: String {
        "\(preset.rawValue) x \(scale), MET soft term \(scale * softTermSigma) GeV (a: \(aClass.rawValue), b: \(bClass.rawValue))"
    }
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
