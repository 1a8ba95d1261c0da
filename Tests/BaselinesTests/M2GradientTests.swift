@testable import Baselines
import Kinematics
import Testing

/// Hand-derived gradients of the M2 mass functions and of the augmented Lagrangian against
/// central finite differences.
struct M2GradientTests {
    /// A t-tbar-like configuration with massive visibles and a massive invisible (GeV).
    static func kinematics(mC: Double) -> M2Kinematics {
        let a1 = FourVector(mass: 4.7, px: 40, py: -25, pz: 110), b1 = FourVector(mass: 0, px: 35, py: 10, pz: -20)
        let a2 = FourVector(mass: 4.7, px: -60, py: 30, pz: -70), b2 = FourVector(mass: 0, px: -5, py: -45, pz: 15)
        return M2Kinematics(p1: a1 + b1, p2: a2 + b2, v1: b1, v2: b2, metX: 23, metY: 41, mC: mC)
    }

    static let points: [SIMD4<Double>] = [
        SIMD4(10, 20, -30, 40), SIMD4(-55, 3, 80, -12), SIMD4(0.7, -90, 5, 250),
    ]

    /// Central difference of f along component k with step h.
    static func central(_ f: (SIMD4<Double>) -> Double, _ x: SIMD4<Double>, _ k: Int, _ h: Double) -> Double {
        var p = x, m = x
        p[k] += h; m[k] -= h
        return (f(p) - f(m)) / (2 * h)
    }

    static func relativeError(_ g: SIMD4<Double>, _ fd: SIMD4<Double>) -> Double {
        let d = g - fd
        return ((d * d).sum()).squareRoot() / max(((g * g).sum()).squareRoot(), 1e-12)
    }

    @Test("gradients of M_A1^2, M_A2^2, M_B1^2, M_B2^2 and M_D^2 match central differences to 1e-6",
          arguments: [0.0, 80.0, 700.0])
    func massGradients(mC: Double) {
        let k = Self.kinematics(mC: mC)
        let functions: [(String, (M2Evaluation) -> Double, (M2Evaluation) -> SIMD4<Double>)] = [
            ("parent1", { $0.parent1 }, { $0.dParent1 }), ("parent2", { $0.parent2 }, { $0.dParent2 }),
            ("intermediate1", { $0.intermediate1 }, { $0.dIntermediate1 }),
            ("intermediate2", { $0.intermediate2 }, { $0.dIntermediate2 }),
            ("resonance", { $0.resonance }, { $0.dResonance }),
        ]
        for x in Self.points {
            let ev = k.evaluate(x)
            for (name, value, gradient) in functions {
                var fd = SIMD4<Double>()
                for c in 0..<4 { fd[c] = Self.central({ value(k.evaluate($0)) }, x, c, 1e-3) }
                let err = Self.relativeError(gradient(ev), fd)
                #expect(err < 1e-6, "\(name) at \(x), mC \(mC): relative error \(err)")
            }
        }
    }

    @Test("mass functions equal the invariant masses of the four-vectors they describe")
    func massValues() {
        let k = Self.kinematics(mC: 80)
        let x = SIMD4<Double>(10, 20, -30, 40)
        let ev = k.evaluate(x), (q1, q2) = k.invisibles(x)
        #expect(abs(ev.parent1 - (k.p1 + q1).mass2) < 1e-9 * ev.parent1)
        #expect(abs(ev.parent2 - (k.p2 + q2).mass2) < 1e-9 * ev.parent2)
        #expect(abs(ev.intermediate1 - (k.v1 + q1).mass2) < 1e-9 * ev.intermediate1)
        #expect(abs(ev.resonance - (k.p1 + k.p2 + q1 + q2).mass2) < 1e-9 * ev.resonance)
        // MET constraint: q1T + q2T = MET.
        #expect(abs(q1.px + q2.px - k.metX) < 1e-12 && abs(q1.py + q2.py - k.metY) < 1e-12)
        #expect(abs(q2.mass - 80) < 1e-9)
    }

    @Test("augmented-Lagrangian gradient matches central differences with every constraint active",
          arguments: M2Variable.allCases)
    func lagrangianGradient(variable: M2Variable) {
        let l = M2Lagrangian()
        l.configure(Self.kinematics(mC: 50), equalParents: variable.equalParents,
                    equalIntermediates: variable.equalIntermediates, resonanceMass: variable == .cc ? 400 : nil)
        l.mu = 30; l.nu1 = 0.4; l.nu2 = 0.7; l.lambdaA = 0.3; l.lambdaB = -0.2; l.lambdaD = 0.1
        for x in Self.points {
            let z = x * l.invScale
            let ev = l.kinematics.evaluate(x)
            // t just below both parent masses so both inequality terms are active.
            let t = 0.9 * min(ev.parent1, ev.parent2) * l.invScale2
            var gz = SIMD4<Double>(), gt = 0.0, scratch = SIMD4<Double>(), st = 0.0
            _ = l.value(z, t, &gz, &gt)
            var fd = SIMD4<Double>()
            let h = 1e-6
            for c in 0..<4 {
                fd[c] = Self.central({ l.value($0, t, &scratch, &st) }, z, c, h)
            }
            let fdt = (l.value(z, t + h, &scratch, &st) - l.value(z, t - h, &scratch, &st)) / (2 * h)
            #expect(Self.relativeError(gz, fd) < 1e-6, "\(variable) dL/dz at \(x)")
            #expect(abs(gt - fdt) < 1e-6 * max(abs(gt), 1), "\(variable) dL/dt at \(x): \(gt) vs \(fdt)")
        }
    }
}
