import Foundation
import Events

/// Why a bench, sweep or report cannot run; every message names the offending argument, file or
/// point and says what to do instead.
public enum HarnessError: Error, Equatable, CustomStringConvertible {
    /// A report directory path that exists and is not a directory.
    case reportIsFile(String)
    /// A report directory that does not exist (for `deelema report`).
    case noSuchDirectory(String)
    /// A sample whose topology differs from the card's.
    case wrongTopology(file: String, expected: String, found: String)
    /// A sample without the truth arrays the scores need.
    case missingTruth(file: String, missing: [String])
    /// An empty or malformed sweep list, e.g. `--smear-scale ""`.
    case emptySweepList(option: String)
    /// A value in a sweep list that cannot be parsed or is out of range.
    case badSweepValue(option: String, value: String, reason: String)
    /// A numeric option out of range.
    case badOption(name: String, reason: String)
    /// A method listed explicitly that cannot run on this topology.
    case methodNotForTopology(method: String, topology: String)
    /// A sweep directory without any finished point.
    case noFinishedPoints(String)
    /// A finished point whose results.json cannot be decoded.
    case badResults(file: String, reason: String)
    /// A file or directory that cannot be created, written or renamed (the operating system's reason).
    case io(path: String, reason: String)
    /// A `--sample` whose provenance names another card than `--topology`.
    case cardConflict(file: String, sampleCard: String, topology: String)
    /// `deelema report --expect`: points of the plan that have not finished.
    case incompleteSweep(directory: String, missing: [String], expected: Int)

    public var description: String {
        switch self {
        case .reportIsFile(let p):
            "report directory '\(p)' exists and is a file, not a directory: choose another --report path"
        case .noSuchDirectory(let p):
            "'\(p)' is not a directory: give the --report directory of a `deelema sweep`"
        case .wrongTopology(let f, let e, let found):
            "sample '\(f)' is \(Wording.withArticle(found)) sample but the topology card is \(e): pass the matching --topology"
        case .missingTruth(let f, let m):
            "sample '\(f)' lacks the truth arrays \(m.joined(separator: ", ")) that bench scores against: generate it with `deelema generate`"
        case .emptySweepList(let o):
            "\(o) needs a non-empty comma-separated list of values, e.g. \(o) 0,0.5,1"
        case .badSweepValue(let o, let v, let r):
            "\(o): value '\(v)' \(r)"
        case .badOption(let n, let r):
            "\(n): \(r)"
        case .methodNotForTopology(let m, let t):
            "method \(m) handles t-tbar-like samples only; topology is \(t): drop it from --methods"
        case .noFinishedPoints(let d):
            "no finished sweep point under '\(d)/points' (a point is finished when its results.json exists): run `deelema sweep` or the commands of `deelema sweep --plan` first"
        case .badResults(let f, let r):
            "cannot read '\(f)': \(r)"
        case .io(let p, let r):
            "\(p): \(r)"
        case .cardConflict(let f, let s, let t):
            "sample '\(f)' was generated from card '\(s)' (its provenance says) but --topology is '\(t)': drop --topology to use the sample's card, or pass the matching one"
        case .incompleteSweep(let d, let m, let n):
            "\(m.count) of \(n) sweep points under '\(d)/points' are not finished (no results.json): \(m.joined(separator: ", ")); refusing to assemble an incomplete summary: run them (emit the batch script again, or re-run the sweep) first"
        }
    }
}
