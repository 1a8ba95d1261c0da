import Foundation

/// The progress of a long per-event loop, counted from any thread: `report(done, total)` is
/// called about every half per cent of `total` and at the end, on the thread that crossed the
/// mark (the receiver must be thread-safe). Estimators that take one report as they go; the
/// command line turns the reports into a bar or log lines.
public final class EventProgress: @unchecked Sendable {
    public let total: Int
    private let every: Int
    private let report: @Sendable (Int, Int) -> Void
    private let lock = NSLock()
    private var done = 0

    public init(total: Int, report: @escaping @Sendable (Int, Int) -> Void) {
        self.total = max(total, 1)
        every = max(1, total / 200)
        self.report = report
    }

    /// Counts `n` more finished units.
    public func add(_ n: Int = 1) {
        lock.lock()
        let before = done
        done += n
        let now = done
        lock.unlock()
        if now / every != before / every || now == total { report(now, total) }
    }
}
