import Core
import Foundation
import Testing
@testable import Generation

/// The four-lane (`Lanes`) versions of the event-loop functions against their scalar
/// definitions: the same operations in the same order, so every lane must be bit-identical.
@Suite struct LanesTests {
    /// `count` groups of four values from `make` (one call per lane, lane 0 first).
    static func groups(_ count: Int, _ make: () -> Double) -> [Lanes] {
        (0..<count).map { _ in let a = make(), b = make(), c = make(); return Lanes(a, b, c, make()) }
    }

    static func same(_ lanes: Lanes, _ scalar: (Int) -> Double) -> Bool {
        (0..<4).allSatisfy { lanes[$0].bitPattern == scalar($0).bitPattern }
    }

    @Test func fastMathLanesAreTheScalarFunctions() {
        var rng = EventRandom(algorithm: .taus2, seed: 41)
        for t in Self.groups(20_000, { rng.uniform() * 2 - 0.5 }) {
            let (s, c) = FastMath.sinCos(turns: t)
            #expect(Self.same(s) { FastMath.sinCos(turns: t[$0]).sin } && Self.same(c) { FastMath.sinCos(turns: t[$0]).cos })
        }
        for x in Self.groups(20_000, { (rng.uniform() - 0.5) * 3.14 }) {
            #expect(Self.same(FastMath.tan(x)) { FastMath.tan(x[$0]) })
        }
        for x in Self.groups(20_000, { (rng.uniform() - 0.5) * 1400 }) {
            #expect(Self.same(FastMath.exp(x)) { FastMath.exp(x[$0]) })
        }
        for x in Self.groups(20_000, { Foundation.exp((rng.uniform() - 0.5) * 1400) }) {
            #expect(Self.same(FastMath.log(x)) { FastMath.log(x[$0]) })
        }
    }

    /// `uniforms()` is four `uniform()` calls, across refills of the word buffer too (the
    /// offset 1 + 3k never lines up with the 256-word batches).
    @Test func uniformsAreFourDraws() {
        var lanes = EventRandom(algorithm: .taus2, seed: 42)
        var scalar = lanes
        _ = lanes.uniform(); _ = scalar.uniform()
        for _ in 0..<2000 {
            let u = lanes.uniforms()
            #expect(Self.same(u) { _ in scalar.uniform() })
        }
    }

    /// `gaussians()` uses one word per lane like `gaussian()`: where all four words land inside
    /// their rectangles (most groups) the lanes are the scalar deviates; overall the deviates are
    /// standard normal (KS at 1 %).
    @Test func gaussiansAreTheZiggurat() {
        var lanes = EventRandom(algorithm: .taus2, seed: 43)
        var scalar = lanes
        var matched = 0, draws: [Double] = []
        for _ in 0..<25_000 {
            var copy = scalar
            let g = lanes.gaussians()
            let s = (0..<4).map { _ in copy.gaussian() }
            let words = (0..<4).map { _ in scalar.next32() }
            let inner = words.allSatisfy { w in Double(w >> 8) < Ziggurat.shared.layers[Int(w & 127)].limit }
            if inner {
                #expect(Self.same(g) { s[$0] })
                matched += 1
            } else {
                scalar = lanes
            }
            draws.append(contentsOf: [g[0], g[1], g[2], g[3]])
        }
        #expect(matched > 20_000)
        let d = KS.statistic(draws) { 0.5 * erfc(-$0 / 2.0.squareRoot()) }
        #expect(d < KS.critical1(draws.count), "KS D = \(d)")
    }

    /// Breit-Wigner masses: full and kinematically clipped windows, and on shell (no draw).
    @Test func breitWignerLanesAreTheScalarSampler() {
        let bw = BreitWigner(pole: 172.5, width: 1.32)
        var lanes = EventRandom(algorithm: .taus2, seed: 44)
        var scalar = lanes
        var limits = EventRandom(algorithm: .taus2, seed: 45)
        for _ in 0..<20_000 {
            // Limits straddling the window's top (192.3): some lanes clipped, some not.
            let limit = Lanes(repeating: bw.lower + 1) + limits.uniforms() * 50
            let m = bw.masses(&lanes, below: limit)
            #expect(Self.same(m) { bw.mass(&scalar, below: limit[$0]) })
        }
        let onShell = BreitWigner(pole: 80.4, width: 0)
        let before = lanes
        #expect(onShell.masses(&lanes, below: Lanes(repeating: 100)) == Lanes(repeating: 80.4))
        #expect(lanes.uniform() == before.uniformCopy())
    }

    @Test func aliasIndicesAreTheScalarDraws() {
        let table = AliasTable(weights: (0..<4096).map { Double(($0 * 7919) % 97 + 1) })
        var rng = EventRandom(algorithm: .taus2, seed: 46)
        for u in Self.groups(50_000, { rng.uniform() }) + [Lanes(0, 0.999_999_999_9, 0.5, 1.0 / 4096)] {
            let k = table.indices(u)
            #expect((0..<4).allSatisfy { Int(k[$0]) == table.index(u[$0]) })
        }
    }
}

extension EventRandom {
    /// The next uniform of a copy (the stream itself does not advance).
    func uniformCopy() -> Double { var c = self; return c.uniform() }
}
