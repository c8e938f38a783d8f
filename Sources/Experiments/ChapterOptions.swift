import ArgumentParser
import Datasets
import Foundation
import Plot

/// The options every chapter takes.
public struct ChapterOptions: ParsableArguments {
    @Flag(help: "Shrink every run (fewer iterations, seeds and samples) for a fast check; the report says so.")
    public var quick = false

    @Option(help: ArgumentHelp("How many seeds each comparison runs over.", valueName: "n"))
    public var seeds: Int?

    @Option(help: ArgumentHelp("The first seed; runs use seed, seed+1, ...", valueName: "s"))
    public var seed: UInt64 = 1

    @Option(help: ArgumentHelp("The folder that receives <chapter>/README.md and its figures.", valueName: "dir"))
    public var output = "output"

    @Option(help: ArgumentHelp("Figure formats, comma-separated: png, svg, pdf (PNG is always written).", valueName: "list"))
    public var formats = "png"

    @Option(help: ArgumentHelp("A folder with the four MNIST IDX files (gzipped or not); default: $MNIST_DIR, else the 5,000 embedded digits.",
                               valueName: "dir"))
    public var data: String?

    @Option(help: ArgumentHelp("mnist or fashion-mnist.", valueName: "name"))
    public var dataset = "mnist"

    @Option(help: ArgumentHelp("Training iterations of the chapter's MNIST comparison (default: the course's; fewer with --quick).",
                               valueName: "n"))
    public var iterations: Int?

    @Option(help: ArgumentHelp("Mini-batch size of the chapter's MNIST comparison (default: the course's).", valueName: "n"))
    public var batchSize: Int?

    @Option(help: ArgumentHelp("How many runs go side by side (default: one per core).", valueName: "n"))
    public var jobs: Int?

    public init() {}

    public mutating func validate() throws {
        if let seeds, seeds <= 0 { throw ValidationError("--seeds must be a positive number, got \(seeds)") }
        if let jobs, jobs <= 0 { throw ValidationError("--jobs must be a positive number, got \(jobs)") }
        if let iterations, iterations <= 0 { throw ValidationError("--iterations must be a positive number, got \(iterations)") }
        if let batchSize, batchSize <= 0 { throw ValidationError("--batch-size must be a positive number, got \(batchSize)") }
        do {
            _ = try ImageFormat.list(formats)
            _ = try DatasetKind(argument: dataset)
        } catch {
            throw ValidationError(String(describing: error))
        }
        if let data, !FileManager.default.fileExists(atPath: data) {
            throw ValidationError("--data: no such folder: \(data)")
        }
    }

    /// Seeds for the comparisons: `--seeds` of them (default 3, or 2 with --quick) from `--seed`.
    public var seedList: [UInt64] {
        let count = seeds ?? (quick ? 2 : 3)
        return (0..<UInt64(count)).map { seed &+ $0 }
    }

    public var imageFormats: [ImageFormat] { (try? ImageFormat.list(formats)) ?? [.png] }

    public var workerCount: Int { jobs ?? defaultWorkerCount }

    public func loadDataset() throws -> Dataset {
        try Dataset.load(DatasetKind(argument: dataset), directory: data)
    }
}
