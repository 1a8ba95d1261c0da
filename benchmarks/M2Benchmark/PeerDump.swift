import Baselines
import Events
import Foundation
import Kinematics

/// Writes the four visibles, MET and m_C of each fixture event (true pairing) with the four M2
/// variables of `M2Solver` (Newton path, (ab) subsystem) as CSV, the input of the YAM2 peer
/// (`benchmarks/yam2_peer`). The first line is a comment with this process's CPU time per
/// event of `solveAll`, so that both tools are timed on the same events minutes apart.
func peerDump(_ name: String, n: Int, to path: String) throws {
    guard let (s, mC) = fixture(name, n: n) else { throw CocoaError(.featureUnsupported) }
    let events = try (0..<s.count).map { try paired(s, $0) }
    let solver = M2Solver(method: .newton)
    var values: [(Double, Double, Double, Double)] = []
    values.reserveCapacity(events.count)
    let c0 = threadCPUSeconds()
    for e in events {
        let r = solver.solveAll(a1: e.0, b1: e.1, a2: e.2, b2: e.3, metX: e.4, metY: e.5, mC: mC)
        values.append((r.xx.value, r.cx.value, r.xc.value, r.cc.value))
    }
    let cpu = (threadCPUSeconds() - c0) / Double(max(events.count, 1)) * 1e6
    var text = String(format: "# deelema M2Solver newton solveAll (ab): %.2f us/event CPU, %d events, fixture %@\n",
                      cpu, events.count, name)
    text += "a1e,a1x,a1y,a1z,b1e,b1x,b1y,b1z,a2e,a2x,a2y,a2z,b2e,b2x,b2y,b2z,metx,mety,mc,m2xx,m2cx,m2xc,m2cc\n"
    for (i, e) in events.enumerated() {
        var f: [Double] = []
        for v in [e.0, e.1, e.2, e.3] { f += [v.e, v.px, v.py, v.pz] }
        f += [e.4, e.5, mC, values[i].0, values[i].1, values[i].2, values[i].3]
        text += f.map { String(format: "%.17g", $0) }.joined(separator: ",") + "\n"
    }
    try text.write(toFile: path, atomically: true, encoding: .utf8)
    print(String(format: "%@: %d events, deelema solveAll %.2f us/event CPU -> %@", name, events.count, cpu, path))
}
