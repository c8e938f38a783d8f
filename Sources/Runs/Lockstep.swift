import Datasets
import Foundation
import NeuralNet
import NumericCore

/// Runs that see the same mini-batches, trained as one: how every run executes.
///
/// The arms of a comparison at one seed draw the same mini-batches (that is what makes the
/// comparison paired), and so do the trials of one search seed (common random numbers). Such runs
/// train in lockstep: one `Trainer` steps them all on each batch, drawing and gathering it once,
/// their first layers side by side in one block, and the products every member of a plain-SGD
/// group shares (its training images' inner products, and theirs with the test images) computed
/// once; a run leaves the group when its steps are done or its loss
/// diverges. This is what `torch.func`'s stacked module state under `vmap`, or JAX's `vmap` over
/// seeds, does for an ensemble. Grouping changes only how runs execute: each run is still a value
/// with its own cache entry and its own series, and the same runs exist whatever the groups.
///
/// Groups are a pure function of the runs trained (those the cache did not have), never of the
/// cores or the worker count, so the same seeds give the same numbers whatever `--jobs` is. Nor do
/// a run's numbers depend on its group: every product a member takes part in is computed in the
/// shape it has alone (one wide product would round each column by where it falls among BLAS's
/// register blocks), and each member chooses its form as if alone, so a run trained beside others
/// is bit for bit the run trained beside none, and a cache entry is the same whichever runs were
/// missing when it was made.
public struct Lockstep: Sendable {
    /// The runs of the group, in the order they were asked for.
    public let runs: [TrainingRun]

    /// The most networks in a group. Each network's products are its own (see above), so a wider
    /// group shares no more than the batch and the dual form's inner products, while the cost of a
    /// chapter whose comparisons have few arms (three initial scales, two dropout ratios) spreads
    /// over the cores only if it comes in several small groups. Two networks share those and still
    /// leave every chapter many groups.
    public static let largestGroup = 2

    /// What runs must share to train in lockstep: their training images, batch size, batch order
    /// and input width, and whether they learn by plain SGD (whose first layers may take the dual
    /// form, which a group takes for all its members or none).
    struct Cohort: Hashable {
        let data: TrainingData, batchSize: Int, batchOrder: UInt64, inputs: Int, plainSGD: Bool
        init(_ run: TrainingRun) {
            data = run.setup.data; batchSize = run.setup.batchSize; batchOrder = run.batchOrder; inputs = run.setup.network.inputSize
            plainSGD = run.setup.optimizer.kind == .sgd
        }
    }

    /// The groups `runs` train in: the runs of each cohort, in the order asked for, cut into as few
    /// groups of at most `largest` as will hold them, their sizes as even as can be.
    public static func groups(_ runs: [TrainingRun], largest: Int = largestGroup) -> [Lockstep] {
        var cohorts: [Cohort: [TrainingRun]] = [:], order: [Cohort] = []
        for run in runs {
            let cohort = Cohort(run)
            if cohorts[cohort] == nil { order.append(cohort) }
            cohorts[cohort, default: []].append(run)
        }
        return order.flatMap { cohort -> [Lockstep] in
            let members = cohorts[cohort]!, count = (members.count + largest - 1) / max(largest, 1)
            let size = members.count / count, larger = members.count % count
            var start = 0
            return (0..<count).map { i in
                let end = start + size + (i < larger ? 1 : 0)
                defer { start = end }
                return Lockstep(runs: Array(members[start..<end]))
            }
        }
    }

    /// A trained run, with what each probe measured on its network.
    struct Trained {
        let result: RunResult
        let probed: [Probe.Kind: Probe.Reading]
    }

    /// The group's trained runs and the products it computed to train and measure them.
    struct Outcome {
        let runs: [Trained]
        let flops: (training: Double, measuring: Double)
    }

    /// Trains the group on the images `sets` picks for it and measures each trained network with
    /// `probes`; `progress` hears each batch of network-steps as they are taken.
    func train(on sets: TrainingSets, measuring probes: [Probe], progress: @escaping (Int) -> Void) -> Outcome {
        let first = runs[0], data = first.setup.data
        let test = sets.test(data)
        let trainer = Trainer(training: sets.training(data), test: test, validation: sets.validation(data),
                              batchSize: first.setup.batchSize, seed: first.batchOrder, innerProducts: sets.innerProducts(data))
        let networks = runs.map { Network<Float>($0.setup.network, seed: $0.seed) }
        let members = zip(runs, networks).map { run, network in
            Trainer.Member(network, run.setup.optimizer.make(Float.self),
                           run.setup.plan(iterationsPerEpoch: trainer.iterationsPerEpoch, measuringTest: test != nil),
                           schedule: run.setup.schedule ?? .constant)
        }
        var reported = 0
        let outcomes = trainer.train(members) { done in progress(done - reported); reported = done }
        return Outcome(runs: zip(runs, zip(networks, outcomes)).map { run, trained in
            let (network, outcome) = trained
            let probed = Dictionary(probes.map { ($0.kind, $0.body(network, sets.dataset, data)) }) { $1 }
            let values = probed.values.reduce(into: [Measure: Double]()) { all, some in all.merge(some.values) { $1 } }
            let marks = probed.values.reduce(into: [Measure: Correctness]()) { all, some in all.merge(some.marks) { $1 } }
            return Trained(result: RunResult(run: run, history: outcome.history, finalTestAccuracy: outcome.finalTestAccuracy,
                                              finalTestCorrectness: outcome.finalTestCorrectness, measurements: values, marks: marks),
                           probed: probed)
        }, flops: trainer.flops)
    }
}

extension TrainingSetup {
    /// The trainer's plan for a run of this setup: its steps, and the epochs after which to measure
    /// the training set and the held-out sets (and the test set at the end, when there is one).
    func plan(iterationsPerEpoch: Int, measuringTest: Bool) -> TrainingPlan {
        switch length {
        case let .iterations(n):
            return .iterations(n, measuringTestAtEnd: measuringTest)
        case let .epochs(n, every, heldOut):
            return .epochs(n, iterationsPerEpoch: iterationsPerEpoch, evaluateEvery: every, heldOutEvery: heldOut)
        }
    }
}
