/// PDG ids of the particles of one decay chain. t-tbar-like: A -> a B, B -> b C.
/// Antler: B -> a C (A and b are not used).
public struct ChainPDG: Sendable, Equatable, Codable {
    public var A: Int, B: Int, C: Int, a: Int, b: Int

    public init(A: Int, B: Int, C: Int, a: Int, b: Int) {
        self.A = A; self.B = B; self.C = C; self.a = a; self.b = b
    }

    /// Every id negated: the charge-conjugate chain (self-conjugate ids such as 22, 23, 25
    /// or Majorana particles must be fixed by hand).
    public var conjugate: ChainPDG { ChainPDG(A: -A, B: -B, C: -C, a: -a, b: -b) }
}

/// What the text formats (LHE, HepMC3) need beyond the arrays: beam energy, particle ids
/// and, if known, the cross section. Chain 1 (the chain of reconstructed a1) is written with
/// `chain1`'s ids and chain 2 with `chain2`'s: the samples do not record which chain was the
/// particle and which the antiparticle, so this labelling is a convention.
public struct TruthRecordInfo: Sendable, Equatable {
    /// Collider energy sqrt(s), GeV; the beams carry sqrt(s)/2 each.
    public var sqrtS: Double
    public var chain1: ChainPDG
    /// Given explicitly (usually `chain1.conjugate`).
    public var chain2: ChainPDG
    /// The common parent of the antler topology (unused for t-tbar-like samples).
    public var D: Int
    /// Incoming partons' ids (e.g. 21, 21), the first moving along +z.
    public var incoming1: Int, incoming2: Int
    /// Id of the ISR recoil jet (`true_isr`), a gluon by default.
    public var isr: Int
    /// Beam particles' ids (protons: 2212).
    public var beam1: Int, beam2: Int
    /// Total cross section in pb and its uncertainty, when known (LHE `<init>`; else 1 and 0).
    public var crossSectionPb: Double?
    public var crossSectionErrorPb: Double

    public init(sqrtS: Double, chain1: ChainPDG, chain2: ChainPDG, D: Int = 0, incoming1: Int = 21, incoming2: Int = 21,
                isr: Int = 21, beam1: Int = 2212, beam2: Int = 2212, crossSectionPb: Double? = nil,
                crossSectionErrorPb: Double = 0) {
        self.sqrtS = sqrtS; self.chain1 = chain1; self.chain2 = chain2; self.D = D
        self.incoming1 = incoming1; self.incoming2 = incoming2; self.isr = isr
        self.beam1 = beam1; self.beam2 = beam2
        self.crossSectionPb = crossSectionPb; self.crossSectionErrorPb = crossSectionErrorPb
    }

    /// gg -> t tbar, t -> b W+, W+ -> e+ nu_e (chain 2 the conjugates).
    public static func ttbarDilepton(sqrtS: Double = 13000, crossSectionPb: Double? = nil) -> TruthRecordInfo {
        let top = ChainPDG(A: 6, B: 24, C: 12, a: 5, b: -11)
        return TruthRecordInfo(sqrtS: sqrtS, chain1: top, chain2: top.conjugate, crossSectionPb: crossSectionPb)
    }

    /// gg -> H -> W+ W-, W+ -> e+ nu_e, W- -> e- nu_e~ (a heavy scalar D = 35).
    public static func scalarToWW(sqrtS: Double = 13000, crossSectionPb: Double? = nil) -> TruthRecordInfo {
        let w = ChainPDG(A: 0, B: 24, C: 12, a: -11, b: 0)
        return TruthRecordInfo(sqrtS: sqrtS, chain1: w, chain2: w.conjugate, D: 35, crossSectionPb: crossSectionPb)
    }
}
