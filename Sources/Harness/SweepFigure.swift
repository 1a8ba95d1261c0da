import Foundation

/// The summary figures of a sweep: for each estimated mass, the estimate against the smearing
/// scale, one curve with statistical error bars per (method, pairing, ISR), and the true mass.
enum SweepFigure {
    /// Draws `summary_<mass>.png` for every mass; returns the file names.
    static func drawAll(_ summary: SummaryReport, directory: String) throws -> [String] {
        var names: [String] = []
        for mass in Array(Set(summary.entries.map(\.mass))).sorted() {
            let curves = summary.entries.filter { $0.mass == mass }
            guard curves.contains(where: { $0.entries.contains { $0.value.isFinite } }) else { continue }
            let name = "summary_\(mass).png"
            try draw(mass: mass, curves: curves, truth: summary.trueMasses[mass], topology: summary.topology,
                     path: (directory as NSString).appendingPathComponent(name))
            names.append(name)
        }
        return names
    }

    static func draw(mass: String, curves: [SummaryEntryList], truth: Double?, topology: String, path: String) throws {
        try Gnuplot.png(at: path) { dir, tmpPNG in
            let xs = curves.flatMap { $0.entries.map(\.smearScale) }
            let xlo = xs.min() ?? 0, xhi = xs.max() ?? 1
            let span = max(xhi - xlo, 1)
            // Curves are offset sideways by a small step so their error bars do not hide each other.
            let step = 0.012 * span
            var ylo = Double.infinity, yhi = -Double.infinity
            var plots: [String] = []
            for (k, c) in curves.enumerated() {
                let shift = (Double(k) - Double(curves.count - 1) / 2) * step
                var rows: [String] = []
                for e in c.entries where e.value.isFinite {
                    let u = e.uncertainty.isFinite ? e.uncertainty : 0
                    rows.append("\(e.smearScale + shift) \(e.value) \(u)")
                    ylo = min(ylo, e.value - u); yhi = max(yhi, e.value + u)
                }
                guard !rows.isEmpty else { continue }
                let file = dir.appendingPathComponent("c\(k).dat")
                try rows.joined(separator: "\n").write(to: file, atomically: false, encoding: .utf8)
                plots.append("'\(file.path)' using 1:2:3 with yerrorlines lw 1.5 pt \(k % 13 + 1) title \"\(Gnuplot.escape(c.label))\"")
            }
            if let t = truth {
                ylo = min(ylo, t); yhi = max(yhi, t)
                plots.append("\(t) with lines dt 2 lw 2 lc rgb '#000000' title \"\(Gnuplot.escape("true \(mass) = \(SummaryReport.format(t)) GeV"))\"")
                ylo = max(ylo, 0); yhi = min(yhi, 2.5 * t)
            }
            if !(ylo < yhi) { ylo = (ylo.isFinite ? ylo : 0) - 1; yhi = ylo + 2 }
            let pad = 0.08 * (yhi - ylo)
            let script = """
            set terminal pngcairo size 1000,650 enhanced font 'sans,11'
            set output '\(tmpPNG)'
            set title "\(Gnuplot.escape("\(topology): estimated \(mass) against the detector smearing scale (statistical error bars)"))"
            set xlabel "smearing scale s (resolution = s x preset)"
            set ylabel "\(Gnuplot.escape("estimated \(mass) (GeV)"))"
            set key outside right top
            set grid
            set xrange [\(xlo - 0.08 * span):\(xhi + 0.08 * span)]
            set yrange [\(ylo - pad):\(yhi + pad)]
            plot \(plots.joined(separator: ", \\\n     "))

            """
            return script
        }
    }
}
