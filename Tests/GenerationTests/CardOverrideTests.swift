import Foundation
import Testing
@testable import Generation

/// `--set KEY=VALUE` changes of a decoded card.
@Suite struct CardOverrideTests {
    @Test func massWidthAndEnergyAreChanged() throws {
        let base = try card("ttbar")
        let changed = try base.applying([CardOverride(parsing: "A.mass=175.5"), CardOverride(parsing: " A.width = 1.4 "),
                                         CardOverride(parsing: "sqrt_s=14000")])
        #expect(changed.mass(.A) == 175.5 && changed.particle(.A).width == 1.4 && changed.sqrtS == 14000)
        #expect(changed.mass(.B) == base.mass(.B))
        #expect(changed.overrides == ["A.mass=175.5", "A.width=1.4", "sqrt_s=14000.0"])
        #expect(changed.digest != base.digest)
        // The same values written into the card give the same digest: the digest follows values.
        var edited = base
        edited.particles[.A]!.mass = 175.5; edited.particles[.A]!.width = 1.4; edited.sqrtS = 14000
        #expect(edited.digest == changed.digest)
        // Antler roles.
        let hww = try card("hww").applying([CardOverride(key: "D.mass", value: 750)])
        #expect(hww.mass(.D) == 750)
    }

    @Test func badOverridesNameTheKey() throws {
        #expect(throws: CardError.self) { try CardOverride(parsing: "A.mass") }
        #expect(throws: CardError.self) { try CardOverride(parsing: "=3") }
        do {
            _ = try CardOverride(parsing: "A.mass=heavy")
            Issue.record("no error")
        } catch {
            #expect(error.key == "A.mass" && error.reason.contains("heavy"))
        }
        let base = try card("ttbar")
        func failure(_ key: String, _ value: Double) -> CardError? {
            do { _ = try base.applying([CardOverride(key: key, value: value)]); return nil } catch { return error }
        }
        #expect(failure("D.mass", 700)?.reason.contains("unknown override") == true)  // no D in t-tbar-like
        #expect(failure("A.colour", 1)?.reason.contains("A.mass") == true)
        #expect(failure("C.width", 1)?.reason.contains("stable") == true)
        #expect(failure("A.mass", -1)?.reason.contains(">= 0") == true)
        #expect(failure("sqrt_s", 0)?.key == "sqrt_s")
        // A change that breaks the chain is refused as a decoded card would be, saying which change.
        let forbidden = failure("A.mass", 80)
        #expect(forbidden?.key == "particles.A.mass" && forbidden?.reason.contains("--set A.mass=80.0") == true)
    }
}
