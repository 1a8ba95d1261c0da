import Dispatch
import Foundation

/// The one parallel loop of the package: per-event (or per-row, per-entry) work split into
/// contiguous chunks that run on all cores. Each chunk must write only to its own indices, so
/// the result does not depend on the number of chunks or on which thread runs which chunk.
public enum ParallelLoop {
    /// The default number of chunks for per-event loops: four per active processor, so that
    /// events of uneven cost (iterative solvers) still keep every core busy to the end.
    public static var defaultChunks: Int { max(1, ProcessInfo.processInfo.activeProcessorCount * 4) }

    /// Runs `body` over `0..<count` split into `min(chunks, count / minChunk)` (at least one)
    /// contiguous ranges, chunk k being `k * count / n ..< (k + 1) * count / n`, in parallel
    /// when there is more than one; a single chunk runs on the calling thread.
    @inlinable
    public static func forEachChunk(_ count: Int, chunks: Int = defaultChunks, minChunk: Int = 1,
                                    _ body: @Sendable (Range<Int>) -> Void) {
        guard count > 0 else { return }
        let n = max(1, min(chunks, count / max(1, minChunk)))
        if n == 1 { body(0..<count); return }
        DispatchQueue.concurrentPerform(iterations: n) { k in
            body((k * count / n)..<((k + 1) * count / n))
        }
    }

    /// Runs `body(i)` for every `i` in `0..<count`, each its own parallel task: for a few
    /// independent jobs of similar size (the entries of an npz file, a wave of event blocks).
    @inlinable
    public static func forEach(_ count: Int, _ body: @Sendable (Int) -> Void) {
        guard count > 0 else { return }
        DispatchQueue.concurrentPerform(iterations: count) { i in body(i) }
    }
}
