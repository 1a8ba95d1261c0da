/// The physical-four-vector check every command's sample reader applies.
extension Sample {
    /// Relative tolerance on E >= |p|: float32 inputs converted to float64 carry rounding of
    /// about 1e-7 relative, so a massless object may show |p| slightly above E.
    public static let energyTolerance = 1e-6

    /// Checks that every four-vector under `keys` (those present) has E >= 0 and E >= |p| up to
    /// `energyTolerance`; throws naming the array and the first bad event.
    public func checkPhysical(_ keys: [String]) throws(SampleError) {
        for key in keys {
            guard let c = self[key], c.shape.count == 2, c.shape[1] == 4, let v = c.doubles else { continue }
            for i in 0..<(v.count / 4) {
                let e = v[4 * i], p = (v[4 * i + 1] * v[4 * i + 1] + v[4 * i + 2] * v[4 * i + 2]
                                       + v[4 * i + 3] * v[4 * i + 3]).squareRoot()
                if e < 0 || p - e > Sample.energyTolerance * p + 1e-12 {
                    throw .unphysical(key: key, event: i, energy: e, momentum: p)
                }
            }
        }
    }
}
