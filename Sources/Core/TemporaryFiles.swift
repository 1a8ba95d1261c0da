#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// Named temporary files of this process (`.NAME.tmp-PID-XXXXXX` beside their target), removed
/// when the process is stopped by SIGINT, SIGTERM or SIGHUP, and by later runs when the process
/// that made them is gone (after SIGKILL, or a crash). Outputs written through an anonymous
/// file (`O_TMPFILE`) need none of this: the kernel frees them when the process dies.
public enum TemporaryFiles {
    /// Registered paths as C strings in fixed slots: the signal handler may only read memory
    /// and call async-signal-safe functions (unlink), never take a lock or allocate.
    private static let capacity = 256
    nonisolated(unsafe) private static let slots: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?> = {
        let p = UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>.allocate(capacity: capacity)
        p.initialize(repeating: nil, count: capacity)
        return p
    }()
    private static let lock = NSLock()

    /// Marks `path` for removal on SIGINT, SIGTERM and SIGHUP.
    public static func register(_ path: String) {
        lock.withLock {
            guard let free = (0..<capacity).first(where: { slots[$0] == nil }) else { return }
            slots[free] = strdup(path)
        }
    }

    /// Ends `register` (the file was renamed into place or removed). The string is not freed:
    /// a handler running at this moment may still read it (a few bytes per output file).
    public static func unregister(_ path: String) {
        lock.withLock {
            for i in 0..<capacity where slots[i].map({ String(cString: $0) == path }) ?? false { slots[i] = nil }
        }
    }

    /// Installs the handlers: on SIGINT, SIGTERM or SIGHUP every registered file is removed and
    /// the signal is raised again with its default action, so the exit status still says how
    /// the process ended. The signals are unblocked (a parent may have blocked them); SIGHUP
    /// stays ignored when it is (nohup). Call once, early, on the main thread.
    public static func removeOnSignals() {
        var set = sigset_t()
        sigemptyset(&set)
        for sig in [SIGINT, SIGTERM, SIGHUP] {
            let previous = signal(sig, onSignal)
            // SIG_IGN is the handler address 1.
            if sig == SIGHUP, let previous, unsafeBitCast(previous, to: Int.self) == 1 { signal(sig, SIG_IGN) }
            sigaddset(&set, sig)
        }
        pthread_sigmask(SIG_UNBLOCK, &set, nil)
    }

    private static let onSignal: @convention(c) (Int32) -> Void = { sig in
        for i in 0..<TemporaryFiles.capacity {
            if let p = TemporaryFiles.slots[i] { unlink(p) }
        }
        signal(sig, SIG_DFL)
        raise(sig)  // pending until this handler returns, then the default action ends the process
    }

    /// The prefix of the temporary names for `name` made by process `pid`: `.NAME.tmp-PID-`.
    public static func prefix(name: String, pid: Int32) -> String { ".\(name).tmp-\(pid)-" }

    /// Removes temporaries `.NAME.tmp-PID-XXXXXX` of `name` in `directory` (empty or ending in
    /// "/") whose process no longer exists. Files of live processes (a concurrent run) are kept;
    /// so are names without a process id, which cannot be told apart from a running writer's.
    public static func removeStale(directory: String, name: String) {
        guard let dir = opendir(directory.isEmpty ? "." : directory) else { return }
        defer { closedir(dir) }
        let head = ".\(name).tmp-"
        while let entry = readdir(dir) {
            let entryName = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(cString: raw.bindMemory(to: CChar.self).baseAddress!)
            }
            guard entryName.hasPrefix(head) else { continue }
            let rest = entryName.dropFirst(head.count)
            guard let dash = rest.firstIndex(of: "-"), let pid = Int32(rest[..<dash]), pid > 0 else { continue }
            if kill(pid, 0) != 0 && errno == ESRCH {
                unlink(directory + entryName)
            }
        }
    }
}
