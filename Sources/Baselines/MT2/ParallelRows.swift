import Dispatch

/// Splits `0..<count` into contiguous chunks and runs `body(range)` on each chunk in
/// parallel with `DispatchQueue.concurrentPerform`. Callers write disjoint index ranges.
func parallelChunks(_ count: Int, minChunk: Int = 256, _ body: @Sendable (Range<Int>) -> Void) {
    guard count > 0 else { return }
    let chunks = max(1, min(64, count / minChunk))
    if chunks == 1 { body(0..<count); return }
    DispatchQueue.concurrentPerform(iterations: chunks) { k in
        let lo = count * k / chunks, hi = count * (k + 1) / chunks
        body(lo..<hi)
    }
}
