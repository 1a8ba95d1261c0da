import Events
import Generation

/// Energy-scale factors of the measured objects (1 is the nominal calibration): a
/// mis-calibrated detector, for the systematic shifts of a mass measurement.
///
/// A jet's measured four-vector is multiplied by `jet` (energy and momentum alike: direction
/// kept, its mass scales too, as the jet smearing does); a lepton's (or photon's) momentum by
/// `lepton` with its mass kept. They act after the smearing and before the pT cuts, on every
/// jet including the ISR jet, and MET is computed from the scaled objects, so it moves
/// consistently (a 2 % high jet scale makes MET point 2 % further away from the jets). A class
/// whose factor is 1 is not touched at all: the nominal path is the same arithmetic, bit for
/// bit, as before the factors existed.
public struct EnergyScales: Sendable, Equatable, Codable {
    /// Jet energy scale factor (JES), > 0.
    public var jet: Double
    /// Lepton energy scale factor (LES), > 0.
    public var lepton: Double

    public init(jet: Double = 1, lepton: Double = 1) {
        self.jet = jet; self.lepton = lepton
    }

    /// Both factors 1.
    public static let nominal = EnergyScales()

    /// The factor of an object class.
    @inlinable public func factor(_ cls: VisibleClass) -> Double { cls == .jet ? jet : lepton }
}
