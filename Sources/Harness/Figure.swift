import Foundation

/// A PNG figure drawn by gnuplot (pngcairo): overlaid normalised histograms with axis labels,
/// a legend, and optional vertical marker lines (true masses, fitted endpoints).
public struct Figure: Sendable {
    public struct Series: Sendable {
        public var label: String
        public var values: [Double]
        public init(label: String, values: [Double]) { self.label = label; self.values = values }
    }
    public struct Marker: Sendable {
        public var label: String
        public var x: Double
        public init(label: String, x: Double) { self.label = label; self.x = x }
    }

    public var title: String
    public var xLabel: String
    public var yLabel: String = "normalised events / bin"
    public var series: [Series]
    public var markers: [Marker] = []
    /// Histogram range; when nil, the 0.5-99.5% range of all series.
    public var range: (Double, Double)?
    public var bins: Int = 80

    public init(title: String, xLabel: String, series: [Series], markers: [Marker] = [], range: (Double, Double)? = nil) {
        self.title = title; self.xLabel = xLabel; self.series = series; self.markers = markers; self.range = range
    }

    /// Writes the PNG to `path` (via a temporary file renamed on success).
    public func write(to path: String) throws {
        let all = series.flatMap { $0.values }.filter { $0.isFinite }
        var lo = range?.0 ?? Statistics.quantile(all, 0.005) ?? 0
        var hi = range?.1 ?? Statistics.quantile(all, 0.995) ?? 1
        for m in markers where range == nil { lo = min(lo, m.x); hi = max(hi, m.x) }
        if hi <= lo { hi = lo + 1 }
        let pad = 0.03 * (hi - lo)
        lo -= pad; hi += pad
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("deelema-fig-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        var plots: [String] = []
        for (k, s) in series.enumerated() {
            var h = Histogram(low: lo, high: hi, bins: bins)
            h.fill(s.values)
            let text = h.densities().map { "\($0.0) \($0.1)" }.joined(separator: "\n")
            let file = dir.appendingPathComponent("s\(k).dat")
            try text.write(to: file, atomically: false, encoding: .utf8)
            plots.append("'\(file.path)' using 1:2 with steps lw 2 title \"\(escape(s.label))\"")
        }
        let tmpPNG = path + ".tmp.png"
        var script = """
        set terminal pngcairo size 1200,600 enhanced font 'sans,11'
        set output '\(tmpPNG)'
        set title "\(escape(title))"
        set xlabel "\(escape(xLabel))"
        set ylabel "\(escape(yLabel))"
        set key outside right top
        set grid
        set xrange [\(lo):\(hi)]
        set yrange [0:*]

        """
        for (k, m) in markers.enumerated() {
            script += "set arrow \(k + 1) from \(m.x), graph 0 to \(m.x), graph 1 nohead dt 2 lw 1.5 lc rgb '#444444'\n"
            script += "set label \(k + 1) \"\(escape(m.label))\" at \(m.x), graph 0.98 rotate by 90 right offset -1.1,0 font 'sans,9'\n"
        }
        script += "plot " + plots.joined(separator: ", \\\n     ") + "\n"
        let scriptFile = dir.appendingPathComponent("plot.gp")
        try script.write(to: scriptFile, atomically: false, encoding: .utf8)
        try Gnuplot.run(script: scriptFile.path)
        if FileManager.default.fileExists(atPath: path) { try FileManager.default.removeItem(atPath: path) }
        try FileManager.default.moveItem(atPath: tmpPNG, toPath: path)
    }

    private func escape(_ s: String) -> String { Gnuplot.escape(s) }
}

/// Runs gnuplot on a script file.
public enum Gnuplot {
    public struct Failure: Error, CustomStringConvertible {
        public var description: String
    }

    /// Text for a double-quoted string in an `enhanced` terminal: double quotes become single
    /// quotes, and `_ ^ { } @ &` are printed literally instead of as markup.
    public static func escape(_ s: String) -> String {
        var out = ""
        for ch in s {
            switch ch {
            case "\"": out += "'"
            case "_", "^", "{", "}", "@", "&": out += "\\\\" + String(ch)
            default: out.append(ch)
            }
        }
        return out
    }

    public static func run(script: String) throws {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["gnuplot", script]
        let err = Pipe()
        p.standardError = err
        do { try p.run() } catch { throw Failure(description: "cannot run gnuplot (install gnuplot-nox): \(error)") }
        p.waitUntilExit()
        if p.terminationStatus != 0 {
            let msg = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            throw Failure(description: "gnuplot failed on \(script): \(msg)")
        }
    }
}
