import Events
/// PDG Monte Carlo numbering helpers.
public enum PDG {
    /// Ids that are their own antiparticle (gluon, photon, Z, Higgs bosons, neutralinos,
    /// gluino, gravitino): conjugation leaves them unchanged.
    public static let selfConjugate: Set<Int> = [21, 22, 23, 25, 35, 36, 1000021, 1000022, 1000023,
                                                 1000025, 1000035, 1000039]

    /// The antiparticle's id: -id unless the particle is self-conjugate.
    public static func conjugate(_ id: Int) -> Int { selfConjugate.contains(id) ? id : -id }

    /// The detector class of a visible particle, or nil when the detector has no response
    /// for it (anything but quarks 1-5, gluon, e, mu, tau, photon).
    public static func visibleClass(_ id: Int) -> VisibleClass? {
        switch abs(id) {
        case 1...5, 21: .jet
        case 11, 22: .electron
        case 13, 15: .muon
        default: nil
        }
    }
}
