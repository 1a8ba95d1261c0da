import Core
import Events
import Generation

/// The detector on four objects at once (`Lanes`): the smearing and resolution formulas
/// themselves (the scalar forms take lane 0; the resolution bins select their coefficients,
/// then one square root).
extension Detector {
    /// The measured four-momenta of four objects of class `cls` with true four-momenta v and
    /// standard normal deviates g (one per lane). Only called when `smears`.
    @inlinable @inline(__always)
    public func smear(_ cls: VisibleClass, _ v: LaneVectors, gaussian g: Lanes) -> LaneVectors {
        let pt = (v.x * v.x + v.y * v.y).squareRoot()
        let absPz = v.z.replacing(with: -v.z, where: v.z .< 0)
        switch cls {
        case .jet:
            let sigma = preset == .atlas ? Resolution.atlasJet(energy: v.e, pt: pt, absPz: absPz)
                : Resolution.cmsJet(energy: v.e)
            let raw = 1 + scale * sigma * g / v.e
            let k = raw.replacing(with: 0, where: raw .< 0)
            return LaneVectors(e: k * v.e, x: k * v.x, y: k * v.y, z: k * v.z)
        case .muon, .electron:
            let rel = cls == .muon ? Resolution.muonRelative(pt: pt, absPz: absPz)
                : Resolution.electronRelative(pt: pt, absPz: absPz)
            let raw = 1 + scale * rel * g
            let k = raw.replacing(with: 0, where: raw .< 0)
            let p2 = v.x * v.x + v.y * v.y + v.z * v.z
            let e2 = v.e * v.e - p2
            let m2 = e2.replacing(with: 0, where: e2 .< 0)
            return LaneVectors(e: (m2 + k * k * p2).squareRoot(), x: k * v.x, y: k * v.y, z: k * v.z)
        }
    }

    /// The measured four-vectors with the energy scale of their class applied (`EnergyScales`):
    /// jets scaled whole, leptons in momentum with the mass kept.
    @inlinable @inline(__always)
    public func rescaled(_ cls: VisibleClass, _ v: LaneVectors) -> LaneVectors {
        let k = energyScales.factor(cls)
        if cls == .jet { return LaneVectors(e: k * v.e, x: k * v.x, y: k * v.y, z: k * v.z) }
        let p2 = v.x * v.x + v.y * v.y + v.z * v.z
        let e2 = v.e * v.e - p2
        let m2 = e2.replacing(with: 0, where: e2 .< 0)
        return LaneVectors(e: (m2 + k * k * p2).squareRoot(), x: k * v.x, y: k * v.y, z: k * v.z)
    }

    /// Lane-wise `acceptsPt(_:_:)`.
    @inlinable @inline(__always)
    public func acceptsPt(_ cls: VisibleClass, _ v: LaneVectors) -> SIMDMask<SIMD4<Int64>> {
        let minPt = cls == .jet ? cuts.jetPtMin : cuts.leptonPtMin
        return v.x * v.x + v.y * v.y .> minPt * minPt
    }
}

extension Resolution {
    /// Lane-wise `muonRelative(pt:absPz:)`.
    @inlinable @inline(__always)
    public static func muonRelative(pt: Lanes, absPz: Lanes) -> Lanes {
        binned(pt: pt, absPz: absPz, central: (1.0e-4, 1.0e-8), barrel: (2.25e-4, 2.25e-8), forward: (6.25e-4, 1.225e-7))
    }

    /// Lane-wise `electronRelative(pt:absPz:)`.
    @inlinable @inline(__always)
    public static func electronRelative(pt: Lanes, absPz: Lanes) -> Lanes {
        binned(pt: pt, absPz: absPz, central: (9.0e-4, 1.69e-6), barrel: (2.5e-3, 2.89e-6), forward: (2.25e-2, 9.61e-6))
    }

    /// sqrt(a + pT^2 b) with (a, b) of the |eta| bin: <= 0.5, <= 1.5, beyond.
    @inlinable @inline(__always)
    static func binned(pt: Lanes, absPz: Lanes, central: (Double, Double), barrel: (Double, Double),
                       forward: (Double, Double)) -> Lanes {
        let pt2 = pt * pt
        let isCentral = absPz .<= pt * sinh05, isBarrel = absPz .<= pt * sinh15
        let a = Lanes(repeating: forward.0).replacing(with: barrel.0, where: isBarrel).replacing(with: central.0, where: isCentral)
        let b = Lanes(repeating: forward.1).replacing(with: barrel.1, where: isBarrel).replacing(with: central.1, where: isCentral)
        return (a + pt2 * b).squareRoot()
    }

    /// Lane-wise `atlasJet(energy:pt:absPz:)`: the forward formula has no constant term
    /// (adding 0 changes nothing).
    @inlinable @inline(__always)
    public static func atlasJet(energy e: Lanes, pt: Lanes, absPz: Lanes) -> Lanes {
        let inner = absPz .<= pt * sinh17
        let quadratic = Lanes(repeating: 2.5e-3).replacing(with: 9.1204e-4, where: inner)
        let linear = Lanes(repeating: 0.498436).replacing(with: 0.27092025, where: inner)
        let constant = Lanes(repeating: 0).replacing(with: 2.5281, where: inner)
        return (e * e * quadratic + e * linear + constant).squareRoot()
    }

    /// Lane-wise `cmsJet(energy:)`.
    @inlinable @inline(__always)
    public static func cmsJet(energy e: Lanes) -> Lanes {
        (e * e * 2.5e-3 + e * 2.25).squareRoot()
    }
}
