import Events
import Foundation

extension DeeLeMaConfig {
    /// The momentum scale `deelema train` uses when `--scale` is not given, chosen as a user
    /// would from the sample itself (never its truth): the round value (1, 2 or 5 times a power
    /// of ten) nearest, on a log scale, to the mean energy of the visible objects (a1 a2 b1 b2;
    /// antler: a1 a2), so the network sees momenta of order one: 100 GeV for t-tbar (mean
    /// 123 GeV), 200 GeV for the toy (195 GeV). The fixed 1000 GeV default sent t-tbar to
    /// 187 / 100 GeV after 10 epochs.
    /// Returns nil when the sample has no finite visible energy.
    public static func suggestedScale(for sample: Sample) -> (scale: Double, meanVisibleEnergy: Double)? {
        guard let mean = meanVisibleEnergy(sample) else { return nil }
        let decade = pow(10, log10(mean).rounded(.down))
        let best = [1.0, 2, 5, 10].min { abs(log(mean / ($0 * decade))) < abs(log(mean / ($1 * decade))) }!
        return (best * decade, mean)
    }

    /// The mean energy (GeV) of the reconstructed visible objects over events with finite ones.
    static func meanVisibleEnergy(_ sample: Sample) -> Double? {
        let visible = Key.reconstructed(sample.kind)
        var sum = 0.0
        var events = 0
        let vectors = visible.compactMap { try? sample.fourVectors($0) }
        guard vectors.count == visible.count, sample.count > 0 else { return nil }
        for i in 0..<sample.count {
            let e = vectors.reduce(0.0) { $0 + $1[4 * i] }
            if e.isFinite { sum += e; events += 1 }
        }
        guard events > 0, sum > 0 else { return nil }
        return sum / Double(events * visible.count)
    }
}
