import Datasets
import Foundation
import Runs
import Statistics

/// What a search found: each method's trials in order, for each seed.
public struct SearchResults: Sendable {
    public let settings: SearchSettings
    private let records: [SearchMethod: [UInt64: [TrialRecord]]]
    /// The box of each seed's second coarse-to-fine round.
    public let narrowed: [UInt64: SearchSpace]

    public init(settings: SearchSettings, trials: [SearchMethod: [UInt64: [TrialRecord]]], narrowed: [UInt64: SearchSpace] = [:]) {
        self.settings = settings
        records = trials
        self.narrowed = narrowed
    }

    /// The methods that ran, in the order asked for.
    public var methods: [SearchMethod] { settings.methods.filter { records[$0] != nil } }

    /// The trials of `method` for search seed `seed`, in order (none for a method that did not run).
    public func trials(_ method: SearchMethod, seed: UInt64) -> [TrialRecord] { records[method]?[seed] ?? [] }

    /// Every trial of `method`, seed after seed.
    public func trials(_ method: SearchMethod) -> [TrialRecord] { settings.seeds.flatMap { trials(method, seed: $0) } }

    /// The best score after each trial (NaN until a trial succeeds).
    public func bestSoFar(_ method: SearchMethod, seed: UInt64) -> [Double] {
        var best = -Double.infinity
        return trials(method, seed: seed).map { record in
            if let v = record.score { best = max(best, v) }
            return best.isFinite ? best : .nan
        }
    }

    /// The best score after `count` trials, one value per seed.
    public func best(_ method: SearchMethod, after count: Int) -> SeedSummary {
        SeedSummary(settings.seeds.map { seed in
            let curve = bestSoFar(method, seed: seed)
            return count >= 1 && count <= curve.count ? curve[count - 1] : .nan
        })
    }

    /// The best score so far against the trial number, over seeds: a mean and a band.
    public func bestSoFarBand(_ method: SearchMethod) -> SeedBand {
        let curves = settings.seeds.map { bestSoFar(method, seed: $0) }
        // As many trials as the method ran (random search at twice the budget runs twice as many).
        return SeedBand(x: (1...max(curves.map(\.count).max() ?? 1, 1)).map(Double.init), curves: curves)
    }

    /// The epochs a method has spent after each of its trials, seed `seed`: each trial trains from
    /// the start for its own budget, and the trials of a round count in their order.
    public func epochsSpent(_ method: SearchMethod, seed: UInt64) -> [Int] {
        var total = 0
        return trials(method, seed: seed).map { total += settings.epochs(of: $0.trial); return total }
    }

    /// The best score once `epochs` epochs were spent, one value per seed (NaN before the first success).
    public func best(_ method: SearchMethod, afterEpochs epochs: Int) -> SeedSummary {
        SeedSummary(settings.seeds.map { seed in
            zip(trials(method, seed: seed), epochsSpent(method, seed: seed)).filter { $0.1 <= epochs }.compactMap(\.0.score).max() ?? .nan
        })
    }

    /// The best score against the epochs spent, at each of `grid`, over seeds: a mean and a band.
    public func bestByEpochs(_ method: SearchMethod, grid: [Int]) -> SeedBand {
        let values = grid.map { best(method, afterEpochs: $0).values }
        return SeedBand(x: grid.map(Double.init), curves: settings.seeds.indices.map { s in values.map { $0[s] } })
    }

    /// The epochs a method spent in all, the most over seeds.
    public func totalEpochs(_ method: SearchMethod) -> Int { settings.seeds.map { epochsSpent(method, seed: $0).last ?? 0 }.max() ?? 0 }

    /// The trials of `method` for search seed `seed` that trained the full length and did not fail,
    /// among its first `count` trials when given.
    public func fullLength(_ method: SearchMethod, seed: UInt64, first count: Int? = nil) -> [TrialRecord] {
        trials(method, seed: seed).prefix(count ?? .max).filter { !$0.failed && settings.epochs(of: $0.trial) == settings.epochs }
    }

    /// `method`'s chosen setting on seed `seed`: its full-length trial with the best validation score
    /// (the first of equals), among its first `count` trials when given.
    public func chosen(_ method: SearchMethod, seed: UInt64, first count: Int? = nil) -> TrialRecord? {
        fullLength(method, seed: seed, first: count).max { $0.score! < $1.score! }
    }

    /// The trial with the best score (the first of equals).
    public func best(_ method: SearchMethod, seed: UInt64) -> TrialRecord? {
        trials(method, seed: seed).filter { !$0.failed }.max { $0.score! < $1.score! }
    }

    /// How many trials of `method` failed, over every seed.
    public func failures(_ method: SearchMethod) -> Int { trials(method).filter(\.failed).count }
}

/// Hears how a search goes: how many trials train in all, each as it ends (trained here, by a
/// shard, or read from the cache) with the best score of its method and seed so far, and the end.
/// Whoever shows the search to a reader passes one; the search itself only reports.
public protocol SearchObserver: AnyObject {
    func planned(trials: Int)
    func finished(_ trial: TrialRecord, bestOfItsSearch: Double?)
    func ended()
}

/// Runs the searches of every method and seed against the training objective, trials side by side
/// on every core.
public struct HyperparameterSearch {
    public let settings: SearchSettings
    public let dataset: Dataset
    public let workers: Int
    /// Hears of the search as it goes (a progress line, a log of trials); nil for none.
    public let observer: SearchObserver?
    /// Finished trials to reuse.
    public let cache: RunCache?

    public init(settings: SearchSettings, dataset: Dataset, workers: Int, cache: RunCache? = nil, observer: SearchObserver? = nil) {
        self.settings = settings; self.dataset = dataset; self.workers = workers; self.cache = cache; self.observer = observer
    }

    /// Every method's trials. Runs already done elsewhere (by shards) are taken from `precomputed`.
    public func run(precomputed: [RunResult] = []) -> SearchResults {
        observer?.planned(trials: settings.seeds.count * settings.distinctTrials)
        defer { observer?.ended() }
        let objective = TrainingObjective(settings: settings, dataset: dataset, workers: workers, cache: cache, observer: observer,
                                          precomputed: precomputed)
        let strategies = settings.strategies
        let trials = search(strategies, seeds: settings.seeds, objective: objective, workers: workers, cache: cache)
        var narrowed: [UInt64: SearchSpace] = [:]
        if let coarse = strategies.lazy.compactMap({ $0 as? CoarseToFine }).first, let records = trials[SearchMethod.coarseToFine] {
            for (seed, done) in records { narrowed[seed] = coarse.narrowedBox(after: Array(done.prefix(coarse.firstRound))) }
        }
        return SearchResults(settings: settings, trials: trials, narrowed: narrowed)
    }
}

/// Hyperband's premise, measured: does a setting's validation score after a few epochs rank it as
/// its score after the full length does?
public struct EarlyRanking: Sendable {
    /// The early epoch.
    public let epochs: Int
    /// Spearman's rank correlation between the scores after `epochs` and at the end, one per seed.
    public let correlation: SeedSummary
    /// Seeds in which the setting best at the end is among the best third after `epochs`: where
    /// a first cut at that length would have kept it.
    public let keepsTheBest: Int
    /// Every trial's score after `epochs` and at the end, with its seed, for a figure.
    public let points: [(seed: UInt64, early: Double, final: Double)]
}

extension SearchResults {
    /// For each of `epochs`, how the validation scores of `method`'s full-length trials after that
    /// many epochs rank them against their scores at the end. Trials that failed or have no curve
    /// there are left out.
    public func earlyRanking(_ method: SearchMethod, at epochs: [Int]) -> [EarlyRanking] {
        epochs.map { e in
            var correlations: [Double] = [], kept = 0
            var points: [(seed: UInt64, early: Double, final: Double)] = []
            for seed in settings.seeds {
                let pairs = trials(method, seed: seed).compactMap { record -> (Double, Double)? in
                    guard let score = record.score, let curve = record.outcome.result?.history.curve(.validationAccuracy),
                          let index = curve.x.firstIndex(of: Double(e)) else { return nil }
                    return (curve.y[index], score)
                }
                guard pairs.count >= 3 else { continue }
                correlations.append(spearman(pairs.map(\.0), pairs.map(\.1)))
                points += pairs.map { (seed, $0.0, $0.1) }
                let best = pairs.indices.max { pairs[$0].1 < pairs[$1].1 }!
                let third = pairs.indices.sorted { pairs[$0].0 > pairs[$1].0 }.prefix(max(1, pairs.count / 3))
                if third.contains(best) { kept += 1 }
            }
            return EarlyRanking(epochs: e, correlation: SeedSummary(correlations), keepsTheBest: kept, points: points)
        }
    }
}
