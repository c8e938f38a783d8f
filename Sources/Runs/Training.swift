import Datasets
import Dispatch
import Foundation
import NeuralNet
import NumericCore

/// The images a selection picks, each distinct subset copied once and shared read-only.
struct TrainingSets {
    private var subsets: [TrainingData: LabeledSamples<Float>] = [:]
    private var validationSets: [TrainingData: LabeledSamples<Float>] = [:]
    /// The inner products of each selection's images, shared by the groups that train on them.
    private var products: [TrainingData: InnerProducts<Float>] = [:]
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
            products[data] = InnerProducts(training(data).samples)
        }
    }

    func innerProducts(_ data: TrainingData) -> InnerProducts<Float> { products[data]! }

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
        setup.length.end * (setup.length.epochs == nil ? 1 : Trainer<Float>.iterationsPerEpoch(trainingCount: trainingCount, batchSize: setup.batchSize))
    }

    /// A rough cost in sample-passes through the network (a training step is about three passes
    /// per sample; an evaluation one), for starting long groups first.
    func cost(trainingCount: Int, heldOutCount: Int) -> Double {
        let training = Double(steps(trainingCount: trainingCount) * setup.batchSize * 3)
        guard case let .epochs(n, every, heldOut) = setup.length else { return training }
        return training + Double(Trainer<Float>.evaluatedEpochs(n, every: every).count * trainingCount)
            + Double(Trainer<Float>.evaluatedEpochs(n, every: heldOut ?? every).count * heldOutCount)
    }
}

/// Hears how a training call goes: how many network-steps it will take, each batch of them as they
/// are taken, and the end. Whoever shows progress to a reader passes one; training only counts.
public protocol TrainingProgress: AnyObject, Sendable {
    func begin(steps: Int)
    func advance(by steps: Int)
    func end()
}

/// Trains every run, in lockstep groups of runs that share their mini-batches (see `Lockstep`),
/// the groups side by side on `workers` cores (one BLAS thread each, the costliest first), then
/// applies `measuring` to each trained network. Runs that differ only in their labels train once,
/// and runs stored in `cache` are read instead of trained (and new ones stored). Results come back
/// in the order of `runs` and do not depend on `workers`; `progress` hears the steps as they are
/// taken, and `finished` of each distinct run as it ends, one at a time (cached ones first).
public func train(_ runs: [TrainingRun], on dataset: Dataset, measuring: [Probe] = [], workers: Int = defaultWorkerCount,
                  cache: RunCache? = nil, progress: TrainingProgress? = nil, finished: ((RunResult) -> Void)? = nil) -> [RunResult] {
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
    guard !missing.isEmpty else { return runs.map { done[RunIdentity($0)]!.relabelled(as: $0) } }
    let sets = TrainingSets(missing, dataset: dataset)
    progress?.begin(steps: missing.map { $0.steps(trainingCount: sets.training($0.setup.data).count) }.reduce(0, +))
    defer { progress?.end() }
    let lock = NSLock(), ledger = cache?.ledger ?? CostLedger()
    let trained = ledger.timing {
        runInParallel(Lockstep.groups(missing), workers: workers, cost: { group in
            group.runs.map { $0.cost(trainingCount: sets.training($0.setup.data).count, heldOutCount: sets.heldOut($0.setup.data)) }.reduce(0, +)
        }) { group in
            let outcome = group.train(on: sets, measuring: measuring) { progress?.advance(by: $0) }
            var products = TrainingCost()
            (products.trainingFlops, products.evaluationFlops) = outcome.flops
            ledger.add(products)
            for trained in outcome.runs {
                let result = trained.result, data = result.run.setup.data
                cache?.store(result, probes: trained.probed, dataset: dataset)
                // Probes measure the dataset's test set even for a tuning run, which never trains against it.
                ledger.add(TrainingCost(of: result, trainingImages: sets.training(data).count, testImages: dataset.test.count,
                                        probes: measuring))
                if let finished { lock.lock(); finished(result); lock.unlock() }
            }
            return outcome.runs.map(\.result)
        }
    }
    for result in trained.joined() { done[RunIdentity(result.run)] = result }
    return runs.map { done[RunIdentity($0)]!.relabelled(as: $0) }
}

extension RunResult {
    /// The same result under another run's label (a run that repeats another's setup and seeds).
    public func relabelled(as run: TrainingRun) -> RunResult {
        self.run == run ? self : RunResult(run: run, history: history, finalTestAccuracy: finalTestAccuracy,
                                           finalTestCorrectness: finalTestCorrectness, measurements: measurements, marks: marks)
    }
}
