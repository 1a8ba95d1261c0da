@testable import Baselines
import Core
import Events
import Foundation
import Testing

/// A missing endpoint estimate comes with a note saying why (`EndpointWindow.endpoint`), and
/// only a missing one does.
@Suite struct EndpointMissingNoteTests {
    /// Values below an endpoint of 100 GeV with a square-root edge: the density of
    /// x = 100 (1 - u^(2/3)) is proportional to (100 - x)^(1/2) near 100.
    static func edge(_ n: Int, seed: UInt32) -> [Double] {
        let r = RandomStream(seed: seed)
        return (0..<n).map { _ in
            let u = r.uniform()
            return 100 * (1 - pow(u, 2.0 / 3.0))
        }
    }

    @Test func noteExactlyWhenNoEstimate() {
        let cases: [(String, [Double]?)] = [
            ("edge", Self.edge(3000, seed: 5)),
            ("all NaN", [Double](repeating: .nan, count: 500)),
            ("no values", nil),
            ("one value repeated", [Double](repeating: 50, count: 1000)),
            ("empty", []),
        ]
        for (label, values) in cases {
            let mass = EndpointWindow.mass(values, name: "M_A", how: "test endpoint fit", bootstrap: 10, seed: 1)
            let note = EndpointWindow.endpoint(values, name: "M_A", how: "test endpoint fit", bootstrap: 10, seed: 1).notes.first
            #expect(mass.isEmpty == (note != nil), "\(label): \(mass) / \(note ?? "no note")")
            if let note { #expect(note.hasPrefix("test endpoint fit gave no M_A: "), "\(label): \(note)") }
        }
        let good = EndpointWindow.mass(Self.edge(3000, seed: 5), name: "M_A", how: "t", bootstrap: 10, seed: 1)
        #expect(abs((good.first?.value ?? 0) - 100) < 3, "\(good)")
        #expect(EndpointWindow.endpoint([Double](repeating: .nan, count: 5), name: "M_B", how: "x", bootstrap: 0, seed: 1).notes
                    == ["x gave no M_B: no finite values (5 events)"])
    }
}
