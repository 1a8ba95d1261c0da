import Detector
import Events
import Generation
import Kinematics

/// The detector resolution a kinematic fit assumes: a preset and smearing scale (the formulas
/// of `Detector.resolution(_:_:)` times the scale), the MET soft-term sigma, and the object
/// classes of the chain's visibles a and b. By default it is read from a sample's provenance
/// (an analysis knows its calibrated resolutions); `init(preset:scale:...)` overrides it, e.g. so
/// that a sweep can mis-model the detector on purpose.
///
/// The resolutions are evaluated at the measured four-momenta (the true ones are unknown to a
/// fit); the generator evaluates them at the true ones, a second-order difference.
public struct ResolutionModel: Sendable {
    public let preset: DetectorPreset
    /// Global smearing scale s multiplying every resolution (0: perfect measurement).
    public let scale: Double
    /// Gaussian MET soft term per component at s = 1 (GeV); the detector adds s times it.
    public let softTermSigma: Double
    /// Classes of the visibles a (from A) and b (from B).
    public let aClass: VisibleClass, bClass: VisibleClass
    private let detector: Detector

    /// An explicit model. Throws `DetectorError` for a negative or non-finite scale or soft term.
    public init(preset: DetectorPreset, scale: Double, softTermSigma: Double = 0,
                aClass: VisibleClass = .jet, bClass: VisibleClass = .muon) throws(DetectorError) {
        detector = try Detector(preset: preset, scale: scale, softTermSigma: softTermSigma)
        self.preset = preset; self.scale = scale; self.softTermSigma = softTermSigma
        self.aClass = aClass; self.bClass = bClass
    }

    /// The model a sample was made with: preset, smearing scale and soft term (`met_soft_sigma`
    /// in `extra`, 0 when absent) from its provenance, object classes from the PDG ids of the
    /// provenance's card (shipped or on the card path); when the card cannot be loaded, a is a
    /// jet and b a muon (the t-tbar card). Throws `DetectorError` for an unknown preset name.
    public init(provenance p: Provenance) throws(DetectorError) {
        let preset = try DetectorPreset(name: p.detector)
        let soft = p.extra["met_soft_sigma"].flatMap(Double.init) ?? 0
        var a = VisibleClass.jet, b = VisibleClass.muon
        if let card = try? Card.load(nameOrPath: p.card), card.topology == .ttbarLike {
            a = PDG.visibleClass(card.particle(.a).pdg) ?? .jet
            b = PDG.visibleClass(card.particle(.b).pdg) ?? .muon
        }
        try self.init(preset: preset, scale: p.smearScale, softTermSigma: soft, aClass: a, bClass: b)
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
    /// direction, plus (s softTermSigma)^2 on the diagonal.
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

    /// One line describing the model, for notes.
    public var summary: String {
        "resolution model: \(preset.rawValue) x \(scale), MET soft term \(scale * softTermSigma) GeV, "
            + "a \(aClass.rawValue), b \(bClass.rawValue)"
    }
}
