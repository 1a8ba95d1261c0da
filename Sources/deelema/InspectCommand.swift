import ArgumentParser
import Events
import Formats
import Foundation
import Harness

struct InspectCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "inspect",
        abstract: "Print the counts, provenance and distributions of an npz sample.",
        discussion: """
        Prints the number of events, the provenance stored in the file (tool version, card, seed, shard, \
        detector, smearing scale, efficiency) and, for every truth role, the peak (histogram mode), FWHM, \
        median and 68% half-width of its invariant mass, then the pt and eta of the reconstructed objects, \
        |MET| and a visible invariant mass; each technical setting of the provenance is explained. A merged \
        file lists the shards it holds. The file is validated first: a broken archive, arrays of unequal \
        length, NaN/Inf or unphysical four-vectors end with the reason (naming the array and event) and \
        a non-zero exit status. Example:

          deelema inspect out/ttbar_cms.npz
        """)

    @Argument(help: "An npz sample written by `deelema generate` (or any npz with the native keys).")
    var file: String

    @Flag(help: "Print the summary as JSON instead of a table.")
    var json = false

    func run() throws {
        let sample = try NPZ.readSample(path: file)
        let dists = SampleSummary.distributions(of: sample)
        if json {
            struct Out: Encodable { var file: String; var events: Int; var topology: String; var keys: [String]
                                    var provenance: Provenance?; var distributions: [DistributionSummary] }
            let e = JSONEncoder()
            e.outputFormatting = [.prettyPrinted, .sortedKeys]
            let out = Out(file: file, events: sample.count, topology: sample.kind.rawValue, keys: sample.keys,
                          provenance: sample.provenance, distributions: dists)
            print(String(decoding: try e.encode(out), as: UTF8.self))
            return
        }
        print("file:      \(file)")
        print("events:    \(sample.count)")
        print("topology:  \(sample.kind.rawValue)")
        print("arrays:    " + sample.keys.map { k in "\(k)\(sample[k].map { $0.shape.description } ?? "")" }.joined(separator: " "))
        if let p = sample.provenance {
            print("card:      \(p.card) (digest \(p.cardDigest))")
            print("generator: deelema \(p.toolVersion), rng \(p.rng), seed \(p.seed), \(ProvenanceGlossary.shards(p))")
            print(String(format: "detector:  %@ x %.3g, ISR %@, acceptance efficiency %.4f (%d generated), unweighting efficiency %.4f",
                         p.detector, p.smearScale, p.isr ? "on" : "off", p.efficiency, p.generated, p.unweightingEfficiency))
            if !p.extra.isEmpty { print("settings:") }
            for (k, v) in p.extra.sorted(by: { $0.key < $1.key }) { print("  " + ProvenanceGlossary.line(k, v)) }
        } else {
            print("provenance: none (data-like file)")
        }
        print("")
        print("quantity".padding(toLength: 16, withPad: " ", startingAt: 0) + "      peak      FWHM    median  width68       min       max")
        for d in dists {
            print(d.name.padding(toLength: 16, withPad: " ", startingAt: 0)
                  + String(format: "%10.3f%10.3f%10.3f%9.3f%10.2f%10.2f", d.peak, d.fwhm, d.median, d.width68, d.min, d.max))
        }
    }
}
