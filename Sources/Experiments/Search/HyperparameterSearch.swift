import Datasets
import Foundation
import NeuralNet
import NumericCore
import Report

/// How a search picks its next trials.
public enum SearchMethod: String, Sendable, CaseIterable, Codable {
    /// The notes' search: every trial drawn at random from the whole box.
    case random
    /// The notes' step 4: half the budget at random, the other half in a box narrowed around the best.
    case coarseToFine = "coarse-to-fine"
    /// A Gaussian process of the results so far proposes where to look next.
    case bayes
}

/// Everything that decides a search's numbers: two searches with equal settings find the same trials.
public struct SearchSettings: Sendable, Hashable, Codable {
    public var methods: [SearchMethod]
    /// Trials per method and seed.
    public var trials: Int
    public var epochs: Int
    public var seeds: [UInt64]
    public var space: SearchSpace
    /// Which dataset, as its summary names it.
    public var dataset: String
    public var tuningImages = 500
    public var validationFraction = 0.2
    public var batchSize = 100
    public var hiddenSizes = Array(repeating: 100, count: 6)
    /// Proposals per round of Bayesian optimisation: a constant, so that the proposals, and with
    /// them every number, are the same however many cores run the trials.
    public var bayesBatch = 4

    public init(methods: [SearchMethod], trials: Int, epochs: Int, seeds: [UInt64], space: SearchSpace, dataset: String) {
        self.methods = methods; self.trials = trials; self.epochs = epochs; self.seeds = seeds; self.space = space; self.dataset = dataset
    }

    /// Coarse-to-fine's first round: this many trials at random, then the same again in the narrowed box.
    public var coarseRound: Int { max(1, trials / 2) }
    /// The best trials of the first round that the narrowed box is drawn around.
    public var coarseTop: Int { max(2, coarseRound / 10) }
    /// Random trials before Bayesian optimisation proposes its own.
    public var warmUp: Int { min(trials, max(2, trials / 10)) }

    /// The network every trial trains: 784, six hidden layers of 100 ReLU units (He), 10.
    public var network: NetworkConfiguration { NetworkConfiguration(hiddenSizes: hiddenSizes, activation: .relu, weightInitialization: .he) }

    /// A trial's training: SGD with the trial's learning rate and weight decay, on the tuning images
    /// of seed `seed`; accuracy is measured only before and after training unless `curves`.
    public func setup(_ h: Hyperparameters, seed: UInt64, curves: Bool = false) -> TrainingSetup {
        var network = self.network
        network.weightDecay = h.weightDecay
        return TrainingSetup(network: network, optimizer: .sgd(learningRate: h.learningRate), batchSize: batchSize,
                             length: .epochs(epochs, evaluateEvery: curves ? 1 : epochs),
                             data: .tuning(first: tuningImages, validationFraction: validationFraction, split: seed))
    }

    /// The training seed of trial `number` of a search seed: the same for every method, so trial n
    /// of each starts from the same weights and sees the same mini-batches.
    public func trialSeed(_ seed: UInt64, _ number: Int) -> UInt64 {
        var generator = SeededGenerator(seed: seed, stream: "trial \(number)")
        return generator.next()
    }

    /// The run of trial `number` of `method`.
    public func run(_ method: SearchMethod, seed: UInt64, number: Int, _ h: Hyperparameters, curves: Bool = false) -> TrainingRun {
        TrainingRun(label: "\(method.rawValue) #\(number)", setup: setup(h, seed: seed, curves: curves), seed: trialSeed(seed, number))
    }

    /// The final run of a method's chosen setting: trained once more on all the tuning images
    /// (training and validation together), with a seed of its own, and measured on the test set.
    public func finalRun(_ method: SearchMethod, seed: UInt64, _ h: Hyperparameters) -> TrainingRun {
        var setup = self.setup(h, seed: seed)
        setup.data = .first(tuningImages)
        var generator = SeededGenerator(seed: seed, stream: "final \(method.rawValue)")
        return TrainingRun(label: "\(method.rawValue) best", setup: setup, seed: generator.next())
    }

    /// Random search's trial `number`: drawn from its own stream, so it is the same whatever else runs.
    public func randomHyperparameters(seed: UInt64, number: Int) -> Hyperparameters {
        var generator = SeededGenerator(seed: seed, stream: "random trial \(number)")
        return space.sample(using: &generator)
    }

    /// How many random trials the requested methods need: all of random search's, else coarse to
    /// fine's first round, else Bayesian optimisation's warm-up.
    var randomTrialsNeeded: Int {
        methods.map { method -> Int in
            switch method {
            case .random: trials
            case .coarseToFine: coarseRound
            case .bayes: warmUp
            }
        }.max() ?? 0
    }

    /// Tuning images held out for validation.
    public var validationImages: Int { TuningSplit.heldOut(of: tuningImages, fraction: validationFraction) }

    public var iterationsPerEpoch: Int {
        Trainer<Float>.iterationsPerEpoch(trainingCount: tuningImages - validationImages, batchSize: batchSize)
    }
}

/// A finished trial: which method's which try, with what, and how it went.
public struct TrialRecord: Sendable, Codable {
    public let method: SearchMethod
    public let seed: UInt64
    public let number: Int
    public let hyperparameters: Hyperparameters
    public let result: RunResult
    /// The epoch in which the loss became NaN or infinite, for a failed trial.
    public let failedEpoch: Int?

    init(method: SearchMethod, seed: UInt64, number: Int, hyperparameters: Hyperparameters, result: RunResult, iterationsPerEpoch: Int) {
        self.method = method; self.seed = seed; self.number = number; self.hyperparameters = hyperparameters; self.result = result
        failedEpoch = result.history.divergedAt.map { $0 / iterationsPerEpoch + 1 }
    }

    /// Validation accuracy after the last epoch; nil for a failed trial.
    public var validationAccuracy: Double? { failedEpoch == nil ? result.history.validationAccuracy.last : nil }
    public var trainingAccuracy: Double? { failedEpoch == nil ? result.history.trainAccuracy.last : nil }
    public var failed: Bool { failedEpoch != nil }
}

/// What a search found: each method's trials in order, for each seed.
public struct SearchResults: Sendable {
    public let settings: SearchSettings
    public let trials: [SearchMethod: [UInt64: [TrialRecord]]]
    /// The box of each seed's second coarse-to-fine round.
    public let narrowed: [UInt64: SearchSpace]

    /// The best validation accuracy after each trial (NaN until a trial succeeds).
    public func bestSoFar(_ method: SearchMethod, seed: UInt64) -> [Double] {
        var best = -Double.infinity
        return (trials[method]?[seed] ?? []).map { record in
            if let v = record.validationAccuracy { best = max(best, v) }
            return best.isFinite ? best : .nan
        }
    }

    /// `best_val_so_far` of a method against the trial number, one series per seed, for results.json.
    public func bestSoFarSeries(_ method: SearchMethod, label: String) -> [Series] {
        settings.seeds.map { seed in
            let curve = bestSoFar(method, seed: seed)
            return Series(label: label, seed: seed, metric: "best_val_so_far", x: curve.indices.map { Double($0 + 1) }, y: curve)
        }
    }

    /// The trial with the best validation accuracy (the first of equals).
    public func best(_ method: SearchMethod, seed: UInt64) -> TrialRecord? {
        (trials[method]?[seed] ?? []).filter { !$0.failed }.max { $0.validationAccuracy! < $1.validationAccuracy! }
    }
}

/// Runs the searches of every method and seed, trials side by side on every core.
public struct HyperparameterSearch {
    public let settings: SearchSettings
    public let dataset: Dataset
    public let workers: Int
    /// Whether each finished trial prints a line: method, seed, trial, learning rate, weight decay,
    /// validation accuracy, and the best of its method and seed so far.
    public let logsTrials: Bool
    /// Finished trials to reuse.
    public let cache: RunCache?

    public init(settings: SearchSettings, dataset: Dataset, workers: Int, cache: RunCache? = nil, logsTrials: Bool = true) {
        self.settings = settings; self.dataset = dataset; self.workers = workers; self.cache = cache; self.logsTrials = logsTrials
    }

    /// One line for a finished trial.
    static func line(_ trial: TrialRecord, best: Double) -> String {
        let outcome = trial.failedEpoch.map { "failed in epoch \($0) (loss NaN or infinite)" }
            ?? "validation \(Markdown.percent(trial.validationAccuracy!))"
        return "\(trial.method.rawValue) seed \(trial.seed) #\(trial.number): \(trial.hyperparameters.summary), \(outcome); "
            + "best so far \(best.isFinite ? Markdown.percent(best) : "—")"
    }

    /// A trial decided on but perhaps not yet trained.
    struct PlannedTrial {
        let seed: UInt64
        let number: Int
        let hyperparameters: Hyperparameters
        let run: TrainingRun

        init(_ method: SearchMethod, seed: UInt64, number: Int, _ h: Hyperparameters, settings: SearchSettings) {
            self.seed = seed; self.number = number; hyperparameters = h
            run = settings.run(method, seed: seed, number: number, h)
        }
    }

    /// The trials whose settings depend on no result: random search's, which every method begins with.
    func randomPlan() -> [PlannedTrial] {
        settings.seeds.flatMap { seed in
            (1...max(settings.randomTrialsNeeded, 1)).map { number in
                PlannedTrial(.random, seed: seed, number: number, settings.randomHyperparameters(seed: seed, number: number), settings: settings)
            }
        }
    }

    /// The runs of the independent trials: what shards split between them.
    public func independentRuns() -> [TrainingRun] { randomPlan().map(\.run) }

    /// Every method's trials. Runs already done elsewhere (by shards) are taken from `precomputed`.
    public func run(precomputed: [RunResult] = []) -> SearchResults {
        let total = settings.seeds.count * (settings.randomTrialsNeeded
            + (settings.methods.contains(.coarseToFine) ? settings.trials - settings.coarseRound : 0)
            + (settings.methods.contains(.bayes) ? settings.trials - settings.warmUp : 0))
        let progress = Progress("hyperparameter search", total: total, unit: "trials")
        defer { progress.finish() }
        var best: [String: Double] = [:]
        var overall = -Double.infinity
        var known = Dictionary(precomputed.map { ($0.run, $0) }, uniquingKeysWith: { a, _ in a })

        /// Trains the runs not yet known and returns each as a record of `method`.
        func records(_ method: SearchMethod, _ planned: [PlannedTrial]) -> [TrialRecord] {
            func record(_ p: PlannedTrial, _ result: RunResult) -> TrialRecord {
                TrialRecord(method: method, seed: p.seed, number: p.number, hyperparameters: p.hyperparameters, result: result,
                            iterationsPerEpoch: settings.iterationsPerEpoch)
            }
            let byRun = Dictionary(planned.map { ($0.run, $0) }, uniquingKeysWith: { a, _ in a })
            let missing = planned.map(\.run).filter { known[$0] == nil }
            progress.advance(by: planned.count - missing.count)
            // `train` tells of one finished run at a time, so the running bests need no lock of their own.
            let results = train(missing, on: dataset, title: "\(method.rawValue) trials", workers: workers, cache: cache, quiet: true) { result in
                let trial = record(byRun[result.run]!, result)
                let key = "\(method.rawValue) \(trial.seed)"
                if let v = trial.validationAccuracy {
                    best[key] = max(best[key] ?? 0, v)
                    overall = max(overall, v)
                }
                progress.advance(detail: "best validation accuracy " + (overall.isFinite ? Markdown.percent(overall) : "—"))
                if logsTrials { progress.log(Self.line(trial, best: best[key] ?? .nan)) }
            }
            for result in results { known[result.run] = result }
            return planned.map { record($0, known[$0.run]!) }
        }

        // 1. Random trials: all of random search, and the start of the other two methods.
        let random = Dictionary(grouping: records(.random, randomPlan()), by: \.seed)
        var trials: [SearchMethod: [UInt64: [TrialRecord]]] = [:]
        if settings.methods.contains(.random) { trials[.random] = random }
        func relabel(_ records: ArraySlice<TrialRecord>, as method: SearchMethod) -> [TrialRecord] {
            records.map { TrialRecord(method: method, seed: $0.seed, number: $0.number, hyperparameters: $0.hyperparameters, result: $0.result,
                                      iterationsPerEpoch: settings.iterationsPerEpoch) }
        }

        // 2. Coarse to fine: a second round in the box around the first round's best.
        var narrowed: [UInt64: SearchSpace] = [:]
        if settings.methods.contains(.coarseToFine) {
            var plan: [PlannedTrial] = []
            for seed in settings.seeds {
                let first = random[seed]!.prefix(settings.coarseRound)
                let top = first.filter { !$0.failed }.sorted { $0.validationAccuracy! > $1.validationAccuracy! }.prefix(settings.coarseTop)
                let box = top.isEmpty ? settings.space : settings.space.narrowed(around: top.map(\.hyperparameters))
                narrowed[seed] = box
                for number in (settings.coarseRound + 1)..<(settings.trials + 1) {
                    var generator = SeededGenerator(seed: seed, stream: "coarse-to-fine trial \(number)")
                    plan.append(PlannedTrial(.coarseToFine, seed: seed, number: number, box.sample(using: &generator), settings: settings))
                }
            }
            let second = Dictionary(grouping: records(.coarseToFine, plan), by: \.seed)
            trials[.coarseToFine] = Dictionary(uniqueKeysWithValues: settings.seeds.map { seed in
                (seed, relabel(random[seed]!.prefix(settings.coarseRound), as: .coarseToFine) + (second[seed] ?? []))
            })
        }

        // 3. Bayesian optimisation: rounds of proposals from a Gaussian process of the trials so far,
        // every seed's round trained together.
        if settings.methods.contains(.bayes) {
            var done = Dictionary(uniqueKeysWithValues: settings.seeds.map { ($0, relabel(random[$0]!.prefix(settings.warmUp), as: .bayes)) })
            var round = 0
            while let count = done.values.map(\.count).min(), count < settings.trials {
                round += 1
                let proposals = runInParallel(settings.seeds, workers: workers) { seed -> [[Double]] in
                    var generator = SeededGenerator(seed: seed, stream: "bayes round \(round)")
                    let observed = done[seed]!.map { (settings.space.position(of: $0.hyperparameters), $0.validationAccuracy) }
                    return BayesianOptimization.propose(observed: observed, count: min(settings.bayesBatch, settings.trials - count), using: &generator)
                }
                let plan = zip(settings.seeds, proposals).flatMap { seed, points in
                    points.enumerated().map { offset, p in
                        PlannedTrial(.bayes, seed: seed, number: done[seed]!.count + offset + 1, settings.space.point(at: p), settings: settings)
                    }
                }
                for record in records(.bayes, plan) { done[record.seed]!.append(record) }
            }
            trials[.bayes] = done
        }
        return SearchResults(settings: settings, trials: trials, narrowed: narrowed)
    }
}
