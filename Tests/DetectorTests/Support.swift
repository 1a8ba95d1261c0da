import Events
import Foundation
import TestSupport
@testable import Generation

let topologiesFolder = RepositoryPaths.topologies

func card(_ name: String) throws -> Card { try Card.load(nameOrPath: name, directory: topologiesFolder) }

/// n truth events of the `ttbar` card with ISR (roles: A1 A2 B1 B2 C1 C2 a1 a2 b1 b2 isr).
func ttbarTruth(_ n: Int, rng: inout EventRandom) throws -> EventBuffer {
    let gen = TruthGenerator(card: try card("ttbar"), isr: true)
    let buf = EventBuffer(roles: gen.roleCount, capacity: n)
    _ = gen.fill(buf, range: 0..<n, rng: &rng)
    return buf
}

/// Row i of a flat (N, 4) array.
func row(_ a: [Double], _ i: Int) -> (Double, Double, Double, Double) { (a[4 * i], a[4 * i + 1], a[4 * i + 2], a[4 * i + 3]) }

func pt(_ v: (Double, Double, Double, Double)) -> Double { (v.1 * v.1 + v.2 * v.2).squareRoot() }

/// Mean and standard deviation.
func moments(_ x: [Double]) -> (mean: Double, sd: Double) {
    let n = Double(x.count)
    let m = x.reduce(0, +) / n
    let v = x.reduce(0) { $0 + ($1 - m) * ($1 - m) } / (n - 1)
    return (m, v.squareRoot())
}
