import Core
/// MT2 inputs for many events as structs of arrays (GeV), one element per event.
/// Side 1 is visible 1 (mass `m1`, transverse momentum `(px1, py1)`) with invisible mass
/// `chi1`; likewise side 2; `(metx, mety)` is the missing transverse momentum.
public struct MT2Inputs: Sendable {
    public var m1: [Double], px1: [Double], py1: [Double]
    public var m2: [Double], px2: [Double], py2: [Double]
    public var metx: [Double], mety: [Double]
    public var chi1: [Double], chi2: [Double]

    /// Zero-filled inputs for `count` events.
    public init(count: Int) {
        let z = [Double](repeating: 0, count: count)
        m1 = z; px1 = z; py1 = z; m2 = z; px2 = z; py2 = z; metx = z; mety = z; chi1 = z; chi2 = z
    }

    public var count: Int { m1.count }
}

/// Per-event MT2 results as structs of arrays (GeV): value and minimising momenta.
public struct MT2Solutions: Sendable {
    public var value: [Double]
    public var q1x: [Double], q1y: [Double], q2x: [Double], q2y: [Double]
}

extension MT2 {
    /// MT2 of every event (GeV), in parallel over events.
    public static func values(_ x: MT2Inputs) -> [Double] {
        let n = x.count
        var out = [Double](repeating: .nan, count: n)
        out.withUnsafeMutableBufferPointer { buf in
            nonisolated(unsafe) let o = buf
            ParallelLoop.forEachChunk(n, chunks: 64, minChunk: 256) { range in
                for i in range {
                    o[i] = MT2.value(m1: x.m1[i], px1: x.px1[i], py1: x.py1[i],
                                     m2: x.m2[i], px2: x.px2[i], py2: x.py2[i],
                                     metx: x.metx[i], mety: x.mety[i], chi1: x.chi1[i], chi2: x.chi2[i])
                }
            }
        }
        return out
    }

    /// MT2 and the minimising invisible momenta of every event, in parallel over events.
    public static func solutions(_ x: MT2Inputs) -> MT2Solutions {
        let n = x.count
        var flat = [Double](repeating: .nan, count: 5 * n)
        flat.withUnsafeMutableBufferPointer { buf in
            nonisolated(unsafe) let o = buf
            ParallelLoop.forEachChunk(n, chunks: 64, minChunk: 64) { range in
                for i in range {
                    let s = MT2.compute(m1: x.m1[i], px1: x.px1[i], py1: x.py1[i],
                                        m2: x.m2[i], px2: x.px2[i], py2: x.py2[i],
                                        metx: x.metx[i], mety: x.mety[i], chi1: x.chi1[i], chi2: x.chi2[i])
                    o[i] = s.value; o[n + i] = s.q1x; o[2 * n + i] = s.q1y
                    o[3 * n + i] = s.q2x; o[4 * n + i] = s.q2y
                }
            }
        }
        return MT2Solutions(value: Array(flat[0..<n]), q1x: Array(flat[n..<(2 * n)]),
                            q1y: Array(flat[(2 * n)..<(3 * n)]), q2x: Array(flat[(3 * n)..<(4 * n)]),
                            q2y: Array(flat[(4 * n)..<(5 * n)]))
    }
}
