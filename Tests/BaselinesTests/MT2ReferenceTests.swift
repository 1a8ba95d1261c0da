import Baselines
import Foundation
import Testing

/// MT2 against the PyPI `mt2` package (v1.3.1, machine precision) on 1e5 random inputs and
/// 1e5 ChainFixture t-tbar MT2(bl) inputs (values produced by benchmarks/mt2_make_reference.py),
/// and on 1e5 MT2(bl) inputs of generated, CMS-smeared t-tbar events
/// (benchmarks/mt2_generated_reference.py).
@Suite struct MT2ReferenceTests {
    /// Where we disagree with the package beyond 1e-9, our answer must carry its own proof:
    /// either the convexity certificate (attained value + first-order optimality, see
    /// `MT2Row.certifies`) or the infimum-at-infinity class (massless visible with chi_i > 0,
    /// MT2 within 1e-6 of chi_i, and not above the reference).
    func compare(_ rows: [MT2Row], _ ref: [Double], label: String) {
        var x = MT2Inputs(count: rows.count)
        for (i, r) in rows.enumerated() {
            x.m1[i] = r.x[0]; x.px1[i] = r.x[1]; x.py1[i] = r.x[2]; x.m2[i] = r.x[3]; x.px2[i] = r.x[4]
            x.py2[i] = r.x[5]; x.metx[i] = r.x[6]; x.mety[i] = r.x[7]; x.chi1[i] = r.x[8]; x.chi2[i] = r.x[9]
        }
        let ours = MT2.values(x)
        var certified = 0, atInfinity = 0, failures: [String] = []
        for i in 0..<rows.count {
            let rel = abs(ours[i] - ref[i]) / max(abs(ref[i]), 1e-300)
            if rel <= 1e-9 || ours[i] == ref[i] { continue }
            let s = rows[i].compute()
            let r = rows[i].x
            let infinity = (r[0] == 0 && r[8] > 0 && ours[i] - r[8] <= 1e-6 * ours[i])
                || (r[3] == 0 && r[9] > 0 && ours[i] - r[9] <= 1e-6 * ours[i])
            if s.value == ours[i] && rows[i].certifies(s) {
                certified += 1
            } else if infinity && ours[i] <= ref[i] {
                atInfinity += 1
            } else {
                failures.append("\(label) row \(i) \(r): ours \(ours[i]) reference \(ref[i])")
            }
        }
        #expect(failures.isEmpty, "\(failures.prefix(5))")
        // Disagreements are rare (measured: 27 certified rows, mostly MT2 = 0 or massless
        // visibles, and 1 at infinity among the random rows; none among the fixture rows).
        #expect(certified + atInfinity <= rows.count / 1000, "\(label): \(certified) certified, \(atInfinity) at infinity")
    }

    @Test func randomInputsAgreeWithPackage() throws {
        let ref = try MT2Reference.randomReference()
        #expect(ref.count == MT2Reference.count)
        compare(MT2Reference.randomRows(ref.count), ref, label: "random")
    }

    /// 1e5 events of `deelema generate --topology ttbar --detector cms` (smeared, true pairing).
    @Test func generatedEventsAgreeWithPackage() throws {
        let (rows, ref) = try MT2Reference.generated()
        #expect(rows.count == MT2Reference.count)
        compare(rows, ref, label: "generated")
    }

    @Test func fixtureBLInputsAgreeWithPackage() throws {
        let (rows, ref) = try MT2Reference.fixture()
        #expect(rows.count == MT2Reference.count)
        compare(rows, ref, label: "fixture")
    }

    /// The minimising momenta: q1 + q2 = MET and max(mT1, mT2) = MT2 (1e-9 relative), on the
    /// first 20000 rows of each set (except rows whose minimum lies at |q| -> infinity).
    @Test func minimisingMomentaAttainTheValue() throws {
        let (fixtureRows, _) = try MT2Reference.fixture()
        for rows in [Array(MT2Reference.randomRows(20_000)), Array(fixtureRows.prefix(20_000))] {
            var x = MT2Inputs(count: rows.count)
            for (i, r) in rows.enumerated() {
                x.m1[i] = r.x[0]; x.px1[i] = r.x[1]; x.py1[i] = r.x[2]; x.m2[i] = r.x[3]; x.px2[i] = r.x[4]
                x.py2[i] = r.x[5]; x.metx[i] = r.x[6]; x.mety[i] = r.x[7]; x.chi1[i] = r.x[8]; x.chi2[i] = r.x[9]
            }
            let sol = MT2.solutions(x)
            let values = MT2.values(x)
            var bad: [String] = []
            for (i, r) in rows.enumerated() {
                let s = MT2Solution(value: sol.value[i], q1x: sol.q1x[i], q1y: sol.q1y[i], q2x: sol.q2x[i], q2y: sol.q2y[i])
                let sc = r.scale
                if s.value != values[i] { bad.append("row \(i): compute \(s.value) != value \(values[i])") }
                if abs(s.q1x + s.q2x - r.x[6]) > 1e-12 * sc || abs(s.q1y + s.q2y - r.x[7]) > 1e-12 * sc {
                    bad.append("row \(i): q1 + q2 != MET")
                }
                let (t1, t2) = r.transverseMasses(s)
                let infinity = (r.x[0] == 0 && r.x[8] > 0) || (r.x[3] == 0 && r.x[9] > 0)
                if s.value == 0 {
                    if !r.certifies(s) { bad.append("row \(i): MT2 = 0 not certified") }
                } else if abs(max(t1, t2) - s.value) > 1e-9 * s.value && !(infinity && abs(s.value - max(r.x[8], r.x[9])) < 1e-6 * s.value) {
                    bad.append("row \(i) \(r.x): max(mT1, mT2) = \(max(t1, t2)) vs MT2 \(s.value)")
                }
            }
            #expect(bad.isEmpty, "\(bad.prefix(5))")
        }
    }
}
