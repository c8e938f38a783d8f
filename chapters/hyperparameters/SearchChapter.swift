import Analysis
import ArgumentParser
import Claims
import Datasets
import Formatting
import Foundation
import Notebook
import Report
import Runs
import Search
import Statistics

/// `--method`: one search method by its name, or `all` of them.
struct MethodSelection: ExpressibleByArgument, Sendable {
    let methods: [SearchMethod]

    static let all = MethodSelection(methods: SearchMethod.allCases)

    init(methods: [SearchMethod]) { self.methods = methods }

    init?(argument: String) {
        if argument == "all" { self = .all; return }
        guard let method = SearchMethod(rawValue: argument) else { return nil }
        methods = [method]
    }

    static var allValueStrings: [String] { SearchMethod.allCases.map(\.rawValue) + ["all"] }
    var defaultValueDescription: String {
        methods.count == SearchMethod.allCases.count ? "all" : methods.map(\.rawValue).joined()
    }
}

/// The options of a chapter that runs a hyperparameter search: its size, its box, and how to run
/// it in pieces (shards of a stage on several machines, a stage combined, the rest merged).
struct SearchOptions: ParsableArguments {
    @Option(help: ArgumentHelp("""
        Trials per method and seed (default \(HyperparametersChapter.Defaults.trials), \
        \(HyperparametersChapter.Defaults.quickTrials) with --quick).
        """, valueName: "n"))
    var trials: Int?

    @Option(help: ArgumentHelp("""
        Which search: \(SearchMethod.allCases.map(\.rawValue).joined(separator: ", ")) (random-2x: random search with twice \
        the trials), or all.
        """, valueName: "name"))
    var method = MethodSelection.all

    @Option(parsing: .unconditional, help: ArgumentHelp("""
        Learning rates searched, as two powers of ten; the notes' range is 10⁻⁶ to 10⁻².
        """, valueName: "low,high"))
    var lrRange = NumberList(SearchSpace.notes[.learningRate]!)

    @Option(parsing: .unconditional, help: ArgumentHelp("""
        Weight decays searched, as two powers of ten; the notes' range is 10⁻⁸ to 10⁻⁴.
        """, valueName: "low,high"))
    var wdRange = NumberList(SearchSpace.notes[.weightDecay]!)

    @Option(help: ArgumentHelp("""
        Train only shard i of n of the next stage of the search and write it to a shard file, not a report.
        """, valueName: "i/n"))
    var shard: Shard?

    @Option(help: ArgumentHelp("""
        The stage file of the stages already trained (with --shard, --combine or --merge).
        """, valueName: "file"))
    var after: String?

    @Option(parsing: .upToNextOption, help: ArgumentHelp("""
        Combine the shard files of a stage (a complete set) into the next stage file, not a report.
        """, valueName: "file"))
    var combine: [String] = []

    @Option(parsing: .upToNextOption, help: ArgumentHelp("""
        Build the report from these shard files (a complete set of one stage; --after for the stages before).
        """, valueName: "file"))
    var merge: [String] = []

    @Flag(help: """
        Print how many stages the search has (each can be sharded; a stage depends only on those before it) and stop.
        """)
    var stages = false

    init() {}

    mutating func validate() throws {
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

/// The search and the pieces it can be run in.
extension HyperparametersChapter {
    /// Everything that decides the numbers, from the command line.
    func settings(_ context: ChapterContext) -> SearchSettings {
        let trials = search.trials ?? (context.quick ? Defaults.quickTrials : Defaults.trials)
        let (rates, decays) = (search.lrRange.values, search.wdRange.values)
        let space = SearchSpace(learningRate: rates[0]...rates[1], weightDecay: decays[0]...decays[1])
        var settings = SearchSettings(methods: search.method.methods, trials: trials,
                                      epochs: schedule.epochs(quick: context.quick), seeds: context.seeds, space: space,
                                      dataset: SearchImages(context.dataset))
        settings.tuningImages = schedule.trainingImages
        return settings
    }

    /// The search these options ask for, once the dataset is known to hold its tuning images.
    func hyperparameterSearch(_ context: ChapterContext) throws -> HyperparameterSearch {
        let settings = self.settings(context)
        try context.requireTrainingImages(settings.tuningImages, option: "--train-size")
        return HyperparameterSearch(settings: settings, dataset: context.dataset, workers: context.workers,
                                    cache: context.cache,
                                    observer: TrialLog())
    }

    /// The runs trained elsewhere that the report starts from: the stage file given with --after and
    /// the shard files given with --merge (checked before anything is trained).
    func precomputed(_ search: HyperparameterSearch) throws -> [RunResult] {
        let earlier = try self.search.after.map(search.readStage) ?? []
        return self.search.merge.isEmpty ? earlier : earlier
            + (try search.readShards(self.search.merge, after: earlier))
    }

    /// A shard of a stage, a stage combined, the count of stages, or the report.
    func run() throws {
        guard search.shard != nil || !search.combine.isEmpty || search.stages else { return try writeReport() }
        let context = ChapterContext(options: options, dataset: try options.loadDataset())
        let hyperparameterSearch = try self.hyperparameterSearch(context)
        let folder = (options.output as NSString).appendingPathComponent(Self.name)
        let earlier = try search.after.map(hyperparameterSearch.readStage) ?? []
        if search.stages {
            print(hyperparameterSearch.settings.stageCount)
        } else if let shard = search.shard {
            let (path, stage, trials) = try hyperparameterSearch.writeShard(shard, after: earlier, into: folder)
            print("""
                \(Self.chapterCommandName): wrote \(path) (stage \(stage), \(trials) trials); runs: \
                \(context.cache.summary)
                """)
        } else {
            let stage = hyperparameterSearch.nextStage(after: earlier)?.stage ?? 0
            let results = earlier + (try hyperparameterSearch.readShards(search.combine, after: earlier))
            let path = try hyperparameterSearch.writeStage(stage, results: results, into: folder)
            print("\(Self.chapterCommandName): wrote \(path) (stages 1 to \(stage), \(results.count) runs)")
        }
    }
}

/// The search shown as it goes: a progress line of trials with the best validation accuracy so far,
/// and a line for each finished trial.
final class TrialLog: SearchObserver {
    private var progress = ProgressLine("hyperparameter search", unit: "trials")
    private var best = -Double.infinity
    /// What tells this search's lines from another's ("wider range"), if anything.
    private let search: String?

    init(search: String? = nil) { self.search = search }

    func planned(trials: Int) { progress = ProgressLine("hyperparameter search", total: trials, unit: "trials") }

    func finished(_ trial: TrialRecord, bestOfItsSearch: Double?) {
        if let score = trial.score { best = max(best, score) }
        progress.advance(detail: "best validation accuracy " + (best.isFinite ? Format.percent(best) : "—"))
        progress.log(Self.line(trial, best: bestOfItsSearch, search: search))
    }

    /// "random seed 1 #7: lr 1.2e-3, wd 4.5e-6, validation 62.0%; best so far 71.0%"
    static func line(_ trial: TrialRecord, best: Double?, search: String? = nil) -> String {
        let outcome = trial.failedEpoch.map { "failed in epoch \($0) (loss NaN or infinite)" }
            ?? "validation \(Format.percent(trial.score!))"
        let name = trial.method.rawValue + (search.map { " (\($0))" } ?? "")
        return "\(name) seed \(trial.seed) #\(trial.number): \(trial.hyperparameters.summary), \(outcome); "
            + "best so far \(best.map { Format.percent($0) } ?? "—")"
    }

    func ended() { progress.finish() }
}
