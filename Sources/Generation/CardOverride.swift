/// One change to a decoded card given on the command line (`--set A.mass=175.5`), so that a
/// mass scan needs no copies of a card. Keys: `ROLE.mass` and `ROLE.width` (GeV) for the roles
/// of the card's topology, and `sqrt_s` (GeV). The changed card is checked exactly as a decoded
/// one (kinematics, widths), its digest follows the new values, and `Card.overrides` records
/// the settings in the order given for the provenance.
public struct CardOverride: Sendable, Equatable, CustomStringConvertible {
    /// The dotted key (`A.mass`, `B.width`, `sqrt_s`).
    public var key: String
    /// The new value (GeV).
    public var value: Double

    public init(key: String, value: Double) {
        self.key = key; self.value = value
    }

    /// Parses `KEY=VALUE`; throws naming the text when it is not of that form.
    public init(parsing text: String) throws(CardError) {
        let parts = text.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty else {
            throw CardError(file: "--set", key: text, reason: "expected KEY=VALUE, e.g. A.mass=175.5 or B.width=2.1 or sqrt_s=14000")
        }
        let key = String(parts[0]).trimmedSpaces, raw = String(parts[1]).trimmedSpaces
        guard let value = Double(raw), value.isFinite else {
            throw CardError(file: "--set", key: key, reason: "'\(raw)' is not a finite number of GeV")
        }
        self.init(key: key, value: value)
    }

    /// `KEY=VALUE` with the value's shortest exact decimal.
    public var description: String { "\(key)=\(value)" }
}

extension String {
    /// Without leading and trailing spaces.
    fileprivate var trimmedSpaces: String {
        var s = Substring(self)
        while s.first == " " { s.removeFirst() }
        while s.last == " " { s.removeLast() }
        return String(s)
    }
}

extension Card {
    /// This card with `overrides` applied in order; throws a `CardError` naming the key when a
    /// key is unknown for this topology, a value is out of range, or the changed card fails the
    /// checks a decoded card passes (forbidden chains, widths).
    public func applying(_ overrides: [CardOverride]) throws(CardError) -> Card {
        var card = self
        for o in overrides {
            if o.key == "sqrt_s" {
                guard o.value > 0 else { throw CardError(file: name, key: o.key, reason: "must be > 0 GeV, found \(o.value)") }
                card.sqrtS = o.value
            } else {
                let parts = o.key.split(separator: ".")
                let roles = Role.required(for: topology)
                guard parts.count == 2, let role = Role(rawValue: String(parts[0])), roles.contains(role),
                      parts[1] == "mass" || parts[1] == "width" else {
                    let keys = roles.flatMap { r in r.mayHaveWidth ? ["\(r).mass", "\(r).width"] : ["\(r).mass"] }
                    throw CardError(file: name, key: o.key,
                                    reason: "unknown override (\(topology.rawValue) takes \((keys + ["sqrt_s"]).joined(separator: ", ")))")
                }
                guard o.value >= 0 else { throw CardError(file: name, key: o.key, reason: "must be >= 0 GeV, found \(o.value)") }
                if parts[1] == "mass" {
                    card.particles[role]!.mass = o.value
                } else {
                    guard role.mayHaveWidth else {
                        throw CardError(file: name, key: o.key, reason: "role \(role) is stable (no width)")
                    }
                    card.particles[role]!.width = o.value
                }
            }
            card.overrides.append(o.description)
        }
        do {
            try card.validate()
        } catch {
            throw CardError(file: error.file, key: error.key, reason: error.reason + " (after --set \(card.overrides.joined(separator: " ")))")
        }
        return card
    }
}
