import Events

/// Where the mass scan centres its grid when no hypothesis is given: the MT2 endpoints.
public enum MassScanSeed {
    /// The grid's half-span as a fraction of the guess (0.3: +-30% around it).
    public static let fraction = 0.3

    /// A first guess of (m_A, m_B), GeV, from the MT2(bl) and MT2(l) endpoint fits of a
    /// t-tbar-like sample with trial invisible mass `mC`; nil when a fit fails or the endpoints
    /// are not ordered m_A > m_B > m_C (a hypothesis must then be given).
    /// `widths` and `weights` as the MT2 endpoint fits take them.
    public static func guess(sample: Sample, pairing: PairingMode, mC: Double, bootstrap: Int, seed: UInt32,
                             widths: [String: Double] = [:], weights: [Double]? = nil) throws -> (Double, Double)? {
        let r = try MT2Estimator.run(sample: sample, pairing: pairing, chi: mC)
        let ends = EndpointWindow.mt2Masses(r.perEvent, bootstrap: bootstrap, seed: seed, widths: widths, weights: weights)
        guard let a = ends.first(where: { $0.name == MassName.a })?.value, let b = ends.first(where: { $0.name == MassName.b })?.value,
              a > b, b > mC else { return nil }
        return (a, b)
    }

    /// The scan's grid around a guess (m_A, m_B), GeV.
    public static func grid(around guess: (Double, Double)) -> MassScanGrid {
        MassScanGrid.around(mA: guess.0, mB: guess.1, fraction: fraction)
    }
}
