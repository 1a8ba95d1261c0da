// Times the in-memory generator: t-tbar (or another card) through the full pipeline
// (production, decays, cms smearing, acceptance, sorting, Sample chunks of the default
// `EventPipeline.defaultChunkSize` rows) on 1 thread and on all cores.
// Usage: GeneratorBenchmark [--events N] [--card NAME] [--detector P] [--repeats R]
// Prints one `RESULT threads=T events=N seconds=S rate=R cpu_seconds=C rate_per_cpu_second=Q ...`
// line per configuration (best of R): wall-clock rate and, robust to other load on the
// machine, accepted events per CPU-second of this process.
import Detector
import Events
import Foundation
import Generation

struct Options {
    var events = 2_000_000
    var card = "ttbar"
    var detector = "cms"
    var repeats = 3
    var threads: [Int] = [1, ProcessInfo.processInfo.activeProcessorCount]
}

func parse() -> Options {
    var o = Options()
    var args = CommandLine.arguments.dropFirst().makeIterator()
    while let a = args.next() {
        guard let v = args.next() else { break }
        switch a {
        case "--events": o.events = Int(v) ?? o.events
        case "--card": o.card = v
        case "--detector": o.detector = v
        case "--repeats": o.repeats = Int(v) ?? o.repeats
        case "--threads": o.threads = v.split(separator: ",").compactMap { Int($0) }
        default: FileHandle.standardError.write("unknown option \(a)\n".data(using: .utf8)!); exit(2)
        }
    }
    return o
}

/// CPU seconds (user + system) used by this process so far.
func cpuSeconds() -> Double {
    var u = rusage()
    getrusage(RUSAGE_SELF.rawValue, &u)
    return Double(u.ru_utime.tv_sec) + Double(u.ru_utime.tv_usec) * 1e-6
        + Double(u.ru_stime.tv_sec) + Double(u.ru_stime.tv_usec) * 1e-6
}

/// One in-memory run: every chunk is built and handed over, then dropped.
/// Returns (wall seconds, CPU seconds, summary).
func timeRun(_ pipeline: EventPipeline, events: Int) throws -> (Double, Double, GenerationSummary) {
    var rows = 0
    let cpu0 = cpuSeconds()
    let start = ContinuousClock.now
    let summary = try pipeline.generate(events: events) { rows += $0.count }
    let d = ContinuousClock.now - start
    let cpu = cpuSeconds() - cpu0
    precondition(rows == events)
    return (Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18, cpu, summary)
}

do {
    let o = parse()
    let card = try Card.load(nameOrPath: o.card)
    let preset = try DetectorPreset(name: o.detector)
    for t in o.threads {
        let p = try EventPipeline(card: card, detector: preset, smearScale: 1, isr: false, seed: 1, threads: t)
        _ = try timeRun(p, events: min(o.events, 200_000))
        var best = Double.infinity, bestCPU = Double.infinity
        var last: GenerationSummary?
        for _ in 0..<max(1, o.repeats) {
            let (s, cpu, summary) = try timeRun(p, events: o.events)
            best = min(best, s); bestCPU = min(bestCPU, cpu); last = summary
        }
        let eff = last.map { String(format: "%.4f", $0.efficiency) } ?? "?"
        let unw = last.map { String(format: "%.4f", $0.unweightingEfficiency) } ?? "?"
        print("RESULT threads=\(t) events=\(o.events) seconds=\(String(format: "%.4f", best)) rate=\(String(format: "%.0f", Double(o.events) / best)) cpu_seconds=\(String(format: "%.4f", bestCPU)) rate_per_cpu_second=\(String(format: "%.0f", Double(o.events) / bestCPU)) acceptance=\(eff) unweighting=\(unw)")
    }
} catch {
    FileHandle.standardError.write("error: \(error)\n".data(using: .utf8)!)
    exit(1)
}
