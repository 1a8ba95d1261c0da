import Events

/// What a checkpoint was trained on, recorded in its header so that `deelema estimate` can
/// refuse a sample of another card, detector setting or mass scale: the network's masses are
/// those of its training sample, and it prints them for any input.
public struct TrainingOrigin: Codable, Equatable, Sendable {
    /// Card name and digest, detector preset and smearing scale from the sample's provenance
    /// (nil for a sample without provenance).
    public var card: String?
    public var cardDigest: String?
    public var detector: String?
    public var smearScale: Double?
    /// Median over events of the summed energies of the reconstructed objects (GeV): the
    /// sample's mass scale, known also for samples without provenance.
    public var visibleEnergy: Double?

    /// Input and training sample whose visible-energy medians differ by more than this factor
    /// belong to different mass-scale regimes (smearing and ISR move it by a few percent).
    public static let energyRatioLimit = 2.0

    public init(sample: Sample) {
        let p = sample.provenance
        card = p?.card; cardDigest = p?.cardDigest; detector = p?.detector; smearScale = p?.smearScale
        var sums = [Double](repeating: 0, count: sample.count)
        for key in Key.reconstructed(sample.kind) {
            guard let v = try? sample.fourVectors(key), v.count == 4 * sums.count else { sums = []; break }
            for i in sums.indices { sums[i] += v[4 * i] }
        }
        sums.sort()
        visibleEnergy = sums.isEmpty ? nil : sums[sums.count / 2]
    }

    /// How `input` differs from this (the training sample): one phrase per difference.
    public func differences(from input: TrainingOrigin) -> [String] {
        var out: [String] = []
        if let a = card, let b = input.card, a != b || (cardDigest != input.cardDigest && cardDigest != nil && input.cardDigest != nil) {
            out.append(a == b ? "card '\(b)' differs in content (digest \(input.cardDigest ?? "?") vs \(cardDigest ?? "?"))"
                              : "card '\(b)' vs '\(a)'")
        }
        if let a = detector, let b = input.detector, a != b { out.append("detector \(b) vs \(a)") }
        if let a = smearScale, let b = input.smearScale, a != b { out.append("smearing scale \(b) vs \(a)") }
        if let a = visibleEnergy, let b = input.visibleEnergy, a > 0, b > 0,
           max(a / b, b / a) > Self.energyRatioLimit {
            out.append(String(format: "mass scale: median visible energy %.0f GeV vs %.0f GeV", b, a))
        }
        return out
    }
}
