/// A four-vector array of one topology, typed: `rawValue` is its index in the event loops'
/// role-major buffers (the generator's truth buffer, the detector's output blocks) and `key`
/// its array name in samples and npz files. Both come from one declaration (the case's order
/// and name), so a buffer index can no longer drift from the name list it stands for;
/// `RolesTests` pins the names against the documented layout.
public protocol EventRole: RawRepresentable, CaseIterable, Sendable where RawValue == Int {
    /// The array name (`Key`).
    var key: String { get }
}

/// Truth roles of a t-tbar-like event (p p -> A1 A2, A_i -> a_i B_i, B_i -> b_i C_i), in buffer
/// order. Chain roles come in (chain 1, chain 2) pairs, which the detector exchanges so that
/// chain 1 is the chain of the reconstructed a1; the ISR jet (present only with ISR) is last.
public enum TTbarTruth: Int, EventRole {
    case A1, A2, B1, B2, C1, C2, a1, a2, b1, b2, isr

    /// `true_` and the case name: `true_A1`, ..., `true_isr` (the `Key.true*` constants).
    public var key: String { "true_\(self)" }

    /// The roles that come in (chain 1, chain 2) pairs: A1 ... b2.
    public static let chainRoles: Range<Int> = A1.rawValue..<(b2.rawValue + 1)
    /// The visible daughters, the objects the detector measures: a1, a2, b1, b2.
    public static let visibles: [TTbarTruth] = [.a1, .a2, .b1, .b2]
}

/// Truth roles of an antler event (p p -> D -> B1 B2, B_i -> a_i C_i), in buffer order: the
/// parent D, then (chain 1, chain 2) pairs, then the ISR jet (only with ISR).
public enum AntlerTruth: Int, EventRole {
    case D, B1, B2, C1, C2, a1, a2, isr

    /// `true_` and the case name: `true_D`, ..., `true_isr` (the `Key.true*` constants).
    public var key: String { "true_\(self)" }

    /// The roles that come in (chain 1, chain 2) pairs: B1 ... a2.
    public static let chainRoles: Range<Int> = B1.rawValue..<(a2.rawValue + 1)
    /// The visible daughters: a1, a2.
    public static let visibles: [AntlerTruth] = [.a1, .a2]
}

/// Reconstructed four-vector roles of a t-tbar-like event, in output order (a1, a2 and b1, b2
/// each sorted by pT); the ISR jet only with ISR.
public enum TTbarReco: Int, EventRole {
    case a1, a2, b1, b2, isr

    /// The case name: `a1`, `a2`, `b1`, `b2`, `isr` (the `Key` constants).
    public var key: String { "\(self)" }
}

/// Reconstructed four-vector roles of an antler event (a1, a2 sorted by pT; the ISR jet only
/// with ISR).
public enum AntlerReco: Int, EventRole {
    case a1, a2, isr

    /// The case name: `a1`, `a2`, `isr` (the `Key` constants).
    public var key: String { "\(self)" }
}

extension EventRole {
    /// The keys of every role but the ISR jet, in buffer order.
    static var keysWithoutISR: [String] { allCases.map(\.key).filter { $0 != Key.isr && $0 != Key.trueISR } }
}

extension Key {
    /// Truth four-vector keys of a topology with the ISR jet appended when `isr`: the order of
    /// the generator's truth buffer.
    public static func truth(_ kind: TopologyKind, isr: Bool) -> [String] {
        truth(kind) + (isr ? [trueISR] : [])
    }

    /// Reconstructed four-vector keys of a topology with the ISR jet appended when `isr`: the
    /// order of the detector's output buffer.
    public static func reconstructed(_ kind: TopologyKind, isr: Bool) -> [String] {
        reconstructed(kind) + (isr ? [Key.isr] : [])
    }
}
