/// Kolmogorov-Smirnov helpers for the distribution tests.
enum KS {
    /// One-sample KS statistic D = sup |F_n(x) - F(x)| of `values` against the CDF `cdf`.
    static func statistic(_ values: [Double], cdf: (Double) -> Double) -> Double {
        let x = values.sorted()
        let n = Double(x.count)
        var d = 0.0
        for (i, v) in x.enumerated() {
            let f = cdf(v)
            d = max(d, abs(Double(i + 1) / n - f), abs(f - Double(i) / n))
        }
        return d
    }

    /// Asymptotic 1% critical value of the one-sample KS statistic, c(0.01) / sqrt(n) with
    /// c(0.01) = sqrt(-ln(0.005) / 2) = 1.6276 (Smirnov's limiting distribution).
    static func critical1(_ n: Int) -> Double { 1.6276 / Double(n).squareRoot() }
}

/// Four-vector helpers over flat (E, px, py, pz) rows.
struct V4 {
    var e, x, y, z: Double
    init(_ t: (Double, Double, Double, Double)) { e = t.0; x = t.1; y = t.2; z = t.3 }
    init(_ a: [Double], _ i: Int) { e = a[4 * i]; x = a[4 * i + 1]; y = a[4 * i + 2]; z = a[4 * i + 3] }
    init(e: Double, x: Double, y: Double, z: Double) { self.e = e; self.x = x; self.y = y; self.z = z }
    static func + (a: V4, b: V4) -> V4 { V4(e: a.e + b.e, x: a.x + b.x, y: a.y + b.y, z: a.z + b.z) }
    var m2: Double { e * e - x * x - y * y - z * z }
    var p: Double { (x * x + y * y + z * z).squareRoot() }
    /// Largest component difference relative to the energy scale.
    func distance(_ o: V4) -> Double {
        max(abs(e - o.e), abs(x - o.x), abs(y - o.y), abs(z - o.z)) / max(abs(e), abs(o.e), 1e-300)
    }
    /// This vector in the rest frame of `f`.
    func inRestFrame(of f: V4) -> V4 {
        let m = f.m2.squareRoot()
        let bx = -f.x / f.e, by = -f.y / f.e, bz = -f.z / f.e
        let b2 = bx * bx + by * by + bz * bz
        let g = f.e / m
        let bp = bx * x + by * y + bz * z
        let k = (g - 1) * bp / b2 + g * e
        return V4(e: g * (e + bp), x: x + k * bx, y: y + k * by, z: z + k * bz)
    }
}
