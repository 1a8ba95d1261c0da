import Dispatch

/// Runs `body(lo, hi)` over `0..<count` split into at most `threads` contiguous chunks,
/// in parallel when `threads > 1` and the work is large enough. `body` must write only
/// to its own index range.

@inlinable
public func parallelChunks(_ count: Int, threads: Int, minChunk: Int = 4096, _ body: @Sendable (Int, Int) -> Void) {
    let chunks = max(1, min(threads, count / max(1, minChunk)))
    if chunks == 1 { body(0, count); return }
    let size = (count + chunks - 1) / chunks
    DispatchQueue.concurrentPerform(iterations: chunks) { c in
        let lo = c * size, hi = min(count, lo + size)
        if lo < hi { body(lo, hi) }
    }
}
