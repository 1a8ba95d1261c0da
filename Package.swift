// swift-tools-version: 6.1
import PackageDescription

let package = Package(
    name: "deelema",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "deelema", targets: ["DeeLeMaTool"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/LebJe/TOMLKit", from: "0.6.0"),
    ],
    targets: [
        .systemLibrary(name: "CGSL", path: "Sources/CGSL", pkgConfig: "gsl",
                       providers: [.apt(["libgsl-dev", "libopenblas-dev"])]),
        .systemLibrary(name: "CZlib", path: "Sources/CZlib"),
        .target(name: "Kinematics", exclude: ["README.md"]),
        .target(name: "Events", dependencies: ["Kinematics"], exclude: ["README.md"]),
        .target(name: "Generation", dependencies: [
            "Kinematics", "Events", "CGSL", .product(name: "TOMLKit", package: "TOMLKit"),
        ], exclude: ["README.md"], swiftSettings: eventLoop),
        .target(name: "Detector", dependencies: ["Kinematics", "Events", "Generation", "CGSL"], exclude: ["README.md"],
                swiftSettings: eventLoop),
        .target(name: "Formats", dependencies: ["Kinematics", "Events", "CZlib"], exclude: ["README.md"]),
        .target(name: "Baselines", dependencies: ["Kinematics", "Events", "Generation", "Detector", "CGSL"], exclude: ["README.md"]),
        .target(name: "Network", dependencies: ["CGSL"], exclude: ["README.md"], swiftSettings: optimisedInDebug),
        .target(name: "DeeLeMa", dependencies: ["Kinematics", "Events", "Network", "Formats"], exclude: ["README.md"],
                swiftSettings: optimisedInDebug),
        .target(name: "Harness", dependencies: [
            "Kinematics", "Events", "Generation", "Detector", "Formats", "Baselines", "Network", "DeeLeMa",
        ], exclude: ["README.md"]),
        .executableTarget(name: "DeeLeMaTool", dependencies: [
            "Kinematics", "Events", "Generation", "Detector", "Formats", "Harness", "DeeLeMa",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ], path: "Sources/deelema"),
        .executableTarget(name: "DeeLeMaTrain", dependencies: ["DeeLeMa", "Network", "Events", "TestSupport"],
                          path: "benchmarks/DeeLeMaTrain"),
        .target(name: "TestSupport", dependencies: ["Kinematics", "Events", "Generation"], path: "Tests/TestSupport"),
        .testTarget(name: "CLITests", dependencies: ["DeeLeMaTool", "Events", "Formats"]),
        .testTarget(name: "KinematicsTests", dependencies: ["Kinematics"]),
        .testTarget(name: "EventsTests", dependencies: ["Events", "Kinematics", "TestSupport"]),
        .testTarget(name: "BaselinesTests", dependencies: ["TestSupport", "Kinematics", "Events", "Baselines", "Detector", "Generation"],
                    resources: [.copy("Resources")]),
        .executableTarget(name: "MT2Benchmark", dependencies: ["Baselines", "Events", "Kinematics", "TestSupport"],
                          path: "benchmarks/MT2Benchmark"),
        .executableTarget(name: "SolverBenchmark", dependencies: ["Baselines", "Events", "Kinematics", "TestSupport"],
                          path: "benchmarks/SolverBenchmark", exclude: ["solver_numpy.py"]),
        .executableTarget(name: "KinematicFitBenchmark", dependencies: ["Baselines", "Detector", "Generation", "Events", "Kinematics"],
                          path: "benchmarks/KinematicFitBenchmark"),
        .testTarget(name: "FormatsTests", dependencies: ["Formats", "Events", "Kinematics", "TestSupport"]),
        .executableTarget(name: "NPZBenchmark", dependencies: ["Formats", "Events"], path: "benchmarks/NPZBenchmark"),
        .testTarget(name: "GenerationTests", dependencies: ["Generation", "Events", "Kinematics", "CGSL", "TestSupport"]),
        .testTarget(name: "DetectorTests", dependencies: ["Detector", "Generation", "Events", "Kinematics", "TestSupport"]),
        .executableTarget(name: "GeneratorBenchmark", dependencies: ["Detector", "Generation", "Events"],
                          path: "benchmarks/GeneratorBenchmark"),
        .testTarget(name: "NetworkTests", dependencies: ["Network"]),
        .testTarget(name: "DeeLeMaTests", dependencies: ["DeeLeMa", "Network", "Events", "Kinematics", "Generation", "Detector",
                                                     "TestSupport"]),
        .testTarget(name: "HarnessTests", dependencies: ["Harness", "Events", "Formats", "Generation", "Kinematics", "TestSupport"]),
        .executableTarget(name: "M2Benchmark", dependencies: ["Baselines", "Events", "Kinematics", "TestSupport"],
                          path: "benchmarks/M2Benchmark", exclude: ["mt2_reference.py", "mt2_peer.py"]),
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
