extension Key {
    /// Event weight (N,) float64: the generator's weight of an imported event (LHE XWGTUP,
    /// HepMC3 first `W`), negative ones included. Absent from generated samples (all weights 1).
    public static let weight = "weight"
}
