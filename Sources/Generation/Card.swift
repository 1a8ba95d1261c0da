import Events

/// A particle role in a decay chain (docs/physics.md#topologies): t-tbar-like chains
/// A -> a B, B -> b C; antler D -> B1 B2, B -> a C. Chain 1 holds particles,
/// chain 2 their antiparticles (`PDG.conjugate`).
public enum Role: String, Sendable, CaseIterable, Codable {
    case D, A, B, C, a, b

    /// Whether the role is an unstable parent that may carry a width.
    public var mayHaveWidth: Bool { self == .D || self == .A || self == .B }

    /// The roles a card of `kind` must define, in card order.
    public static func required(for kind: TopologyKind) -> [Role] {
        switch kind {
        case .ttbarLike: [.A, .B, .C, .a, .b]
        case .antler: [.D, .B, .C, .a]
        }
    }
}

/// One particle of a card: PDG id (chain 1), pole mass and total width in GeV.
public struct ParticleSpec: Sendable, Equatable, Codable {
    /// PDG Monte Carlo id of the chain-1 particle; chain 2 uses `PDG.conjugate(pdg)`.
    public var pdg: Int
    /// Pole mass (GeV), >= 0.
    public var mass: Double
    /// Total width (GeV), >= 0; 0 means on shell.
    public var width: Double

    public init(pdg: Int, mass: Double, width: Double = 0) {
        self.pdg = pdg; self.mass = mass; self.width = width
    }
}

/// How the produced system is made (docs/physics.md#production).
public enum ProductionModel: String, Sendable, Codable, CaseIterable {
    /// A heavy coloured pair A A-bar from gg and q q-bar at LO (Nason-Dawson-Ellis).
    case colouredPair = "coloured-pair"
    /// A single s-channel resonance D from gluon fusion, Breit-Wigner in shat.
    case sChannel = "s-channel"
}

/// Which parton densities the production model reads.
public enum PartonDensitySet: String, Sendable, Codable, CaseIterable {
    /// GRV 94 LO (`GRV94LO`): the published leading-order set, gluon, valence and sea quarks.
    case grv94lo
    /// The toy parametrisation x g(x) = gluonNorm (1 - x)^gluonPower and an effective quark
    /// luminosity density x q(x) = quarkNorm (1 - x)^quarkPower: fast and simple, not a fit;
    /// far too hard at small x for LHC kinematics.
    case toy
}

/// The parton densities of the production model and their factorisation scale.
public struct PartonDensities: Sendable, Equatable, Codable {
    /// The set (card key `production.pdf`; default GRV 94 LO).
    public var set: PartonDensitySet
    /// A fixed factorisation scale mu_F (GeV, card key `production.scale`); nil: the pair's mass
    /// scale m_A for pair production, the event's sqrt(shat) for an s-channel resonance.
    public var scale: Double?
    /// Toy set only: x g = gluonNorm (1 - x)^gluonPower (summed over flavours for quarks).
    public var gluonNorm: Double
    public var gluonPower: Double
    public var quarkNorm: Double
    public var quarkPower: Double

    /// Defaults: GRV 94 LO at the default scale. The toy parameters default to
    /// x g = 3 (1 - x)^5 (gluons carry half the proton momentum), x q = 0.6 (1 - x)^3.
    public init(set: PartonDensitySet = .grv94lo, scale: Double? = nil, gluonNorm: Double = 3, gluonPower: Double = 5,
                quarkNorm: Double = 0.6, quarkPower: Double = 3) {
        self.set = set; self.scale = scale
        self.gluonNorm = gluonNorm; self.gluonPower = gluonPower
        self.quarkNorm = quarkNorm; self.quarkPower = quarkPower
    }

    /// The toy densities with the given parameters.
    public static func toy(gluonNorm: Double = 3, gluonPower: Double = 5, quarkNorm: Double = 0.6,
                           quarkPower: Double = 3) -> PartonDensities {
        PartonDensities(set: .toy, gluonNorm: gluonNorm, gluonPower: gluonPower, quarkNorm: quarkNorm,
                        quarkPower: quarkPower)
    }
}

/// The polar angle of a produced pair in its rest frame (card key `production.angles`).
public enum ProductionAngles: String, Sendable, Codable, CaseIterable {
    /// The leading-order d sigma / d cos theta of gg and q q-bar (`PairProductionAngle`); the
    /// default for coloured pairs.
    case leadingOrder = "lo"
    /// Flat in cos theta (the only choice for a scalar s-channel resonance, whose decay is isotropic).
    case isotropic
}

/// The angular distribution of the second decay B -> b C (card key `decays.model`).
public enum DecayAngles: String, Sendable, Codable, CaseIterable {
    /// Isotropic in every rest frame (the default; the honest choice where the spins are unknown).
    case isotropic
    /// V-A: a fermion A decaying to a W-like B, B -> b C with the helicity fractions of a top
    /// decay (`WHelicity`); t-tbar-like cards only.
    case vMinusA = "v-a"
}

/// Initial-state radiation model: the produced system gets a transverse kick pT drawn from
/// dP/dpT = 2 pT pt0^2 / (pT^2 + pt0^2)^2 truncated at `ptMax` (GeV), uniform azimuth; a
/// massless recoil jet with the system's rapidity carries -pT.
public struct ISRSettings: Sendable, Equatable, Codable {
    /// Whether ISR is on by default for this card (the pipeline may override).
    public var enabled: Bool
    /// Scale of the pT spectrum (GeV): the median kick for ptMax -> infinity.
    public var pt0: Double
    /// Largest kick (GeV).
    public var ptMax: Double

    public init(enabled: Bool = false, pt0: Double = 30, ptMax: Double = 1000) {
        self.enabled = enabled; self.pt0 = pt0; self.ptMax = ptMax
    }
}

/// Detector acceptance cuts (docs/physics.md#acceptance); a card may override any of them.
public struct AcceptanceCuts: Sendable, Equatable, Codable {
    /// Largest |pseudorapidity| of a visible object.
    public var etaMax: Double
    /// Smallest jet pT (GeV).
    public var jetPtMin: Double
    /// Smallest lepton (and photon) pT (GeV).
    public var leptonPtMin: Double

    public init(etaMax: Double = 2.5, jetPtMin: Double = 20, leptonPtMin: Double = 10) {
        self.etaMax = etaMax; self.jetPtMin = jetPtMin; self.leptonPtMin = leptonPtMin
    }
}

/// A decoded topology card (`topologies/NAME.toml`, schema in topologies/README.md):
/// plain values, nothing downstream reads TOML.
public struct Card: Sendable, Equatable {
    /// Card name (file stem).
    public var name: String
    /// Free text.
    public var description: String
    public var topology: TopologyKind
    /// Collider energy sqrt(s) (GeV).
    public var sqrtS: Double
    public var model: ProductionModel
    /// PDG ids of the two incoming partons written to event records (e.g. [21, 21]).
    public var incoming: [Int]
    public var densities: PartonDensities
    /// Polar angle of the produced pair in its rest frame.
    public var angles: ProductionAngles
    /// Angular distribution of B -> b C.
    public var decays: DecayAngles
    /// Particles by role; holds exactly `Role.required(for: topology)`.
    public var particles: [Role: ParticleSpec]
    public var isr: ISRSettings
    public var cuts: AcceptanceCuts
    /// Command-line changes applied after decoding (`KEY=VALUE`, in order; `applying(_:)`),
    /// recorded for the provenance; the digest already follows the changed values.
    public var overrides: [String] = []

    public init(name: String, description: String = "", topology: TopologyKind, sqrtS: Double = 13000,
                model: ProductionModel, incoming: [Int] = [21, 21], densities: PartonDensities = .init(),
                angles: ProductionAngles? = nil, decays: DecayAngles = .isotropic,
                particles: [Role: ParticleSpec], isr: ISRSettings = .init(), cuts: AcceptanceCuts = .init()) {
        self.name = name; self.description = description; self.topology = topology; self.sqrtS = sqrtS
        self.model = model; self.incoming = incoming; self.densities = densities
        self.angles = angles ?? (model == .colouredPair ? .leadingOrder : .isotropic)
        self.decays = decays; self.particles = particles
        self.isr = isr; self.cuts = cuts
    }

    /// The particle of `role`. Only valid for roles of this card's topology.
    public func particle(_ role: Role) -> ParticleSpec {
        guard let p = particles[role] else {
            preconditionFailure("card '\(name)' has no role \(role.rawValue) (topology \(topology.rawValue))")
        }
        return p
    }

    /// Pole mass of `role` (GeV).
    public func mass(_ role: Role) -> Double { particle(role).mass }

    /// Stable content digest (FNV-1a 64 over a canonical rendering of every decoded value,
    /// hex): equal for cards that decode to the same values, whatever the comments or layout.
    public var digest: String {
        var text = "topology=\(topology.rawValue);sqrt_s=\(sqrtS.bitPattern);model=\(model.rawValue);"
        text += "incoming=\(incoming);pdf=\(densities.set.rawValue),\((densities.scale ?? -1).bitPattern),"
        text += "\(densities.gluonNorm.bitPattern),\(densities.gluonPower.bitPattern),"
        text += "\(densities.quarkNorm.bitPattern),\(densities.quarkPower.bitPattern);"
        text += "angles=\(angles.rawValue);decays=\(decays.rawValue);"
        for role in Role.allCases {
            guard let p = particles[role] else { continue }
            text += "\(role.rawValue)=\(p.pdg),\(p.mass.bitPattern),\(p.width.bitPattern);"
        }
        text += "isr=\(isr.enabled),\(isr.pt0.bitPattern),\(isr.ptMax.bitPattern);"
        text += "cuts=\(cuts.etaMax.bitPattern),\(cuts.jetPtMin.bitPattern),\(cuts.leptonPtMin.bitPattern)"
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text.utf8 {
            h ^= UInt64(byte)
            h = h &* 0x0000_0100_0000_01B3
        }
        let hex = String(h, radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }
}
