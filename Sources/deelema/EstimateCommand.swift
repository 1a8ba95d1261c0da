import ArgumentParser
import Events
import Formats
import Foundation
import Harness

struct EstimateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "estimate",
        abstract: "Run one mass-estimation method on a sample and write per-event results.",
        discussion: "Methods:\n" + EstimatorRegistry.standard.helpText() + "\n\n" + """
        Only reconstructed objects are used: a1 a2 b1 b2 met (antler: a1 a2 met) suffice with --pairing \
        unknown. Truth arrays, when present, are ignored except the true pairing with --pairing true. \
        Samples without events, with NaN/Inf or with unphysical four-vectors (E < 0, E < |p|) are refused. \
        The output may not be the sample or the model. The output npz holds the per-event arrays (e.g. mt2_bl, C1, C2, \
        status: 0 exact, 1 approximate, 2 failed) and each mass estimate as a 0-d array (M_A, M_A_err, \
        GeV); OUTPUT.json beside it (same stem; both are written or neither) holds the mass estimates with their uncertainties and \
        how they were obtained, the handled fraction, the time per event and the notes.

        Examples:
          deelema estimate ttbar.npz --method mt2 --output mt2.npz
          deelema estimate ttbar.npz --method kinsolve --masses 172.5,80.38,0 --pairing unknown --output sol.npz
          deelema estimate toy.npz --method deelema --model toy.model --output dl.npz
        """)

    @Argument(help: "Sample file (.npz).")
    var sample: String

    @Option(help: "The mass-estimation method (see Methods above).")
    var method: Method

    @OptionGroup var pairingOption: PairingOption
    var pairing: PairingMode { pairingOption.pairing }

    @Option(help: "Mass hypothesis in GeV: mA,mB,mC for t-tbar-like samples, mD,mB,mC for antler samples (mA > mB > mC >= 0).",
            transform: MassTriple.parse)
    var masses: MassTriple?

    @Option(help: "Invisible mass m_C in GeV when --masses is not given (default 0, said beside every estimate).")
    var mc: Double?

    @Option(help: "Trained model file for --method deelema.")
    var model: String?

    @Option(help: ArgumentHelp("A separate simulated sample (.npz with truth arrays) whose truth a method uses for priors (kinreco's m(a b) prior); never the measured sample.", valueName: "file.npz"))
    var simulation: String?

    @Option(help: ArgumentHelp("Resolution the fits nuweight, klfit and kinreco assume, PRESET:SCALE (e.g. cms:1), instead of the sample's provenance.",
                               valueName: "preset:scale"),
            transform: { try FitResolution(parsing: $0) })
    var fitResolution: FitResolution?

    @Flag(help: "Run a --method deelema model on a sample of another card, detector setting or mass scale (said in the output).")
    var allowMismatch = false

    @Option(help: "MAOS parent mass without --masses: endpoint (one fitted MT2 endpoint for every event) or mt2 (each event's MT2).")
    var maosParent: MAOSParent = .endpoint

    @Option(help: "Breit-Wigner widths in GeV the endpoint fits fold in, by estimate: M_A=W,M_B=W (t-tbar-like; e.g. M_A=1.32,M_B=2.085) or M_B=W (antler); default narrow.",
            transform: EndpointWidths.parse)
    var widths: EndpointWidths?

    @Option(help: "Bootstrap replicates for the mass uncertainties.")
    var bootstrap: Int = 50

    @OptionGroup var seedOption: SeedOption

    @Option(name: .shortAndLong, help: "Result file (.npz).")
    var output: String

    func validate() throws {
        guard output.hasSuffix(".npz") else { throw ValidationError("--output must be an .npz file, got '\(output)'") }
        guard bootstrap >= 0 else { throw ValidationError("--bootstrap must be >= 0") }
    }

    func run() throws {
        let m = method
        let summary = EstimateSummary.path(forOutput: output)
        let inputs = [(role: "the input sample", path: sample)] + (model.map { [(role: "the model", path: $0)] } ?? [])
            + (simulation.map { [(role: "the simulation sample", path: $0)] } ?? [])
        try InputOverwrite.check(output: output, inputs: inputs)
        try InputOverwrite.check(output: summary, inputs: inputs)
        let data = try NPZ.readSample(path: sample)
        var options = MethodOptions(pairing: pairing, masses: masses?.values, invisibleMass: mc, model: model,
                                    bootstrap: bootstrap, seed: seedOption.fitSeed, maosParent: maosParent, allowMismatch: allowMismatch)
        options.widths = widths?.values ?? [:]
        options.fitResolution = fitResolution
        if let simulation {
            guard simulation != sample else {
                throw ValidationError("--simulation must be a separate simulated sample, not the measured sample '\(sample)'")
            }
            do {
                options.simulation = try NPZ.readSample(path: simulation, requireTruth: true)
            } catch {
                throw RunFailure(description: "--simulation \(simulation): \(RunFailure.text(error))")
            }
        }
        let result: EstimatorResult
        // m2 and massscan report their progress (events, grid levels) as per-mille of the work;
        // the fast methods none: off a terminal a line every 10 s says the run lives, and one
        // says when it is done.
        let counted = try EstimatorRegistry.standard.estimator(for: m).reads.contains(.progress)
        let bar = ProgressBar(total: counted ? 1000 : 1, label: "estimate \(m.rawValue) on \(data.count) events",
                              unit: counted ? "per mille" : "")
        if counted { options.progress = { done, total in bar.update(done * 1000 / max(total, 1)) } }
        do {
            result = try MethodRunner.run(m, on: data, options: options)
        } catch {
            bar.finish()
            throw RunFailure(description: "\(sample): \(RunFailure.text(error))")
        }
        bar.update(counted ? 1000 : 1)
        bar.finish()
        var out = result.perEvent
        for est in result.masses where out[est.name] == nil {
            out[est.name] = Column(shape: [], data: .float64([est.value]))
            out[MassName.uncertaintyKey(est.name)] = Column(shape: [], data: .float64([est.uncertainty]))
        }
        // The npz and its JSON belong together: the JSON is written first under a temporary
        // name (a full disk shows there), then the npz, then the JSON is renamed into place;
        // whichever step fails removes what the others left.
        let staged = try FileOutput.stage(try EstimateSummary(result, sample: sample, events: data.count).json(), for: summary)
        do {
            try NPZ.write(out, to: output)
        } catch {
            FileOutput.unstage(staged)
            throw error
        }
        do {
            try FileOutput.publish(staged, to: summary)
        } catch {
            unlink(output)
            throw error
        }
        print(ResultPrinter.text(result, events: data.count, file: sample))
        print("wrote \(output) and \(summary)")
    }
}

/// A mass hypothesis "a,b,c" in GeV of a decay chain: heaviest first, the invisible last.
struct MassTriple {
    var values: (Double, Double, Double)

    /// Parses "a,b,c", saying what is wrong: the count, a non-number or the ordering.
    static func parse(_ argument: String) throws -> MassTriple {
        let parts = argument.split(separator: ",", omittingEmptySubsequences: false)
            .map { $0.trimmingCharacters(in: .whitespaces) }
        guard parts.count == 3 else {
            throw ValidationError("wants three masses mA,mB,mC in GeV (e.g. 172.5,80.4,0), got \(parts.count) values")
        }
        let numbers = parts.map { Double($0) }
        guard let a = numbers[0], let b = numbers[1], let c = numbers[2], a.isFinite, b.isFinite, c.isFinite else {
            throw ValidationError("'\(parts[numbers.firstIndex { $0 == nil || !$0!.isFinite }!])' is not a finite number")
        }
        guard a > b, b > c, c >= 0 else {
            throw ValidationError("the chain needs mA > mB > mC >= 0 (the parent, the intermediate, the invisible), got \(parts.joined(separator: ", "))")
        }
        return MassTriple(values: (a, b, c))
    }
}


extension MAOSParent: ExpressibleByArgument {}

/// An error from a subcommand's work, printed as is.
struct RunFailure: Error, CustomStringConvertible {
    var description: String

    /// An error's text: Foundation's file errors as one line (path and reason), others as they describe themselves.
    static func text(_ error: any Error) -> String { FoundationErrorText.line(error) ?? "\(error)" }
}

/// Human-readable summaries of estimator results.
enum ResultPrinter {
    static func text(_ r: EstimatorResult, events: Int, file: String) -> String {
        var s = "method \(r.method) on \(file): \(events) events, handled \(String(format: "%.2f%%", 100 * r.handledFraction)), "
        s += String(format: "%.3g s per event (%.0f events/s)\n", r.secondsPerEvent, r.secondsPerEvent > 0 ? 1 / r.secondsPerEvent : 0)
        let assumption = r.invisibleMass.map { String(format: "   assuming m_C = %g GeV", $0) } ?? ""
        for m in r.masses {
            s += String(format: "  %@ = %.3f ± %.3f GeV%@   (%@)\n", m.name, m.value, m.uncertainty, assumption, m.how)
        }
        if r.masses.isEmpty { s += "  no mass estimate from this method\n" }
        for n in r.notes { s += "  note: \(n)\n" }
        return s.trimmingCharacters(in: .newlines)
    }
}
