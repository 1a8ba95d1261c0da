import Core
import Foundation
import Generation
import Testing
@testable import Baselines

/// The endpoint fit's edge model with a Breit-Wigner width and a Gaussian resolution folded in
/// (`EndpointShape`), against brute-force integrals and samples drawn from the model.
@Suite struct ExtractionEdgeShapeTests {
    /// Standard normal moments E[Z^(2k)] = (2k - 1)!!, exact for the 12-point rule up to degree 23.
    @Test func gaussHermiteIntegratesNormalMoments() {
        let rule = GaussHermite.twelve
        #expect(rule.nodes.count == 12)
        func moment(_ k: Int) -> Double { zip(rule.nodes, rule.weights).reduce(0) { $0 + $1.1 * pow($1.0, Double(k)) } }
        #expect(abs(moment(0) - 1) < 1e-12)
        #expect(abs(moment(1)) < 1e-12)
        #expect(abs(moment(2) - 1) < 1e-11)
        #expect(abs(moment(4) - 3) < 1e-10)
        #expect(abs(moment(8) - 105) < 1e-8)
        // 21!! = 13749310575; the first moment the rule does not integrate exactly is 24.
        #expect(abs(moment(22) / 13_749_310_575 - 1) < 1e-9)
        // E[cos Z] = exp(-1/2).
        let c = zip(rule.nodes, rule.weights).reduce(0) { $0 + $1.1 * cos($1.0) }
        #expect(abs(c - exp(-0.5)) < 1e-9)
    }

    /// Brute force: the relativistic Breit-Wigner density 2m / ((m^2 - M^2)^2 + M^2 Gamma^2) on
    /// its truncated window by the trapezoid rule (normalised on the grid), times a Gaussian
    /// on [-8, 8] sigma, times the edge integral.
    func bruteForce(_ s: EndpointShape, lower: Double, binWidth: Double, bins: Int) -> [Double] {
        let lo = s.endpoint - s.cutoff * s.width, hi = s.endpoint + s.cutoff * s.width
        let nm = 3000, nz = 160
        var ms: [Double] = [], wm: [Double] = []
        for i in 0...nm {
            let m = lo + (hi - lo) * Double(i) / Double(nm)
            let d = m * m - s.endpoint * s.endpoint
            ms.append(m); wm.append((i == 0 || i == nm ? 0.5 : 1) * 2 * m / (d * d + s.endpoint * s.endpoint * s.width * s.width))
        }
        let normM = wm.reduce(0, +)
        var zs: [Double] = [], wz: [Double] = []
        for i in 0...nz {
            let z = -8 + 16 * Double(i) / Double(nz)
            zs.append(z); wz.append((i == 0 || i == nz ? 0.5 : 1) * exp(-0.5 * z * z))
        }
        let normZ = wz.reduce(0, +)
        var above = [Double](repeating: 0, count: bins + 1)
        for k in 0...bins {
            let e = lower + Double(k) * binWidth
            var total = 0.0
            for (m, a) in zip(ms, wm) {
                for (z, b) in zip(zs, wz) { total += a * b * EndpointShape.edgeIntegral(m + s.sigma * z - e, s.power + 1) }
            }
            above[k] = total / (normM * normZ)
        }
        return (0..<bins).map { s.amplitude * (above[$0] - above[$0 + 1]) + s.background * binWidth }
    }

    @Test(arguments: [(0.5, 0.0), (0.5, 1.5), (1.0, 0.7)])
    func binCountsMatchBruteForceIntegral(power: Double, sigma: Double) {
        let s = EndpointShape(endpoint: 80.38, amplitude: 100, power: power, sigma: sigma, background: 2,
                              width: 2.085, cutoff: 15)
        let fast = s.binCounts(lower: 66, binWidth: 2, bins: 12)
        let slow = bruteForce(s, lower: 66, binWidth: 2, bins: 12)
        let scale = slow.reduce(0, +)
        for k in 0..<12 {
            #expect(abs(fast[k] - slow[k]) < 2e-3 * scale, "bin \(k): \(fast[k]) vs \(slow[k])")
        }
    }

    /// Values x = m - t (+ sigma z): m from the truncated relativistic Breit-Wigner (accept-reject on
    /// a flat proposal), t with density proportional to t^(1/2) on [0, L] (t = L u^(2/3)), so that
    /// the density falls as (m - x)^(1/2) at each event's endpoint. L = 60 GeV reaches below the
    /// fit windows from every m of the truncated window, so the edge holds over the whole window.
    func sqrtEdgeSample(n: Int, pole: Double, width: Double, depth: Double, sigma: Double, seed: UInt32) -> [Double] {
        let r = RandomStream(seed: seed)
        let lo = pole - 15 * width, hi = pole + 15 * width
        let bound = 2 * hi / (pole * pole * width * width)
        var v: [Double] = []
        v.reserveCapacity(n)
        while v.count < n {
            let m = lo + (hi - lo) * r.uniform(), d = m * m - pole * pole
            guard r.uniform() * bound < 2 * m / (d * d + pole * pole * width * width) else { continue }
            v.append(m - depth * pow(r.uniform(), 2.0 / 3) + sigma * r.gaussian())
        }
        return v
    }

    @Test(arguments: [UInt32(41), 42])
    func recoversPoleOfSquareRootEdgeWithWidth(seed: UInt32) throws {
        let v = sqrtEdgeSample(n: 20000, pole: 80.38, width: 2.085, depth: 60, sigma: 0, seed: seed)
        let r = try EndpointFit.fit(values: v, options: .init(window: 62...110, bins: 48, bootstrap: 0,
                                                              width: 2.085))
        #expect(r.converged)
        #expect(abs(r.endpoint - 80.38) < 3 * r.fitError, "endpoint \(r.endpoint) +- \(r.fitError)")
        #expect(r.fitError < 0.3)
        // The straight narrow edge on the same values reads the Breit-Wigner tail as the endpoint.
        let line = try EndpointFit.fit(values: v, options: .init(window: 62...110, bins: 48, bootstrap: 0,
                                                                 edgePower: .fixed(1)))
        #expect(abs(line.endpoint / 80.38 - 1) > 0.01, "straight edge \(line.endpoint)")
    }

    @Test func recoversPoleAndResolutionWithSmearing() throws {
        let v = sqrtEdgeSample(n: 30000, pole: 80.38, width: 2.085, depth: 60, sigma: 3, seed: 43)
        let r = try EndpointFit.fit(values: v, options: .init(window: 62...115, bins: 53, bootstrap: 0,
                                                              width: 2.085))
        #expect(r.converged)
        #expect(abs(r.endpoint - 80.38) < 3 * r.fitError, "endpoint \(r.endpoint) +- \(r.fitError)")
        #expect(abs(r.resolution - 3) < 3 * r.resolutionError + 0.2, "sigma \(r.resolution) +- \(r.resolutionError)")
    }

    @Test func freeExponentFindsSquareRoot() throws {
        let v = sqrtEdgeSample(n: 30000, pole: 80.38, width: 2.085, depth: 60, sigma: 0, seed: 44)
        let r = try EndpointFit.fit(values: v, options: .init(window: 62...110, bins: 48, resolution: .fixed(0),
                                                              bootstrap: 0, edgePower: .free(initial: 1), width: 2.085))
        #expect(abs(r.edgePower - 0.5) < 3 * r.edgePowerError + 0.02, "p \(r.edgePower) +- \(r.edgePowerError)")
        #expect(abs(r.endpoint - 80.38) < 3 * r.fitError, "endpoint \(r.endpoint) +- \(r.fitError)")
    }

    @Test func rejectsBadWidthAndExponent() {
        let v = sqrtEdgeSample(n: 100, pole: 80.38, width: 2.085, depth: 60, sigma: 0, seed: 45)
        #expect(throws: ExtractionError.self) { try EndpointFit.fit(values: v, options: .init(width: -1)) }
        #expect(throws: ExtractionError.self) { try EndpointFit.fit(values: v, options: .init(edgePower: .fixed(-1))) }
    }
}
