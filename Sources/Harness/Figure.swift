import Foundation

/// A PNG figure drawn by gnuplot (pngcairo): overlaid normalised histograms with axis labels,
/// a legend, optional vertical marker lines (true masses, fitted endpoints) and fitted curves.
/// Markers are named in the legend, each in its own colour and dash, not beside their lines:
/// an estimate next to its true mass printed both labels on top of each other.
public struct Figure: Sendable {
    public struct Series: Sendable {
        public var label: String
        public var values: [Double]
        public init(label: String, values: [Double]) { self.label = label; self.values = values }
    }
    public struct Marker: Sendable {
        public var label: String
        public var x: Double
        /// A truth marker (grey, dashed) or an estimate (coloured, dash-dot).
        public var isTruth: Bool
        public init(label: String, x: Double, isTruth: Bool = false) { self.label = label; self.x = x; self.isTruth = isTruth }
    }
    /// A fitted density drawn over its fit window: `density(x)` in events per GeV, drawn on the
    /// figure's normalisation of series `series` (divided by its events in range).
    public struct Curve: Sendable {
        public var label: String
        public var window: ClosedRange<Double>
        public var series: Int
        public var density: @Sendable (Double) -> Double
        public init(label: String, window: ClosedRange<Double>, series: Int, density: @escaping @Sendable (Double) -> Double) {
            self.label = label; self.window = window; self.series = series; self.density = density
        }
    }

    public var title: String
    public var xLabel: String
    public var yLabel: String = "normalised events / bin"
    public var series: [Series]
    public var markers: [Marker] = []
    /// Histogram range; when nil, the 0.5-99.5% range of all series.
    public var range: (Double, Double)?
    public var bins: Int = 80
    public var curves: [Curve] = []
    /// A logarithmic y axis: the tails near an endpoint, invisible on a linear one.
    public var logY = false

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
        try Gnuplot.png(at: path) { dir, tmpPNG in
            var plots: [String] = []
            var inRange: [Double] = []
            var smallest = Double.infinity  // the lowest non-empty bin: the floor of a log axis
            for (k, s) in series.enumerated() {
                var h = Histogram(low: lo, high: hi, bins: bins)
                h.fill(s.values)
                inRange.append(h.counts.reduce(0, +))
                smallest = min(smallest, h.densities().map(\.1).filter { $0 > 0 }.min() ?? .infinity)
                // On a log axis an empty bin has no height: drawn as a gap, not a drop to 0.
                let text = h.densities().map { "\($0.0) \(logY && $0.1 <= 0 ? "NaN" : String($0.1))" }.joined(separator: "\n")
                let file = dir.appendingPathComponent("s\(k).dat")
                try text.write(to: file, atomically: false, encoding: .utf8)
                plots.append("'\(file.path)' using 1:2 with steps lw 2 lc \(k + 1) title \"\(escape(s.label))\"")
            }
            for (k, c) in curves.enumerated() where c.series < inRange.count && inRange[c.series] > 0 {
                let n = 200, norm = inRange[c.series]
                let points = (0...n).map { i -> String in
                    let x = c.window.lowerBound + (c.window.upperBound - c.window.lowerBound) * Double(i) / Double(n)
                    let y = c.density(x) / norm
                    return "\(x) \(logY && y <= 0 ? "NaN" : String(y))"
                }
                let file = dir.appendingPathComponent("c\(k).dat")
                try points.joined(separator: "\n").write(to: file, atomically: false, encoding: .utf8)
                plots.append("'\(file.path)' using 1:2 with lines lw 3 dt 1 lc \(c.series + 1) title \"\(escape(c.label))\"")
            }
            var script = """
            set terminal pngcairo size 1200,760 enhanced font 'sans,11'
            set output '\(tmpPNG)'
            set title "\(escape(title))"
            set xlabel "\(escape(xLabel))"
            set ylabel "\(escape(yLabel))"
            set key outside bottom center horizontal maxcols 2 font 'sans,10' spacing 1.1
            set grid
            set xrange [\(lo):\(hi)]
            \(logY ? "set logscale y\nset format y '10^{%L}'\nset yrange [\(smallest.isFinite ? smallest / 3 : 1e-6):*]" : "set yrange [0:*]")

            """
            // Markers: a line across the plot, named in the legend by a dummy NaN plot of the same style.
            let estimateColours = ["#d62728", "#1f77b4", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b"]
            var estimateIndex = 0
            for (k, m) in markers.enumerated() {
                let colour = m.isTruth ? "#333333" : estimateColours[estimateIndex % estimateColours.count]
                let dash = m.isTruth ? "2" : "4"
                if !m.isTruth { estimateIndex += 1 }
                script += "set arrow \(k + 1) from \(m.x), graph 0 to \(m.x), graph 1 nohead dt \(dash) lw 2 lc rgb '\(colour)' front\n"
                plots.append("NaN with lines dt \(dash) lw 2 lc rgb '\(colour)' title \"\(escape(m.label))\"")
            }
            script += "plot " + plots.joined(separator: ", \\\n     ") + "\n"
            return script
        }
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

    /// Draws one PNG at `path`: `script` gets a fresh temporary folder for its data files and the
    /// file to name in `set output`, and returns the gnuplot script; the picture is rendered
    /// there and renamed over `path` only when gnuplot succeeded (no half-drawn figure).
    public static func png(at path: String, _ script: (_ folder: URL, _ output: String) throws -> String) throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("deelema-plot-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let tmpPNG = path + ".tmp.png"
        let scriptFile = dir.appendingPathComponent("plot.gp")
        try script(dir, tmpPNG).write(to: scriptFile, atomically: false, encoding: .utf8)
        try run(script: scriptFile.path)
        if FileManager.default.fileExists(atPath: path) { try FileManager.default.removeItem(atPath: path) }
        try FileManager.default.moveItem(atPath: tmpPNG, toPath: path)
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
