import Datasets
import Foundation
import NeuralNet
import NumericCore

/// Which training images a run learns from.
public enum TrainingData: Sendable, Hashable, Codable {
    /// The whole training set.
    case all
    /// The first n training images (every prefix of the embedded set is class-balanced).
    case first(Int)
    /// For tuning: the first n training images shuffled with `split`, a share held out for
    /// validation, the rest to train on; such a run never sees the test set.
    case tuning(first: Int, validationFraction: Double, split: UInt64)

    /// "300 training images", "400 of the first 500 training images, 100 held out for validation"
    public func describe(in dataset: Dataset) -> String {
        switch self {
        case .all: return "all \(dataset.training.count) training images"
        case let .first(n): return "\(min(n, dataset.training.count)) training images"
        case let .tuning(n, fraction, split):
            let available = min(n, dataset.training.count), held = TuningSplit.heldOut(of: available, fraction: fraction)
            return "\(available - held) of the first \(n) training images, \(held) held out for validation (shuffle seed \(split))"
        }
    }
}

/// How long a run trains.
public enum TrainingLength: Sendable, Hashable, Codable {
    /// A number of mini-batch steps; only the loss is recorded.
    case iterations(Int)
    /// Whole epochs, with accuracy measured before the first, after every `evaluateEvery`-th and after the last.
    case epochs(Int, evaluateEvery: Int = 1)

    public var summary: String {
        switch self {
        case let .iterations(n): "\(n) iterations"
        case let .epochs(n, every): every == 1 ? "\(n) epochs" : "\(n) epochs (accuracy every \(every))"
        }
    }
}

/// Everything that decides a training run except its seed: a value that can be compared, stored,
/// printed, and varied one field at a time.
public struct TrainingSetup: Sendable, Hashable, Codable {
    public var network: NetworkConfiguration
    public var optimizer: OptimizerSpec
    public var batchSize: Int
    public var length: TrainingLength
    public var data: TrainingData

    public init(network: NetworkConfiguration, optimizer: OptimizerSpec, batchSize: Int, length: TrainingLength,
                data: TrainingData = .all) {
        self.network = network; self.optimizer = optimizer; self.batchSize = batchSize; self.length = length; self.data = data
    }

    /// What a run of this setup records over time.
    public var metrics: [Metric] {
        if case .iterations = length { return [.trainLoss] }
        if case .tuning = data { return [.trainAccuracy, .validationAccuracy] }
        return [.trainAccuracy, .testAccuracy]
    }

    /// "784-100-100-10, ReLU, He; SGD lr=0.01; batch 100; 201 epochs on 300 training images"
    public func summary(in dataset: Dataset) -> String {
        "\(network.summary); \(optimizer.name) \(optimizer.settings); batch \(batchSize); \(length.summary) on \(data.describe(in: dataset))"
    }

    /// The course's overfitting experiment: 300 training images, six hidden layers of 100 ReLU units
    /// with He's initial weights, SGD at 0.01, mini-batches of 100, 201 epochs.
    public static func overfitting(epochs: Int = 201, trainingImages: Int = 300) -> TrainingSetup {
        TrainingSetup(network: NetworkConfiguration(hiddenSizes: Array(repeating: 100, count: 6), activation: .relu, weightInitialization: .he),
                      optimizer: .sgd(learningRate: 0.01), batchSize: 100, length: .epochs(epochs), data: .first(trainingImages))
    }

    /// A copy with one change applied: `setup.with { $0.network.weightDecay = 0.1 }`.
    public func with(_ change: (inout TrainingSetup) -> Void) -> TrainingSetup {
        var copy = self
        change(&copy)
        return copy
    }
}

/// One training run: a labelled setup and a seed.
///
/// For a given seed, runs that differ only in their setup start from the same weights (as far as
/// the shapes agree) and see the same mini-batches, so a comparison between them is paired.
public struct TrainingRun: Sendable, Hashable, Codable {
    public var label: String
    public var setup: TrainingSetup
    public var seed: UInt64

    public init(label: String, setup: TrainingSetup, seed: UInt64) {
        self.label = label; self.setup = setup; self.seed = seed
    }
}

/// What a finished run recorded: plain values, no network.
public struct RunResult: Sendable, Codable {
    public let run: TrainingRun
    public let history: TrainingHistory
    /// Accuracy on the test set when the run ended (where it stopped, for a run that diverged);
    /// nil for a tuning run, which never sees the test set.
    public let finalTestAccuracy: Double?
    /// The values of the probes asked for, by name.
    public let measurements: [String: Double]

    public init(run: TrainingRun, history: TrainingHistory, finalTestAccuracy: Double?, measurements: [String: Double] = [:]) {
        self.run = run; self.history = history; self.finalTestAccuracy = finalTestAccuracy; self.measurements = measurements
    }
}

/// The images a selection picks, each distinct subset copied once and shared read-only.
struct TrainingSets {
    private var subsets: [TrainingData: LabeledSamples<Float>] = [:]
    private var validationSets: [TrainingData: LabeledSamples<Float>] = [:]
    let dataset: Dataset

    init(_ runs: [TrainingRun], dataset: Dataset) {
        self.dataset = dataset
        for data in Set(runs.map(\.setup.data)) {
            switch data {
            case .all: break
            case let .first(n): subsets[data] = dataset.training.prefix(n)
            case let .tuning(n, fraction, seed):
                let split = dataset.tuningSplit(first: n, validationFraction: fraction, seed: seed)
                subsets[data] = split.training
                validationSets[data] = split.validation
            }
        }
    }

    func training(_ data: TrainingData) -> LabeledSamples<Float> { subsets[data] ?? dataset.training }
    func validation(_ data: TrainingData) -> LabeledSamples<Float>? { validationSets[data] }
    /// Tuning runs are kept away from the test set.
    func test(_ data: TrainingData) -> LabeledSamples<Float>? {
        if case .tuning = data { return nil }
        return dataset.test
    }

    /// Images evaluated after an epoch: the training set and the test or validation set.
    func evaluated(_ data: TrainingData) -> Int { training(data).count + ((test(data) ?? validation(data))?.count ?? 0) }
}

extension TrainingRun {
    /// Mini-batch steps the run takes.
    func steps(trainingCount: Int) -> Int {
        switch setup.length {
        case let .iterations(n): n
        case let .epochs(n, _): n * Trainer<Float>.iterationsPerEpoch(trainingCount: trainingCount, batchSize: setup.batchSize)
        }
    }

    /// A rough cost in sample-passes through the network (a training step is about three passes
    /// per sample; an evaluation one), for running long runs first.
    func cost(trainingCount: Int, evaluatedCount: Int) -> Double {
        let training = Double(steps(trainingCount: trainingCount) * setup.batchSize * 3)
        guard case let .epochs(n, every) = setup.length else { return training }
        return training + Double(Trainer<Float>.evaluatedEpochs(n, every: every).count * evaluatedCount)
    }
}

/// Runs every training run, side by side on `workers` cores (one BLAS thread each, the longest runs
/// first), with a progress line, then applies `measuring` to each trained network. Runs that differ
/// only in their labels train once, and runs stored in `cache` are read instead of trained (and
/// new ones stored). Results come back in the order of `runs` and do not depend on `workers`;
/// `finished` hears of each distinct run as it ends, one at a time (cached ones first). A caller
/// that shows its own progress passes `quiet`.
public func train(_ runs: [TrainingRun], on dataset: Dataset, measuring: [Probe] = [], title: String,
                  workers: Int = defaultWorkerCount, cache: RunCache? = nil, quiet: Bool = false,
                  finished: ((RunResult) -> Void)? = nil) -> [RunResult] {
    /// What decides a run's numbers; its label does not.
    struct Identity: Hashable { let setup: TrainingSetup; let seed: UInt64 }
    func identity(_ run: TrainingRun) -> Identity { Identity(setup: run.setup, seed: run.seed) }
    var seen = Set<Identity>()
    let distinct = runs.filter { seen.insert(identity($0)).inserted }
    var done: [Identity: RunResult] = [:]
    for run in distinct {
        if let stored = cache?.load(run, probes: measuring, dataset: dataset) {
            done[identity(run)] = stored
            finished?(stored)
        }
    }
    let missing = distinct.filter { done[identity($0)] == nil }
    let sets = TrainingSets(missing, dataset: dataset)
    let steps = missing.map { $0.steps(trainingCount: sets.training($0.setup.data).count) }
    let progress = Progress(title, total: steps.reduce(0, +), enabled: !quiet && Progress.toTerminal)
    defer { progress.finish() }
    let lock = NSLock()
    let trained = runInParallel(missing, workers: workers,
                                cost: { $0.cost(trainingCount: sets.training($0.setup.data).count, evaluatedCount: sets.evaluated($0.setup.data)) }) { run in
        let network = Network<Float>(run.setup.network, seed: run.seed)
        let test = sets.test(run.setup.data)
        let trainer = Trainer(network: network, optimizer: run.setup.optimizer.make(Float.self), training: sets.training(run.setup.data),
                              test: test, validation: sets.validation(run.setup.data), batchSize: run.setup.batchSize, seed: run.seed)
        var reported = 0
        let report: (Int) -> Void = { done in progress.advance(by: done - reported); reported = done }
        let history: TrainingHistory
        switch run.setup.length {
        case let .iterations(n): history = trainer.run(iterations: n, progress: report)
        case let .epochs(n, every): history = trainer.run(epochs: n, evaluateEvery: every, progress: report)
        }
        // An epoch run that finished has just measured the test set; anything else measures it now.
        let finalTest = test.map { history.diverged || history.testAccuracy.isEmpty ? network.accuracy($0) : history.testAccuracy.last! }
        let probed = Dictionary(measuring.map { ($0.name, $0.body(network, dataset)) }) { $1 }
        let values = probed.values.reduce(into: [String: Double]()) { all, some in all.merge(some) { $1 } }
        let result = RunResult(run: run, history: history, finalTestAccuracy: finalTest, measurements: values)
        cache?.store(result, probes: probed, dataset: dataset)
        if let finished { lock.lock(); finished(result); lock.unlock() }
        return result
    }
    for result in trained { done[identity(result.run)] = result }
    return runs.map { run in
        let result = done[identity(run)]!
        return result.run == run ? result
            : RunResult(run: run, history: result.history, finalTestAccuracy: result.finalTestAccuracy, measurements: result.measurements)
    }
}
