// swift-tools-version:6.0
import PackageDescription

/// `swift run` builds in debug; numeric code is optimised there too, or every loop runs 20-50x slower.
let optimized: [SwiftSetting] = [.unsafeFlags(["-O", "-Xcc", "-fno-math-errno"])]

let package = Package(
    name: "LearningTechniques",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "chapter-optimizers", targets: ["chapter-optimizers"]),
        .executable(name: "chapter-initial-values", targets: ["chapter-initial-values"]),
        .executable(name: "chapter-batch-norm", targets: ["chapter-batch-norm"]),
        .executable(name: "chapter-overfitting", targets: ["chapter-overfitting"]),
        .executable(name: "chapter-weight-decay", targets: ["chapter-weight-decay"]),
        .executable(name: "chapter-dropout", targets: ["chapter-dropout"]),
        .executable(name: "chapter-hyperparameters", targets: ["chapter-hyperparameters"]),
        .executable(name: "report-index", targets: ["report-index"]),
        .executable(name: "lt-bench", targets: ["lt-bench"]),
    ],
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

        // Chapters: thin executables that read like the notebook they replace.
        .executableTarget(name: "chapter-optimizers", dependencies: ["Experiments"],
                          path: "chapters/optimizers", swiftSettings: optimized),
        .executableTarget(name: "chapter-initial-values", dependencies: ["Experiments"],
                          path: "chapters/initial-values", swiftSettings: optimized),
        .executableTarget(name: "chapter-batch-norm", dependencies: ["Experiments"],
                          path: "chapters/batch-norm", swiftSettings: optimized),
        .executableTarget(name: "chapter-overfitting", dependencies: ["Experiments"],
                          path: "chapters/overfitting", swiftSettings: optimized),
        .executableTarget(name: "chapter-weight-decay", dependencies: ["Experiments"],
                          path: "chapters/weight-decay", swiftSettings: optimized),
        .executableTarget(name: "chapter-dropout", dependencies: ["Experiments"],
                          path: "chapters/dropout", swiftSettings: optimized),
        .executableTarget(name: "chapter-hyperparameters", dependencies: ["Experiments"],
                          path: "chapters/hyperparameters", swiftSettings: optimized),
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
                    dependencies: ["Experiments", "chapter-optimizers", "chapter-initial-values", "chapter-batch-norm",
                                   "chapter-overfitting", "chapter-weight-decay", "chapter-dropout", "chapter-hyperparameters",
                                   "report-index"],
                    swiftSettings: optimized),
    ],
    swiftLanguageModes: [.v5]
)
