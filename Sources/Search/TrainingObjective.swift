import Datasets
import Foundation
import Runs

/// The search's real objective: train the network of each trial on the tuning images and score it
/// by its validation accuracy after the last epoch. Trials of one call train side by side; a trial
/// that repeats another's run (the random start every method shares) trains once, and runs a shard
/// trained elsewhere are taken as they are.
final class TrainingObjective: Objective {
    let settings: SearchSettings
    let dataset: Dataset
    let workers: Int
    let cache: RunCache?
    let observer: SearchObserver?
    /// Runs already trained (by shards), by what decides them.
    private var known: [RunIdentity: RunResult]
    /// The best score so far of each method and seed, for the observer.
    private var best: [TrialKey: Double] = [:]

    struct TrialKey: Hashable { let method: SearchMethod; let seed: UInt64 }

    init(settings: SearchSettings, dataset: Dataset, workers: Int, cache: RunCache?, observer: SearchObserver?, precomputed: [RunResult]) {
        self.settings = settings; self.dataset = dataset; self.workers = workers; self.cache = cache; self.observer = observer
        known = Dictionary(precomputed.map { (RunIdentity($0.run), $0) }, uniquingKeysWith: { a, _ in a })
    }

    /// What a trained trial scored.
    static func outcome(_ result: RunResult) -> Outcome {
        let history = result.history
        return history.diverged ? Outcome(score: nil, failedEpoch: history.divergedInEpoch, result: result)
            : Outcome(score: history.validationAccuracy.last, trainingScore: history.trainAccuracy.last, result: result)
    }

    func evaluate(_ trials: [Trial]) -> [Outcome] {
        let runs = trials.map { settings.run($0) }
        var firstTrial: [RunIdentity: Trial] = [:]
        for (trial, run) in zip(trials, runs) where firstTrial[RunIdentity(run)] == nil { firstTrial[RunIdentity(run)] = trial }
        var seen = Set<RunIdentity>()
        let missing = runs.filter { known[RunIdentity($0)] == nil && seen.insert(RunIdentity($0)).inserted }
        for run in Set(runs.map(RunIdentity.init)) where known[run] != nil { tell(firstTrial[run]!, known[run]!) }
        // `train` tells of one finished run at a time, so the running bests need no lock of their own.
        let results = settings.train(missing, on: dataset, workers: workers, cache: cache) { [self] result in
            tell(firstTrial[RunIdentity(result.run)]!, result)
        }
        for result in results { known[RunIdentity(result.run)] = result }
        return runs.map { Self.outcome(known[RunIdentity($0)]!) }
    }

    /// Tells the observer of a finished trial, with the best of its method and seed so far.
    private func tell(_ trial: Trial, _ result: RunResult) {
        let record = TrialRecord(trial: trial, outcome: Self.outcome(result))
        let key = TrialKey(method: trial.method, seed: trial.seed)
        if let score = record.score { best[key] = max(best[key] ?? 0, score) }
        observer?.finished(record, bestOfItsSearch: best[key])
    }
}
