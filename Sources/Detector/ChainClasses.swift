import Events
import Generation

/// The detector classes of a t-tbar-like chain's visibles a (from A) and b (from B), as the
/// detector stage decides them from the card's PDG ids (`PDG.visibleClass`; anything else is a
/// jet). What a kinematic fit needs to know of the card to apply the right resolutions.
public struct ChainClasses: Sendable, Equatable {
    public var a: VisibleClass
    public var b: VisibleClass

    public init(a: VisibleClass, b: VisibleClass) { self.a = a; self.b = b }

    /// The classes of a card's a and b; b is a jet on antler cards (which have no b).
    public init(card: Card) {
        a = PDG.visibleClass(card.particle(.a).pdg) ?? .jet
        b = card.topology == .ttbarLike ? (PDG.visibleClass(card.particle(.b).pdg) ?? .jet) : .jet
    }

    /// The classes of the t-tbar-like card `nameOrPath` (bundled or a file); nil when it does not
    /// load or is not t-tbar-like.
    public init?(cardNamed nameOrPath: String) {
        guard let card = try? Card.load(nameOrPath: nameOrPath), card.topology == .ttbarLike else { return nil }
        self.init(card: card)
    }

    /// The `ttbar` card's: a b-jet and a muon.
    public static let ttbar = ChainClasses(a: .jet, b: .muon)
}
