import Core

extension SharedOutput where Element == Double {
    /// Stores `v` as the four values (E, px, py, pz) of row `i` of an (N, 4) array, the layout of
    /// every four-vector column (one writer per row).
    @inlinable
    public func put(_ v: FourVector, at i: Int) {
        buffer[4 * i] = v.e; buffer[4 * i + 1] = v.px; buffer[4 * i + 2] = v.py; buffer[4 * i + 3] = v.pz
    }
}
