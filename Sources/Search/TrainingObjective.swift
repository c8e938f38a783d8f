import Datasets
import Foundation
import Formatting
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
    let progress: ProgressLine
    let logsTrials: Bool
    /// Runs already trained (by shards), by what decides them.
    private var known: [RunIdentity: RunResult]
    /// The best score so far of each method and seed, and of all, for the log and the progress line.
    private var best: [TrialKey: Double] = [:]
    private var overall = -Double.infinity

    struct TrialKey: Hashable { let method: SearchMethod; let seed: UInt64 }

    init(settings: SearchSettings, dataset: Dataset, workers: Int, cache: RunCache?, progress: ProgressLine, logsTrials: Bool,
         precomputed: [RunResult]) {
        self.settings = settings; self.dataset = dataset; self.workers = workers; self.cache = cache
        self.progress = progress; self.logsTrials = logsTrials
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
        progress.advance(by: firstTrial.count - missing.count)
        // `train` tells of one finished run at a time, so the running bests need no lock of their own.
        let results = train(missing, on: dataset, title: "trials", workers: workers, cache: cache, quiet: true) { [self] result in
            let trial = firstTrial[RunIdentity(result.run)]!
            let record = TrialRecord(trial: trial, outcome: Self.outcome(result))
            let key = TrialKey(method: trial.method, seed: trial.seed)
            if let score = record.score {
                best[key] = max(best[key] ?? 0, score)
                overall = max(overall, score)
            }
            progress.advance(detail: "best validation accuracy " + (overall.isFinite ? Format.percent(overall) : "—"))
            if logsTrials { progress.log(Self.line(record, best: best[key] ?? .nan)) }
        }
        for result in results { known[RunIdentity(result.run)] = result }
        return runs.map { Self.outcome(known[RunIdentity($0)]!) }
    }

    /// One line for a finished trial.
    static func line(_ trial: TrialRecord, best: Double) -> String {
        let outcome = trial.failedEpoch.map { "failed in epoch \($0) (loss NaN or infinite)" }
            ?? "validation \(Format.percent(trial.score!))"
        return "\(trial.method.rawValue) seed \(trial.seed) #\(trial.number): \(trial.hyperparameters.summary), \(outcome); "
            + "best so far \(best.isFinite ? Format.percent(best) : "—")"
    }
}
