import Foundation
import Testing
@testable import Harness

/// Issue 16 item 4: endpoint figures carry the fitted function over its window, the MAOS
/// parent-mass spike is recognised as an input, and a bench writes log-scale figures.
@Suite struct BenchFigureTests {
    /// A triangle density 2 (M - x) / M^2 on [0, M], by its inverse CDF on a regular grid.
    func triangle(_ m: Double, _ n: Int) -> [Double] {
        (0..<n).map { i in m * (1 - (1 - (Double(i) + 0.5) / Double(n)).squareRoot()) }
    }

    @Test func endpointCurveFollowsTheFitOverItsWindow() throws {
        let values = triangle(170, 20000)
        let curve = try #require(BenchFigures.endpointCurve(Figure.Series(label: "mt2_bl", values: values), index: 0))
        #expect(curve.label.contains("endpoint") && curve.label.contains("window"))
        #expect(curve.window.contains(170))
        // Events per GeV: the triangle's 2 N (M - x) / M^2, within the fit's statistical wobble.
        let x = curve.window.lowerBound + 0.25 * (170 - curve.window.lowerBound)
        let expected = 2 * 20000 * (170 - x) / (170 * 170)
        #expect(abs(curve.density(x) / expected - 1) < 0.1, "\(curve.density(x)) vs \(expected)")
        #expect(curve.density(curve.window.upperBound) < 0.05 * expected)
        #expect(BenchFigures.endpointCurve(Figure.Series(label: "m_a1a2", values: values), index: 0) == nil)
    }

    @Test func constantQuantityIsAnInput() {
        #expect(BenchFigures.isConstant([Double](repeating: 179.1, count: 100)))
        #expect(!BenchFigures.isConstant(triangle(170, 100)))
        #expect(BenchFigures.normalised("mt2_bl") == BenchFigures.normalised("MT2(bl)"))
        #expect(BenchFigures.normalised("mt2_b") != BenchFigures.normalised("MT2(bl)"))
    }

    @Test func benchWritesReadableFigures() throws {
        guard let exe = deelemaExecutable() else { Issue.record("build the deelema executable first"); return }
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("deelema-figures-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let p = Process()
        p.executableURL = URL(fileURLWithPath: exe)
        p.arguments = ["bench", "--topology", "ttbar", "--events", "3000", "--methods", "mt2,maos", "--bootstrap", "2",
                       "--report", dir.path]
        p.standardOutput = FileHandle.nullDevice
        p.standardError = FileHandle.nullDevice
        try p.run()
        p.waitUntilExit()
        #expect(p.terminationStatus == 0)
        for name in ["mt2_distributions.png", "mt2_distributions_log.png", "maos_masses.png"] {
            let png = try Data(contentsOf: dir.appendingPathComponent(name))
            #expect(png.starts(with: [0x89, 0x50, 0x4E, 0x47]), "\(name) is a PNG")
        }
    }
}
