import Generation

/// The accepted events of one generation block, compacted, in output layout: reconstructed
/// four-vectors (a1 a2 [b1 b2] [isr]), truth four-vectors reordered so chain 1 is the chain
/// of reco a1, MET (x, y), pairing and event numbers. Owned by one worker at a time.
final class RecoBlock: @unchecked Sendable {
    let reco: EventBuffer
    let truth: EventBuffer
    let met: UnsafeMutablePointer<Double>
    let pairing: UnsafeMutablePointer<Int32>
    let event: UnsafeMutablePointer<Int64>
    /// Truth rows of the block's candidates, and the candidates that passed the direction cut.
    let scratch: EventBuffer
    let candidates: UnsafeMutablePointer<Int32>
    var count = 0
    /// Candidate events processed, production trials and envelope violations.
    var generated = 0
    var trials = 0
    var violations = 0

    init(recoRoles: Int, truthRoles: Int, capacity: Int) {
        reco = EventBuffer(roles: recoRoles, capacity: capacity)
        truth = EventBuffer(roles: truthRoles, capacity: capacity)
        scratch = EventBuffer(roles: truthRoles, capacity: capacity)
        candidates = .allocate(capacity: capacity)
        met = .allocate(capacity: 2 * capacity)
        pairing = .allocate(capacity: capacity)
        event = .allocate(capacity: capacity)
    }

    deinit {
        met.deallocate(); pairing.deallocate(); event.deallocate(); candidates.deallocate()
    }

    func reset() { count = 0; generated = 0; trials = 0; violations = 0 }
}
