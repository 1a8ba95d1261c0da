/// Leading-colour tags (LHE ICOLUP) for the truth record, where the event is one of the
/// simple configurations this testbed produces; otherwise every tag is left 0.
///
/// Supported: incoming gg, q qbar or qbar q; a produced system of colour singlets (e.g. a
/// Higgs-like D, or colourless A) or one triplet-antitriplet pair (t tbar, squark pairs);
/// an optional ISR gluon; decays in which a coloured parent passes its tags to the one
/// daughter of the same colour representation while the others are singlets (t -> b W,
/// stop -> b chargino), singlet parents having singlet daughters. Anything else (gluinos,
/// coloured daughters of singlets, quark ISR) gets no colour tags.
enum ColourFlow {
    enum Rep { case singlet, triplet, antitriplet, octet }

    /// Colour representation of a PDG id: quarks and squarks triplets (antiparticles anti-
    /// triplets), gluon and gluino octets, all else singlets.
    static func rep(_ pdg: Int) -> Rep {
        let a = abs(pdg)
        if a == 21 || a == 1_000_021 { return .octet }
        let quark = (1...6).contains(a) || (1_000_001...1_000_006).contains(a) || (2_000_001...2_000_006).contains(a)
        if quark { return pdg > 0 ? .triplet : .antitriplet }
        return .singlet
    }

    /// Fills the colour tags of `particles` (indices 0 and 1 the incoming partons, 1-based mothers).
    static func assign(_ particles: inout [TruthParticle]) {
        if !tryAssign(&particles) {
            for i in particles.indices { particles[i].colour = 0; particles[i].anticolour = 0 }
        }
    }

    private static func tryAssign(_ ps: inout [TruthParticle]) -> Bool {
        guard ps.count > 2, ps[0].status == -1, ps[1].status == -1 else { return false }
        let hard = ps.indices.filter { $0 > 1 && ps[$0].mother1 == 1 && ps[$0].mother2 == 2 }
        let isr = hard.filter { ps[$0].status == 1 }
        let system = hard.filter { ps[$0].status != 1 }
        guard isr.count <= 1 else { return false }
        if let g = isr.first, rep(ps[g].pdg) != .octet { return false }
        let reps = system.map { rep(ps[$0].pdg) }
        var triplet: Int? = nil, antitriplet: Int? = nil
        if reps.allSatisfy({ $0 == .singlet }) {
        } else if reps.count == 2, Set(reps) == [.triplet, .antitriplet] {
            triplet = system[reps.firstIndex(of: .triplet)!]
            antitriplet = system[reps.firstIndex(of: .antitriplet)!]
        } else {
            return false
        }
        func set(_ i: Int, _ c: Int, _ a: Int) { ps[i].colour = c; ps[i].anticolour = a }
        let r0 = rep(ps[0].pdg), r1 = rep(ps[1].pdg)
        let g = isr.first
        if r0 == .octet, r1 == .octet {
            switch (triplet, antitriplet, g) {
            case (nil, _, nil): set(0, 501, 502); set(1, 502, 501)
            case (nil, _, let g?): set(0, 501, 502); set(1, 503, 501); set(g, 503, 502)
            case (let t?, let tb?, nil): set(0, 501, 502); set(1, 502, 503); set(t, 501, 0); set(tb, 0, 503)
            case (let t?, let tb?, let g?):
                set(0, 501, 502); set(1, 504, 503); set(g, 504, 502); set(t, 501, 0); set(tb, 0, 503)
            default: return false
            }
        } else if Set([r0, r1]) == [.triplet, .antitriplet] {
            let q = r0 == .triplet ? 0 : 1, qb = 1 - q
            switch (triplet, antitriplet, g) {
            case (nil, _, nil): set(q, 501, 0); set(qb, 0, 501)
            case (nil, _, let g?): set(q, 501, 0); set(qb, 0, 502); set(g, 501, 502)
            case (let t?, let tb?, nil): set(q, 501, 0); set(qb, 0, 502); set(t, 501, 0); set(tb, 0, 502)
            case (let t?, let tb?, let g?):
                set(q, 501, 0); set(qb, 0, 502); set(g, 501, 503); set(t, 503, 0); set(tb, 0, 502)
            default: return false
            }
        } else {
            return false
        }
        // Decays: the daughter sharing the parent's representation inherits its tags.
        for m in ps.indices where m > 1 && ps[m].status == 2 {
            let daughters = ps.indices.filter { ps[$0].mother1 == m + 1 && ps[$0].mother2 == m + 1 }
            let parentRep = rep(ps[m].pdg)
            let same = daughters.filter { rep(ps[$0].pdg) == parentRep }
            let others = daughters.filter { rep(ps[$0].pdg) != parentRep }
            guard others.allSatisfy({ rep(ps[$0].pdg) == .singlet }) else { return false }
            if parentRep == .singlet { continue }
            guard same.count == 1 else { return false }
            set(same[0], ps[m].colour, ps[m].anticolour)
        }
        return true
    }
}
