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
        .target(name: "Kinematics"),
        .target(name: "Events", dependencies: ["Kinematics"]),
        .target(name: "Generation", dependencies: [
            "Kinematics", "Events", "CGSL", .product(name: "TOMLKit", package: "TOMLKit"),
        ]),
        .target(name: "Detector", dependencies: ["Kinematics", "Events", "Generation", "CGSL"]),
        .target(name: "Formats", dependencies: ["Kinematics", "Events"]),
        .target(name: "Baselines", dependencies: ["Kinematics", "Events", "CGSL"]),
        .target(name: "Network", dependencies: ["CGSL"], exclude: ["README.md"]),
        .target(name: "DeeLeMa", dependencies: ["Kinematics", "Events", "Network", "Formats"], exclude: ["README.md"]),
        .target(name: "Harness", dependencies: [
            "Kinematics", "Events", "Generation", "Detector", "Formats", "Baselines", "Network", "DeeLeMa",
        ]),
        .executableTarget(name: "DeeLeMaTool", dependencies: [
            "Kinematics", "Events", "Generation",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ], path: "Sources/deelema"),
        .executableTarget(name: "DeeLeMaTrain", dependencies: ["DeeLeMa", "Network", "Events", "TestSupport"],
                          path: "benchmarks/DeeLeMaTrain"),
        .target(name: "TestSupport", dependencies: ["Kinematics", "Events", "Generation"], path: "Tests/TestSupport"),
        .testTarget(name: "KinematicsTests", dependencies: ["Kinematics"]),
        .testTarget(name: "EventsTests", dependencies: ["Events", "Kinematics", "TestSupport"]),
        .testTarget(name: "NetworkTests", dependencies: ["Network"]),
        .testTarget(name: "DeeLeMaTests", dependencies: ["DeeLeMa", "Network", "Events", "Kinematics", "TestSupport"]),
    ],
    swiftLanguageModes: [.v6]
)
