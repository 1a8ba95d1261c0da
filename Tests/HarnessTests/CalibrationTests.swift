import Foundation
import Testing
@testable import Harness

/// The calibration statistics against an estimator with a known answer, and the linear fit
/// against exact arithmetic.
@Suite struct CalibrationTests {
    /// Box-Muller normal deviates from a fixed linear congruential stream (test-only, seeded).
    struct Normals {
        var state: UInt64
        mutating func uniform() -> Double {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return (Double(state >> 11) + 0.5) / Double(1 << 53)
        }
        mutating func next() -> Double {
            (-2 * log(uniform())).squareRoot() * cos(2 * Double.pi * uniform())
        }
    }

    @Test func linearFitIsExactOnALine() throws {
        let points = [166.5, 172.5, 178.5].map { LinearCalibration.Point(trueMass: $0, estimate: 3 + 0.9 * ($0 - 172.5) + 172.5, error: 0.5) }
        let c = try #require(LinearCalibration(points: points, reference: 172.5))
        #expect(abs(c.slope - 0.9) < 1e-12 && abs(c.offset - 175.5) < 1e-12 && c.chi2 < 1e-20 && c.degreesOfFreedom == 1)
        // With equal errors the errors are closed-form: var(offset) = sigma^2 / n at the mean x,
        // var(slope) = sigma^2 / sum (x - xbar)^2.
        #expect(abs(c.offsetError - 0.5 / 3.0.squareRoot()) < 1e-12 && abs(c.slopeError - 0.5 / 72.0.squareRoot()) < 1e-12)
        #expect(abs(c.calibrated(175.5 + 0.9 * 2) - 174.5) < 1e-12)
        #expect(LinearCalibration(points: [points[0]], reference: 172.5) == nil)
        #expect(LinearCalibration(points: [points[0], points[0]], reference: 172.5) == nil)
    }

    /// An estimator returning m_ref + offset + slope (m_true - m_ref) + Gaussian noise of known
    /// width, quoting that width as its uncertainty: the report gives back slope, offset (each
    /// within 3 of its errors), pull width 1 (within 3 standard errors of a width from N
    /// values, ~ 1/sqrt(2N)), closure 0 within errors, precision = width / slope (within 10 %),
    /// and a JES shift of exactly what was put in.
    @Test func knownEstimatorIsCalibratedBack() throws {
        let reference = 172.5, offset = 4.0, slope = 0.8, width = 1.5, jesEffect = 2.4  // GeV of estimate per JES point
        let masses = [166.5, 169.5, 172.5, 175.5, 178.5]
        let n = 400
        var rng = Normals(state: 42)
        var points = masses.map { CalibrationPoint(id: "mass-\($0)", trueMass: $0, jes: 1) }
        points += [CalibrationPoint(id: "jes-down", trueMass: reference, jes: 0.98),
                   CalibrationPoint(id: "jes-up", trueMass: reference, jes: 1.02)]
        let results = points.map { p -> CalibrationPointResult in
            let shift = p.id == "jes-up" ? jesEffect : p.id == "jes-down" ? -jesEffect : 0
            let estimates: [Double?] = (0..<n).map { _ in reference + offset + slope * (p.trueMass - reference) + shift + width * rng.next() }
            let runs = CalibrationPointResult.MethodRuns(estimates: estimates, uncertainties: Array(repeating: width, count: n),
                                                         seconds: 0.01 * Double(n), notes: [])
            return CalibrationPointResult(point: p, events: 1000, pseudoExperiments: n, methods: ["fake": runs])
        }
        let plan = CalibrationPlan(card: "ttbar", parameter: "A.mass", estimate: "M_A", reference: reference, points: points,
                                   methods: ["fake"], pseudoExperiments: n, eventsPerExperiment: 1000, detector: "cms",
                                   smearScale: 1, pairing: "unknown", seed: 1, jesShift: 0.02, overrides: [], toolVersion: "test")
        let report = CalibrationReport(plan: plan, results: results)
        let m = try #require(report.methods.first)
        let c = try #require(m.calibration)
        #expect(abs(c.slope - slope) < 3 * c.slopeError, "slope \(c.slope) ± \(c.slopeError)")
        #expect(abs(c.offset - (reference + offset)) < 3 * c.offsetError, "offset \(c.offset) ± \(c.offsetError)")
        let pullError = 1 / (2.0 * Double(n)).squareRoot()
        for p in m.points {
            #expect(abs(p.pullWidth - 1) < 3 * pullError, "\(p.id): pull width \(p.pullWidth)")
            if let closure = p.closure, let e = p.closureError { #expect(abs(closure) < 3.5 * e, "\(p.id): closure \(closure) ± \(e)") }
        }
        #expect(abs(try #require(m.precision) / (width / slope) - 1) < 0.1)
        // The JES points moved the estimate by +-2.4 GeV: calibrated, +-2.4 / 0.8 = +-3 GeV.
        let up = try #require(m.jesUp), down = try #require(m.jesDown), syst = try #require(m.jesSystematic)
        #expect(abs(up - jesEffect / slope) < 3 * (m.jesUpError ?? 0) && abs(down + jesEffect / slope) < 3 * (m.jesDownError ?? 0))
        #expect(abs(syst - jesEffect / slope) < 0.3)
        #expect(m.handled == 1 && abs(m.secondsPerExperiment - 0.01) < 1e-12)
        #expect(report.markdown().contains("| fake | 0.") && report.markdown().contains("JES"))
    }

    /// A method that never gives the scanned mass gets a row without numbers and a note.
    @Test func methodWithoutEstimatesIsSaidSo() {
        let p = CalibrationPoint(id: "mass-170", trueMass: 170, jes: 1)
        let runs = CalibrationPointResult.MethodRuns(estimates: [nil, nil], uncertainties: [nil, nil], seconds: 0, notes: [])
        let plan = CalibrationPlan(card: "ttbar", parameter: "A.mass", estimate: "M_A", reference: 172.5, points: [p],
                                   methods: ["maos"], pseudoExperiments: 2, eventsPerExperiment: 100, detector: "cms",
                                   smearScale: 1, pairing: "unknown", seed: 1, jesShift: 0, overrides: [], toolVersion: "test")
        let r = CalibrationReport(plan: plan, results: [CalibrationPointResult(point: p, events: 100, pseudoExperiments: 2,
                                                                                methods: ["maos": runs])])
        #expect(r.methods[0].calibration == nil && r.methods[0].handled == 0)
        #expect(r.methods[0].notes.contains { $0.contains("0 of 2 pseudo-experiments gave M_A") })
    }
}
