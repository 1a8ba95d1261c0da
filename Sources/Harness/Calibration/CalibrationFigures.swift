import Foundation

/// The figures of a calibration (gnuplot PNGs): the calibration lines as biases with their
/// points, the closure residuals, the pull distributions, and precision against the JES shift
/// (lower left is best).
enum CalibrationFigures {
    /// One curve of an x-y figure: points with y error bars, and optionally a line drawn
    /// through `line` points.
    struct Curve {
        var label: String
        var points: [(x: Double, y: Double, error: Double)]
        var line: [(Double, Double)] = []
    }

    static func draw(_ r: CalibrationReport, directory: String) throws -> [String] {
        var names: [String] = []
        let est = r.plan.estimate
        let masses = r.plan.points.filter { $0.jes == 1 }.map(\.trueMass)
        let lo = masses.min() ?? 0, hi = masses.max() ?? 1
        var bias: [Curve] = [], closure: [Curve] = []
        for m in r.methods {
            guard let c = m.calibration else { continue }
            let pts = m.points.filter { $0.jes == 1 }
            let line = stride(from: 0, through: 20, by: 1).map { k -> (Double, Double) in
                let x = lo + (hi - lo) * Double(k) / 20
                return (x, c.offset + c.slope * (x - c.reference) - x)
            }
            bias.append(Curve(label: "\(m.method) (slope \(String(format: "%.3f", c.slope)))",
                              points: pts.map { ($0.trueMass, $0.mean - $0.trueMass, $0.meanError) }, line: line))
            closure.append(Curve(label: m.method, points: pts.compactMap { p in p.closure.map { (p.trueMass, $0, p.closureError ?? 0) } }))
        }
        let span = max(hi - lo, 1)
        if !bias.isEmpty {
            try xy(bias, title: "\(r.plan.card): calibration, mean \(est) estimate minus true mass (points: \(r.plan.pseudoExperiments) pseudo-experiments; lines: fits)",
                   xLabel: "true \(est) (GeV)", yLabel: "mean estimate - true (GeV)", xRange: (lo - 0.08 * span, hi + 0.08 * span),
                   zero: true, path: (directory as NSString).appendingPathComponent("calibration.png"))
            names.append("calibration.png")
            try xy(closure, title: "\(r.plan.card): closure, calibrated mean minus true \(est) (statistical error bars)",
                   xLabel: "true \(est) (GeV)", yLabel: "calibrated - true (GeV)", xRange: (lo - 0.08 * span, hi + 0.08 * span),
                   zero: true, path: (directory as NSString).appendingPathComponent("closure.png"))
            names.append("closure.png")
        }
        let pullSeries = r.methods.compactMap { m -> Figure.Series? in
            let pulls = m.points.filter { $0.jes == 1 }.flatMap(\.pulls)
            return pulls.count >= 5 ? Figure.Series(label: "\(m.method) (width \(m.pullWidth.map { String(format: "%.2f", $0) } ?? "nan"))", values: pulls) : nil
        }
        if !pullSeries.isEmpty {
            var fig = Figure(title: "\(r.plan.card): pulls (estimate - mean) / own uncertainty, all mass points", xLabel: "pull",
                             series: pullSeries, range: (-5, 5))
            fig.bins = 25
            try fig.write(to: (directory as NSString).appendingPathComponent("pulls.png"))
            names.append("pulls.png")
        }
        let scatter = r.methods.compactMap { m -> Curve? in
            guard let p = m.precision, let j = m.jesSystematic else { return nil }
            return Curve(label: m.method, points: [(abs(j), p, 0)])
        }
        if !scatter.isEmpty {
            let xmax = scatter.map { $0.points[0].x }.max() ?? 1
            try xy(scatter, title: "\(r.plan.card): calibrated precision on \(r.plan.eventsPerExperiment) events against the JES shift (lower left is best)",
                   xLabel: "|JES systematic| for JES x (1 +- \(r.plan.jesShift)) (GeV)", yLabel: "statistical precision (GeV)",
                   xRange: (0, 1.25 * max(xmax, 0.1)), zero: false, points: true,
                   path: (directory as NSString).appendingPathComponent("precision_vs_jes.png"))
            names.append("precision_vs_jes.png")
        }
        return names
    }

    /// An x-y figure of curves with error bars (or plain points), optional y = 0 line.
    static func xy(_ curves: [Curve], title: String, xLabel: String, yLabel: String, xRange: (Double, Double), zero: Bool,
                   points: Bool = false, path: String) throws {
        try Gnuplot.png(at: path) { dir, tmpPNG in
            var plots: [String] = []
            let width = xRange.1 - xRange.0
            for (k, c) in curves.enumerated() {
                // Curves are offset sideways a little so their error bars do not hide each other.
                let shift = points ? 0 : (Double(k) - Double(curves.count - 1) / 2) * 0.006 * width
                let file = dir.appendingPathComponent("c\(k).dat")
                try c.points.map { "\($0.x + shift) \($0.y) \($0.error)" }.joined(separator: "\n").write(to: file, atomically: false, encoding: .utf8)
                let colour = "lc \(k + 1)"
                if points {
                    plots.append("'\(file.path)' using 1:2 with points pt 7 ps 2 \(colour) title \"\(Gnuplot.escape(c.label))\"")
                    plots.append("'\(file.path)' using 1:2:(\"\(Gnuplot.escape(c.label))\") with labels offset 1.5,0.8 left font 'sans,10' notitle")
                } else {
                    plots.append("'\(file.path)' using 1:2:3 with yerrorbars pt 7 ps 1.2 \(colour) title \"\(Gnuplot.escape(c.label))\"")
                }
                if !c.line.isEmpty {
                    let lf = dir.appendingPathComponent("l\(k).dat")
                    try c.line.map { "\($0.0) \($0.1)" }.joined(separator: "\n").write(to: lf, atomically: false, encoding: .utf8)
                    plots.append("'\(lf.path)' using 1:2 with lines lw 1.5 \(colour) notitle")
                }
            }
            if zero { plots.append("0 with lines dt 2 lw 1.5 lc rgb '#000000' notitle") }
            let script = """
            set terminal pngcairo size 1100,650 enhanced font 'sans,11'
            set output '\(tmpPNG)'
            set title "\(Gnuplot.escape(title))" font 'sans,11'
            set xlabel "\(Gnuplot.escape(xLabel))"
            set ylabel "\(Gnuplot.escape(yLabel))"
            set key outside right top
            set grid
            set xrange [\(xRange.0):\(xRange.1)]
            \(points ? "set yrange [0:*]" : "")
            plot \(plots.joined(separator: ", \\\n     "))

            """
            return script
        }
    }
}
