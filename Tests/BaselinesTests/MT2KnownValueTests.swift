import Baselines
import Testing

@Suite struct MT2KnownValueTests {
    /// The reference values of docs/physics.md#mt2 (the first from Lester & Nachman's reference
    /// implementation, confirmed with the PyPI `mt2` package: 412.62766845821943).
    @Test func specValues() {
        let a = MT2Row(x: [100, 410, 20, 150, -210, -300, -200, 280, 100, 100])
        #expect(abs(a.value() - 412.627668458219) < 1e-12 * 412.6)
        // Unbalanced: MT2 = m2 + chi2 = 10 + 7 (package: 17.000000000000007).
        let b = MT2Row(x: [10, 20, 30, 10, -20, -30, -5, -5, 4, 7])
        #expect(abs(b.value() - 17) < 1e-12 * 17)
        // Massless back-to-back with zero MET: MT2 = 0.
        let c = MT2Row(x: [0, 50, 0, 0, -50, 0, 0, 0, 0, 0])
        #expect(c.value() == 0)
        for r in [a, b, c] {
            let s = r.compute()
            #expect(s.value == r.value())
            #expect(r.certifies(s))
        }
    }

    /// Unbalanced solution: side 2 sits at its own minimum q2 = (chi2 / m2) p2.
    @Test func unbalancedMomenta() {
        let r = MT2Row(x: [10, 20, 30, 10, -20, -30, -5, -5, 4, 7])
        let s = r.compute()
        #expect(abs(s.q2x - 0.7 * -20) < 1e-12 && abs(s.q2y - 0.7 * -30) < 1e-12)
        let (t1, t2) = r.transverseMasses(s)
        #expect(t1 <= 17 && abs(t2 - 17) < 1e-12 * 17)
    }

    /// Swapped legs, overall scale 1e6 and 1e-6, zero MET: the same answer.
    @Test func symmetriesAndScales() {
        let rows = [
            MT2Row(x: [100, 410, 20, 150, -210, -300, -200, 280, 100, 100]),
            MT2Row(x: [5, 40, -60, 0, -30, 25, 70, 12, 0, 0]),
            MT2Row(x: [0, 120, 10, 0, -80, 40, -10, 35, 50, 80]),
            MT2Row(x: [91, 10, 20, 3, -150, 5, 0, 0, 0, 0]),
            MT2Row(x: [91, 10, 20, 3, -150, 5, 0, 0, 40, 10]),
        ]
        for r in rows {
            let v = r.value()
            #expect(v > 0)
            #expect(abs(r.swapped.value() - v) <= 1e-12 * v, "swapped \(r.x)")
            #expect(abs(r.scaled(1e6).value() - 1e6 * v) <= 1e-12 * 1e6 * v, "1e6 \(r.x)")
            #expect(abs(r.scaled(1e-6).value() - 1e-6 * v) <= 1e-12 * 1e-6 * v, "1e-6 \(r.x)")
            #expect(r.certifies(r.compute()), "certificate \(r.x)")
            #expect(r.scaled(1e6).certifies(r.scaled(1e6).compute()))
        }
    }

    /// Zero MET with massive visibles and massless invisibles: the even split q = 0 gives
    /// mT_i = m_i, so MT2 = max(m1, m2) (closed form).
    @Test func zeroMETClosedForm() {
        let r = MT2Row(x: [91, 10, 20, 3, -150, 5, 0, 0, 0, 0])
        #expect(abs(r.value() - 91) < 1e-12 * 91)
    }

    /// Massless visibles and invisibles: MT2 = 0 exactly when MET lies in the cone of p1, p2;
    /// otherwise positive.
    @Test func masslessCone() {
        // MET = 0.5 p1 + 1.1 p2 = (15 - 5.5, 5 + 44) = (9.5, 49).
        let cone = MT2Row(x: [0, 30, 10, 0, -5, 40, 9.5, 49, 0, 0])
        #expect(cone.value() == 0)
        #expect(cone.certifies(cone.compute()))
        let outside = MT2Row(x: [0, 30, 10, 0, -5, 40, -20, -30, 0, 0])
        #expect(outside.value() > 1)
        #expect(outside.certifies(outside.compute()))
    }

    /// NaN or Inf inputs give NaN, never a crash or a finite number.
    @Test func nonFiniteInputsGiveNaN() {
        #expect(MT2Row(x: [.nan, 1, 2, 3, 4, 5, 6, 7, 0, 0]).value().isNaN)
        #expect(MT2Row(x: [1, 1, 2, 3, 4, 5, .infinity, 7, 0, 0]).compute().value.isNaN)
    }

    /// Lower bound max(m_i + chi_i) and monotonicity in a common chi.
    @Test func boundsAndMonotonicity() {
        let rows = MT2Reference.randomRows(300, seed: 99)
        for r in rows {
            let v = r.value()
            #expect(v >= max(r.x[0] + r.x[8], r.x[3] + r.x[9]) * (1 - 1e-12))
        }
        let base = MT2Row(x: [5, 40, -60, 0, -30, 25, 70, 12, 0, 0])
        var last = -1.0
        for chi in stride(from: 0.0, through: 200, by: 25) {
            var r = base
            r.x[8] = chi; r.x[9] = chi
            let v = r.value()
            #expect(v > last)
            last = v
        }
    }
}
