import Datasets
import Foundation
import NeuralNet
import NumericCore

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
            case let .firstWithValidation(n, m):
                subsets[data] = dataset.training.prefix(n)
                validationSets[data] = dataset.training.subset(Array(n..<min(n + m, dataset.training.count)))
            case let .drawn(n, draw):
                var generator = SeededGenerator(seed: draw, stream: "drawn training images")
                subsets[data] = dataset.training.subset(Array(generator.permutation(of: dataset.training.count).prefix(n)))
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

    /// Images in the held-out sets measured after an epoch: the test set, the validation set, or both.
    func heldOut(_ data: TrainingData) -> Int { (test(data)?.count ?? 0) + (validation(data)?.count ?? 0) }
}

extension TrainingRun {
    /// Mini-batch steps the run takes.
    func steps(trainingCount: Int) -> Int {
        switch setup.length {
        case let .iterations(n): n
        case let .epochs(n, _, _): n * Trainer<Float>.iterationsPerEpoch(trainingCount: trainingCount, batchSize: setup.batchSize)
        }
    }

    /// A rough cost in sample-passes through the network (a training step is about three passes
    /// per sample; an evaluation one), for running long runs first.
    func cost(trainingCount: Int, heldOutCount: Int) -> Double {
        let training = Double(steps(trainingCount: trainingCount) * setup.batchSize * 3)
        guard case let .epochs(n, every, heldOut) = setup.length else { return training }
        return training + Double(Trainer<Float>.evaluatedEpochs(n, every: every).count * trainingCount)
            + Double(Trainer<Float>.evaluatedEpochs(n, every: heldOut ?? every).count * heldOutCount)
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
    var seen = Set<RunIdentity>()
    let distinct = runs.filter { seen.insert(RunIdentity($0)).inserted }
    var done: [RunIdentity: RunResult] = [:]
    for run in distinct {
        if let stored = cache?.load(run, probes: measuring, dataset: dataset) {
            done[RunIdentity(run)] = stored
            finished?(stored)
        }
    }
    let missing = distinct.filter { done[RunIdentity($0)] == nil }
    let sets = TrainingSets(missing, dataset: dataset)
    let steps = missing.map { $0.steps(trainingCount: sets.training($0.setup.data).count) }
    let progress = ProgressLine(title, total: steps.reduce(0, +), enabled: !quiet && ProgressLine.toTerminal)
    defer { progress.finish() }
    let lock = NSLock()
    let trained = runInParallel(missing, workers: workers,
                                cost: { $0.cost(trainingCount: sets.training($0.setup.data).count, heldOutCount: sets.heldOut($0.setup.data)) }) { run in
        let network = Network<Float>(run.setup.network, seed: run.seed)
        let test = sets.test(run.setup.data)
        let trainer = Trainer(network: network, optimizer: run.setup.optimizer.make(Float.self), training: sets.training(run.setup.data),
                              test: test, validation: sets.validation(run.setup.data), batchSize: run.setup.batchSize, seed: run.seed)
        var reported = 0
        let report: (Int) -> Void = { done in progress.advance(by: done - reported); reported = done }
        let history: TrainingHistory
        switch run.setup.length {
        case let .iterations(n): history = trainer.run(iterations: n, progress: report)
        case let .epochs(n, every, heldOut): history = trainer.run(epochs: n, evaluateEvery: every, heldOutEvery: heldOut, progress: report)
        }
        // An epoch run that finished has just measured the test set; anything else measures it now.
        let finalTest = test.map { history.diverged || history.testAccuracy.isEmpty ? network.accuracy($0) : history.testAccuracy.last! }
        let probed = Dictionary(measuring.map { ($0.kind, $0.body(network, dataset)) }) { $1 }
        let values = probed.values.reduce(into: [Measure: Double]()) { all, some in all.merge(some) { $1 } }
        let result = RunResult(run: run, history: history, finalTestAccuracy: finalTest, measurements: values)
        cache?.store(result, probes: probed, dataset: dataset)
        if let finished { lock.lock(); finished(result); lock.unlock() }
        return result
    }
    for result in trained { done[RunIdentity(result.run)] = result }
    return runs.map { run in
        let result = done[RunIdentity(run)]!
        return result.run == run ? result
            : RunResult(run: run, history: result.history, finalTestAccuracy: result.finalTestAccuracy, measurements: result.measurements)
    }
}
