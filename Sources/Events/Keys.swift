/// The event topologies (docs/physics.md#topologies).
public enum TopologyKind: String, Sendable, Codable, CaseIterable {
    /// p p -> A1 A2, A_i -> a_i B_i, B_i -> b_i C_i (C invisible).
    case ttbarLike = "ttbar-like"
    /// p p -> D -> B1 B2, B_i -> a_i C_i (C invisible).
    case antler
}

/// Array names used in samples and npz files. Four-vector arrays are (N, 4) float64
/// (E, px, py, pz) in GeV; `met` is (N, 2); `pairing` and `event` are (N,) integers.
public enum Key {
    // Reconstructed (detector-level) objects.
    public static let a1 = "a1", a2 = "a2", b1 = "b1", b2 = "b2"
    public static let met = "met"
    public static let isr = "isr"
    /// 0: reconstructed a1 and b1 come from one chain; 1: a1 and b2 do (t-tbar-like only).
    public static let pairing = "pairing"
    /// Event number, unique across shards.
    public static let event = "event"

    // Truth (generator-level). Chain 1 is the chain of the reconstructed a1.
    public static let trueA1 = "true_A1", trueA2 = "true_A2"
    public static let trueB1 = "true_B1", trueB2 = "true_B2"
    public static let trueC1 = "true_C1", trueC2 = "true_C2"
    public static let truea1 = "true_a1", truea2 = "true_a2"
    public static let trueb1 = "true_b1", trueb2 = "true_b2"
    public static let trueD = "true_D"
    public static let trueISR = "true_isr"

    /// Provenance, a 0-d unicode array holding JSON.
    public static let provenance = "provenance"

    /// Reconstructed four-vector keys of a topology, in the order of `TTbarReco` / `AntlerReco`
    /// (without the ISR jet).
    public static func reconstructed(_ kind: TopologyKind) -> [String] {
        switch kind {
        case .ttbarLike: ttbarReconstructed
        case .antler: antlerReconstructed
        }
    }

    /// Truth four-vector keys of a topology, in the order of `TTbarTruth` / `AntlerTruth`
    /// (without the ISR jet).
    public static func truth(_ kind: TopologyKind) -> [String] {
        switch kind {
        case .ttbarLike: ttbarTruth
        case .antler: antlerTruth
        }
    }

    // Built once from the role enums (Roles.swift).
    private static let ttbarReconstructed = TTbarReco.keysWithoutISR, antlerReconstructed = AntlerReco.keysWithoutISR
    private static let ttbarTruth = TTbarTruth.keysWithoutISR, antlerTruth = AntlerTruth.keysWithoutISR
}
