import CGSL
import Core
import Events
import Foundation
import Kinematics

/// Runs the constrained M2 variables over whole samples, in parallel across events
/// (`ParallelLoop` over chunks, one `M2Solver` and GSL workspace per chunk).
public enum M2Estimator {
    /// The t-tbar-like M2 variables of every event of `sample`.
    ///
    /// - Parameters:
    ///   - pairing: `.truth` pairs (a1, b1) when `pairing` is 0 and (a1, b2) when it is 1.
    ///     `.unknown` solves both pairings and keeps, per variable, the smaller value (each is
    ///     a lower bound on the parent mass for its pairing, so the minimum stays a bound for
    ///     the true one); the ansatz and status come from the pairing chosen for the ansatz variable.
    ///   - variable: the variable to compute; nil computes all four (each later variable is
    ///     also started from the solutions of the others, see `M2Solver.solveAll`).
    ///   - mC: trial invisible mass (GeV, >= 0).
    ///   - subsystem: `.ab` (parents A, the default) or `.b` (parents B); array names of the
    ///     (b) subsystem end in "_b" (`m2xx_b`, ...).
    /// - Returns: per-event arrays `m2xx`, `m2cx`, `m2xc`, `m2cc` (those computed, GeV), `C1`,
    ///   `C2` (N, 4) the invisible momenta of the minimum of `variable` (of `cc` when nil),
    ///   C1 on the chain of reconstructed a1, and its int32 `status`. `masses` is empty.
    ///   - progress: counts the finished events (nil: none).
    public static func run(sample: Sample, pairing: PairingMode, variable: M2Variable? = nil,
                           subsystem: M2Subsystem = .ab, mC: Double, progress: EventProgress? = nil) throws(M2Error) -> EstimatorResult {
        guard sample.kind == .ttbarLike else { throw .wrongTopology(expected: .ttbarLike, found: sample.kind) }
        try checkMass("mC", mC)
        var required = Key.reconstructed(.ttbarLike) + [Key.met]
        if pairing == .truth { required.append(Key.pairing) }
        let a1, a2, b1, b2, met: [Double]
        do {
            try sample.validate(requiring: required)
            a1 = try sample.fourVectors(Key.a1); a2 = try sample.fourVectors(Key.a2)
            b1 = try sample.fourVectors(Key.b1); b2 = try sample.fourVectors(Key.b2)
            met = try sample.transverse(Key.met)
        } catch { throw .sample(error) }
        let n = a1.count / 4
        var pairs = [Int32](repeating: 0, count: n)
        if pairing == .truth {
            guard let p = sample[Key.pairing]?.integers, p.count == n else {
                throw .sample(.wrongShape(key: Key.pairing, expected: "(N,) int32 or int64",
                                          found: sample[Key.pairing]?.shape ?? [], dtype: "<f8"))
            }
            for i in 0..<n {
                guard p[i] == 0 || p[i] == 1 else { throw .invalidPairing(event: i, value: p[i]) }
                pairs[i] = Int32(p[i])
            }
        }
        let variables = variable.map { [$0] } ?? M2Variable.allCases
        let ansatz = variable ?? .cc
        let truePairs = pairs
        let values = Output<Double>(4 * n, .nan), c1 = Output<Double>(4 * n, .nan), c2 = Output<Double>(4 * n, .nan)
        let status = Output<Int32>(n, EventStatus.failed.rawValue)
        deelema_gsl_quiet()
        let clock = Date()
        forEachEvent(n, progress) { solver, i in
            let ev = Event(i, a1, a2, b1, b2, met)
            let r = solveEvent(solver, ev, pairing: pairing, truePairing: truePairs[i],
                               single: variable, ansatz: ansatz, subsystem: subsystem, mC: mC)
            for k in 0..<4 { values.buffer[k * n + i] = r.values[k] }
            put(r.ansatz.q1, c1.buffer, i); put(r.ansatz.q2, c2.buffer, i)
            status.buffer[i] = r.ansatz.status.rawValue
        }
        let seconds = Date().timeIntervalSince(clock)
        var perEvent = Sample(kind: .ttbarLike, provenance: sample.provenance)
        let all = values.array
        for v in variables {
            perEvent[v.key + subsystem.keySuffix] = .scalars(Array(all[(v.index * n)..<((v.index + 1) * n)]))
        }
        perEvent[OutputKey.c1] = .fourVectors(c1.array)
        perEvent[OutputKey.c2] = .fourVectors(c2.array)
        perEvent[OutputKey.status] = .ints(status.array)
        let handled = handledFraction(status.array)
        let name = (variable.map { "m2" + $0.rawValue } ?? "m2") + subsystem.keySuffix
        return EstimatorResult(
            method: name, perEvent: perEvent, handledFraction: handled,
            secondsPerEvent: n == 0 ? 0 : seconds / Double(n),
            notes: ["M2 (arXiv:1401.1449): M2XX and M2CX as MT2, M2XC and M2CC by Newton's method on their KKT equations "
                    + "(augmented Lagrangian + GSL vector_bfgs2 as fallback), m_C = \(mC) GeV, pairing \(pairing.rawValue)",
                    "C1, C2 and status from m2\(ansatz.rawValue)"
                    + (pairing == .unknown ? "; per variable the smaller value of the two pairings" : "")])
    }

    /// The antler M2 of every event: `m2` minimises max(M_B1, M_B2) with MET and on-shell
    /// invisibles of mass `mC`; `m2_res` adds (a1 + a2 + q1 + q2)^2 = mD^2 (arXiv:1509.00298)
    /// and is started also from the `m2` solution. `C1`, `C2` (N, 4) and int32 `status`
    /// come from `m2_res`. Masses in GeV. `masses` is empty.
    public static func runAntler(sample: Sample, mC: Double, mD: Double, progress: EventProgress? = nil) throws(M2Error) -> EstimatorResult {
        guard sample.kind == .antler else { throw .wrongTopology(expected: .antler, found: sample.kind) }
        try checkMass("mC", mC)
        try checkMass("mD", mD)
        let a1, a2, met: [Double]
        do {
            try sample.validate(requiring: Key.reconstructed(.antler) + [Key.met])
            a1 = try sample.fourVectors(Key.a1); a2 = try sample.fourVectors(Key.a2)
            met = try sample.transverse(Key.met)
        } catch { throw .sample(error) }
        let n = a1.count / 4
        let m2 = Output<Double>(n, .nan), m2res = Output<Double>(n, .nan)
        let c1 = Output<Double>(4 * n, .nan), c2 = Output<Double>(4 * n, .nan)
        let status = Output<Int32>(n, EventStatus.failed.rawValue)
        deelema_gsl_quiet()
        let clock = Date()
        forEachEvent(n, progress) { solver, i in
            let p = vector(a1, i), q = vector(a2, i)
            let free = solver.solveAntler(a1: p, a2: q, metX: met[2 * i], metY: met[2 * i + 1], mC: mC, resonanceMass: nil)
            let res = solver.solveAntler(a1: p, a2: q, metX: met[2 * i], metY: met[2 * i + 1], mC: mC,
                                         resonanceMass: mD, seedA: M2Solver.point(free))
            m2.buffer[i] = free.value
            m2res.buffer[i] = res.value
            put(res.q1, c1.buffer, i); put(res.q2, c2.buffer, i)
            status.buffer[i] = res.status.rawValue
        }
        let seconds = Date().timeIntervalSince(clock)
        var perEvent = Sample(kind: .antler, provenance: sample.provenance)
        perEvent[OutputKey.m2] = .scalars(m2.array)
        perEvent[OutputKey.m2Res] = .scalars(m2res.array)
        perEvent[OutputKey.c1] = .fourVectors(c1.array)
        perEvent[OutputKey.c2] = .fourVectors(c2.array)
        perEvent[OutputKey.status] = .ints(status.array)
        let handled = handledFraction(status.array)
        return EstimatorResult(
            method: "m2-antler", perEvent: perEvent, handledFraction: handled,
            secondsPerEvent: n == 0 ? 0 : seconds / Double(n),
            notes: ["antler M2 and resonance-constrained M2 (arXiv:1509.00298), m_C = \(mC) GeV, m_D = \(mD) GeV",
                    "C1, C2 and status from m2_res"])
    }

    // MARK: - Per-event work

    /// The visible inputs of one t-tbar-like event.
    struct Event {
        var a1, a2, b1, b2: FourVector
        var metX, metY: Double
        init(_ i: Int, _ a1: [Double], _ a2: [Double], _ b1: [Double], _ b2: [Double], _ met: [Double]) {
            self.a1 = vector(a1, i); self.a2 = vector(a2, i); self.b1 = vector(b1, i); self.b2 = vector(b2, i)
            metX = met[2 * i]; metY = met[2 * i + 1]
        }
    }

    /// Solves one pairing: side 1 is (a1, b) with b = b1 for pairing 0, b2 for pairing 1.
    /// Values are indexed like `M2Variable.allCases` (NaN for variables not computed).
    static func solvePairing(_ s: M2Solver, _ e: Event, _ p: Int32, single: M2Variable?, ansatz: M2Variable,
                             subsystem: M2Subsystem, mC: Double)
        -> (values: SIMD4<Double>, ansatz: M2Solution) {
        let (bA, bB) = p == 0 ? (e.b1, e.b2) : (e.b2, e.b1)
        if let single {
            let r = s.solve(a1: e.a1, b1: bA, a2: e.a2, b2: bB, metX: e.metX, metY: e.metY, mC: mC, variable: single,
                            subsystem: subsystem)
            var v = SIMD4<Double>(repeating: .nan)
            v[single.index] = r.value
            return (v, r)
        }
        let all = s.solveAll(a1: e.a1, b1: bA, a2: e.a2, b2: bB, metX: e.metX, metY: e.metY, mC: mC,
                             subsystem: subsystem)
        let chosen: M2Solution = switch ansatz {
        case .xx: all.xx
        case .cx: all.cx
        case .xc: all.xc
        case .cc: all.cc
        }
        return (SIMD4(all.xx.value, all.cx.value, all.xc.value, all.cc.value), chosen)
    }

    static func solveEvent(_ s: M2Solver, _ e: Event, pairing: PairingMode, truePairing: Int32,
                           single: M2Variable?, ansatz: M2Variable, subsystem: M2Subsystem, mC: Double)
        -> (values: SIMD4<Double>, ansatz: M2Solution) {
        if pairing == .truth { return solvePairing(s, e, truePairing, single: single, ansatz: ansatz, subsystem: subsystem, mC: mC) }
        let r0 = solvePairing(s, e, 0, single: single, ansatz: ansatz, subsystem: subsystem, mC: mC)
        let r1 = solvePairing(s, e, 1, single: single, ansatz: ansatz, subsystem: subsystem, mC: mC)
        var v = r0.values
        for k in 0..<4 where r1.values[k] < v[k] || v[k].isNaN { v[k] = r1.values[k] }
        let useSecond = r1.ansatz.status != .failed && (r0.ansatz.status == .failed || r1.ansatz.value < r0.ansatz.value)
        return (v, useSecond ? r1.ansatz : r0.ansatz)
    }

    // MARK: - Helpers

    /// A per-event output array written from several threads, one writer per index.
    typealias Output<T> = SharedOutput<T>

    /// Runs `body(solver, event)` for every event, in parallel over chunks of events with
    /// one solver (GSL workspace) per chunk, counting each finished event in `progress`.
    static func forEachEvent(_ n: Int, _ progress: EventProgress?, _ body: @Sendable (M2Solver, Int) -> Void) {
        ParallelLoop.forEachChunk(n) { range in
            let solver = M2Solver()
            for i in range {
                body(solver, i)
                progress?.add()
            }
        }
    }

    static func handledFraction(_ status: [Int32]) -> Double {
        status.isEmpty ? 1 : Double(status.filter { $0 != EventStatus.failed.rawValue }.count) / Double(status.count)
    }

    static func checkMass(_ name: String, _ m: Double) throws(M2Error) {
        guard m.isFinite, m >= 0 else { throw .invalidMass(name: name, value: m) }
    }

    @inline(__always) static func vector(_ flat: [Double], _ i: Int) -> FourVector {
        FourVector(e: flat[4 * i], px: flat[4 * i + 1], py: flat[4 * i + 2], pz: flat[4 * i + 3])
    }

    @inline(__always) static func put(_ v: FourVector, _ b: UnsafeMutableBufferPointer<Double>, _ i: Int) {
        b[4 * i] = v.e; b[4 * i + 1] = v.px; b[4 * i + 2] = v.py; b[4 * i + 3] = v.pz
    }
}

extension SharedOutput {
    /// `count` elements, each `fill` (the M2 estimator's spelling).
    convenience init(_ count: Int, _ fill: Element) { self.init(repeating: fill, count: count) }
}

extension M2Variable {
    /// Position in `allCases` (xx 0, cx 1, xc 2, cc 3).
    var index: Int {
        switch self {
        case .xx: 0
        case .cx: 1
        case .xc: 2
        case .cc: 3
        }
    }
}
