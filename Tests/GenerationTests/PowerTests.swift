import Foundation
import Testing
@testable import Generation

@Suite struct PowerTests {
    /// The unrolled exponents 3 and 5 give exactly the bits of the repeated-squaring loop, and
    /// every small integer exponent agrees with pow to rounding.
    @Test func unrolledPowersMatchTheLoopBitForBit() {
        var rng = EventRandom(algorithm: .taus2, seed: 77)
        for _ in 0..<10_000 {
            let p = rng.uniform()
            for n in [3, 5] {
                #expect(ProductionSampler.power(p, Double(n), n).bitPattern
                    == ProductionSampler.powerBySquaring(p, n).bitPattern, "p = \(p), n = \(n)")
            }
            for n in 0...8 {
                let x = ProductionSampler.power(p, Double(n), n), ref = Foundation.pow(p, Double(n))
                #expect(abs(x - ref) <= 1e-14 * ref, "p = \(p), n = \(n)")
            }
        }
    }
}
