// swift-tools-version: 6.1
import PackageDescription

let package = Package(
    name: "deelema",
    // Built and tested on Linux only (x86_64, Swift 6.1, `make test`). SwiftPM has no Linux
    // entry here; the macOS line only sets the deployment minimum that the APIs used need
    // (Synchronization, typed throws), so a macOS build gets that far: it is not tested.
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "deelema", targets: ["DeeLeMaTool"]),
        // The modules a physicist imports from their own package, bottom to top. Network, the
        // fixtures, the system-library shims and the test support are internal targets.
        .library(name: "Core", targets: ["Core"]),
        .library(name: "Kinematics", targets: ["Kinematics"]),
        .library(name: "Events", targets: ["Events"]),
        .library(name: "Generation", targets: ["Generation"]),
        .library(name: "Detector", targets: ["Detector"]),
        .library(name: "Formats", targets: ["Formats"]),
        .library(name: "Baselines", targets: ["Baselines"]),
        .library(name: "DeeLeMa", targets: ["DeeLeMa"]),
        .library(name: "Harness", targets: ["Harness"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/LebJe/TOMLKit", from: "0.6.0"),
    ],
    targets: [
        .systemLibrary(name: "CGSL", path: "Sources/CGSL", pkgConfig: "gsl",
                       providers: [.apt(["libgsl-dev", "libopenblas-dev"])]),
        .systemLibrary(name: "CZlib", path: "Sources/CZlib"),
        .target(name: "Core", dependencies: ["CGSL", "CZlib"], exclude: ["README.md"], swiftSettings: eventLoop),
        .target(name: "Kinematics", dependencies: ["Core"], exclude: ["README.md"]),
        .target(name: "Events", dependencies: ["Kinematics"], exclude: ["README.md"]),
        .target(name: "Generation", dependencies: [
            "Core", "Kinematics", "Events", "CGSL", .product(name: "TOMLKit", package: "TOMLKit"),
        ], exclude: ["README.md"], swiftSettings: eventLoop),
        .target(name: "Detector", dependencies: ["Core", "Kinematics", "Events", "Generation", "CGSL"], exclude: ["README.md"],
                swiftSettings: eventLoop),
        .target(name: "Formats", dependencies: ["Core", "Kinematics", "Events", "CZlib"], exclude: ["README.md"]),
        .target(name: "Baselines", dependencies: ["Core", "Kinematics", "Events", "Detector", "CGSL"], exclude: ["README.md"]),
        .target(name: "Network", dependencies: ["Core", "CGSL"], exclude: ["README.md"], swiftSettings: optimisedInDebug),
        .target(name: "DeeLeMa", dependencies: ["Core", "Kinematics", "Events", "Network"], exclude: ["README.md"],
                swiftSettings: optimisedInDebug),
        .target(name: "Harness", dependencies: [
            "Core", "Kinematics", "Events", "Generation", "Detector", "Formats", "Baselines", "DeeLeMa",
        ], exclude: ["README.md"]),
        .executableTarget(name: "DeeLeMaTool", dependencies: [
            "Core", "Kinematics", "Events", "Generation", "Detector", "Formats", "Harness", "DeeLeMa",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ], path: "Sources/deelema"),
        // Internal: on-shell chain samples for the tests and the benchmarks (no product).
        .target(name: "Fixtures", dependencies: ["Core", "Kinematics", "Events"], exclude: ["README.md"]),
        .executableTarget(name: "DeeLeMaTrain", dependencies: ["DeeLeMa", "Network", "Events", "Fixtures"],
                          path: "benchmarks/DeeLeMaTrain"),
        // Internal: what the test targets share (re-exports Fixtures); no benchmark links it.
        .target(name: "TestSupport", dependencies: ["Fixtures"], path: "Tests/TestSupport"),
        .testTarget(name: "CLITests", dependencies: ["DeeLeMaTool", "Events", "Formats"]),
        .testTarget(name: "CoreTests", dependencies: ["Core"]),
        .testTarget(name: "KinematicsTests", dependencies: ["Kinematics"]),
        .testTarget(name: "EventsTests", dependencies: ["Events", "Kinematics", "TestSupport"]),
        .testTarget(name: "BaselinesTests", dependencies: ["TestSupport", "Core", "Kinematics", "Events", "Baselines", "Generation", "Detector"],
                    resources: [.copy("Resources")]),
        .executableTarget(name: "MT2Benchmark", dependencies: ["Baselines", "Events", "Kinematics", "Fixtures"],
                          path: "benchmarks/MT2Benchmark"),
        .executableTarget(name: "SolverBenchmark", dependencies: ["Baselines", "Events", "Kinematics", "Fixtures"],
                          path: "benchmarks/SolverBenchmark", exclude: ["solver_numpy.py"]),
        .executableTarget(name: "KinematicFitBenchmark", dependencies: ["Baselines", "Detector", "Generation", "Events", "Kinematics"],
                          path: "benchmarks/KinematicFitBenchmark"),
        .testTarget(name: "FormatsTests", dependencies: ["Core", "Formats", "Events", "Kinematics", "TestSupport"]),
        .executableTarget(name: "NPZBenchmark", dependencies: ["Core", "Formats", "Events"], path: "benchmarks/NPZBenchmark"),
        .testTarget(name: "GenerationTests", dependencies: ["Core", "Generation", "Events", "Kinematics", "CGSL", "TestSupport"]),
        .testTarget(name: "DetectorTests", dependencies: ["Core", "Detector", "Generation", "Events", "Kinematics", "TestSupport"]),
        .executableTarget(name: "GeneratorBenchmark", dependencies: ["Detector", "Generation", "Events"],
                          path: "benchmarks/GeneratorBenchmark"),
        .testTarget(name: "NetworkTests", dependencies: ["Core", "Network"]),
        .testTarget(name: "DeeLeMaTests", dependencies: ["DeeLeMa", "Network", "Events", "Kinematics", "Generation", "Detector",
                                                     "TestSupport"]),
        .testTarget(name: "HarnessTests", dependencies: ["Core", "Harness", "Events", "Formats", "Generation", "Kinematics", "TestSupport"]),
        .executableTarget(name: "KinRecoBenchmark", dependencies: ["Baselines", "Detector", "Generation", "Events", "Kinematics",
                                                                  "Core"], path: "benchmarks/KinRecoBenchmark"),
        .executableTarget(name: "M2Benchmark", dependencies: ["Baselines", "Events", "Kinematics", "Fixtures"],
                          path: "benchmarks/M2Benchmark", exclude: ["mt2_reference.py", "mt2_peer.py", "compare_values.py"]),
    ],
    swiftLanguageModes: [.v6]
)

/// The network and its training loop are optimised in debug builds too: the test suite trains
/// DeeLeMa, which at -Onone runs about ten times slower.
var optimisedInDebug: [SwiftSetting] { [.unsafeFlags(["-O"], .when(configuration: .debug))] }

/// The event loops (Generation, Detector): square roots without errno. Importing Glibc makes
/// every `squareRoot()` in a module a call that may set errno, which the compiler guards with a
/// compare and branch per value and cannot vectorise; -fno-math-errno gives the plain sqrt
/// instructions (packed ones for `SIMD4`). The event loops are optimised in debug builds too,
/// so the test suite generates its samples at release speed.
var eventLoop: [SwiftSetting] { [.unsafeFlags(["-Xcc", "-fno-math-errno"])] + optimisedInDebug }
