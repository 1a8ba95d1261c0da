import Baselines
import Foundation

/// One MT2 input row (GeV), in the order of the PyPI `mt2` package:
/// (m1, px1, py1, m2, px2, py2, metx, mety, chi1, chi2).
struct MT2Row {
    var x: [Double]

    var scale: Double { x.map(abs).max() ?? 0 }

    func compute() -> MT2Solution {
        MT2.compute(m1: x[0], px1: x[1], py1: x[2], m2: x[3], px2: x[4], py2: x[5],
                    metx: x[6], mety: x[7], chi1: x[8], chi2: x[9])
    }

    func value() -> Double {
        MT2.value(m1: x[0], px1: x[1], py1: x[2], m2: x[3], px2: x[4], py2: x[5],
                  metx: x[6], mety: x[7], chi1: x[8], chi2: x[9])
    }

    /// The legs exchanged.
    var swapped: MT2Row { MT2Row(x: [x[3], x[4], x[5], x[0], x[1], x[2], x[6], x[7], x[9], x[8]]) }

    /// Every momentum and mass multiplied by `f`.
    func scaled(_ f: Double) -> MT2Row { MT2Row(x: x.map { $0 * f }) }

    /// The two transverse masses at the invisible momenta of `s`.
    func transverseMasses(_ s: MT2Solution) -> (Double, Double) {
        (MT2.transverseMass(m: x[0], px: x[1], py: x[2], chi: x[8], qx: s.q1x, qy: s.q1y),
         MT2.transverseMass(m: x[3], px: x[4], py: x[5], chi: x[9], qx: s.q2x, qy: s.q2y))
    }

    /// Gradient of mT_i^2 with respect to q_i.
    private func gradient(m: Double, px: Double, py: Double, chi: Double, qx: Double, qy: Double) -> (Double, Double) {
        let et = (m * m + px * px + py * py).squareRoot(), eq = (chi * chi + qx * qx + qy * qy).squareRoot()
        guard eq > 0 else { return (.nan, .nan) }
        return (2 * (et * qx / eq - px), 2 * (et * qy / eq - py))
    }

    /// Global-optimality certificate for a solution. max(mT1, mT2) is convex in q1 (each mT^2
    /// is convex), so a point where (a) max(mT1, mT2) equals the value to `tol` and (b) the
    /// first-order condition holds is the global minimum: either both sides are active and
    /// their gradients (w.r.t. their own q) are parallel, or the larger side sits at its own
    /// minimum (gradient zero, the unbalanced case). MT2 = 0 for massless inputs is certified
    /// by q_i being non-negative multiples of p_i.
    func certifies(_ s: MT2Solution, tol: Double = 1e-9) -> Bool {
        let (t1, t2) = transverseMasses(s)
        let sc = scale
        if s.value == 0 {
            let massless = x[0] == 0 && x[3] == 0 && x[8] == 0 && x[9] == 0
            let c1 = x[1] * s.q1y - x[2] * s.q1x, d1 = x[1] * s.q1x + x[2] * s.q1y
            let c2 = x[4] * s.q2y - x[5] * s.q2x, d2 = x[4] * s.q2x + x[5] * s.q2y
            return massless && abs(c1) <= 1e-12 * sc * sc && abs(c2) <= 1e-12 * sc * sc && d1 >= 0 && d2 >= 0
        }
        guard abs(max(t1, t2) - s.value) <= tol * s.value else { return false }
        let g1 = gradient(m: x[0], px: x[1], py: x[2], chi: x[8], qx: s.q1x, qy: s.q1y)
        let g2 = gradient(m: x[3], px: x[4], py: x[5], chi: x[9], qx: s.q2x, qy: s.q2y)
        let n1 = (g1.0 * g1.0 + g1.1 * g1.1).squareRoot(), n2 = (g2.0 * g2.0 + g2.1 * g2.1).squareRoot()
        // Unbalanced: the larger side at its own minimum m_i + chi_i (possibly a kink at q = 0).
        if t1 < t2 * (1 - 1e-9) { return abs(t2 - (x[3] + x[9])) <= tol * t2 || n2 <= 1e-7 * sc }
        if t2 < t1 * (1 - 1e-9) { return abs(t1 - (x[0] + x[8])) <= tol * t1 || n1 <= 1e-7 * sc }
        if n1 <= 1e-7 * sc || n2 <= 1e-7 * sc { return true }
        return (g1.0 * g2.0 + g1.1 * g2.1) / (n1 * n2) >= 1 - 1e-6
    }
}

/// Reference inputs and values for MT2ReferenceTests; see benchmarks/mt2_make_reference.py.
enum MT2Reference {
    static let count = 100_000

    static func resource(_ name: String) throws -> Data {
        guard let url = Bundle.module.url(forResource: name, withExtension: nil, subdirectory: "Resources") else {
            throw CocoaError(.fileNoSuchFile, userInfo: [NSFilePathErrorKey: "Resources/\(name)"])
        }
        return try Data(contentsOf: url)
    }

    /// Counter-based splitmix64 uniforms in [0, 1), identical to benchmarks/mt2_make_reference.py.
    static func uniforms(seed: UInt64, count: Int) -> [Double] {
        (0..<count).map { k in
            var z = seed &+ UInt64(k + 1) &* 0x9E37_79B9_7F4A_7C15
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            z ^= z >> 31
            return Double(z >> 11) * 0x1p-53
        }
    }

    /// The random input rows of benchmarks/mt2_make_reference.py (`random_inputs`).
    static func randomRows(_ n: Int, seed: UInt64 = 20_241_129) -> [MT2Row] {
        let u = uniforms(seed: seed, count: 16 * n)
        return (0..<n).map { i in
            let r = Array(u[(16 * i)..<(16 * i + 16)])
            let scale = pow(10.0, 4 * r[14] - 2)
            let m1 = r[10] < 0.15 ? 0 : 100 * r[0], m2 = r[11] < 0.15 ? 0 : 100 * r[3]
            let chi1 = r[12] < 0.15 ? 0 : 100 * r[8], chi2 = r[13] < 0.30 ? chi1 : 100 * r[9]
            let p = [r[1], r[2], r[4], r[5], r[6], r[7]].map { 400 * ($0 - 0.5) }
            return MT2Row(x: [m1, p[0], p[1], m2, p[2], p[3], p[4], p[5], chi1, chi2].map { $0 * scale })
        }
    }

    static func randomReference() throws -> [Double] {
        let d = try resource("mt2_random_reference.f64")
        return d.withUnsafeBytes { Array($0.bindMemory(to: Double.self)) }
    }

    /// Fixture MT2(bl) rows (float32-rounded, chi = 0) and their reference values.
    static func fixture() throws -> ([MT2Row], [Double]) { try rowsAndReference("mt2_fixture_reference.bin") }

    /// MT2(bl) rows of 1e5 events of the real generator (ttbar, cms, true pairing; written by
    /// benchmarks/mt2_generated_reference.py) and their reference values.
    static func generated() throws -> ([MT2Row], [Double]) { try rowsAndReference("mt2_generated_reference.bin") }

    /// N x 8 float32 inputs (chi = 0) followed by N float64 reference values.
    static func rowsAndReference(_ name: String) throws -> ([MT2Row], [Double]) {
        let d = try resource(name)
        let n = d.count / 40
        let rows: [MT2Row] = d.withUnsafeBytes { raw in
            let f = raw.bindMemory(to: Float.self)
            return (0..<n).map { i in MT2Row(x: (0..<8).map { Double(f[8 * i + $0]) } + [0, 0]) }
        }
        let ref: [Double] = d.subdata(in: (32 * n)..<(40 * n)).withUnsafeBytes { Array($0.bindMemory(to: Double.self)) }
        return (rows, ref)
    }
}
