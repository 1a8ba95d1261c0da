import Core
import Events
import Generation

/// A configured detector: a preset, a global smearing scale s multiplying every resolution
/// (s = 0 is ideal), acceptance cuts, and an optional Gaussian MET soft term.
///
/// Smearing conventions: leptons (and photons) have pT smeared, pT' = pT (1 + s sigma_rel g),
/// with direction and mass kept; jets have energy smeared, E' = E + s sigma(E) g, and the
/// four-vector is scaled by E'/E (direction kept, the jet mass scales with it; a negative E'
/// gives the zero vector, which fails acceptance). g is a standard normal deviate.
public struct Detector: Sendable {
    public let preset: DetectorPreset
    /// Global smearing scale s (>= 0).
    public let scale: Double
    public let cuts: AcceptanceCuts
    /// Gaussian MET soft term per component (GeV) before the scale s; applied for every
    /// preset (`ideal` included) when > 0 and s > 0.
    public let softTermSigma: Double
    /// Jet and lepton energy-scale factors applied to the measured objects before the cuts.
    public let energyScales: EnergyScales
    @usableFromInline let sinhEtaMax2: Double

    public init(preset: DetectorPreset, scale: Double = 1, cuts: AcceptanceCuts = .init(),
                softTermSigma: Double = 0, energyScales: EnergyScales = .nominal) throws(DetectorError) {
        guard scale >= 0, scale.isFinite else { throw .badSmearScale(scale) }
        guard softTermSigma >= 0, softTermSigma.isFinite else { throw .badSoftTerm(softTermSigma) }
        guard energyScales.jet > 0, energyScales.jet.isFinite else { throw .badEnergyScale(name: "jet", energyScales.jet) }
        guard energyScales.lepton > 0, energyScales.lepton.isFinite else {
            throw .badEnergyScale(name: "lepton", energyScales.lepton)
        }
        self.preset = preset; self.scale = scale; self.cuts = cuts; self.softTermSigma = softTermSigma
        self.energyScales = energyScales
        let sh = cuts.etaMax.isInfinite ? Double.infinity : sinhDouble(cuts.etaMax)
        sinhEtaMax2 = sh * sh
    }

    /// Whether any smearing happens (no random numbers are drawn otherwise).
    @inlinable public var smears: Bool { preset != .ideal && scale > 0 }

    /// The preset resolution at s = 1 of an object of class `cls` with true four-momentum v:
    /// sigma(pT) in GeV for leptons, sigma(E) in GeV for jets; 0 for `ideal`.
    @inlinable @inline(__always)
    public func resolution(_ cls: VisibleClass, _ v: (Double, Double, Double, Double)) -> Double {
        if preset == .ideal { return 0 }
        let pt = (v.1 * v.1 + v.2 * v.2).squareRoot(), absPz = abs(v.3)
        switch cls {
        case .muon: return pt * Resolution.muonRelative(pt: pt, absPz: absPz)
        case .electron: return pt * Resolution.electronRelative(pt: pt, absPz: absPz)
        case .jet:
            return preset == .atlas ? Resolution.atlasJet(energy: v.0, pt: pt, absPz: absPz)
                : Resolution.cmsJet(energy: v.0)
        }
    }

    /// The measured four-momentum of an object of class `cls` with true four-momentum v.
    @inlinable @inline(__always)
    public func smear(_ cls: VisibleClass, _ v: (Double, Double, Double, Double), rng: inout EventRandom)
        -> (Double, Double, Double, Double) {
        guard smears else { return v }
        return smear(cls, v, gaussian: rng.gaussian())
    }

    /// The measured four-momentum of an object of class `cls` with true four-momentum v for the
    /// standard normal deviate g (the smearing formula itself; only meaningful when `smears`):
    /// lane 0 of the four-lane `smear(_:_:gaussian:)`, the one implementation.
    @inlinable @inline(__always)
    public func smear(_ cls: VisibleClass, _ v: (Double, Double, Double, Double), gaussian g: Double)
        -> (Double, Double, Double, Double) {
        let lanes = LaneVectors(e: Lanes(repeating: v.0), x: Lanes(repeating: v.1), y: Lanes(repeating: v.2),
                                z: Lanes(repeating: v.3))
        return smear(cls, lanes, gaussian: Lanes(repeating: g))[lane: 0]
    }

    /// Whether a measured object passes acceptance: pT above the class threshold and
    /// |eta| < etaMax (tested as |pz| < pT sinh(etaMax)).
    @inlinable @inline(__always)
    public func accepts(_ cls: VisibleClass, _ v: (Double, Double, Double, Double)) -> Bool {
        // Squared comparisons, no square root: pT^2 > min^2 and pz^2 < pT^2 sinh^2(etaMax).
        let pt2 = v.1 * v.1 + v.2 * v.2
        let minPt = cls == .jet ? cuts.jetPtMin : cuts.leptonPtMin
        return pt2 > minPt * minPt && pt2 > 0 && v.3 * v.3 < pt2 * sinhEtaMax2
    }

    /// sinh^2(etaMax): the |eta| < etaMax half of `accepts` is pz^2 < pT^2 directionCut (pT > 0).
    /// Smearing keeps directions (objects are scaled by k >= 0), so the event loop applies it to
    /// the true momenta while generating (`TruthGenerator.fill(_:candidates:directionCut:rows:rng:)`)
    /// and only the pT half, `acceptsPt`, to the measured ones.
    @inlinable public var directionCut: Double { sinhEtaMax2 }

    /// The pT half of `accepts` (pT above the class threshold), on the measured four-momentum.
    @inlinable @inline(__always)
    public func acceptsPt(_ cls: VisibleClass, _ v: (Double, Double, Double, Double)) -> Bool {
        let minPt = cls == .jet ? cuts.jetPtMin : cuts.leptonPtMin
        return v.1 * v.1 + v.2 * v.2 > minPt * minPt
    }
}
