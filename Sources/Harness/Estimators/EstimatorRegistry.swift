import Events

/// The methods the tools know, in the order `all` runs them and the reports list them. The
/// command line, the bench, the sweep, the calibration and the reports ask this list (by
/// default `standard`) for a method's name, help, topologies, options and run; a registry with
/// more entries is passed in (`BenchOptions.registry`, `MethodRunner.run(_:on:options:registry:)`).
public struct EstimatorRegistry: Sendable {
    public private(set) var estimators: [any Estimator]

    public init(_ estimators: [any Estimator]) {
        self.estimators = []
        for e in estimators { register(e) }
    }

    /// The methods of the package. A new method: its file in `Sources/Harness/Estimators/` and
    /// one line here (see `Sources/Harness/README.md`, "Adding a method").
    public static let standard = EstimatorRegistry([
        Estimators.MT2(),
        Estimators.MAOS(),
        Estimators.KinSolve(),
        Estimators.MassScan(),
        Estimators.NuWeight(),
        Estimators.KLFit(),
        Estimators.KinReco(),
        Estimators.M2(),
        Estimators.Endpoint(),
        Estimators.DeeLeMa(),
    ])

    /// Adds an estimator after the others, or replaces the one of the same name in its place.
    public mutating func register(_ estimator: any Estimator) {
        if let i = estimators.firstIndex(where: { $0.method == estimator.method }) {
            estimators[i] = estimator
        } else {
            estimators.append(estimator)
        }
    }

    /// The names, in order.
    public var methods: [Method] { estimators.map(\.method) }

    /// The estimator of a method; throws `MethodError.unknownMethod` listing this registry's names.
    public func estimator(for method: Method) throws -> any Estimator {
        guard let e = estimators.first(where: { $0.method == method }) else {
            throw MethodError.unknownMethod(method.rawValue)
        }
        return e
    }

    /// Parses a comma-separated list ("all" for every method); throws naming the unknown entry.
    public func parseList(_ text: String) throws -> [Method] {
        if text == "all" { return methods }
        let parts = text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        guard !parts.isEmpty, !parts.contains(where: \.isEmpty) else {
            throw MethodError.unknownMethod(text)
        }
        return try parts.map { p in try estimator(for: Method(rawValue: p)).method }
    }

    /// The methods of `all` on a topology: those that run on it, less those that repeat another's numbers there.
    public func all(on kind: TopologyKind) -> [Method] {
        let running = estimators.filter { $0.topologies.contains(kind) }
        let names = Set(running.map(\.method))
        return running.filter { e in e.repeats(on: kind).map { !names.contains($0) } ?? true }.map(\.method)
    }

    /// The `deelema estimate --help` block: each method's help lines, names padded to one column.
    public func helpText() -> String {
        let width = (methods.map(\.rawValue.count).max() ?? 0) + 2
        return estimators.map { e in
            let pad = String(repeating: " ", count: width)
            return e.help.enumerated().map { k, line in
                k == 0 ? "  " + e.method.rawValue.padding(toLength: width, withPad: " ", startingAt: 0) + line : "  " + pad + line
            }.joined(separator: "\n")
        }.joined(separator: "\n")
    }
}
