import Events

/// Structure-of-arrays storage for a block of events: `roles` four-vector arrays of
/// `capacity` rows each, (E, px, py, pz) row-major per role, in one allocation. Each block
/// worker owns one buffer (a single writer), hence `@unchecked Sendable`.
public final class EventBuffer: @unchecked Sendable {
    public let roles: Int
    public let capacity: Int
    /// Base of the storage: role r, event i, component k at `base[(r * capacity + i) * 4 + k]`.
    public let base: UnsafeMutablePointer<Double>

    public init(roles: Int, capacity: Int) {
        self.roles = roles
        self.capacity = capacity
        base = .allocate(capacity: max(1, roles * capacity * 4))
        base.initialize(repeating: 0, count: max(1, roles * capacity * 4))
    }

    deinit { base.deallocate() }

    /// Start of role `r`'s (capacity, 4) array.
    @inlinable public func role(_ r: Int) -> UnsafeMutablePointer<Double> { base + r * capacity * 4 }

    /// Start of the array of a typed role (`TTbarTruth.b1`, `AntlerReco.isr`, ...).
    @inlinable public func role<R: EventRole>(_ r: R) -> UnsafeMutablePointer<Double> { role(r.rawValue) }

    /// Row `i` of role `r` as a FourVector-like tuple (for tests and slow paths).
    public func row(_ r: Int, _ i: Int) -> (Double, Double, Double, Double) {
        let p = role(r) + 4 * i
        return (p[0], p[1], p[2], p[3])
    }
}
