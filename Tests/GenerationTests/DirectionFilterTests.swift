import Foundation
import Testing
@testable import Generation

/// The direction pre-filter of `TruthGenerator.fill(_:candidates:directionCut:rows:rng:)`:
/// it must keep exactly the events whose visible daughters are inside the cone, with the
/// same distributions as filtering unfiltered events afterwards.
@Suite struct DirectionFilterTests {
    /// sinh^2(2.5): the default |eta| < 2.5 acceptance.
    static let cut = sinh(2.5) * sinh(2.5)

    static func inside(_ v: (Double, Double, Double, Double)) -> Bool {
        let pt2 = v.1 * v.1 + v.2 * v.2
        return pt2 > 0 && v.3 * v.3 < pt2 * cut
    }

    static func pt(_ v: (Double, Double, Double, Double)) -> Double { (v.1 * v.1 + v.2 * v.2).squareRoot() }

    @Test(arguments: [("ttbar", [6, 7, 8, 9]), ("hww", [5, 6])])
    func keepsTheSameEventsAsFilteringAfterwards(name: String, visibles: [Int]) throws {
        let c = try card(name)
        let gen = TruthGenerator(card: c, isr: false)
        let n = 512, batches = 30
        // Unfiltered events, filtered afterwards.
        var passing: [Double] = [], total = 0
        var rng = EventRandom(algorithm: .taus2, seed: 8080)
        let all = EventBuffer(roles: gen.roleCount, capacity: n)
        for _ in 0..<batches {
            _ = gen.fill(all, range: 0..<n, rng: &rng)
            for i in 0..<n where visibles.allSatisfy({ Self.inside(all.row($0, i)) }) {
                passing.append(Self.pt(all.row(visibles[0], i)))
            }
            total += n
        }
        // Pre-filtered events (another seed: independent).
        var kept: [Double] = []
        var rng2 = EventRandom(algorithm: .taus2, seed: 9090)
        let buf = EventBuffer(roles: gen.roleCount, capacity: n)
        let rows = UnsafeMutablePointer<Int32>.allocate(capacity: n)
        defer { rows.deallocate() }
        var worst = 0.0
        for _ in 0..<batches {
            let r = gen.fill(buf, candidates: n, directionCut: Self.cut, rows: rows, rng: &rng2)
            #expect(r.violations == 0)
            for k in 0..<r.rows {
                let i = Int(rows[k])
                if k > 0 { #expect(rows[k] > rows[k - 1]) }
                #expect(i >= 0 && i < n)
                #expect(visibles.allSatisfy { Self.inside(buf.row($0, i)) })
                kept.append(Self.pt(buf.row(visibles[0], i)))
                // Kept rows are complete events: the first chain conserves four-momentum
                // (parent role 1 or 0 of the visible's chain).
                let v = (0..<gen.roleCount).map { V4(buf.row($0, i)) }
                let chainSum = name == "ttbar" ? v[6] + v[2] : v[5] + v[3]
                let parent = name == "ttbar" ? v[0] : v[1]
                worst = max(worst, parent.distance(chainSum))
            }
        }
        #expect(worst < 1e-9, "worst relative violation \(worst)")
        // Same kept fraction (binomial, 5 sigma of the difference).
        let pU = Double(passing.count) / Double(total), pF = Double(kept.count) / Double(total)
        let sd = (2 * pU * (1 - pU) / Double(total)).squareRoot()
        #expect(pU < 0.999 && abs(pF - pU) < 5 * sd, "kept \(pF) vs passing \(pU)")
        // Same pT distribution of the first visible: two-sample KS at 1 %.
        let d = Self.twoSampleKS(passing, kept)
        let m = Double(passing.count), k = Double(kept.count)
        #expect(d < 1.6276 * ((m + k) / (m * k)).squareRoot(), "two-sample KS D = \(d)")
    }

    /// sup |F1 - F2| of the empirical CDFs.
    static func twoSampleKS(_ a: [Double], _ b: [Double]) -> Double {
        let x = a.sorted(), y = b.sorted()
        var i = 0, j = 0, d = 0.0
        while i < x.count && j < y.count {
            let v = min(x[i], y[j])
            while i < x.count && x[i] <= v { i += 1 }
            while j < y.count && y[j] <= v { j += 1 }
            d = max(d, abs(Double(i) / Double(x.count) - Double(j) / Double(y.count)))
        }
        return d
    }
}
