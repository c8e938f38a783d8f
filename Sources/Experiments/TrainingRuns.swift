import Datasets
import Foundation
import NeuralNet
import NumericCore

/// One training run, described as a value: which network, which optimizer, which seed, how long.
///
/// For a given seed, runs that differ only in optimizer start from the same weights and see the
/// same mini-batches, so a comparison between them is paired, not blurred by different draws.
public struct TrainingRun: Sendable {
    public enum Length: Sendable, Hashable {
        case iterations(Int)
        /// Whole epochs, with accuracy on the training and test sets before the first and after each.
        case epochs(Int)
    }

    public var label: String
    public var network: NetworkConfiguration
    public var optimizer: OptimizerSpec
    public var seed: UInt64
    public var batchSize: Int
    public var length: Length
    /// Train on only the first n training images (a class-balanced prefix), or on all.
    public var trainingSamples: Int?

    public init(label: String, network: NetworkConfiguration, optimizer: OptimizerSpec, seed: UInt64,
                batchSize: Int, length: Length, trainingSamples: Int? = nil) {
        self.label = label; self.network = network; self.optimizer = optimizer; self.seed = seed
        self.batchSize = batchSize; self.length = length; self.trainingSamples = trainingSamples
    }
}

/// A finished run: what it recorded, and the trained network.
public struct CompletedRun: @unchecked Sendable {
    public let run: TrainingRun
    /// The trained network, for chapters that look inside it.
    public let network: Network<Float>
    public let history: TrainingHistory
    /// Accuracy on the test set when the run ended.
    public let finalTestAccuracy: Double
}

/// Runs every training run, side by side on all cores (one BLAS thread each), with a progress line.
public func train(_ runs: [TrainingRun], on dataset: Dataset, title: String, workers: Int = defaultWorkerCount) -> [CompletedRun] {
    // Each distinct subset is copied once and shared, read-only, by the runs that use it.
    let subsets = Dictionary(uniqueKeysWithValues: Set(runs.compactMap(\.trainingSamples)).map { ($0, dataset.training.prefix($0)) })
    let steps = runs.map { run -> Int in
        let count = run.trainingSamples.map { subsets[$0]!.count } ?? dataset.training.count
        switch run.length {
        case let .iterations(n): return n
        case let .epochs(n): return n * Trainer<Float>.iterationsPerEpoch(trainingCount: count, batchSize: run.batchSize)
        }
    }
    let progress = Progress(title, total: steps.reduce(0, +))
    defer { progress.finish() }
    return runInParallel(runs, workers: workers) { run in
        let training = run.trainingSamples.flatMap { subsets[$0] } ?? dataset.training
        let network = Network<Float>(run.network, seed: run.seed)
        let trainer = Trainer(network: network, optimizer: run.optimizer.make(Float.self), training: training,
                              test: dataset.test, batchSize: run.batchSize, seed: run.seed)
        var reported = 0
        let report: (Int) -> Void = { done in progress.advance(by: done - reported); reported = done }
        let history: TrainingHistory
        switch run.length {
        case let .iterations(n): history = trainer.run(iterations: n, progress: report)
        case let .epochs(n): history = trainer.run(epochs: n, progress: report)
        }
        return CompletedRun(run: run, network: network, history: history, finalTestAccuracy: network.accuracy(dataset.test))
    }
}
