import Events

/// The PDG ids (absolute values: particle and antiparticle alike) that the importer accepts
/// for each role of a topology. t-tbar-like: A -> a B, B -> b C on both sides; antler:
/// D -> B B, B -> a C.
public struct ImportIDs: Sendable, Equatable {
    public var kind: TopologyKind
    public var A: Set<Int>, B: Set<Int>, C: Set<Int>, a: Set<Int>, b: Set<Int>, D: Set<Int>

    public init(kind: TopologyKind, A: Set<Int> = [], B: Set<Int>, C: Set<Int>, a: Set<Int>, b: Set<Int> = [],
                D: Set<Int> = []) {
        self.kind = kind
        self.A = Set(A.map(abs)); self.B = Set(B.map(abs)); self.C = Set(C.map(abs))
        self.a = Set(a.map(abs)); self.b = Set(b.map(abs)); self.D = Set(D.map(abs))
    }

    /// Replaces the ids of one role ("A", "B", "C", "a", "b", "D").
    public mutating func set(role: String, ids: [Int]) -> Bool {
        let s = Set(ids.map(abs))
        switch role {
        case "A": A = s
        case "B": B = s
        case "C": C = s
        case "a": a = s
        case "b": b = s
        case "D": D = s
        default: return false
        }
        return true
    }

    /// "A=6 B=24 ..." with sorted ids, for the provenance and messages.
    public var summary: String {
        func list(_ s: Set<Int>) -> String { s.sorted().map(String.init).joined(separator: ",") }
        switch kind {
        case .ttbarLike: return "A=\(list(A)) B=\(list(B)) C=\(list(C)) a=\(list(a)) b=\(list(b))"
        case .antler: return "D=\(list(D)) B=\(list(B)) C=\(list(C)) a=\(list(a))"
        }
    }
}

/// Why an event was not imported.
public enum ImportSkipReason: String, Sendable, CaseIterable {
    /// Fewer parents (A, or D for the antler) than the topology needs.
    case missingParent = "missing parent (fewer A / D than the topology has)"
    /// More parents than the topology has (e.g. four tops).
    case extraParent = "more A / D than the topology has"
    /// A parent decays to something else than the listed a B (antler: D to other than B B).
    case parentDecay = "A / D decay not to the listed daughters"
    /// B decays to something else than the listed b C (antler: a C), e.g. hadronic or tau.
    case intermediateDecay = "B decay mode not listed (e.g. hadronic or tau)"
    /// `--isr`: no visible particle besides the chains to make the recoil jet of.
    case noRecoil = "no recoil (--isr) besides the chains"

    /// A short key for the provenance (`skipped_<key>`).
    public var key: String {
        switch self {
        case .missingParent: "missing_parent"
        case .extraParent: "extra_parent"
        case .parentDecay: "parent_decay"
        case .intermediateDecay: "intermediate_decay"
        case .noRecoil: "no_recoil"
        }
    }
}

/// Finds the decay chains of a topology in a generator event from the PDG ids and mother
/// links, and writes the truth four-vectors (E, px, py, pz; GeV) in the order of
/// `Key.truth(kind)` (+ `true_isr` when `recoil`), chain 1 the first chain in the record.
///
/// Copies: showers record a particle several times (t -> t g, recoil copies); a parent's decay
/// is taken at its last copy (the one with no child of the same id), and that copy's momentum
/// is the truth of A, B and D. Decay products (a, b, C) are taken where they are produced,
/// before any radiation of their own, so four-momentum balances at each truth vertex as far
/// as the record does.
///
/// Recoil (`recoil` true): the sum of the final-state (status 1) particles that are neither in
/// the chains nor descended from them, nor invisible (neutrinos 12, 14, 16 and the C ids).
public struct ChainMatcher: Sendable {
    public let ids: ImportIDs
    public let recoil: Bool
    /// Truth four-vectors per event.
    public var roles: Int { Key.truth(ids.kind).count + (recoil ? 1 : 0) }

    public init(ids: ImportIDs, recoil: Bool) { self.ids = ids; self.recoil = recoil }

    /// Children by parent position (1-based), rebuilt per event.
    final class Scratch: @unchecked Sendable {
        var first: [Int] = []
        var next: [Int] = []
        var inChain: [Bool] = []
    }

    private let scratch = Scratch()

    /// Matches `event`; on success writes `roles` four-vectors to `out` and returns nil, else the reason.
    public func match(_ event: GenEvent, into out: UnsafeMutablePointer<Double>) -> ImportSkipReason? {
        let ps = event.particles
        let n = ps.count
        let s = scratch
        // Singly linked children lists: first[m] = first child of m, next[c] = next sibling.
        s.first.removeAll(keepingCapacity: true); s.first.append(contentsOf: repeatElement(0, count: n + 1))
        s.next.removeAll(keepingCapacity: true); s.next.append(contentsOf: repeatElement(0, count: n + 1))
        for c in stride(from: n, through: 1, by: -1) {
            let p = ps[c - 1]
            if p.mother1 > 0 && p.mother2 <= p.mother1 {
                s.next[c] = s.first[p.mother1]; s.first[p.mother1] = c
            } else if p.mother1 > 0 {
                // Several mothers (the hard process): listed under the first only; no decay has two.
                s.next[c] = s.first[p.mother1]; s.first[p.mother1] = c
            }
        }
        func children(_ m: Int) -> [Int] {
            var r: [Int] = [], c = s.first[m]
            while c != 0 { r.append(c); c = s.next[c] }
            return r
        }
        func lastCopy(_ k: Int) -> Int {
            var k = k, steps = 0
            while steps < 1000, let c = children(k).first(where: { ps[$0 - 1].pdg == ps[k - 1].pdg }) { k = c; steps += 1 }
            return k
        }
        func isLastCopy(_ k: Int) -> Bool { !children(k).contains { ps[$0 - 1].pdg == ps[k - 1].pdg } }
        func daughter(_ m: Int, in set: Set<Int>, excluding: Int = 0) -> Int? {
            children(m).first { $0 != excluding && set.contains(abs(ps[$0 - 1].pdg)) }
        }
        // Chain i's particle of a role pair goes to the role of chain 1 plus i (pairs are adjacent).
        func store<R: EventRole>(_ role: R, chain i: Int = 0, _ k: Int) {
            let p = ps[k - 1], o = out + 4 * (role.rawValue + i)
            o[0] = p.e; o[1] = p.px; o[2] = p.py; o[3] = p.pz
        }
        var chain: [Int] = []
        switch ids.kind {
        case .ttbarLike:
            let parents = (1...max(n, 1)).filter { $0 <= n && ids.A.contains(abs(ps[$0 - 1].pdg)) && isLastCopy($0) }
            if parents.count < 2 { return .missingParent }
            if parents.count > 2 { return .extraParent }
            for (i, A) in parents.enumerated() {
                guard let a = daughter(A, in: ids.a), let B0 = daughter(A, in: ids.B, excluding: a) else { return .parentDecay }
                let B = lastCopy(B0)
                guard let b = daughter(B, in: ids.b), let C = daughter(B, in: ids.C, excluding: b) else { return .intermediateDecay }
                store(TTbarTruth.A1, chain: i, A); store(TTbarTruth.B1, chain: i, B); store(TTbarTruth.C1, chain: i, C)
                store(TTbarTruth.a1, chain: i, a); store(TTbarTruth.b1, chain: i, b)
                chain += [A, B0, B, a, b, C]
            }
        case .antler:
            let parents = (1...max(n, 1)).filter { $0 <= n && ids.D.contains(abs(ps[$0 - 1].pdg)) && isLastCopy($0) }
            if parents.isEmpty { return .missingParent }
            if parents.count > 1 { return .extraParent }
            let D = parents[0]
            let bs = children(D).filter { ids.B.contains(abs(ps[$0 - 1].pdg)) }
            guard bs.count == 2 else { return .parentDecay }
            store(AntlerTruth.D, D)
            chain.append(D)
            for (i, B0) in bs.enumerated() {
                let B = lastCopy(B0)
                guard let a = daughter(B, in: ids.a), let C = daughter(B, in: ids.C, excluding: a) else { return .intermediateDecay }
                store(AntlerTruth.B1, chain: i, B); store(AntlerTruth.C1, chain: i, C)
                store(AntlerTruth.a1, chain: i, a)
                chain += [B0, B, a, C]
            }
        }
        guard recoil else { return nil }
        // Mark the chains and everything descended from them (mothers precede daughters).
        s.inChain.removeAll(keepingCapacity: true); s.inChain.append(contentsOf: repeatElement(false, count: n + 1))
        for k in chain { s.inChain[k] = true }
        var sum = (0.0, 0.0, 0.0, 0.0), any = false
        for k in 1...n {
            let p = ps[k - 1]
            if !s.inChain[k] && p.mother1 > 0 {
                let hi = max(p.mother1, p.mother2)
                for m in p.mother1...min(hi, n) where s.inChain[m] { s.inChain[k] = true; break }
            }
            let id = abs(p.pdg)
            guard p.status == 1, !s.inChain[k], id != 12, id != 14, id != 16, !ids.C.contains(id) else { continue }
            sum.0 += p.e; sum.1 += p.px; sum.2 += p.py; sum.3 += p.pz; any = true
        }
        guard any, sum.0 > 0 else { return .noRecoil }
        let o = out + 4 * (ids.kind == .ttbarLike ? TTbarTruth.isr.rawValue : AntlerTruth.isr.rawValue)
        o[0] = sum.0; o[1] = sum.1; o[2] = sum.2; o[3] = sum.3
        return nil
    }
}
