import Events
import TOMLKit

/// Strict reader over one TOML table: every key read is recorded, and `finish()` rejects
/// the keys nobody asked for. Errors carry the file and the dotted key path.
final class TableReader {
    let table: TOMLTable
    let file: String
    let prefix: String
    private var used: Set<String> = []

    init(_ table: TOMLTable, file: String, prefix: String) {
        self.table = table; self.file = file; self.prefix = prefix
    }

    func path(_ key: String) -> String { prefix.isEmpty ? key : "\(prefix).\(key)" }

    func fail(_ key: String, _ reason: String) -> CardError {
        CardError(file: file, key: path(key), reason: reason)
    }

    private func value(_ key: String) -> (any TOMLValueConvertible)? {
        used.insert(key)
        return table[key]
    }

    /// Whether the key is present (not recorded as read).
    func has(_ key: String) -> Bool { table[key] != nil }

    /// A float; TOML integers are accepted for float keys (`mass = 0`).
    func double(_ key: String, default fallback: Double? = nil) throws(CardError) -> Double {
        guard let v = value(key) else {
            if let fallback { return fallback }
            throw fail(key, "missing (a number is required)")
        }
        if let d = v.double { return d }
        if let i = v.int { return Double(i) }
        throw fail(key, "expected a number, found \(v.type)")
    }

    func int(_ key: String) throws(CardError) -> Int {
        guard let v = value(key) else { throw fail(key, "missing (an integer is required)") }
        guard let i = v.int else { throw fail(key, "expected an integer, found \(v.type)") }
        return i
    }

    func string(_ key: String, default fallback: String? = nil) throws(CardError) -> String {
        guard let v = value(key) else {
            if let fallback { return fallback }
            throw fail(key, "missing (a string is required)")
        }
        guard let s = v.string else { throw fail(key, "expected a string, found \(v.type)") }
        return s
    }

    func bool(_ key: String, default fallback: Bool) throws(CardError) -> Bool {
        guard let v = value(key) else { return fallback }
        guard let b = v.bool else { throw fail(key, "expected true or false, found \(v.type)") }
        return b
    }

    func intArray(_ key: String, count: Int, default fallback: [Int]) throws(CardError) -> [Int] {
        guard let v = value(key) else { return fallback }
        guard let array = v.array else { throw fail(key, "expected an array of \(count) integers, found \(v.type)") }
        var out: [Int] = []
        for element in array {
            guard let i = element.int else { throw fail(key, "expected integers, found \(element.type)") }
            out.append(i)
        }
        guard out.count == count else { throw fail(key, "expected \(count) integers, found \(out.count)") }
        return out
    }

    /// A sub-table, or nil when absent and optional.
    func table(_ key: String, required: Bool) throws(CardError) -> TableReader? {
        guard let v = value(key) else {
            if required { throw fail(key, "missing table") }
            return nil
        }
        guard let t = v.table else { throw fail(key, "expected a table, found \(v.type)") }
        return TableReader(t, file: file, prefix: path(key))
    }

    /// Throws for the first key present in the table that was never read.
    func finish() throws(CardError) {
        for key in table.keys.sorted() where !used.contains(key) {
            throw fail(key, "unknown key")
        }
    }
}

extension Card {
    /// Decodes a card from TOML text. `file` names the source in errors; `name` is the card
    /// name (file stem). Strict: malformed TOML, unknown or missing keys, wrong types,
    /// negative masses or widths and kinematically forbidden chains all throw `CardError`.
    public static func decode(toml text: String, name: String, file: String) throws(CardError) -> Card {
        let root: TOMLTable
        do {
            root = try TOMLTable(string: text)
        } catch let e as TOMLParseError {
            throw CardError(file: file, key: "", reason: "malformed TOML: \(e.description) (\(e.source.debugDescription))")
        } catch {
            throw CardError(file: file, key: "", reason: "malformed TOML: \(error)")
        }
        let top = TableReader(root, file: file, prefix: "")
        let topologyName = try top.string("topology")
        guard let topology = TopologyKind(rawValue: topologyName) else {
            throw top.fail("topology", "unknown topology '\(topologyName)' (expected \(TopologyKind.allCases.map(\.rawValue)))")
        }
        let description = try top.string("description", default: "")
        let sqrtS = try top.double("sqrt_s", default: 13000)
        guard sqrtS > 0, sqrtS.isFinite else { throw top.fail("sqrt_s", "must be a positive number of GeV, found \(sqrtS)") }

        guard let prod = try top.table("production", required: true) else { throw top.fail("production", "missing table") }
        let modelName = try prod.string("model")
        guard let model = ProductionModel(rawValue: modelName) else {
            throw prod.fail("model", "unknown model '\(modelName)' (expected \(ProductionModel.allCases.map(\.rawValue)))")
        }
        let expected: ProductionModel = topology == .ttbarLike ? .colouredPair : .sChannel
        guard model == expected else {
            throw prod.fail("model", "topology \(topology.rawValue) needs model '\(expected.rawValue)'")
        }
        let incoming = try prod.intArray("incoming", count: 2, default: [21, 21])
        let pdfName = try prod.string("pdf", default: PartonDensitySet.grv94lo.rawValue)
        guard let pdf = PartonDensitySet(rawValue: pdfName) else {
            throw prod.fail("pdf", "unknown parton density set '\(pdfName)' (expected \(PartonDensitySet.allCases.map(\.rawValue)))")
        }
        var densities = PartonDensities(set: pdf)
        if prod.has("scale") {
            let scale = try prod.double("scale")
            guard scale > 1, scale.isFinite else { throw prod.fail("scale", "must be a factorisation scale > 1 GeV, found \(scale)") }
            guard pdf == .grv94lo else { throw prod.fail("scale", "only the GRV 94 LO densities depend on a scale (pdf = \"\(pdfName)\")") }
            densities.scale = scale
        }
        let toyKeys = ["gluon_norm", "gluon_power", "quark_norm", "quark_power"]
        if pdf == .toy {
            let d = PartonDensities.toy()
            densities = .toy(gluonNorm: try prod.double("gluon_norm", default: d.gluonNorm),
                             gluonPower: try prod.double("gluon_power", default: d.gluonPower),
                             quarkNorm: try prod.double("quark_norm", default: d.quarkNorm),
                             quarkPower: try prod.double("quark_power", default: d.quarkPower))
            for (key, v) in [("gluon_norm", densities.gluonNorm), ("quark_norm", densities.quarkNorm)] where !(v >= 0 && v.isFinite) {
                throw prod.fail(key, "must be >= 0, found \(v)")
            }
            for (key, v) in [("gluon_power", densities.gluonPower), ("quark_power", densities.quarkPower)] where !(v >= 0 && v.isFinite) {
                throw prod.fail(key, "must be >= 0, found \(v)")
            }
            if model == .sChannel { densities.quarkNorm = 0 }
            guard densities.gluonNorm + densities.quarkNorm > 0 else {
                throw prod.fail("gluon_norm", "all parton densities are zero")
            }
        } else if let key = toyKeys.first(where: { prod.has($0) }) {
            throw prod.fail(key, "a parameter of the toy densities; set pdf = \"toy\" to use them")
        }
        let defaultAngles: ProductionAngles = model == .colouredPair ? .leadingOrder : .isotropic
        let anglesName = try prod.string("angles", default: defaultAngles.rawValue)
        guard let angles = ProductionAngles(rawValue: anglesName) else {
            throw prod.fail("angles", "unknown angular model '\(anglesName)' (expected \(ProductionAngles.allCases.map(\.rawValue)))")
        }
        guard model == .colouredPair || angles == .isotropic else {
            throw prod.fail("angles", "an s-channel scalar decays isotropically: use \"isotropic\"")
        }
        try prod.finish()

        guard let parts = try top.table("particles", required: true) else { throw top.fail("particles", "missing table") }
        var particles: [Role: ParticleSpec] = [:]
        for role in Role.required(for: topology) {
            guard let p = try parts.table(role.rawValue, required: true) else { continue }
            let pdg = try p.int("pdg")
            let mass = try p.double("mass")
            guard mass >= 0, mass.isFinite else { throw p.fail("mass", "must be >= 0 GeV, found \(mass)") }
            var width = 0.0
            if role.mayHaveWidth {
                width = try p.double("width", default: 0)
                guard width >= 0, width.isFinite else { throw p.fail("width", "negative or non-finite width \(width) GeV") }
            }
            if role == .a || role == .b, PDG.visibleClass(pdg) == nil {
                throw p.fail("pdg", "visible particle id \(pdg) has no detector response (use quarks 1-5, 21, 11, 13, 15 or 22)")
            }
            try p.finish()
            particles[role] = ParticleSpec(pdg: pdg, mass: mass, width: width)
        }
        try parts.finish()

        var decays = DecayAngles.isotropic
        if let t = try top.table("decays", required: false) {
            let name = try t.string("model", default: DecayAngles.isotropic.rawValue)
            guard let d = DecayAngles(rawValue: name) else {
                throw t.fail("model", "unknown decay model '\(name)' (expected \(DecayAngles.allCases.map(\.rawValue)))")
            }
            guard d == .isotropic || topology == .ttbarLike else {
                throw t.fail("model", "V-A decays need a t-tbar-like chain A -> a B, B -> b C")
            }
            decays = d
            try t.finish()
        }

        let defaultISR = ISRSettings()
        var isr = defaultISR
        if let t = try top.table("isr", required: false) {
            isr = ISRSettings(enabled: try t.bool("enabled", default: defaultISR.enabled),
                              pt0: try t.double("pt0", default: defaultISR.pt0),
                              ptMax: try t.double("pt_max", default: defaultISR.ptMax))
            guard isr.pt0 > 0, isr.pt0.isFinite else { throw t.fail("pt0", "must be > 0 GeV, found \(isr.pt0)") }
            guard isr.ptMax > 0, isr.ptMax.isFinite else { throw t.fail("pt_max", "must be > 0 GeV, found \(isr.ptMax)") }
            try t.finish()
        }
        let defaultCuts = AcceptanceCuts()
        var cuts = defaultCuts
        if let t = try top.table("cuts", required: false) {
            cuts = AcceptanceCuts(etaMax: try t.double("eta_max", default: defaultCuts.etaMax),
                                  jetPtMin: try t.double("jet_pt_min", default: defaultCuts.jetPtMin),
                                  leptonPtMin: try t.double("lepton_pt_min", default: defaultCuts.leptonPtMin))
            guard cuts.etaMax > 0, !cuts.etaMax.isNaN else { throw t.fail("eta_max", "must be > 0, found \(cuts.etaMax)") }
            guard cuts.jetPtMin >= 0, cuts.jetPtMin.isFinite else { throw t.fail("jet_pt_min", "must be >= 0 GeV") }
            guard cuts.leptonPtMin >= 0, cuts.leptonPtMin.isFinite else { throw t.fail("lepton_pt_min", "must be >= 0 GeV") }
            try t.finish()
        }
        try top.finish()

        let card = Card(name: name, description: description, topology: topology, sqrtS: sqrtS, model: model,
                        incoming: incoming, densities: densities, angles: angles, decays: decays, particles: particles,
                        isr: isr, cuts: cuts)
        try card.checkKinematics(file: file)
        try card.checkWidths(file: file)
        return card
    }

    /// Checks a card built in code as strictly as a decoded one: every role of the topology
    /// present, masses and widths >= 0, visibles with a detector response, allowed chains.
    /// Errors name the card by `name`.
    public func validate() throws(CardError) {
        let file = name.isEmpty ? "<card>" : name
        for role in Role.required(for: topology) {
            guard let p = particles[role] else {
                throw CardError(file: file, key: "particles.\(role.rawValue)", reason: "missing role for \(topology.rawValue)")
            }
            guard p.mass >= 0, p.mass.isFinite else {
                throw CardError(file: file, key: "particles.\(role.rawValue).mass", reason: "must be >= 0 GeV, found \(p.mass)")
            }
            guard p.width >= 0, p.width.isFinite, p.width == 0 || role.mayHaveWidth else {
                throw CardError(file: file, key: "particles.\(role.rawValue).width", reason: "invalid width \(p.width) GeV")
            }
            if role == .a || role == .b, PDG.visibleClass(p.pdg) == nil {
                throw CardError(file: file, key: "particles.\(role.rawValue).pdg", reason: "visible particle id \(p.pdg) has no detector response")
            }
        }
        guard model == (topology == .ttbarLike ? .colouredPair : .sChannel) else {
            throw CardError(file: file, key: "production.model", reason: "model \(model.rawValue) does not fit topology \(topology.rawValue)")
        }
        guard model == .colouredPair || angles == .isotropic else {
            throw CardError(file: file, key: "production.angles", reason: "an s-channel scalar decays isotropically")
        }
        guard decays == .isotropic || topology == .ttbarLike else {
            throw CardError(file: file, key: "decays.model", reason: "V-A decays need a t-tbar-like chain")
        }
        if let scale = densities.scale, !(scale > 1 && scale.isFinite && densities.set == .grv94lo) {
            throw CardError(file: file, key: "production.scale", reason: "a fixed scale > 1 GeV of the GRV 94 LO densities, found \(scale)")
        }
        try checkKinematics(file: file)
        try checkWidths(file: file)
    }

    /// Above this fraction of its mass a width makes the truncated Breit-Wigner, not the pole,
    /// set the mass distribution (`Card.warnings`).
    public static let wideWidthFraction = 0.1

    /// Rejects widths at or above the mass: the Breit-Wigner is then no resonance at all and,
    /// truncated to the kinematic window, gives true masses anywhere in it.
    func checkWidths(file: String) throws(CardError) {
        for role in Role.allCases {
            guard let p = particles[role], p.width > 0, p.width >= p.mass else { continue }
            throw CardError(file: file, key: "particles.\(role.rawValue).width",
                            reason: "width \(p.width) GeV is not below the mass \(p.mass) GeV: a resonance needs width < mass (and width < mass/10 for the pole to dominate)")
        }
    }

    /// Warnings about the card that do not stop generation: widths above a tenth of the mass,
    /// where the truncation of the Breit-Wigner to its kinematic window, not the pole, shapes
    /// the true masses.
    public var warnings: [String] {
        Role.allCases.compactMap { role in
            guard let p = particles[role], p.width > Card.wideWidthFraction * p.mass else { return nil }
            return "card \(name): particles.\(role.rawValue).width = \(p.width) GeV is above a tenth of the mass \(p.mass) GeV: the Breit-Wigner truncation to the kinematic window dominates the mass distribution"

        }
    }

    /// Rejects chains that cannot happen at the pole masses (docs/physics.md#topologies).
    func checkKinematics(file: String) throws(CardError) {
        func reject(_ key: String, _ reason: String) -> CardError { CardError(file: file, key: key, reason: reason) }
        let mB = mass(.B), mC = mass(.C), ma = mass(.a)
        switch topology {
        case .ttbarLike:
            let mA = mass(.A), mb = mass(.b)
            guard mA > ma + mB else {
                throw reject("particles.A.mass", "forbidden decay A -> a B: m_A = \(mA) <= m_a + m_B = \(ma + mB) GeV")
            }
            guard mB > mb + mC else {
                throw reject("particles.B.mass", "forbidden decay B -> b C: m_B = \(mB) <= m_b + m_C = \(mb + mC) GeV")
            }
            guard 2 * mA < sqrtS else {
                throw reject("sqrt_s", "below the pair threshold 2 m_A = \(2 * mA) GeV")
            }
        case .antler:
            let mD = mass(.D)
            guard mD > 2 * mB else {
                throw reject("particles.D.mass", "forbidden decay D -> B B: m_D = \(mD) <= 2 m_B = \(2 * mB) GeV")
            }
            guard mB > ma + mC else {
                throw reject("particles.B.mass", "forbidden decay B -> a C: m_B = \(mB) <= m_a + m_C = \(ma + mC) GeV")
            }
            guard mD < sqrtS else { throw reject("sqrt_s", "below the resonance mass m_D = \(mD) GeV") }
        }
    }
}
