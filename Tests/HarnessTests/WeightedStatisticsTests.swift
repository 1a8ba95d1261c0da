import Core
import Events
import Foundation
import Generation
import Testing
@testable import Harness

/// Issue 14: event weights (negative ones included) weigh the harness's averages; unit weights
/// change nothing.
@Suite struct WeightedStatisticsTests {
    func values(_ n: Int, seed: UInt32) -> [Double] {
        let r = RandomStream(seed: seed)
        return (0..<n).map { _ in 3 * r.gaussian() + 0.5 * r.uniform() }
    }

    @Test func unitWeightsGiveTheUnweightedNumbersExactly() {
        let v = values(501, seed: 3)
        let ones = [Double](repeating: 1, count: v.count)
        for q in [0.0, 0.16, 0.5, 0.84, 1.0] {
            #expect(WeightedStatistics.quantile(v, weights: ones, q) == Statistics.quantile(v, q))
            #expect(WeightedStatistics.quantile(v, weights: nil, q) == Statistics.quantile(v, q))
        }
        #expect(WeightedStatistics.robustWidth(v, weights: ones) == Statistics.robustWidth(v))
        #expect(WeightedStatistics.mean(v, weights: ones) == Statistics.mean(v))
        let r1 = Evaluation.resolution("x", v, weights: nil), r2 = Evaluation.resolution("x", v)
        #expect(r1?.median == r2?.median && r1?.width68 == r2?.width68 && r1?.rms == r2?.rms)
    }

    /// An event of weight k is k events of weight 1, in a sample that is weighted either way.
    @Test func integerWeightIsRepeatedEvents() {
        let v = values(301, seed: 4)
        let w = v.indices.map { Double(1 + $0 % 3) }  // 1, 2, 3, ...
        var repeated: [Double] = [], half: [Double] = []
        for (x, k) in zip(v, w) {
            // Each event of weight k as k events of weight 0.5 twice over: weights 0.5, total unchanged x 1.
            for _ in 0..<(2 * Int(k)) { repeated.append(x); half.append(0.5) }
        }
        for q in [0.1, 0.16, 0.5, 0.84, 0.9] {
            #expect(WeightedStatistics.quantile(v, weights: w, q) == WeightedStatistics.quantile(repeated, weights: half, q))
        }
        let a = WeightedStatistics.mean(v, weights: w) ?? .nan, b = WeightedStatistics.mean(repeated, weights: half) ?? .nan
        #expect(abs(a - b) < 1e-12)
        // A global scale of the weights changes nothing.
        #expect(WeightedStatistics.quantile(v, weights: w.map { $0 * 1e-3 }, 0.5) == WeightedStatistics.quantile(v, weights: w, 0.5))
    }

    /// Events paired with a negative-weight twin (same value, weight -1) drop out.
    @Test func negativeWeightsCancel() {
        let v = values(400, seed: 5), extra = values(150, seed: 6)
        let w = v.indices.map { Double(1 + $0 % 2) }
        let all = v + extra + extra, weights = w + extra.map { _ in 2.0 } + extra.map { _ in -2.0 }
        for q in [0.16, 0.5, 0.84] {
            #expect(WeightedStatistics.quantile(all, weights: weights, q) == WeightedStatistics.quantile(v, weights: w, q))
        }
        let a = WeightedStatistics.mean(all, weights: weights) ?? .nan, b = WeightedStatistics.mean(v, weights: w) ?? .nan
        #expect(abs(a - b) < 1e-9)
        let f = WeightedStatistics.fraction(weights: weights) { $0 < v.count }
        #expect(f.map { abs($0 - 1) < 1e-12 } == true)
        // A total weight that is not positive has no quantile.
        #expect(WeightedStatistics.quantile([1, 2], weights: [1, -1], 0.5) == nil)
    }

    /// The weighted median of a known distribution: values 0...9, weight of value k = k + 1
    /// (total 55): the running sums pass 27.5 at value 6 (sums 21, 28).
    @Test func weightedMedianByHand() {
        let v = (0..<10).map(Double.init), w = (0..<10).map { Double($0 + 1) }
        #expect(WeightedStatistics.quantile(v, weights: w, 0.5) == 6)
        #expect(abs((WeightedStatistics.mean(v, weights: w) ?? .nan) - 330.0 / 55) < 1e-12)
    }
}
