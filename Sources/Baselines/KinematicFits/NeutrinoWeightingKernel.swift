#if canImport(Glibc)
import Glibc
#endif
import Kinematics

/// The rapidity and parent-mass grids of a neutrino-weighting scan, with cosh/sinh tables.
struct NeutrinoWeightingGrid: Sendable {
    let eta: [Double], cosh: [Double], sinh: [Double]
    let mA: [Double]
    let mB2: Double, mC2: Double
    /// Log prior added per grid rapidity (all 0 for plain neutrino weighting).
    let logPrior: [Double]

    init(options o: NeutrinoWeightingOptions, etaPriorWidth: Double? = nil) {
        eta = o.etaValues
        cosh = eta.map { Glibc.cosh($0) }
        sinh = eta.map { Glibc.sinh($0) }
        mA = o.mAValues
        mB2 = o.mB * o.mB; mC2 = o.mC * o.mC
        logPrior = eta.map { e in etaPriorWidth.map { -0.5 * e * e / ($0 * $0) } ?? 0 }
    }
}

/// The MET covariance of an event as a whitening map W = L^-1 (V = L L^T, L lower triangular):
/// chi^2 of a residual d is |W d|^2.
struct Whitening: Sendable {
    var w11 = 1.0, w21 = 0.0, w22 = 1.0

    /// From the covariance (xx, xy, yy) plus floor^2 on the diagonal; nil when not positive definite.
    init?(covariance c: SIMD3<Double>, floor: Double) {
        let xx = c[0] + floor * floor, yy = c[2] + floor * floor
        guard xx > 0 else { return nil }
        let l11 = xx.squareRoot(), l21 = c[1] / l11
        let r = yy - l21 * l21
        guard r > 0 else { return nil }
        let l22 = r.squareRoot()
        w11 = 1 / l11; w21 = -l21 / (l11 * l22); w22 = 1 / l22
    }

    @inline(__always)
    func apply(_ v: SIMD2<Double>) -> SIMD2<Double> { SIMD2(w11 * v.x, w21 * v.x + w22 * v.y) }
}

/// One entry of a chain's solution list: whitened point, log prior of its rapidity, and a tag
/// (2 x rapidity index + root index) to recover the solution.
struct WeightEntry {
    var x: Double, y: Double, logPrior: Double, tag: Int32

    /// The pair's score with chain 2's entry e: whitened MET chi^2 - 2 (log priors).
    @inline(__always)
    func score(_ e: WeightEntry) -> Double {
        let dx = x - e.x, dy = y - e.y
        return dx * dx + dy * dy - 2 * (logPrior + e.logPrior)
    }
}

/// Per-thread scratch of the neutrino-weighting scan (no allocation per event).
///
/// The weight of an event at one parent mass and pairing is
/// w = sum over rapidity pairs (y1, y2) and roots of exp(-chi^2/2 + prior(y1) + prior(y2)),
/// chi^2 = |W (MET - q1 - q2)|^2. Chain 1's roots over its rapidity grid give the points
/// u = W (MET - q1), chain 2's give v = W q2, and chi^2 = |u - v|^2: every pair of the two lists
/// is one term. The list of v is sorted by x so that each u only visits the v within
/// `window` (chi^2 < window^2) in x; smaller terms (below e^-25) are dropped. When an event's best
/// term is too small for that to be safe, the caller asks for `fullLogWeight`.
final class NeutrinoWeightingKernel {
    let grid: NeutrinoWeightingGrid
    private var list1: [WeightEntry], list2: [WeightEntry]
    private(set) var count1 = 0, count2 = 0
    static let windowChi2 = 50.0

    init(grid: NeutrinoWeightingGrid) {
        self.grid = grid
        let capacity = 2 * grid.eta.count
        list1 = Array(repeating: WeightEntry(x: 0, y: 0, logPrior: 0, tag: 0), count: capacity)
        list2 = list1
    }

    /// Fills the two lists for parent mass index m.
    @inline(__always)
    func fill(_ c1: NeutrinoWeightingChain, _ c2: NeutrinoWeightingChain, met: SIMD2<Double>, whitening w: Whitening,
              mA: Double) {
        let g = grid, mC2 = g.mC2, mA2 = mA * mA
        let kA1 = c1.kA(mA2: mA2, mC2: mC2), kB1 = c1.kB(mB2: g.mB2, mC2: mC2)
        let kA2 = c2.kA(mA2: mA2, mC2: mC2), kB2 = c2.kB(mB2: g.mB2, mC2: mC2)
        var n1 = 0, n2 = 0
        var q0 = SIMD2<Double>(), q1 = SIMD2<Double>()
        list1.withUnsafeMutableBufferPointer { l1 in
        list2.withUnsafeMutableBufferPointer { l2 in
            for k in 0..<g.eta.count {
                let ch = g.cosh[k], sh = g.sinh[k], lp = g.logPrior[k]
                let c = c1.solve(ch: ch, sh: sh, kA: kA1, kB: kB1, mC2: mC2, &q0, &q1)
                if c > 0 { let u = w.apply(met - q0); l1[n1] = WeightEntry(x: u.x, y: u.y, logPrior: lp, tag: Int32(2 * k)); n1 += 1 }
                if c > 1 { let u = w.apply(met - q1); l1[n1] = WeightEntry(x: u.x, y: u.y, logPrior: lp, tag: Int32(2 * k + 1)); n1 += 1 }
                let d = c2.solve(ch: ch, sh: sh, kA: kA2, kB: kB2, mC2: mC2, &q0, &q1)
                if d > 0 { let v = w.apply(q0); l2[n2] = WeightEntry(x: v.x, y: v.y, logPrior: lp, tag: Int32(2 * k)); n2 += 1 }
                if d > 1 { let v = w.apply(q1); l2[n2] = WeightEntry(x: v.x, y: v.y, logPrior: lp, tag: Int32(2 * k + 1)); n2 += 1 }
            }
        }}
        count1 = n1; count2 = n2
    }

    /// Windowed weight of the lists last filled: (sum of the terms with chi^2 < windowChi2, the
    /// smallest chi^2 - 2 (prior) among them; infinity when none).
    func windowedWeight() -> (weight: Double, bestScore: Double) {
        let n1 = count1, n2 = count2
        guard n1 > 0, n2 > 0 else { return (0, .infinity) }
        let r = Self.windowChi2.squareRoot(), cut = Self.windowChi2
        var sum = 0.0, best = Double.infinity
        list1.withUnsafeMutableBufferPointer { l1 in
        list2.withUnsafeMutableBufferPointer { l2 in
            var v = UnsafeMutableBufferPointer(rebasing: l2[0..<n2])
            v.sort { $0.x < $1.x }
            for i in 0..<n1 {
                let u = l1[i]
                // First v with x >= u.x - r.
                var lo = 0, hi = n2
                let left = u.x - r
                while lo < hi { let mid = (lo + hi) >> 1; if v[mid].x < left { lo = mid + 1 } else { hi = mid } }
                var j = lo
                while j < n2 {
                    let e = v[j]
                    let dx = u.x - e.x
                    if dx < -r { break }
                    let dy = u.y - e.y
                    let chi2 = dx * dx + dy * dy
                    if chi2 < cut {
                        let score = chi2 - 2 * (u.logPrior + e.logPrior)
                        sum += exp(-0.5 * score)
                        best = min(best, score)
                    }
                    j += 1
                }
            }
        }}
        return (sum, best)
    }

    /// Exact log of the weight of the lists last filled (every pair, log-sum-exp); -infinity
    /// when a list is empty. Also returns the best pair's tags and score (chi^2 - 2 prior).
    func fullLogWeight() -> (logWeight: Double, best: Double, tag1: Int32, tag2: Int32) {
        let n1 = count1, n2 = count2
        guard n1 > 0, n2 > 0 else { return (-.infinity, .infinity, -1, -1) }
        var best = Double.infinity, t1: Int32 = -1, t2: Int32 = -1
        list1.withUnsafeBufferPointer { l1 in
        list2.withUnsafeBufferPointer { l2 in
            for i in 0..<n1 {
                let u = l1[i]
                for j in 0..<n2 {
                    let e = l2[j], score = u.score(e)
                    if score < best { best = score; t1 = u.tag; t2 = e.tag }
                }
            }
        }}
        var sum = 0.0
        list1.withUnsafeBufferPointer { l1 in
        list2.withUnsafeBufferPointer { l2 in
            for i in 0..<n1 {
                let u = l1[i]
                for j in 0..<n2 { sum += exp(-0.5 * (u.score(l2[j]) - best)) }
            }
        }}
        return (-0.5 * best + log(sum), best, t1, t2)
    }

    /// The best pair of the lists last filled for each root combination (root of chain 1, root
    /// of chain 2), index 2 root1 + root2: (score, tag1, tag2), tags -1 when the combination
    /// has no pair.
    func bestPerRoots() -> [(score: Double, tag1: Int32, tag2: Int32)] {
        var out = [(score: Double, tag1: Int32, tag2: Int32)](repeating: (.infinity, -1, -1), count: 4)
        list1.withUnsafeBufferPointer { l1 in
        list2.withUnsafeBufferPointer { l2 in
            for i in 0..<count1 {
                let u = l1[i]
                for j in 0..<count2 {
                    let e = l2[j]
                    let dx = u.x - e.x, dy = u.y - e.y
                    let score = dx * dx + dy * dy - 2 * (u.logPrior + e.logPrior)
                    let slot = Int(2 * (u.tag & 1) + (e.tag & 1))
                    if score < out[slot].score { out[slot] = (score, u.tag, e.tag) }
                }
            }
        }}
        return out
    }
}
