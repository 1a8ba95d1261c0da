import Events
import Foundation

/// The sample-level numbers of one `deelema estimate` run, written beside its per-event npz as
/// `<output stem>.json` (npz event files hold only arrays with an event axis).
public struct EstimateSummary: Sendable, ReportJSON, Equatable {
    public var method: String
    public var sample: String
    public var events: Int
    /// Mass estimates with their uncertainties (GeV) and how each was obtained.
    public var masses: [MassEstimate]
    public var handledFraction: Double
    public var secondsPerEvent: Double
    public var notes: [String]

    public init(_ r: EstimatorResult, sample: String, events: Int) {
        method = r.method; self.sample = sample; self.events = events; masses = r.masses
        handledFraction = r.handledFraction; secondsPerEvent = r.secondsPerEvent; notes = r.notes
    }

    /// The summary path for an npz output path: "dir/x.npz" -> "dir/x.json".
    public static func path(forOutput output: String) -> String {
        (output.hasSuffix(".npz") ? String(output.dropLast(4)) : output) + ".json"
    }
}
