import Foundation
import Testing
@testable import Generation

/// The inlined elementary functions against libm (glibc's sin, cos, tan, exp and log are
/// correctly rounded to within 1 ulp, so the bounds below are a few ulp).
@Suite struct FastMathTests {
    /// sin and cos of a fraction of a turn, over uniform turns and the exact quarter turns.
    @Test func sinCosOfTurnsMatchesLibm() {
        var rng = EventRandom(algorithm: .taus2, seed: 31)
        var worst = 0.0
        for k in 0..<200_000 {
            let t = k < 8 ? Double(k) / 8 : rng.uniform()
            let (s, c) = FastMath.sinCos(turns: t)
            // Reference in 80-bit precision: a double 2 pi t would carry 4e-16 of rounding.
            let a = 2 * Float80.pi * Float80(t)
            worst = max(worst, abs(s - Double(sinl(a))), abs(c - Double(cosl(a))))
            #expect(abs(s * s + c * c - 1) < 1e-15)
        }
        // Absolute error: values are in [-1, 1]; 1 ulp at 1 is 2.2e-16.
        #expect(worst < 3e-16, "worst |error| \(worst)")
    }

    /// tan over (-pi/2, pi/2), the range of the Breit-Wigner tan mapping, relative error, up to
    /// angles 1e-6 from the poles (tan ~ 1e6).
    @Test func tanMatchesLibm() {
        var rng = EventRandom(algorithm: .taus2, seed: 32)
        var worst = 0.0
        for k in 0..<200_000 {
            let x = k < 2 ? (k == 0 ? 1 : -1) * (Double.pi / 2 - 1e-6) : (rng.uniform() - 0.5) * Double.pi
            let ref = Double(tanl(Float80(x)))
            worst = max(worst, abs(FastMath.tan(x) - ref) / max(abs(ref), 1e-300))
        }
        // The angle itself carries 1 ulp (1.1e-16 relative); near the pole tan amplifies an
        // absolute angle error d by 1/(pi/2 - x)^2 relative to tan: 2.2e-16 / 1e-6 = 2.2e-10.
        #expect(worst < 5e-10, "worst relative error \(worst)")
        var mid = 0.0
        for _ in 0..<100_000 {
            let x = (rng.uniform() - 0.5) * 2.8   // |x| < 1.4: tan below 6
            let ref = Double(tanl(Float80(x)))
            mid = max(mid, abs(FastMath.tan(x) - ref) / max(abs(ref), 1e-300))
        }
        // x enters as x 256/(2 pi) (one rounding, 1.1e-16 relative), amplified by
        // x (1 + tan^2)/tan <= 8.5 for |x| < 1.4, plus the few ulp of sin/cos and the division.
        #expect(mid < 2e-15, "worst relative error for |x| < 1.4: \(mid)")
    }

    @Test func expMatchesLibm() {
        var rng = EventRandom(algorithm: .taus2, seed: 33)
        var worst = 0.0
        let edges = [0.0, -0.0, 1, -1, 709, -708, 1e-300, -1e-300, 0.34657359027997264]
        for k in 0..<200_000 {
            let x = k < edges.count ? edges[k] : (rng.uniform() - 0.5) * 60
            let ref = Foundation.exp(x)
            worst = max(worst, abs(FastMath.exp(x) - ref) / ref)
        }
        #expect(worst < 5e-16, "worst relative error \(worst)")
    }

    @Test func logMatchesLibm() {
        var rng = EventRandom(algorithm: .taus2, seed: 34)
        var worst = 0.0
        let edges = [1.0, 2, 0.5, 1.4142135623730951, 1.4142135623730954, 1 + 1e-15, 1 - 1e-16, 1e-300, 1e300]
        for k in 0..<200_000 {
            let x = k < edges.count ? edges[k] : Foundation.exp((rng.uniform() - 0.5) * 80)
            let ref = Foundation.log(x)
            // Absolute error near x = 1 (log -> 0), relative elsewhere.
            worst = max(worst, abs(FastMath.log(x) - ref) / max(abs(ref), 1))
        }
        #expect(worst < 5e-16, "worst error \(worst)")
    }

    /// Isotropy: phi of `direction()` is uniform (KS), and so is the azimuth of `azimuth()`.
    @Test func directionAzimuthIsUniform() {
        var r = EventRandom(algorithm: .taus2, seed: 35)
        let n = 50_000
        var phis: [Double] = [], az: [Double] = []
        for _ in 0..<n {
            let (x, y, _) = r.direction()
            phis.append(atan2(y, x))
            let (c, s) = r.azimuth()
            #expect(abs(c * c + s * s - 1) < 1e-15)
            az.append(atan2(s, c))
        }
        let uniformPhi = { (p: Double) in min(max((p + Double.pi) / (2 * Double.pi), 0), 1) }
        #expect(KS.statistic(phis, cdf: uniformPhi) < KS.critical1(n))
        #expect(KS.statistic(az, cdf: uniformPhi) < KS.critical1(n))
        // Power: a phi folded onto [0, pi) is rejected.
        #expect(KS.statistic(phis.map { abs($0) }, cdf: uniformPhi) > KS.critical1(n))
    }
}
