#if canImport(Glibc)
import Glibc
#endif
import Foundation

/// Progress of a long task on standard error. On a terminal: a bar redrawn at most 10 times a
/// second. Elsewhere (a batch job's log, a pipe): one line per 10 % of the work or per
/// `interval` seconds, whichever comes first, with the rate and the time left, so a log shows
/// that the job lives and when it will end; a task that reports no steps still gets a line per
/// `interval` saying how long it has run. Standard output is never touched.
final class ProgressBar: @unchecked Sendable {
    private let total: Int
    private let label: String
    private let unit: String
    private let terminal: Bool
    private let interval: Double
    private let start = Date()
    // Guarded by `lock`: the heartbeat timer reads them from another thread.
    private let lock = NSLock()
    private var lastDraw = Date.distantPast
    private var lastLine = Date()
    private var done = 0
    private var status = ""
    private var nextMark = 1
    private var finished = false
    private var timer: DispatchSourceTimer?

    /// The seconds between lines off a terminal: `DEELEMA_PROGRESS_INTERVAL` when set (tests
    /// and impatient users), else 10.
    static var defaultInterval: Double {
        ProcessInfo.processInfo.environment["DEELEMA_PROGRESS_INTERVAL"].flatMap(Double.init).flatMap { $0 > 0 ? $0 : nil } ?? 10
    }

    /// `unit` names what is counted in the rate ("events", "steps").
    init(total: Int, label: String, unit: String = "") {
        self.total = max(total, 1)
        self.label = label
        self.unit = unit
        self.terminal = isatty(STDERR_FILENO) == 1
        self.interval = Self.defaultInterval
        if !terminal {
            let t = DispatchSource.makeTimerSource(queue: .global(qos: .utility))
            t.schedule(deadline: .now() + interval, repeating: interval)
            t.setEventHandler { [weak self] in self?.heartbeat() }
            t.resume()
            timer = t
        }
    }

    deinit { timer?.cancel() }

    /// Reports `done` units finished, with an optional trailing status text.
    func update(_ done: Int, status: String = "") {
        lock.lock()
        defer { lock.unlock() }
        guard !finished else { return }
        self.done = done
        self.status = status
        let now = Date()
        if terminal {
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
            return
        }
        // A line per 10 % (and at the end), or when `interval` has passed since the last one.
        let tenths = min(10, done * 10 / total)
        if tenths >= nextMark || now.timeIntervalSince(lastLine) >= interval {
            nextMark = tenths + 1
            writeLine(now)
        }
    }

    /// Ends the display: clears the bar on a terminal, stops the heartbeat elsewhere.
    func finish() {
        lock.lock()
        defer { lock.unlock() }
        guard !finished else { return }
        finished = true
        timer?.cancel()
        if terminal { FileHandle.standardError.write(Data("\r\u{1B}[2K".utf8)) }
    }

    /// Clears the bar on a terminal so a line can be printed; the display goes on.
    func clear() {
        lock.lock()
        defer { lock.unlock() }
        if terminal && !finished { FileHandle.standardError.write(Data("\r\u{1B}[2K".utf8)) }
    }

    private func heartbeat() {
        lock.lock()
        defer { lock.unlock() }
        let now = Date()
        guard !finished, now.timeIntervalSince(lastLine) >= interval * 0.99 else { return }
        writeLine(now)
    }

    /// One progress line (called with `lock` held).
    private func writeLine(_ now: Date) {
        lastLine = now
        let elapsed = now.timeIntervalSince(start)
        var s = "\(label): "
        if total == 1 {
            // A stage without steps: it runs, or it is done.
            s += done >= 1 ? "done in \(Self.duration(elapsed))" : "running, \(Self.duration(elapsed)) elapsed"
        } else if done > 0 {
            let fraction = min(1, Double(done) / Double(total))
            let rate = Double(done) / max(elapsed, 1e-9)
            s += String(format: "%3.0f%% (%d/%d", fraction * 100, done, total)
            s += String(format: ", %@%@/s)", Self.rate(rate), unit.isEmpty ? "" : " " + unit)
            s += String(format: ", %@ elapsed", Self.duration(elapsed))
            if done < total { s += ", about \(Self.duration(elapsed * (1 - fraction) / fraction)) left" }
        } else {
            s += "running, \(Self.duration(elapsed)) elapsed"
        }
        if !status.isEmpty { s += ", " + status }
        FileHandle.standardError.write(Data((s + "\n").utf8))
    }

    static func rate(_ r: Double) -> String { r >= 100 ? String(format: "%.0f", r) : String(format: "%.3g", r) }

    /// "42 s", "3 min 5 s", "2 h 10 min".
    static func duration(_ s: Double) -> String {
        let t = Int(s.rounded())
        if t < 60 { return "\(t) s" }
        if t < 3600 { return "\(t / 60) min \(t % 60) s" }
        return "\(t / 3600) h \(t % 3600 / 60) min"
    }
}
