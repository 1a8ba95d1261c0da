import Core
/// A Lorentz four-vector (E, px, py, pz) in GeV, metric (+, -, -, -), beam along z.
///
/// The vocabulary follows scikit-hep `vector`: `pt`, `eta`, `phi`, `rapidity`, `mass`.
public struct FourVector: Sendable, Hashable {
    /// Energy (GeV).
    public var e: Double
    /// Momentum components (GeV).
    public var px: Double
    public var py: Double
    public var pz: Double

    @inlinable
    public init(e: Double, px: Double, py: Double, pz: Double) {
        self.e = e; self.px = px; self.py = py; self.pz = pz
    }

    /// A particle of mass `mass` (GeV) with three-momentum (px, py, pz): E = sqrt(m^2 + |p|^2).
    @inlinable
    public init(mass: Double, px: Double, py: Double, pz: Double) {
        self.init(e: (mass * mass + px * px + py * py + pz * pz).squareRoot(), px: px, py: py, pz: pz)
    }

    /// The zero four-vector.
    public static let zero = FourVector(e: 0, px: 0, py: 0, pz: 0)

    /// Squared three-momentum |p|^2 (GeV^2).
    @inlinable public var p2: Double { px * px + py * py + pz * pz }
    /// Three-momentum magnitude |p| (GeV).
    @inlinable public var p: Double { p2.squareRoot() }
    /// Signed invariant mass squared E^2 - |p|^2 (GeV^2); negative for space-like vectors.
    @inlinable public var mass2: Double { e * e - p2 }
    /// Invariant mass (GeV), sign(m^2) sqrt(|m^2|): negative for space-like vectors, as in `vector`.
    @inlinable public var mass: Double {
        let m2 = mass2
        return m2 >= 0 ? m2.squareRoot() : -(-m2).squareRoot()
    }
    /// Squared transverse momentum (GeV^2).
    @inlinable public var pt2: Double { px * px + py * py }
    /// Transverse momentum (GeV).
    @inlinable public var pt: Double { pt2.squareRoot() }
    /// Azimuth in (-pi, pi]; 0 for a vector along the beam.
    @inlinable public var phi: Double { (px == 0 && py == 0) ? 0 : atan2Double(py, px) }
    /// Pseudorapidity -ln tan(theta/2); +-infinity along the beam.
    @inlinable public var eta: Double {
        let pt = self.pt
        if pt == 0 { return pz == 0 ? 0 : (pz > 0 ? .infinity : -.infinity) }
        return asinhDouble(pz / pt)
    }
    /// Rapidity 0.5 ln((E + pz)/(E - pz)).
    @inlinable public var rapidity: Double { 0.5 * logDouble((e + pz) / (e - pz)) }
    /// Transverse energy squared, m^2 + pt^2 (GeV^2), the "transverse mass" of one particle.
    @inlinable public var mt2: Double { mass2 + pt2 }
    /// Transverse mass sqrt(m^2 + pt^2) (GeV); signed like `mass` if m^2 + pt^2 < 0.
    @inlinable public var mt: Double {
        let v = mt2
        return v >= 0 ? v.squareRoot() : -(-v).squareRoot()
    }
    /// Velocity vector p/E of this four-vector (requires E != 0).
    @inlinable public var beta: (x: Double, y: Double, z: Double) { (px / e, py / e, pz / e) }

    @inlinable public static func + (a: FourVector, b: FourVector) -> FourVector {
        FourVector(e: a.e + b.e, px: a.px + b.px, py: a.py + b.py, pz: a.pz + b.pz)
    }
    @inlinable public static func - (a: FourVector, b: FourVector) -> FourVector {
        FourVector(e: a.e - b.e, px: a.px - b.px, py: a.py - b.py, pz: a.pz - b.pz)
    }
    @inlinable public static prefix func - (a: FourVector) -> FourVector {
        FourVector(e: -a.e, px: -a.px, py: -a.py, pz: -a.pz)
    }
    @inlinable public static func * (s: Double, a: FourVector) -> FourVector {
        FourVector(e: s * a.e, px: s * a.px, py: s * a.py, pz: s * a.pz)
    }
    @inlinable public static func += (a: inout FourVector, b: FourVector) { a = a + b }

    /// Minkowski product a.b = Ea Eb - pa.pb (GeV^2).
    @inlinable public func dot(_ o: FourVector) -> Double { e * o.e - px * o.px - py * o.py - pz * o.pz }

    /// This vector seen from a frame moving with velocity -beta, i.e. boosted by +beta
    /// (a particle at rest ends with velocity beta). |beta| < 1.
    @inlinable
    public func boosted(bx: Double, by: Double, bz: Double) -> FourVector {
        let b2 = bx * bx + by * by + bz * bz
        if b2 == 0 { return self }
        let gamma = 1 / (1 - b2).squareRoot()
        let bp = bx * px + by * py + bz * pz
        let k = (gamma - 1) * bp / b2 + gamma * e
        return FourVector(e: gamma * (e + bp), px: px + k * bx, py: py + k * by, pz: pz + k * bz)
    }

    /// Boost a vector given in the rest frame of `parent` into the frame where `parent` is measured.
    /// `parent` must be time-like with E > 0.
    @inlinable
    public func boosted(fromRestFrameOf parent: FourVector) -> FourVector {
        boosted(bx: parent.px / parent.e, by: parent.py / parent.e, bz: parent.pz / parent.e)
    }

    /// This vector expressed in the rest frame of `frame` (time-like, E > 0).
    @inlinable
    public func inRestFrame(of frame: FourVector) -> FourVector {
        boosted(bx: -frame.px / frame.e, by: -frame.py / frame.e, bz: -frame.pz / frame.e)
    }

    /// The vector (pt, eta, phi, mass) -> (E, px, py, pz).
    @inlinable
    public static func fromPtEtaPhiM(pt: Double, eta: Double, phi: Double, mass: Double) -> FourVector {
        let px = pt * cosDouble(phi), py = pt * sinDouble(phi), pz = pt * sinhDouble(eta)
        return FourVector(mass: mass, px: px, py: py, pz: pz)
    }
}

extension FourVector: CustomStringConvertible {
    public var description: String { "(E: \(e), px: \(px), py: \(py), pz: \(pz))" }
}

extension FourVector {
    /// Row `row` of a flat row-major (N, 4) array of (E, px, py, pz).
    @inlinable
    public init(_ flat: [Double], row: Int) {
        let j = 4 * row
        self.init(e: flat[j], px: flat[j + 1], py: flat[j + 2], pz: flat[j + 3])
    }

    /// Appends (E, px, py, pz) to a flat row-major (N, 4) array.
    @inlinable
    public func append(to flat: inout [Double]) {
        flat.append(e); flat.append(px); flat.append(py); flat.append(pz)
    }
}
