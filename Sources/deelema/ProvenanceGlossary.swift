import Events

/// What the technical provenance entries of a sample mean, for `inspect`: a user reading
/// "block_size: 1024" should not have to read the generator to know it.
enum ProvenanceGlossary {
    static let meanings: [String: String] = [
        "block_size": "events per random-number block; fixes the event numbering whatever the threads",
        "card_overrides": "card values changed with generate --set",
        "decays": "angular distribution of the decays (isotropic, or v-a for W helicities)",
        "factorisation_scale": "scale of the parton densities (GeV, or a mass of the card)",
        "jet_energy_scale": "factor on the measured jet energies (--jes; 1 is nominal)",
        "lepton_energy_scale": "factor on the measured lepton energies (--les; 1 is nominal)",
        Provenance.mergedShardsKey: "shards (0-based) this merged file holds",
        "met_soft_sigma": "resolution of the soft term added to the MET (GeV)",
        "pdf": "parton density set of the production",
        "production_angles": "production angle distribution (lo: leading order)",
        "sqrt_s": "collider energy (GeV)",
    ]

    /// "key: value   (meaning)"; an empty value reads "none".
    static func line(_ key: String, _ value: String) -> String {
        let shown = value.isEmpty ? "none" : value
        let entry = "\(key): \(shown)"
        guard let meaning = meanings[key] else { return entry }
        return entry.padding(toLength: max(entry.count, 30), withPad: " ", startingAt: 0) + "  " + meaning
    }

    /// The generator's shard statement: one shard with its own GSL seed, or the set a merged
    /// file holds (whose shards each had their own seed), with a missing-shard warning.
    static func shards(_ p: Provenance) -> String {
        let held = p.heldShards
        guard p.extra[Provenance.mergedShardsKey] != nil else {
            return "shard \(p.shard + 1)/\(p.shards) (shard seed \(p.shardSeed))"
        }
        let list = held.map { String($0 + 1) }.joined(separator: ",")
        var s = "merged shards \(list) of \(p.shards) (each with its own seed derived from \(p.seed))"
        if held.count < p.shards { s += "; \(p.shards - held.count) of the request's shards are not in this file" }
        return s
    }
}
