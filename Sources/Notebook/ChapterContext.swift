import Analysis
import ArgumentParser
import Claims
import Datasets
import Foundation
import Report
import Runs
import Statistics

/// What a chapter body gets: its data, its seeds, the report that comparisons record into, and
/// the settings log for the provenance.
public struct ChapterContext {
    public let options: ChapterOptions
    public let dataset: Dataset
    /// Settings shown in the provenance table, added as the chapter declares its experiments.
    public let settings: SettingsLog
    /// Finished runs to reuse, and the count of runs trained.
    public let cache: RunCache
    let report: Report

    init(options: ChapterOptions, dataset: Dataset, settings: SettingsLog, report: Report) {
        self.options = options; self.dataset = dataset; self.settings = settings; self.report = report
        cache = options.runCache()
    }

    /// A context for work that writes no report (a shard of a search).
    public init(options: ChapterOptions, dataset: Dataset) {
        self.init(options: options, dataset: dataset, settings: SettingsLog(), report: Report(chapter: "", title: ""))
    }

    public var seeds: [UInt64] { options.seedList }
    public var quick: Bool { options.quick }
    /// How many runs go side by side.
    public var workers: Int { options.workerCount }

    /// A setting: the user's value if given, else the course's (`full`), or `quick` with --quick.
    public func pick<Value>(_ given: Value?, full: Value, quick shortened: Value) -> Value {
        given ?? (quick ? shortened : full)
    }

    /// Fails with a one-line error when a chapter asks for more training images than the dataset has.
    public func requireTrainingImages(_ count: Int, option: String) throws {
        guard count <= dataset.training.count else {
            throw ValidationError("\(option): \(count) training images asked for, but \(dataset.name) has \(dataset.training.count)")
        }
    }

    /// Trains runs that are not part of a comparison (with this chapter's cores and cache).
    public func train(_ runs: [TrainingRun], title: String) -> [RunResult] {
        Runs.train(runs, on: dataset, workers: workers, cache: cache, progress: progressLine(title))
    }

    /// A progress line for a training call, on a terminal only.
    func progressLine(_ title: String) -> ProgressLine { ProgressLine(title) }
}

/// Settings the chapter reports, in the order it declared them: in words for the provenance table,
/// and, for an experiment, every setup it trained as its value (for results.json).
public final class SettingsLog {
    public private(set) var entries: [(String, String)] = []
    /// Each experiment's setups, by its title: every arm's label, setup and seeds.
    public private(set) var setups: [(String, [(label: String, setup: TrainingSetup, seeds: [UInt64])])] = []

    /// Records a setting; one recorded again under the same name replaces the earlier entry, in its place.
    public func record(_ name: String, _ value: String, setups: [(label: String, setup: TrainingSetup, seeds: [UInt64])] = []) {
        if let i = entries.firstIndex(where: { $0.0 == name }) { entries[i] = (name, value) } else { entries.append((name, value)) }
        guard !setups.isEmpty else { return }
        if let i = self.setups.firstIndex(where: { $0.0 == name }) { self.setups[i] = (name, setups) } else { self.setups.append((name, setups)) }
    }
}

extension ChapterContext {
    /// A decision measured over seeds without training (a statistic of random layers): made on the
    /// chapter's seeds, then on 5, 10 and 20 (up to `--max-seeds`) while it is undecided.
    public func decide(_ measure: ([UInt64]) -> Decision) -> Decision {
        SequentialPlan.claims.run(start: seeds.count, cap: options.seedCap) { count in
            measure((0..<UInt64(count)).map { options.seed &+ $0 })
        }
    }
}
