import Baselines
import Core
import Testing

@Suite struct ExtractionEndpointTests {
    /// Triangle density 2 (M - x) / M^2 on [0, M] (inverse CDF x = M (1 - sqrt(u))), smeared by a
    /// Gaussian of width sigma, plus `background` events uniform on [0, 1.5 M].
    func triangle(n: Int, endpoint m: Double, sigma: Double, background: Int = 0, seed: UInt32) -> [Double] {
        let r = RandomStream(seed: seed)
        var v = (0..<n).map { _ in m * (1 - r.uniform().squareRoot()) + sigma * r.gaussian() }
        v += (0..<background).map { _ in 1.5 * m * r.uniform() }
        return v
    }

    @Test(arguments: [UInt32(31), 35, 36])
    func recoversTriangleEndpointWithFreeResolution(seed: UInt32) throws {
        let v = triangle(n: 20000, endpoint: 100, sigma: 5, seed: seed)
        let r = try EndpointFit.fit(values: v, options: .init(bins: 40, bootstrap: 40, seed: 9, edgePower: .fixed(1)))
        #expect(r.converged)
        #expect(abs(r.endpoint - 100) < 3 * r.fitError, "endpoint \(r.endpoint) +- \(r.fitError)")
        #expect(abs(r.resolution - 5) < 3 * r.resolutionError + 0.5, "sigma \(r.resolution) +- \(r.resolutionError)")
        let ratio = r.bootstrapError / r.fitError
        #expect(ratio > 1 / 1.5 && ratio < 1.5, "bootstrap \(r.bootstrapError) vs fit \(r.fitError)")
        #expect(r.fitError > 0.05 && r.fitError < 3)
    }

    @Test func recoversEndpointOverFlatBackgroundWithKnownResolution() throws {
        let v = triangle(n: 20000, endpoint: 250, sigma: 10, background: 2000, seed: 32)
        let r = try EndpointFit.fit(values: v, options: .init(window: 120...360, bins: 48, resolution: .fixed(10),
                                                              bootstrap: 30, seed: 4, edgePower: .fixed(1)))
        #expect(abs(r.endpoint - 250) < 3 * r.fitError, "endpoint \(r.endpoint) +- \(r.fitError)")
        // Background density: 2000 events over 375 GeV.
        #expect(abs(r.background - 2000.0 / 375) < 0.3 * 2000.0 / 375, "background \(r.background)")
        let ratio = r.bootstrapError / r.fitError
        #expect(ratio > 1 / 1.5 && ratio < 1.5, "bootstrap \(r.bootstrapError) vs fit \(r.fitError)")
    }

    @Test func rejectsNonFiniteValues() {
        var v = triangle(n: 100, endpoint: 100, sigma: 5, seed: 33)
        v[17] = .nan
        #expect(throws: ExtractionError.nonFinite(index: 17)) { try EndpointFit.fit(values: v) }
        #expect(throws: ExtractionError.self) { try EndpointFit.fit(values: [1, 2, 3]) }
    }
}
