import ArgumentParser
import Datasets
import Foundation
import Report
import Runs
import Search

/// `--method`: one search method, or all of them.
public enum MethodChoice: String, CaseIterable, ExpressibleByArgument, Sendable {
    case random, coarseToFine = "coarse-to-fine", bayes, hyperband, randomTwice = "random-2x", all

    public var methods: [SearchMethod] { self == .all ? SearchMethod.allCases : [SearchMethod(rawValue: rawValue)!] }
}

/// The options of a chapter that runs a hyperparameter search: its size, its box, and how to run
/// it in pieces (shards of a stage on several machines, a stage combined, the rest merged).
public struct SearchOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Trials per method and seed (default 100; 12 with --quick).", valueName: "n"))
    public var trials: Int?

    @Option(help: ArgumentHelp("Which search: random, coarse-to-fine, bayes, hyperband, random-2x (random search with twice the trials) or all.",
                               valueName: "name"))
    public var method = MethodChoice.all

    @Option(parsing: .unconditional, help: ArgumentHelp("Learning rates searched, as two powers of ten (default: the notes' -6,-2, 10⁻⁶ to 10⁻²).", valueName: "low,high"))
    public var lrRange = NumberList([SearchSpace.notes.learningRate.lowerBound, SearchSpace.notes.learningRate.upperBound])

    @Option(parsing: .unconditional, help: ArgumentHelp("Weight decays searched, as two powers of ten (default: the notes' -8,-4).", valueName: "low,high"))
    public var wdRange = NumberList([SearchSpace.notes.weightDecay.lowerBound, SearchSpace.notes.weightDecay.upperBound])

    @Option(help: ArgumentHelp("Train only shard i of n of the next stage of the search and write it to a shard file, not a report.", valueName: "i/n"))
    public var shard: Shard?

    @Option(help: ArgumentHelp("The stage file of the stages already trained (with --shard, --combine or --merge).", valueName: "file"))
    public var after: String?

    @Option(parsing: .upToNextOption, help: ArgumentHelp("Combine the shard files of a stage (a complete set) into the next stage file, not a report.", valueName: "file"))
    public var combine: [String] = []

    @Option(parsing: .upToNextOption, help: ArgumentHelp("Build the report from these shard files (a complete set of one stage; --after for the stages before).", valueName: "file"))
    public var merge: [String] = []

    @Flag(help: "Print how many stages the search has (each can be sharded; a stage depends only on those before it) and stop.")
    public var stages = false

    public init() {}

    public mutating func validate() throws {
        if let trials, trials < 2 { throw ValidationError("--trials must be at least 2, got \(trials)") }
        for (name, range) in [("--lr-range", lrRange), ("--wd-range", wdRange)] {
            guard range.values.count == 2, range.values[0] < range.values[1] else {
                throw ValidationError("\(name) takes two powers of ten, the lower first, got \(range)")
            }
        }
        if [shard != nil, !combine.isEmpty, !merge.isEmpty].filter({ $0 }).count > 1 {
            throw ValidationError("--shard, --combine and --merge do not go together")
        }
    }
}

/// A chapter whose experiment is a hyperparameter search, with the pieces it can be run in.
public protocol SearchChapter: Chapter {
    var search: SearchOptions { get }
    var schedule: EpochOptions { get }
}

extension SearchChapter {
    /// Everything that decides the numbers, from the command line.
    public func settings(_ context: ChapterContext) -> SearchSettings {
        var settings = SearchSettings(methods: search.method.methods, trials: context.pick(search.trials, full: 100, quick: 12),
                                      epochs: context.pick(schedule.epochs, full: 50, quick: 10), seeds: context.seeds,
                                      space: SearchSpace(learningRate: search.lrRange.values[0]...search.lrRange.values[1],
                                                         weightDecay: search.wdRange.values[0]...search.wdRange.values[1]),
                                      dataset: context.dataset.summary)
        settings.tuningImages = schedule.trainSize ?? 500
        return settings
    }

    /// The search these options ask for, once the dataset is known to hold its tuning images.
    public func hyperparameterSearch(_ context: ChapterContext) throws -> HyperparameterSearch {
        let settings = self.settings(context)
        try context.requireTrainingImages(settings.tuningImages, option: "--train-size")
        return HyperparameterSearch(settings: settings, dataset: context.dataset, workers: context.workers, cache: context.cache)
    }

    /// The runs trained elsewhere that the report starts from: the stage file given with --after and
    /// the shard files given with --merge (checked before anything is trained).
    public func precomputed(_ search: HyperparameterSearch) throws -> [RunResult] {
        let earlier = try self.search.after.map(search.readStage) ?? []
        return self.search.merge.isEmpty ? earlier : earlier + (try search.readShards(self.search.merge, after: earlier))
    }

    /// A shard of a stage, a stage combined, the count of stages, or the report.
    public func run() throws {
        guard search.shard != nil || !search.combine.isEmpty || search.stages else { return try writeReport() }
        let context = ChapterContext(options: options, dataset: try options.loadDataset())
        let hyperparameterSearch = try self.hyperparameterSearch(context)
        let folder = (options.output as NSString).appendingPathComponent(Self.name)
        let earlier = try search.after.map(hyperparameterSearch.readStage) ?? []
        if search.stages {
            print(hyperparameterSearch.settings.stageCount)
        } else if let shard = search.shard {
            let (path, stage, trials) = try hyperparameterSearch.writeShard(shard, after: earlier, into: folder)
            print("\(Self.chapterCommandName): wrote \(path) (stage \(stage), \(trials) trials); runs: \(context.cache.summary)")
        } else {
            let stage = hyperparameterSearch.nextStage(after: earlier)?.stage ?? 0
            let results = earlier + (try hyperparameterSearch.readShards(search.combine, after: earlier))
            let path = try hyperparameterSearch.writeStage(stage, results: results, into: folder)
            print("\(Self.chapterCommandName): wrote \(path) (stages 1 to \(stage), \(results.count) runs)")
        }
    }
}
