import Formats
import Generation

extension TruthRecordInfo {
    /// Particle ids and beam energy of a card for the LHE and HepMC3 writers: chain 1 carries the
    /// card's ids, chain 2 their charge conjugates (self-conjugate ids kept).
    public init(card: Card) {
        func id(_ role: Role) -> Int { card.particles[role]?.pdg ?? 0 }
        let chain1 = ChainPDG(A: id(.A), B: id(.B), C: id(.C), a: id(.a), b: id(.b))
        let chain2 = ChainPDG(A: PDG.conjugate(chain1.A), B: PDG.conjugate(chain1.B), C: PDG.conjugate(chain1.C),
                              a: PDG.conjugate(chain1.a), b: PDG.conjugate(chain1.b))
        self.init(sqrtS: card.sqrtS, chain1: chain1, chain2: chain2, D: id(.D),
                  incoming1: card.incoming.first ?? 21, incoming2: card.incoming.dropFirst().first ?? 21)
    }
}
