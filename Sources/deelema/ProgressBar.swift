#if canImport(Glibc)
import Glibc
#endif
import Foundation

/// A progress bar on standard error, drawn only when standard error is a terminal;
/// otherwise silent, so piped output stays parseable. Redraws at most 10 times a second.
final class ProgressBar {
    private let total: Int
    private let label: String
    private let enabled: Bool
    private let start = Date()
    private var lastDraw = Date.distantPast

    init(total: Int, label: String) {
        self.total = max(total, 1)
        self.label = label
        self.enabled = isatty(STDERR_FILENO) == 1
    }

    /// Reports `done` units finished, with an optional trailing status text.
    func update(_ done: Int, status: String = "") {
        guard enabled else { return }
        let now = Date()
        guard done >= total || now.timeIntervalSince(lastDraw) >= 0.1 else { return }
        lastDraw = now
        let fraction = min(1, Double(done) / Double(total))
        let width = 30
        let filled = Int(fraction * Double(width))
        let bar = String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled)
        let elapsed = now.timeIntervalSince(start)
        let eta = fraction > 0 ? elapsed * (1 - fraction) / fraction : 0
        let line = String(format: "\r%@ [%@] %3.0f%% %@ %.1fs eta %.1fs", label, bar, fraction * 100, status, elapsed, eta)
        FileHandle.standardError.write(Data(line.utf8))
    }

    /// Clears the bar line.
    func finish() {
        guard enabled else { return }
        FileHandle.standardError.write(Data("\r\u{1B}[2K".utf8))
    }
}
