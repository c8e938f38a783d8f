// swift-tools-version:6.0
import Foundation
import PackageDescription

/// `swift run` builds in debug; numeric code is optimised there too, or every loop runs 20-50x slower.
let optimized: [SwiftSetting] = [.unsafeFlags(["-O", "-Xcc", "-fno-math-errno"])]

/// The chapters, in the notes' order, from the one list the Makefile, the index and the chapter
/// tests read too: thin executables `chapter-<name>`, built from `chapters/<name>`.
let chapters = try String(contentsOfFile: Context.packageDirectory + "/chapters/chapters.list", encoding: .utf8)
    .split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty && !$0.hasPrefix("#") }

let package = Package(
    name: "LearningTechniques",
    platforms: [.macOS(.v13)],
    products: (chapters.map { "chapter-" + $0 } + ["report-index", "lt-bench"]).map { .executable(name: $0, targets: [$0]) },
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-numerics", from: "1.1.1"),
    ],
    targets: [
        // System libraries, installed by `make deps` (apt-get).
        .systemLibrary(name: "CBLAS", path: "Sources/CBLAS", pkgConfig: "openblas",
                       providers: [.apt(["libopenblas-dev"])]),
        .systemLibrary(name: "CCairo", path: "Sources/CCairo", pkgConfig: "cairo",
                       providers: [.apt(["libcairo2-dev"])]),
        .systemLibrary(name: "CZlib", path: "Sources/CZlib", pkgConfig: "zlib",
                       providers: [.apt(["zlib1g-dev"])]),
        // GitHub's own Markdown parser (CommonMark with tables, autolinks, strikethrough).
        .systemLibrary(name: "CCmarkGFM", path: "Sources/CCmarkGFM", pkgConfig: "libcmark-gfm",
                       providers: [.apt(["libcmark-gfm-dev", "libcmark-gfm-extensions-dev"])]),

        // Per-thread floating-point control (subnormals flushed to zero), a few lines of C.
        .target(name: "CFloatControl", path: "Sources/CFloatControl"),

        // Libraries: dependencies point down only (see the README's picture).
        .target(name: "NumericCore",
                dependencies: [.product(name: "RealModule", package: "swift-numerics")],
                swiftSettings: optimized),
        // Seeds summarised: means, spreads, intervals, smoothing. Nothing here decides a run's numbers.
        .target(name: "Statistics", swiftSettings: optimized),
        .target(name: "Formatting", dependencies: ["Statistics"], swiftSettings: optimized),
        // The course's model: layers, optimizers, the network, the gradient check, written against a backend.
        .target(name: "NeuralNet", dependencies: ["NumericCore"], swiftSettings: optimized),
        // What trains it: the CPU backend on OpenBLAS and its kernels, the trainer, the dual form of SGD.
        .target(name: "Engine", dependencies: ["NumericCore", "NeuralNet", "CBLAS", "CFloatControl",
                                               .product(name: "RealModule", package: "swift-numerics")],
                swiftSettings: optimized),
        .target(name: "Datasets", dependencies: ["NumericCore", "CZlib"],
                resources: [.copy("Resources")], swiftSettings: optimized),
        .target(name: "Plot", dependencies: ["CCairo", "Formatting"], swiftSettings: optimized),
        .target(name: "Report", dependencies: ["Plot", "Formatting", "NumericCore"], swiftSettings: optimized),
        // The HTML edition: pages made from the reports' Markdown by cmark-gfm, as GitHub shows
        // them, with KaTeX from Debian.
        .target(name: "Site", dependencies: ["Report", "Plot", "Formatting", "NumericCore", "CCmarkGFM"], swiftSettings: optimized),
        // Runs carry a digest of every source compiled into them and the targets below them: the
        // code part of the run cache's keys, made by the build rather than kept by hand.
        // Runs holds what decides a run's numbers and nothing else: no words, no statistics.
        .target(name: "Runs", dependencies: ["NumericCore", "NeuralNet", "Engine", "Datasets"],
                swiftSettings: optimized, plugins: ["SourceDigest"]),
        // Search has a digest of its own too: the key of the proposals it keeps in the run cache.
        .target(name: "Search", dependencies: ["Runs", "Engine", "Statistics"], swiftSettings: optimized, plugins: ["SourceDigest"]),
        // Finished runs grouped by setting, what they measured over seeds, and how all of it is named to a reader.
        .target(name: "Analysis", dependencies: ["Runs", "NeuralNet", "Statistics", "Formatting", "Plot"], swiftSettings: optimized),
        // The claims engine: rules, decisions and margins.
        .target(name: "Claims", dependencies: ["Analysis", "Statistics", "Formatting", "Report", "NumericCore", "NeuralNet", "Runs"], swiftSettings: optimized),
        // What two or more chapters share: the chapter runtime, comparisons, columns, standard panels.
        .target(name: "Notebook",
                dependencies: ["Analysis", "Claims", "Search", "Engine", "Plot", "Report", .product(name: "ArgumentParser", package: "swift-argument-parser")],
                swiftSettings: optimized),
        .plugin(name: "SourceDigest", capability: .buildTool(), dependencies: ["code-digest"], path: "Sources/SourceDigest"),
        // Source code without its comments: what the digest hashes (the build runs it on the host).
        .target(name: "CodeDigest", path: "Sources/CodeDigest"),
        .executableTarget(name: "code-digest", dependencies: ["CodeDigest"], path: "Sources/CodeDigestTool"),

        .executableTarget(name: "report-index", dependencies: ["Notebook", "Claims", "Site"],
                          path: "chapters/report-index", swiftSettings: optimized),
        .executableTarget(name: "lt-bench", dependencies: ["Runs", "Engine"],
                          path: "bench/swift", swiftSettings: optimized),

        // Tests: one target per library, plus end-to-end chapter runs.
        .testTarget(name: "NumericCoreTests", dependencies: ["NumericCore"], swiftSettings: optimized),
        .testTarget(name: "CodeDigestTests", dependencies: ["CodeDigest"]),
        .testTarget(name: "StatisticsTests", dependencies: ["Statistics"], swiftSettings: optimized),
        .testTarget(name: "FormattingTests", dependencies: ["Formatting"], swiftSettings: optimized),
        .testTarget(name: "NeuralNetTests", dependencies: ["NeuralNet", "Engine", "Datasets"], swiftSettings: optimized),
        .testTarget(name: "EngineTests", dependencies: ["Engine", "NeuralNet", "Datasets"], swiftSettings: optimized),
        .testTarget(name: "DatasetsTests", dependencies: ["Datasets", "NumericCore"], swiftSettings: optimized),
        .testTarget(name: "PlotTests", dependencies: ["Plot"], swiftSettings: optimized),
        .testTarget(name: "ReportTests", dependencies: ["Report"], swiftSettings: optimized),
        .testTarget(name: "SiteTests", dependencies: ["Site", "Report"], swiftSettings: optimized),
        .testTarget(name: "RunsTests", dependencies: ["Runs", "Engine", "CodeDigest"], swiftSettings: optimized),
        .testTarget(name: "AnalysisTests", dependencies: ["Analysis", "Runs", "Engine", "Plot"], swiftSettings: optimized),
        .testTarget(name: "ClaimsTests", dependencies: ["Claims", "Analysis", "Runs", "Plot"], swiftSettings: optimized),
        .testTarget(name: "SearchTests", dependencies: ["Search", "Runs"], swiftSettings: optimized),
        .testTarget(name: "NotebookTests", dependencies: ["Notebook", "Plot", "Analysis", "Claims", "Engine"], swiftSettings: optimized),
        .testTarget(name: "ChapterTests",
                    dependencies: ["Notebook", "Runs", "Analysis", "Plot", "report-index"] + chapters.map { .target(name: "chapter-" + $0) },
                    swiftSettings: optimized),
    ] + chapters.map { chapter in
        .executableTarget(name: "chapter-" + chapter, dependencies: ["Notebook", "Claims", "Analysis", "Search", "Engine"], path: "chapters/" + chapter,
                          swiftSettings: optimized)
    },
    swiftLanguageModes: [.v5]
)
