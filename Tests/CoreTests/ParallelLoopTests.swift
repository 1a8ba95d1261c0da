import Core
import Foundation
import Synchronization
import Testing

@Suite struct ParallelLoopTests {
    @Test("every index is visited once, in contiguous chunks k n / c ..< (k + 1) n / c",
          arguments: [(0, 4, 1), (1, 64, 1), (10, 3, 1), (1000, 64, 256), (1000, 64, 64), (100_003, 16, 4096), (7, 100, 1)])
    func coversEachIndexOnce(count: Int, chunks: Int, minChunk: Int) {
        let visits = SharedOutput<Int32>(repeating: 0, count: count)
        let ranges = Mutex<[Range<Int>]>([])
        ParallelLoop.forEachChunk(count, chunks: chunks, minChunk: minChunk) { range in
            for i in range { visits[i] += 1 }
            ranges.withLock { $0.append(range) }
        }
        #expect(visits.array.allSatisfy { $0 == 1 })
        let seen = ranges.withLock { $0 }.sorted { $0.lowerBound < $1.lowerBound }
        let n = count == 0 ? 0 : max(1, min(chunks, count / minChunk))
        #expect(seen.count == n)
        for (k, r) in seen.enumerated() {
            #expect(r == (k * count / n)..<((k + 1) * count / n))
        }
    }

    @Test("one chunk runs on the calling thread")
    func singleChunkInline() {
        let caller = Thread.current
        nonisolated(unsafe) var ranOn: Thread? = nil
        ParallelLoop.forEachChunk(100, chunks: 8, minChunk: 1000) { _ in ranOn = Thread.current }
        #expect(ranOn === caller)
    }

    @Test("forEach runs each job once")
    func forEachJobs() {
        let out = SharedOutput<Int>(repeating: -1, count: 37)
        ParallelLoop.forEach(37) { i in out[i] = i * i }
        #expect(out.array == (0..<37).map { $0 * $0 })
    }

    @Test("the default chunk count is four per active processor")
    func defaultChunks() {
        #expect(ParallelLoop.defaultChunks == 4 * ProcessInfo.processInfo.activeProcessorCount)
    }
}
