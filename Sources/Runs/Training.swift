import Datasets
import Dispatch
import Engine
import Foundation
import NeuralNet
import NumericCore

/// The images a selection picks, each distinct subset copied once and shared read-only.
struct TrainingSets {
    private var subsets: [TrainingData: LabeledSamples<Float>] = [:]
    private var validationSets: [TrainingData: LabeledSamples<Float>] = [:]
    /// The inner products of each selection's images, shared by the runs that train on them.
    private var products: [TrainingData: InnerProducts<Float>] = [:]
    /// The test images each curve size draws on (see `curveIndices`), copied once.
    private var curves: [Int: LabeledSamples<Float>] = [:]
    let dataset: Dataset

    /// `count` test images spread evenly over the `total` of the file, every (total / count)-th: a
    /// file's start need not be like the rest of it (the course's overfitting network scored about
    /// 4 points lower on MNIST's first 2,000 test digits than on all 10,000), and a curve must end
    /// where the whole set's measurement does.
    static func curveIndices(_ count: Int, of total: Int) -> [Int] { (0..<count).map { $0 * total / count } }

    init(_ runs: [TrainingRun], dataset: Dataset) {
        self.dataset = dataset
        for images in Set(runs.compactMap(\.setup.testCurveImages)) where images < dataset.test.count {
            curves[images] = dataset.test.subset(Self.curveIndices(images, of: dataset.test.count))
        }
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

    /// The test images a setup draws its curves on where they are fewer than the test set holds,
    /// spread evenly over it (`curveIndices`); nil where it draws them on the whole set.
    func testCurve(_ setup: TrainingSetup) -> LabeledSamples<Float>? {
        guard let images = setup.testCurveImages, test(setup.data) != nil else { return nil }
        return curves[images]
    }

    /// Images in the held-out sets measured after an epoch: the test set (or its curve images), the
    /// validation set, or both.
    func heldOut(_ setup: TrainingSetup) -> Int {
        (testCurve(setup)?.count ?? test(setup.data)?.count ?? 0) + (validation(setup.data)?.count ?? 0)
    }
}

extension TrainingRun {
    /// Mini-batch steps the run takes.
    func steps(trainingCount: Int) -> Int {
        setup.length.end * (setup.length.epochs == nil ? 1 : Trainer<Float>.iterationsPerEpoch(trainingCount: trainingCount, batchSize: setup.batchSize))
    }

    /// A rough cost in sample-passes through the network (a training step is about three passes
    /// per sample; an evaluation one), for starting long runs first.
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

/// Trains every run, side by side on `workers` cores (one BLAS thread each, the costliest first),
/// then applies `measuring` to each trained network. Runs that differ only in their labels train
/// once, and runs stored in `cache` are read instead of trained (and new ones stored, each with
/// what it cost). Results come back in the order of `runs` and do not depend on `workers`: a run
/// shares nothing it writes with another. `progress` hears the steps as they are taken, and
/// `finished` each distinct run as it ends, one at a time (cached ones first).
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
    let lock = NSLock(), sgemm = MachineSpeed.singleThreadSGEMM, start = DispatchTime.now().uptimeNanoseconds
    let trained = runInParallel(missing, workers: workers, cost: {
        $0.cost(trainingCount: sets.training($0.setup.data).count, heldOutCount: sets.heldOut($0.setup))
    }) { run in
        let trained = run.train(on: sets, measuring: measuring, sgemm: sgemm) { progress?.advance(by: $0) }
        cache?.store(trained.result, probes: trained.probed, cost: trained.cost, dataset: dataset)
        if let finished { lock.lock(); finished(trained.result); lock.unlock() }
        return trained.result
    }
    cache?.ledger.addWallTime(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9, workers: min(workers, missing.count))
    for result in trained { done[RunIdentity(result.run)] = result }
    return runs.map { done[RunIdentity($0)]!.relabelled(as: $0) }
}

extension TrainingRun {
    /// A trained run, with what each probe measured on its network and what it cost.
    struct Trained {
        let result: RunResult
        let probed: [Probe.Kind: Probe.Reading]
        let cost: TrainingCost
    }

    /// Trains the run on the images `sets` picks for it, on a backend of its own, and measures the
    /// trained network with `probes`; `progress` hears each batch of steps as they are taken. The
    /// cost is what its backend counted and the seconds it took, set against `sgemm` (GFLOP/s).
    func train(on sets: TrainingSets, measuring probes: [Probe], sgemm: Double, progress: @escaping (Int) -> Void) -> Trained {
        let start = DispatchTime.now().uptimeNanoseconds
        let data = setup.data, test = sets.test(data), backend = CPUBackend<Float>()
        let trainer = Trainer(training: sets.training(data), test: test, testCurve: sets.testCurve(setup), validation: sets.validation(data),
                              batchSize: setup.batchSize, seed: batchOrder, innerProducts: sets.innerProducts(data))
        let network = Network<Float>(setup.network, seed: seed, backend: backend)
        var reported = 0
        let outcome = trainer.train(network, optimizer: setup.optimizer,
                                    setup.plan(iterationsPerEpoch: trainer.iterationsPerEpoch, measuringTest: test != nil),
                                    schedule: setup.schedule) { done in progress(done - reported); reported = done }
        let probed = backend.operations.during(.measuring) {
            Dictionary(probes.map { ($0.kind, $0.body(network, sets.dataset, data)) }) { $1 }
        }
        let values = probed.values.reduce(into: [Measure: Double]()) { all, some in all.merge(some.values) { $1 } }
        let marks = probed.values.reduce(into: [Measure: Correctness]()) { all, some in all.merge(some.marks) { $1 } }
        let result = RunResult(run: self, history: outcome.history, finalTestAccuracy: outcome.finalTestAccuracy,
                               finalTestCorrectness: outcome.finalTestCorrectness, measurements: values, marks: marks)
        var cost = TrainingCost()
        cost.networks = 1
        cost.iterations = outcome.history.losses.count
        cost.epochs = Double(cost.iterations) / Double(trainer.iterationsPerEpoch)
        (cost.trainingFlops, cost.evaluationFlops) = (backend.operations.training, backend.operations.measuring)
        cost.seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        cost.limitFlops = cost.seconds * sgemm * 1e9
        return Trained(result: result, probed: probed, cost: cost)
    }
}

extension TrainingSetup {
    /// The trainer's plan for a run of this setup: its steps, and the epochs after which to measure
    /// the training set and the held-out sets (and the test set at the end, when there is one).
    func plan(iterationsPerEpoch: Int, measuringTest: Bool) -> TrainingPlan {
        var plan: TrainingPlan
        switch length {
        case let .iterations(n):
            plan = .iterations(n, measuringTestAtEnd: measuringTest)
        case let .epochs(n, every, heldOut):
            plan = .epochs(n, iterationsPerEpoch: iterationsPerEpoch, evaluateEvery: every, heldOutEvery: heldOut)
        }
        plan.recordsLossAfterUpdate = recordsLossAfterUpdate
        return plan
    }
}

extension RunResult {
    /// The same result under another run's label (a run that repeats another's setup and seeds).
    public func relabelled(as run: TrainingRun) -> RunResult {
        self.run == run ? self : RunResult(run: run, history: history, finalTestAccuracy: finalTestAccuracy,
                                           finalTestCorrectness: finalTestCorrectness, measurements: measurements, marks: marks)
    }
}
