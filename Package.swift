// swift-tools-version:6.0
import PackageDescription

/// `swift run` builds in debug; numeric code is optimised there too, or every loop runs 20-50x slower.
let optimized: [SwiftSetting] = [.unsafeFlags(["-O", "-Xcc", "-fno-math-errno"])]

/// The chapters, in the notes' order: thin executables `chapter-<name>`, built from `chapters/<name>`,
/// that read like the notebook they replace.
let chapters = ["optimizers", "initial-values", "batch-norm", "overfitting", "weight-decay", "dropout", "hyperparameters"]

let package = Package(
    name: "LearningTechniques",
    platforms: [.macOS(.v13)],
    products: (chapters.map { "chapter-" + $0 } + ["report-index", "lt-bench"]).map { .executable(name: $0, targets: [$0]) },
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-numerics", from: "1.1.1"),
        .package(url: "https://github.com/JohnSundell/Ink", from: "0.6.0"),
    ],
    targets: [
        // System libraries, installed by `make deps` (apt-get).
        .systemLibrary(name: "CBLAS", path: "Sources/CBLAS", pkgConfig: "openblas",
                       providers: [.apt(["libopenblas-dev"])]),
        .systemLibrary(name: "CCairo", path: "Sources/CCairo", pkgConfig: "cairo",
                       providers: [.apt(["libcairo2-dev"])]),
        .systemLibrary(name: "CZlib", path: "Sources/CZlib", pkgConfig: "zlib",
                       providers: [.apt(["zlib1g-dev"])]),

        // Per-thread floating-point control (subnormals flushed to zero), a few lines of C.
        .target(name: "CFloatControl", path: "Sources/CFloatControl"),

        // Libraries: dependencies point down only.
        .target(name: "NumericCore",
                dependencies: ["CBLAS", "CFloatControl", .product(name: "RealModule", package: "swift-numerics")],
                swiftSettings: optimized),
        .target(name: "NeuralNet", dependencies: ["NumericCore"], swiftSettings: optimized),
        .target(name: "Datasets", dependencies: ["NumericCore", "CZlib"],
                resources: [.copy("Resources")], swiftSettings: optimized),
        .target(name: "Plot", dependencies: ["CCairo"], swiftSettings: optimized),
        .target(name: "Report", dependencies: ["Plot", .product(name: "Ink", package: "Ink")],
                swiftSettings: optimized),
        .target(name: "Experiments",
                dependencies: ["NumericCore", "NeuralNet", "Datasets", "Plot", "Report",
                               .product(name: "ArgumentParser", package: "swift-argument-parser")],
                swiftSettings: optimized),

        .executableTarget(name: "report-index", dependencies: ["Experiments"],
                          path: "chapters/report-index", swiftSettings: optimized),
        .executableTarget(name: "lt-bench", dependencies: ["Experiments"],
                          path: "bench/swift", swiftSettings: optimized),

        // Tests: one target per library, plus end-to-end chapter runs.
        .testTarget(name: "NumericCoreTests", dependencies: ["NumericCore"], swiftSettings: optimized),
        .testTarget(name: "NeuralNetTests", dependencies: ["NeuralNet", "Datasets"], swiftSettings: optimized),
        .testTarget(name: "DatasetsTests", dependencies: ["Datasets", "NumericCore"], swiftSettings: optimized),
        .testTarget(name: "PlotTests", dependencies: ["Plot"], swiftSettings: optimized),
        .testTarget(name: "ReportTests", dependencies: ["Report"], swiftSettings: optimized),
        .testTarget(name: "ExperimentsTests", dependencies: ["Experiments"], swiftSettings: optimized),
        .testTarget(name: "ChapterTests",
                    dependencies: ["Experiments", "report-index"] + chapters.map { .target(name: "chapter-" + $0) },
                    swiftSettings: optimized),
    ] + chapters.map { chapter in
        .executableTarget(name: "chapter-" + chapter, dependencies: ["Experiments"], path: "chapters/" + chapter, swiftSettings: optimized)
    },
    swiftLanguageModes: [.v5]
)
