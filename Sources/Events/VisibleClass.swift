/// How the detector sees a visible particle (the generator decides it from the PDG id,
/// `PDG.visibleClass`).
public enum VisibleClass: String, Sendable, Codable {
    /// Quarks (1-5) and gluons (21): a jet with the calorimeter energy resolution.
    case jet
    /// Electrons (11) and photons (22): the electron resolution.
    case electron
    /// Muons (13) and taus (15, treated as a muon-like track): the muon resolution.
    case muon
}
