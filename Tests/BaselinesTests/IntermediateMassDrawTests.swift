@testable import Baselines
import Generation
import Testing

/// kinreco's m_B draws against the generator's Breit-Wigner sampler (an independent
/// implementation: fast-math tan over four lanes): the same inverse CDF, so the same masses for
/// the same uniforms to rounding, over the full and the clipped window.
@Suite struct IntermediateMassDrawTests {
    @Test func sameMassesAsTheGeneratorsSampler() {
        let draw = IntermediateMassDraw(pole: 80.38, width: 2.085, floor: 1e-9)
        let generator = BreitWigner(pole: 80.38, width: 2.085, cutoff: 15, floor: 1e-9)
        #expect(draw.lower == generator.lower && draw.upper == generator.upper)
        for k in 0..<1000 {
            let u = (Double(k) + 0.5) / 1000
            for limit in [generator.upper, 81.0, 75.0] {
                let a = draw.mass(u, below: limit), b = generator.mass(u, below: limit)
                #expect(abs(a - b) < 1e-9 * b, "u \(u), limit \(limit): \(a) vs \(b)")
            }
        }
        #expect(IntermediateMassDraw(pole: 80.38, width: 0, floor: 0).mass(0.3, below: 100) == 80.38)
    }
}
