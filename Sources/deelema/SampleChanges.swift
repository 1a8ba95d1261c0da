import ArgumentParser
import Detector
import Generation

/// Options that change what a generated sample is made of without editing its card: card
/// values (`--set`) and the detector's energy scales (`--jes`, `--les`). Shared by `generate`,
/// `bench` and `sweep`; recorded in the sample's provenance.
struct SampleChanges: ParsableArguments {
    @Option(name: .customLong("set"),
            help: "Change a card value: KEY=VALUE with KEY ROLE.mass, ROLE.width (GeV) or sqrt_s; repeatable (--set A.mass=175.5 --set A.width=1.4). The truth scored against follows it.")
    var overrides: [String] = []

    @Option(parsing: .unconditional, help: "Jet energy-scale factor applied to the measured jets before the cuts (1 = nominal, 1.02 = jets 2 % high); MET follows.")
    var jes: Double = 1

    @Option(parsing: .unconditional, help: "Lepton energy-scale factor applied to the measured leptons before the cuts (1 = nominal).")
    var les: Double = 1

    func validate() throws {
        for (name, k) in [("--jes", jes), ("--les", les)] where !(k > 0 && k.isFinite) {
            throw ValidationError("\(name) must be a finite factor > 0 (1 is nominal), got \(k)")
        }
    }

    /// The parsed `--set` changes, in order.
    func cardOverrides() throws -> [CardOverride] {
        try overrides.map { text throws(CardError) in try CardOverride(parsing: text) }
    }

    var energyScales: EnergyScales { EnergyScales(jet: jes, lepton: les) }
}
