/// Visible systems of a sample prepared for MT2: per-event mass and transverse momentum
/// (structs of arrays), read once from the sample's flat (N, 4) arrays.
struct VisibleSystems {
    var m: [Double], px: [Double], py: [Double]

    /// One visible per event from a flat (E, px, py, pz) array.
    init(_ v: [Double]) {
        let n = v.count / 4
        m = [Double](repeating: 0, count: n); px = m; py = m
        for i in 0..<n {
            let e = v[4 * i], x = v[4 * i + 1], y = v[4 * i + 2], z = v[4 * i + 3]
            m[i] = max(0, e * e - x * x - y * y - z * z).squareRoot()
            px[i] = x; py[i] = y
        }
    }
}

/// Four-vector helpers on flat (N, 4) arrays.
enum Flat4 {
    /// Row i of a flat four-vector array.
    @inline(__always) static func row(_ v: [Double], _ i: Int) -> (Double, Double, Double, Double) {
        (v[4 * i], v[4 * i + 1], v[4 * i + 2], v[4 * i + 3])
    }

    /// Per-event sums: out[i] = x[i] + (choose[i] == 0 ? y0[i] : y1[i]).
    static func sum(_ x: [Double], _ y0: [Double], _ y1: [Double], choose: [Int32]) -> [Double] {
        var out = x
        for i in 0..<(x.count / 4) {
            let y = choose[i] == 0 ? y0 : y1
            for k in 0..<4 { out[4 * i + k] += y[4 * i + k] }
        }
        return out
    }

    /// Mass of a four-vector (GeV), 0 for spacelike rounding.
    @inline(__always) static func mass(_ e: Double, _ x: Double, _ y: Double, _ z: Double) -> Double {
        max(0, e * e - x * x - y * y - z * z).squareRoot()
    }
}

extension MT2Inputs {
    /// Inputs for two visible systems (flat (N, 4) each), MET (flat (N, 2)) and equal
    /// invisible masses `chi`, with `metShift` (flat (N, 2) or empty) added to the MET.
    init(visible1: [Double], visible2: [Double], met: [Double], chi: Double, metShift: [Double] = []) {
        let v1 = VisibleSystems(visible1), v2 = VisibleSystems(visible2)
        let n = v1.m.count
        self.init(count: n)
        m1 = v1.m; px1 = v1.px; py1 = v1.py
        m2 = v2.m; px2 = v2.px; py2 = v2.py
        chi1 = [Double](repeating: chi, count: n); chi2 = chi1
        for i in 0..<n {
            metx[i] = met[2 * i]; mety[i] = met[2 * i + 1]
            if !metShift.isEmpty { metx[i] += metShift[2 * i]; mety[i] += metShift[2 * i + 1] }
        }
    }
}
