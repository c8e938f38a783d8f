import Analysis
import ArgumentParser
import Claims
import Datasets
import Formatting
import Foundation
import Plot
import Report
import Runs
import Statistics

/// The options every chapter takes.
public struct ChapterOptions: ParsableArguments {
    @Flag(help: "Shrink every run (fewer epochs or iterations, seeds and settings) for a fast check; the report says so.")
    public var quick = false

    @Option(help: ArgumentHelp("How many seeds each comparison runs over (default 3, or 2 with --quick).", valueName: "n"))
    public var seeds: Int?

    @Option(help: ArgumentHelp("The first seed; runs use seed, seed+1, ...", valueName: "s"))
    public var seed: UInt64 = 1

    @Option(help: ArgumentHelp("Seeds a comparison may grow to while a claim it decides is undecided: 5, 10, then 20 (default 20; no more than --seeds with --quick).",
                               valueName: "n"))
    public var maxSeeds: Int?

    @Option(help: ArgumentHelp("The folder that receives <chapter>/README.md and its figures.", valueName: "dir"))
    public var output = "output"

    @Option(help: ArgumentHelp("Figure formats, comma-separated: png, svg, pdf (PNG is always written).", valueName: "list"),
            transform: { try ImageFormat.list($0) })
    public var formats: [ImageFormat] = [.png]

    @Option(help: ArgumentHelp("""
        A folder with the four MNIST IDX files (gzipped or not); default: $MNIST_DIR, else data/mnist in the checkout, \
        fetched and verified there when missing.
        """, valueName: "dir"))
    public var data: String?

    @Option(help: ArgumentHelp("""
        Which dataset: mnist (the full 60,000 / 10,000, the course's), mnist-5k (the 5,000 embedded digits, offline) or \
        fashion-mnist.
        """, valueName: "name"))
    public var dataset: DatasetKind = .mnist

    @Option(help: ArgumentHelp("How many runs go side by side (default: one per core).", valueName: "n"))
    public var jobs: Int?

    @Option(help: ArgumentHelp("Where finished runs are kept and reused (default: .cache in the checkout).", valueName: "dir"))
    public var cache: String?

    @Flag(help: "Train every run again, reading and writing no cache.")
    public var noCache = false

    public init() {}

    public mutating func validate() throws {
        try positive(seeds, "--seeds")
        try positive(maxSeeds, "--max-seeds")
        try positive(jobs, "--jobs")
        if let data, !FileManager.default.fileExists(atPath: data) {
            throw ValidationError("--data: no such folder: \(data)")
        }
    }

    /// Seeds for the comparisons: `--seeds` of them (default 3, or 2 with --quick) from `--seed`.
    public var seedList: [UInt64] {
        let count = seeds ?? (quick ? 2 : 3)
        return (0..<UInt64(count)).map { seed &+ $0 }
    }

    public var workerCount: Int { jobs ?? defaultWorkerCount }

    /// The most seeds a comparison may grow to: `--max-seeds`, by default the claims' plan's last look
    /// (20), or no more than the chapter's seeds with --quick.
    public var seedCap: Int { max(maxSeeds ?? (quick ? seedList.count : SequentialPlan.claims.looks.last!), seedList.count) }

    /// The next, larger set of seeds for a comparison whose claims are undecided over `seeds`: the
    /// claims' sequential plan's next look (5, 10, then 20, or the cap); nil after the last look.
    public func moreSeeds(than seeds: [UInt64]) -> [UInt64]? {
        guard let count = SequentialPlan.claims.next(after: seeds.count, start: seedList.count, cap: seedCap) else { return nil }
        return (0..<UInt64(count)).map { seed &+ $0 }
    }

    /// The run cache these options ask for (one that only counts, with --no-cache): by default
    /// `.cache` in the checkout, named to the reader by its path from there.
    public func runCache() -> RunCache {
        if noCache { return .off }
        let folder = cache ?? (SourceExcerpt.repositoryRoot as NSString).appendingPathComponent(".cache")
        let root = SourceExcerpt.repositoryRoot + "/"
        return RunCache(folder: folder, displayName: folder.hasPrefix(root) ? String(folder.dropFirst(root.count)) : folder)
    }

    /// The dataset these options ask for. Where the full MNIST has to be fetched first, its progress
    /// goes to standard error; where it cannot be, the 5,000 embedded digits stand in, and a line on
    /// standard error says so (every page says it too, under its title).
    public func loadDataset(command: String = CommandLine.arguments.first.map { ($0 as NSString).lastPathComponent } ?? "chapter")
        throws -> Dataset {
        let progress: @Sendable (String) -> Void = { line in
            FileHandle.standardError.write(Data("\(command): \(line)\n".utf8))
        }
        let loaded = try Dataset.load(dataset, directory: data, progress: progress)
        if let fallback = loaded.fallback { progress("warning: \(fallback)") }
        return loaded
    }
}

/// A chapter's defaults for the length of its runs and its training images: the one place each is
/// written. `--help` shows them, the chapter's runs use them, and a test checks the README's table
/// of options against them.
public protocol ChapterDefaults {
    /// The course's length: epochs, or iterations for a chapter of iteration-based runs.
    static var length: Int { get }
    /// The length with --quick.
    static var quickLength: Int { get }
    /// Training images of the main experiment; nil where the chapter trains on the whole set.
    static var trainingImages: Int? { get }
    /// Mini-batch size; nil where the chapter's experiments set their own.
    static var batchSize: Int? { get }
}

extension ChapterDefaults {
    public static var trainingImages: Int? { nil }
    public static var batchSize: Int? { nil }
}

/// The length of an iteration-based chapter's runs, with its defaults from `Defaults`.
public struct IterationOptions<Defaults: ChapterDefaults>: ParsableArguments {
    @Option(help: ArgumentHelp("Training iterations of every run in the chapter (default \(Defaults.length), \(Defaults.quickLength) with --quick).",
                               valueName: "n"))
    public var iterations: Int?

    @Option(help: ArgumentHelp("Mini-batch size of the chapter's \(Defaults.batchSize == nil ? "" : "MNIST ")comparison (default \(Defaults.batchSize ?? 100)).",
                               valueName: "n"))
    public var batchSize: Int?

    public init() {}

    public mutating func validate() throws {
        try positive(iterations, "--iterations")
        try positive(batchSize, "--batch-size")
    }

    /// The iterations asked for, or the default (the short one with `quick`).
    public func iterations(quick: Bool) -> Int { iterations ?? (quick ? Defaults.quickLength : Defaults.length) }
    /// The batch size asked for, or the default.
    public var batch: Int { batchSize ?? Defaults.batchSize ?? 100 }
}

/// The length and the training-set size of an epoch-based chapter's main experiment, with their
/// defaults from `Defaults`.
public struct EpochOptions<Defaults: ChapterDefaults>: ParsableArguments {
    @Option(help: ArgumentHelp("Epochs of the chapter's main experiment (default \(Defaults.length), \(Defaults.quickLength) with --quick).",
                               valueName: "n"))
    public var epochs: Int?

    @Option(help: ArgumentHelp("Training images of the chapter's main experiment (default \(Defaults.trainingImages ?? 0)).", valueName: "n"))
    public var trainSize: Int?

    public init() {}

    public mutating func validate() throws {
        try positive(epochs, "--epochs")
        try positive(trainSize, "--train-size")
    }

    /// The epochs asked for, or the default (the short one with `quick`).
    public func epochs(quick: Bool) -> Int { epochs ?? (quick ? Defaults.quickLength : Defaults.length) }
    /// The training images asked for, or the default.
    public var trainingImages: Int { trainSize ?? Defaults.trainingImages ?? 0 }
}

/// A comma-separated list of numbers on the command line: `--lambdas 0,0.01,0.1`.
public struct NumberList: ExpressibleByArgument, Sendable, CustomStringConvertible {
    public let values: [Double]

    public init(_ values: [Double]) { self.values = values }

    /// A range's two ends: "low,high".
    public init(_ range: ClosedRange<Double>) { values = [range.lowerBound, range.upperBound] }

    public init?(argument: String) {
        let parts = argument.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
        let numbers = parts.compactMap(Double.init)
        guard !parts.isEmpty, numbers.count == parts.count, numbers.allSatisfy(\.isFinite) else { return nil }
        values = numbers
    }

    public var description: String { values.map { Format.typed($0) }.joined(separator: ",") }
    public var defaultValueDescription: String { description }

    /// Throws a one-line error naming `option` unless every value passes `valid`.
    public func require(_ option: String, _ rule: String, _ valid: (Double) -> Bool) throws {
        if let bad = values.first(where: { !valid($0) }) {
            throw ValidationError("\(option): every value must be \(rule), got \(Format.typed(bad))")
        }
    }
}

/// Throws "<option> must be a positive number, got <value>" for a value below 1.
func positive(_ value: Int?, _ option: String) throws {
    if let value, value <= 0 { throw ValidationError("\(option) must be a positive number, got \(value)") }
}

extension DatasetKind: ExpressibleByArgument {
    /// `--dataset mnist`, `--dataset Fashion-MNIST`: the name in any case.
    public init?(argument: String) { self.init(rawValue: argument.lowercased()) }
}
