import Foundation

/// The worker-thread count of a command: all cores by default, and never more than the cores.
/// Extra threads add no speed, only per-thread buffers (`generate --threads 10000` spent 72 s
/// allocating them for 100 events); the output does not depend on the count.
enum WorkerThreads {
    static func capped(_ requested: Int?) -> Int {
        let cores = ProcessInfo.processInfo.activeProcessorCount
        return min(requested ?? cores, cores)
    }
}
