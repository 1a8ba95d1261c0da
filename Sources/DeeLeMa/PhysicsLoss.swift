#if canImport(Glibc)
import Glibc
#endif
import Events

/// Four-vector helpers on SIMD4 (E, px, py, pz).
@inline(__always) func minkowski2(_ v: SIMD4<Double>) -> Double { v[0] * v[0] - v[1] * v[1] - v[2] * v[2] - v[3] * v[3] }
/// d(v.v)/dv.
@inline(__always) func minkowskiGradient(_ v: SIMD4<Double>) -> SIMD4<Double> { SIMD4(2 * v[0], -2 * v[1], -2 * v[2], -2 * v[3]) }

/// The guarded mass of a squared mass s (scaled units): m = s / sqrt(|s| + eps), eps = 1e-10.
/// For |s| >> eps it is sign(s) sqrt(|s|) (a negative m^2, possible with free energies or
/// early in training, gives a negative mass that the loss pulls up rather than a NaN); it is
/// continuously differentiable everywhere, with slope 1/sqrt(eps) = 1e5 at s = 0 instead of
/// the infinite slope of sqrt. The bias is below 1e-10 relative for s >= 1e-4 (1% of the scale).
@inline(__always) func guardedMass(_ s: Double) -> (m: Double, dm: Double) {
    let a = abs(s) + PhysicsLoss.massEpsilon
    let r = a.squareRoot()
    return (s / r, (abs(s) / 2 + PhysicsLoss.massEpsilon) / (a * r))
}

/// ELU(u) + 1 (> 0) and its derivative.
@inline(__always) func eluPlusOne(_ u: Double) -> (v: Double, d: Double) {
    if u > 0 { return (u + 1, 1) }
    let e = exp(u)
    return (e, e)
}

/// The per-event physics loss of DeeLeMa and its gradient with respect to the network outputs
/// and the learnable masses, derived by hand (chain rule through the completion, the on-shell
/// energies and the invariant masses). Everything is in scaled units (GeV / scale) and Double.
public struct PhysicsLoss: Sendable {
    /// eps of `guardedMass` (scaled units squared).
    public static let massEpsilon = 1e-10

    public var topology: TopologyKind
    public var mode: LearnMode
    public var metric: LossMetric
    /// Fixed M_C, scaled.
    public var mC: Double

    public init(topology: TopologyKind, mode: LearnMode, metric: LossMetric, mC: Double) {
        self.topology = topology; self.mode = mode; self.metric = metric; self.mC = mC
    }

    /// The learned masses (slot 0: M_B; slot 1: M_A for t-tbar-like, M_D for the antler), scaled,
    /// from the parameters u = (u_B, u_A or u_D), and the Jacobian dM/du as rows (dM0/du, dM1/du):
    /// M_B = M_C + elu(u_B) + 1, M_A = M_B + elu(u_A) + 1, M_D = 2 M_B + elu(u_D) + 1.
    public func masses(_ u: SIMD2<Double>) -> (M: SIMD2<Double>, dM0: SIMD2<Double>, dM1: SIMD2<Double>) {
        let (eB, dB) = eluPlusOne(u[0]), (e1, d1) = eluPlusOne(u[1])
        let mB = mC + eB
        switch topology {
        case .ttbarLike: return (SIMD2(mB, mB + e1), SIMD2(dB, 0), SIMD2(dB, d1))
        case .antler: return (SIMD2(mB, 2 * mB + e1), SIMD2(dB, 0), SIMD2(2 * dB, d1))
        }
    }

    /// The parameters u giving the masses (scaled) `initialB` and `initialA` (M_A or M_D); nil
    /// keeps u = 0. Inverts x = elu(u) + 1: u = x - 1 for x >= 1, ln x below.
    public func parameters(initialB: Double?, initialA: Double?) throws(DeeLeMaError) -> SIMD2<Double> {
        func inverse(_ x: Double, _ name: String) throws(DeeLeMaError) -> Double {
            guard x > 0, x.isFinite else { throw .badOption(name: name, reason: "gives a non-positive mass gap") }
            return x >= 1 ? x - 1 : log(x)
        }
        let uB = try initialB.map { (b: Double) throws(DeeLeMaError) -> Double in try inverse(b - mC, "initial-mB") } ?? 0
        let mB = mC + eluPlusOne(uB).v
        let uA = try initialA.map { (a: Double) throws(DeeLeMaError) -> Double in
            try inverse(topology == .ttbarLike ? a - mB : a - 2 * mB, "initial-mA")
        } ?? 0
        return SIMD2(uB, uA)
    }

    /// d(r) and d'(r) of the metric at residual r.
    @inline(__always) func distance(_ r: Double) -> (Double, Double) {
        switch metric {
        case .l1: return (abs(r), r > 0 ? 1 : (r < 0 ? -1 : 0))
        case .huber: return abs(r) < 1 ? (0.5 * r * r, r) : (abs(r) - 0.5, r > 0 ? 1 : -1)
        }
    }

    /// L = d(m1, m2) + d(m1, M) + d(m2, M) and (dL/dm1, dL/dm2, dL/dM).
    @inline(__always) func threeTerm(_ m1: Double, _ m2: Double, _ M: Double) -> (Double, Double, Double, Double) {
        let (l12, g12) = distance(m1 - m2), (l1, g1) = distance(m1 - M), (l2, g2) = distance(m2 - M)
        return (l12 + l1 + l2, g12 + g1, -g12 + g2, -g1 - g2)
    }

    /// One event. `o`: the network outputs (first `mode.outputCount` lanes); `v`: visibles,
    /// lanes 0-3 a1, 4-7 a2, 8-11 the b of chain 1, 12-15 the b of chain 2 (zeros for the
    /// antler); `target`: what C1T + C2T must equal; `M`: the learned masses (see `masses`).
    public func evaluate(_ o: SIMD8<Double>, visibles v: SIMD16<Double>, target: SIMD2<Double>,
                         masses M: SIMD2<Double>) -> EventEvaluation {
        let a1 = v.lowHalf.lowHalf, a2 = v.lowHalf.highHalf, b1 = v.highHalf.lowHalf, b2 = v.highHalf.highHalf
        // Completion: invisible momenta from the outputs.
        var c1 = SIMD4<Double>(), c2 = SIMD4<Double>()
        switch mode {
        case .none, .mc:
            c1 = SIMD4(0, o[0], target[1] - o[1], o[2])
            c2 = SIMD4(0, target[0] - o[0], o[1], o[3])
        case .pt:
            c1 = SIMD4(0, o[0], o[1], o[2]); c2 = SIMD4(0, o[3], o[4], o[5])
        case .ptMC:
            c1 = SIMD4(o[0], o[1], o[2], o[3]); c2 = SIMD4(o[4], o[5], o[6], o[7])
        }
        switch mode {
        case .none, .pt:
            c1[0] = (mC * mC + c1[1] * c1[1] + c1[2] * c1[2] + c1[3] * c1[3]).squareRoot()
            c2[0] = (mC * mC + c2[1] * c2[1] + c2[2] * c2[2] + c2[3] * c2[3]).squareRoot()
        case .mc:
            c1[0] = o[4]; c2[0] = o[5]
        case .ptMC: break
        }

        var loss = 0.0
        var g1 = SIMD4<Double>(), g2 = SIMD4<Double>()
        var gM = SIMD2<Double>()
        var out = EventEvaluation()
        out.c1 = c1; out.c2 = c2
        switch topology {
        case .ttbarLike:
            let B1 = b1 + c1, B2 = b2 + c2, A1 = a1 + B1, A2 = a2 + B2
            let (mB1, dB1) = guardedMass(minkowski2(B1)), (mB2, dB2) = guardedMass(minkowski2(B2))
            let (mA1, dA1) = guardedMass(minkowski2(A1)), (mA2, dA2) = guardedMass(minkowski2(A2))
            let (lB, gB1, gB2, gMB) = threeTerm(mB1, mB2, M[0])
            let (lA, gA1, gA2, gMA) = threeTerm(mA1, mA2, M[1])
            loss += lA + lB
            gM = SIMD2(gMB, gMA)
            // A_i and B_i both contain C_i with unit coefficient.
            g1 = gB1 * dB1 * minkowskiGradient(B1) + gA1 * dA1 * minkowskiGradient(A1)
            g2 = gB2 * dB2 * minkowskiGradient(B2) + gA2 * dA2 * minkowskiGradient(A2)
            out.masses = SIMD4(mA1, mA2, mB1, mB2)
        case .antler:
            let B1 = a1 + c1, B2 = a2 + c2, D = B1 + B2
            let (mB1, dB1) = guardedMass(minkowski2(B1)), (mB2, dB2) = guardedMass(minkowski2(B2))
            let (mD, dD) = guardedMass(minkowski2(D))
            let (lB, gB1, gB2, gMB) = threeTerm(mB1, mB2, M[0])
            let (lD, gD) = distance(mD - M[1])
            loss += lB + lD
            gM = SIMD2(gMB, -gD)
            let gDv = gD * dD * minkowskiGradient(D)
            g1 = gB1 * dB1 * minkowskiGradient(B1) + gDv
            g2 = gB2 * dB2 * minkowskiGradient(B2) + gDv
            out.masses = SIMD4(mD, 0, mB1, mB2)
        }
        if mode.freeEnergies {
            let (mC1, dC1) = guardedMass(minkowski2(c1)), (mC2, dC2) = guardedMass(minkowski2(c2))
            let (lC, gC1, gC2, _) = threeTerm(mC1, mC2, mC)
            loss += lC
            g1 += gC1 * dC1 * minkowskiGradient(c1)
            g2 += gC2 * dC2 * minkowskiGradient(c2)
        } else {
            // On-shell energies E = sqrt(mC^2 + |q|^2): dE/dq = q / E (no gradient through E = 0).
            if c1[0] > 0 { g1 += g1[0] / c1[0] * SIMD4(0, c1[1], c1[2], c1[3]) }
            if c2[0] > 0 { g2 += g2[0] / c2[0] * SIMD4(0, c2[1], c2[2], c2[3]) }
            g1[0] = 0; g2[0] = 0
        }
        // Back through the completion to the outputs.
        var go = SIMD8<Double>()
        switch mode {
        case .none, .mc:
            go[0] = g1[1] - g2[1]; go[1] = g2[2] - g1[2]; go[2] = g1[3]; go[3] = g2[3]
            if mode == .mc { go[4] = g1[0]; go[5] = g2[0] }
        case .pt:
            go[0] = g1[1]; go[1] = g1[2]; go[2] = g1[3]; go[3] = g2[1]; go[4] = g2[2]; go[5] = g2[3]
        case .ptMC:
            go.lowHalf = g1; go.highHalf = g2
        }
        if mode.freeTransverse {
            let (lx, gx) = distance(c1[1] + c2[1] - target[0]), (ly, gy) = distance(c1[2] + c2[2] - target[1])
            loss += lx + ly
            let ix = mode == .pt ? (0, 3) : (1, 5), iy = mode == .pt ? (1, 4) : (2, 6)
            go[ix.0] += gx; go[ix.1] += gx; go[iy.0] += gy; go[iy.1] += gy
        }
        out.loss = loss
        out.outputGradient = go
        out.massGradient = gM
        return out
    }
}

extension PhysicsLoss {
    /// Evaluates one event, with both pairings when `unknown` (b's of the two chains swapped
    /// for pairing 1); returns the evaluation of the chosen pairing (the lower loss; a tie
    /// keeps the sample order) and the pairing, 0 or 1. The gradient flows through the chosen one.
    @inline(__always)
    public func evaluateChoosingPairing(_ o: SIMD8<Double>, _ v: SIMD16<Double>, _ target: SIMD2<Double>,
                                        _ M: SIMD2<Double>, unknown: Bool) -> (EventEvaluation, Int32) {
        let e0 = evaluate(o, visibles: v, target: target, masses: M)
        guard unknown else { return (e0, 0) }
        var w = v
        w.highHalf = SIMD8(lowHalf: v.highHalf.highHalf, highHalf: v.highHalf.lowHalf)
        let e1 = evaluate(o, visibles: w, target: target, masses: M)
        return e1.loss < e0.loss ? (e1, 1) : (e0, 0)
    }
}

extension PhysicsLoss {
    /// Evaluates the `heads` completion hypotheses of one event (`mode.outputCount` network
    /// outputs each, consecutive from `outputs`), each with both pairings when `unknown`, and
    /// returns the best evaluation (lowest loss; ties keep the first head and the sample's
    /// pairing), its pairing and its head.
    @inline(__always)
    public func evaluateBest<T: BinaryFloatingPoint>(_ outputs: UnsafePointer<T>, heads: Int, _ v: SIMD16<Double>,
                                                     _ target: SIMD2<Double>, _ M: SIMD2<Double>,
                                                     unknown: Bool) -> (EventEvaluation, Int32, Int) {
        let n = mode.outputCount
        var best = EventEvaluation(), bestPairing: Int32 = 0, bestHead = 0
        for h in 0..<heads {
            var ov = SIMD8<Double>()
            for k in 0..<n { ov[k] = Double(outputs[h * n + k]) }
            let (e, p) = evaluateChoosingPairing(ov, v, target, M, unknown: unknown)
            if h == 0 || e.loss < best.loss { best = e; bestPairing = p; bestHead = h }
        }
        best.hypothesis = bestHead
        return (best, bestPairing, bestHead)
    }
}

/// The result of `PhysicsLoss.evaluate` for one event, scaled units.
public struct EventEvaluation: Sendable {
    public init() {}
    public var loss = 0.0
    /// d loss / d outputs (unused lanes 0).
    public var outputGradient = SIMD8<Double>()
    /// d loss / d (mass slot 0, mass slot 1).
    public var massGradient = SIMD2<Double>()
    /// The completed invisible four-vectors.
    public var c1 = SIMD4<Double>(), c2 = SIMD4<Double>()
    /// t-tbar-like: (m_A1, m_A2, m_B1, m_B2); antler: (m_D, 0, m_B1, m_B2).
    public var masses = SIMD4<Double>()
    /// The completion hypothesis (output head, 0-based) this evaluation comes from.
    public var hypothesis = 0
}
