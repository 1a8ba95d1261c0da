import Dispatch
import Events
import Kinematics

/// MAOS invisible momenta for a whole sample.
///
/// Transverse parts: the minimising momenta of MT2(bl) (t-tbar-like; visibles a_i + b_i,
/// pairing from the sample with `.truth`, the MT2(bl)-minimising one with `.unknown`) or of
/// MT2 with visibles a1, a2 (antler); invisible mass `chi` (trial m_C), GeV.
/// Longitudinal parts: on-shell parent (A for t-tbar-like, B for antler) of mass
/// - `parentMass` given: original MAOS; of the two roots per side the one with the smaller
///   |qz| is kept (equivalently the pair with the smallest |qz1| + |qz2|) and the other is
///   stored as `C1_alt`/`C2_alt`. If a side's transverse mass exceeds the given mass the
///   discriminant is negative: the real part is used and the event is `approximate`.
/// - `parentMass` nil: modified MAOS with M = the event's MT2. The balanced solution has one
///   (double) root per side; in the unbalanced case (MT2 = m_i + chi_i) the side whose
///   transverse mass is below MT2 keeps two roots and the smaller |qz| is taken as above.
///
/// Output arrays: `C1`, `C2` (N, 4) on chain 1 (the chain of reco a1) and chain 2, `C1_alt`,
/// `C2_alt` (N, 4), the MT2 used (`mt2_bl` or `mt2`), `pairing_bl` (t-tbar-like), `status`.
/// Truth arrays are never read. `masses` is left empty.
public enum MAOSEstimator {
    public static func run(sample: Sample, pairing: PairingMode = .truth, parentMass: Double?,
                           chi: Double = 0) throws -> EstimatorResult {
        try MT2Estimator.checkMass(chi, "chi")
        if let m = parentMass {
            guard m.isFinite, m > 0 else {
                throw BaselineInputError.badOption(name: "parentMass", value: m, requirement: "a finite mass > 0 GeV")
            }
        }
        let t0 = DispatchTime.now().uptimeNanoseconds
        let vis1: [Double], vis2: [Double], inputs: MT2Inputs
        var out = Sample(kind: sample.kind, provenance: sample.provenance)
        var chosen: [Int32] = []
        switch sample.kind {
        case .ttbarLike:
            chosen = try MT2Estimator.blValues(sample: sample, pairing: pairing, chi: chi).1
            let a1 = try sample.fourVectors(Key.a1), a2 = try sample.fourVectors(Key.a2)
            let b1 = try sample.fourVectors(Key.b1), b2 = try sample.fourVectors(Key.b2)
            vis1 = Flat4.sum(a1, b1, b2, choose: chosen)
            vis2 = Flat4.sum(a2, b1, b2, choose: chosen.map { 1 - $0 })
            inputs = MT2Inputs(visible1: vis1, visible2: vis2, met: try sample.transverse(Key.met), chi: chi)
        case .antler:
            try sample.validate(requiring: [Key.a1, Key.a2, Key.met])
            vis1 = try sample.fourVectors(Key.a1)
            vis2 = try sample.fourVectors(Key.a2)
            inputs = MT2Inputs(visible1: vis1, visible2: vis2, met: try sample.transverse(Key.met), chi: chi)
        }
        let sol = MT2.solutions(inputs)
        let n = inputs.count
        var c1 = [Double](repeating: .nan, count: 4 * n), c2 = c1, c1alt = c1, c2alt = c1
        var status = [Int32](repeating: EventStatus.failed.rawValue, count: n)
        for i in 0..<n {
            let mass = parentMass ?? sol.value[i]
            guard mass.isFinite, sol.q1x[i].isFinite, sol.q2x[i].isFinite else { continue }
            let (e1, x1, y1, z1) = Flat4.row(vis1, i), (e2, x2, y2, z2) = Flat4.row(vis2, i)
            let r1 = MAOS.roots(visible: FourVector(e: e1, px: x1, py: y1, pz: z1), qx: sol.q1x[i], qy: sol.q1y[i],
                                chi: chi, parentMass: mass)
            let r2 = MAOS.roots(visible: FourVector(e: e2, px: x2, py: y2, pz: z2), qx: sol.q2x[i], qy: sol.q2y[i],
                                chi: chi, parentMass: mass)
            put(&c1, i, r1.chosen); put(&c2, i, r2.chosen)
            put(&c1alt, i, r1.other); put(&c2alt, i, r2.other)
            status[i] = r1.real && r2.real ? EventStatus.exact.rawValue : EventStatus.approximate.rawValue
        }
        out[OutputKey.c1] = .fourVectors(c1)
        out[OutputKey.c2] = .fourVectors(c2)
        out[OutputKey.c1Alt] = .fourVectors(c1alt)
        out[OutputKey.c2Alt] = .fourVectors(c2alt)
        out[sample.kind == .ttbarLike ? OutputKey.mt2BL : OutputKey.mt2] = .scalars(sol.value)
        if sample.kind == .ttbarLike { out[OutputKey.pairingBL] = .ints(chosen) }
        out[OutputKey.status] = .ints(status)
        let dt = Double(DispatchTime.now().uptimeNanoseconds - t0) * 1e-9
        let handled = n == 0 ? 0 : Double(status.filter { $0 != EventStatus.failed.rawValue }.count) / Double(n)
        let approx = status.filter { $0 == EventStatus.approximate.rawValue }.count
        var notes = [parentMass.map { "original MAOS, parent mass \($0) GeV, root with smaller |qz| per side" }
                     ?? "modified MAOS, parent mass = event MT2"]
        notes.append("transverse momenta from " + (sample.kind == .ttbarLike ? "MT2(bl)" : "MT2(a1, a2)")
                     + ", chi = \(chi) GeV")
        if approx > 0 { notes.append("\(approx) events with given mass below MT2: real part of the roots used") }
        return EstimatorResult(method: parentMass == nil ? "maos-modified" : "maos", perEvent: out,
                               handledFraction: handled, secondsPerEvent: n == 0 ? 0 : dt / Double(n), notes: notes)
    }

    private static func put(_ a: inout [Double], _ i: Int, _ v: FourVector) {
        a[4 * i] = v.e; a[4 * i + 1] = v.px; a[4 * i + 2] = v.py; a[4 * i + 3] = v.pz
    }
}
