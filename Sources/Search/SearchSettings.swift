import Datasets
import Engine
import Foundation
import NeuralNet
import NumericCore
import Runs

/// Everything that decides a search's numbers: two searches with equal settings find the same trials.
public struct SearchSettings: Sendable, Hashable, Codable {
    public var methods: [SearchMethod]
    /// Trials per method and seed.
    public var trials: Int
    public var epochs: Int
    public var seeds: [UInt64]
    public var space: SearchSpace
    /// Which images: compared by their content, so that shards that read them from different
    /// folders still combine.
    public var dataset: SearchImages
    public var tuningImages = 500
    public var validationFraction = 0.2
    public var batchSize = 100
    public var hiddenSizes = Array(repeating: 100, count: 6)
    /// Proposals per round of Bayesian optimisation: a constant, so that the proposals, and with
    /// them every number, are the same however many cores run the trials.
    public var bayesBatch = 4

    public init(methods: [SearchMethod], trials: Int, epochs: Int, seeds: [UInt64], space: SearchSpace, dataset: SearchImages) {
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

    /// A trial's training: SGD with the trial's hyperparameters for `epochs` (by
    /// default the search's full length), on the tuning images of seed `seed`. The training images
    /// are measured only before and after training unless `curves`; a full-length trial measures
    /// its validation images after every epoch (a hundred images cost little), so that its curve
    /// says how well a short trial would have ranked it (Hyperband's premise).
    public func setup(_ h: Hyperparameters, seed: UInt64, epochs: Int? = nil, curves: Bool = false) -> TrainingSetup {
        let length = epochs ?? self.epochs
        return h.applied(to: TrainingSetup(network: network, optimizer: .sgd(learningRate: Hyperparameter.learningRate.standard),
                                           batchSize: batchSize,
                                           length: .epochs(length, evaluateEvery: curves ? 1 : length,
                                                           heldOutEvery: !curves && length == self.epochs ? 1 : nil),
                                           data: .tuning(first: tuningImages, validationFraction: validationFraction, split: seed)))
    }

    /// The training seed of trial `number` of a search seed: the same for every method, so trial n
    /// of each starts from the same weights.
    public func trialSeed(_ seed: UInt64, _ number: Int) -> UInt64 {
        var generator = SeededGenerator(seed: seed, stream: "trial \(number)")
        return generator.next()
    }

    /// The order of the mini-batches of every trial of search seed `seed`: one order for all of
    /// them (common random numbers), so that two trials differ only in their settings and their
    /// initial weights, never in which images they happened to see when.
    public func batchOrder(_ seed: UInt64) -> UInt64 {
        var generator = SeededGenerator(seed: seed, stream: "trial mini-batches")
        return generator.next()
    }

    /// The run of a trial: its configuration's training seed, its search seed's batch order, for
    /// its budget of epochs (with `curves`, measured after every epoch: the same run, drawn).
    public func run(_ trial: Trial, curves: Bool = false) -> TrainingRun {
        TrainingRun(label: "\(trial.method.rawValue) #\(trial.number)",
                    setup: setup(trial.hyperparameters, seed: trial.seed, epochs: trial.epochs, curves: curves),
                    seed: trialSeed(trial.seed, trial.configuration), batchOrder: batchOrder(trial.seed))
    }

    /// How many training images after the tuning images full-length trials are measured on: all of
    /// them, the third of three disjoint sets (validation, test, these). Their score stands in for
    /// the accuracy on new images, so the more the better: every comparison read on it carries its
    /// noise, and a choice made on other sets cannot bias it (on the full MNIST 59,500, six times
    /// the test set; on the 5,000 embedded digits, 4,500).
    public func unseenImages(in dataset: Dataset) -> Int { max(0, dataset.training.count - tuningImages) }

    /// Whether full-length trials are measured on the test set as well as on the unseen images: the
    /// test of choosing by the test set needs it; seeds added only to compare methods do not.
    public var measuresTestSet = true

    /// What every full-length trial on `dataset` is measured with once trained: the unseen training
    /// images and (with `measuresTestSet`) the test set, which the search never reads.
    public func probes(on dataset: Dataset) -> [Probe] {
        let unseen = unseenImages(in: dataset)
        return [measuresTestSet ? .disjointSets(unseen: unseen) : .unseen(unseen)]
    }

    /// Trains search trials as the search measures them, on one machine or in a shard: full-length
    /// trials with `probes`, shorter ones without. Results come back in the order of `runs`;
    /// `finished` hears each distinct run as it ends, one at a time.
    func train(_ runs: [TrainingRun], on dataset: Dataset, workers: Int, cache: RunCache?,
               finished: ((RunResult) -> Void)? = nil) -> [RunResult] {
        let full = runs.filter { $0.setup.length.end == epochs }, short = runs.filter { $0.setup.length.end != epochs }
        let trained = [(full, probes(on: dataset)), (short, [])].flatMap { part, probes in
            Runs.train(part, on: dataset, measuring: probes, workers: workers, cache: cache, finished: finished)
        }
        let byRun = Dictionary(trained.map { (RunIdentity($0.run), $0) }, uniquingKeysWith: { a, _ in a })
        return runs.map { byRun[RunIdentity($0)]!.relabelled(as: $0) }
    }

    /// Epochs a trial trains.
    public func epochs(of trial: Trial) -> Int { trial.epochs ?? epochs }

    /// Hyperband over this search's box, up to its full length, a third surviving each rung, its
    /// brackets run again while they fit in random search's epochs (`trials × epochs`).
    public var hyperband: Hyperband { Hyperband(space: space, maxEpochs: epochs, eta: 3, within: trials * epochs) }

    /// The final run of a method's chosen setting: trained once more on all the tuning images
    /// (training and validation together), with a seed of its own, and measured on the test set.
    public func finalRun(_ method: SearchMethod, seed: UInt64, _ h: Hyperparameters) -> TrainingRun {
        var setup = self.setup(h, seed: seed)
        setup.data = .first(tuningImages)
        var generator = SeededGenerator(seed: seed, stream: "final \(method.rawValue)")
        return TrainingRun(label: "\(method.rawValue) best", setup: setup, seed: generator.next())
    }

    /// The strategy of `method`, with this search's budget and box: the one place that says which
    /// type runs which method. Everything else a search needs to know of a method (how many trials,
    /// how many are shared, how many stages) the strategy says itself.
    public func strategy(_ method: SearchMethod) -> any SearchStrategy {
        switch method {
        case .random: RandomSearch(space: space, budget: trials)
        case .coarseToFine: CoarseToFine(space: space, budget: trials, firstRound: coarseRound, top: coarseTop)
        case .bayes: BayesianSearch(space: space, budget: trials, warmUp: warmUp, batch: bayesBatch)
        case .hyperband: hyperband
        case .randomTwice: RandomSearch(space: space, budget: 2 * trials, as: .randomTwice)
        }
    }

    /// The strategy of each method asked for, in order.
    public var strategies: [any SearchStrategy] { methods.map(strategy) }

    /// Trials a method runs per seed (Hyperband counts a setting once per rung it reaches).
    public func trialCount(_ method: SearchMethod) -> Int { strategy(method).budget }

    /// Trials per seed that train a run of their own: the longest random start (every method that
    /// starts at random shares it) and the rest of every method's trials.
    public var distinctTrials: Int {
        let strategies = self.strategies
        return (strategies.map(\.randomStart).max() ?? 0) + strategies.map { $0.budget - $0.randomStart }.reduce(0, +)
    }

    /// How many stages the search runs: the most any method needs.
    public var stageCount: Int { strategies.map(\.stages).max() ?? 0 }

    /// Tuning images held out for validation.
    public var validationImages: Int { TuningSplit.heldOut(of: tuningImages, fraction: validationFraction) }

    public var iterationsPerEpoch: Int {
        Trainer<Float>.iterationsPerEpoch(trainingCount: tuningImages - validationImages, batchSize: batchSize)
    }
}

/// The images a search ran on: their content hash (`Dataset.identity`), which is what two searches
/// must share to combine, and how they are named to a reader, which is not compared (it says where
/// the files were read from, and a shard on another node may read them from elsewhere).
public struct SearchImages: Sendable, Hashable, Codable {
    public var identity: String
    public var name: String

    public init(identity: String, name: String) { self.identity = identity; self.name = name }

    public init(_ dataset: Dataset) { self.init(identity: dataset.identity, name: dataset.summary) }

    public static func == (a: SearchImages, b: SearchImages) -> Bool { a.identity == b.identity }
    public func hash(into hasher: inout Hasher) { hasher.combine(identity) }
}
