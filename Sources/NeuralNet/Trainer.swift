import NumericCore

/// What one training run recorded.
public struct TrainingHistory: Sendable, Codable, Equatable {
    /// The loss of each mini-batch, from the forward pass that produced its gradient.
    public var losses: [Double] = []
    /// The epochs at which accuracy was measured: 0 (before training), 1, 2, ...
    public var epochs: [Int] = []
    public var trainAccuracy: [Double] = []
    public var testAccuracy: [Double] = []
    /// The iteration whose loss was NaN or infinite, if the run diverged (it stops there).
    public var divergedAt: Int?

    public init() {}

    public var diverged: Bool { divergedAt != nil }
}

/// Mini-batch training: each step draws `batchSize` samples at random (with replacement, as
/// NumPy's `choice` does in the reference), computes the gradient, and lets the optimizer step.
/// An epoch is `max(trainCount / batchSize, 1)` steps; after each one, accuracy on the whole
/// training and test sets is measured if asked for.
public final class Trainer<Scalar: NeuralScalar> {
    public let network: Network<Scalar>
    public let optimizer: any Optimizer<Scalar>
    public let training: LabeledSamples<Scalar>
    public let test: LabeledSamples<Scalar>?
    public let batchSize: Int
    private var generator: SeededGenerator
    private let batch: Matrix<Scalar>
    private var batchLabels: [Int]

    public init(network: Network<Scalar>, optimizer: any Optimizer<Scalar>, training: LabeledSamples<Scalar>,
                test: LabeledSamples<Scalar>? = nil, batchSize: Int, seed: UInt64) {
        precondition(batchSize > 0, "batch size must be positive")
        precondition(training.count > 0, "the training set is empty")
        self.network = network
        self.optimizer = optimizer
        self.training = training
        self.test = test
        self.batchSize = batchSize
        generator = SeededGenerator(seed: seed, stream: "mini-batches")
        batch = Matrix(rows: batchSize, columns: training.featureCount)
        batchLabels = Array(repeating: 0, count: batchSize)
    }

    public var iterationsPerEpoch: Int { Self.iterationsPerEpoch(trainingCount: training.count, batchSize: batchSize) }

    /// The course's epoch: `max(trainCount / batchSize, 1)` steps.
    public static func iterationsPerEpoch(trainingCount: Int, batchSize: Int) -> Int { max(trainingCount / batchSize, 1) }

    /// Trains for `iterations` steps. `progress` is called now and then with the steps done.
    /// Subnormal numbers are flushed to zero while it runs (see `SubnormalNumbers`).
    public func run(iterations: Int, measureAccuracy: Bool = false,
                    progress: ((Int) -> Void)? = nil) -> TrainingHistory {
        SubnormalNumbers.flushingToZero { train(iterations: iterations, measureAccuracy: measureAccuracy, progress: progress) }
    }

    private func train(iterations: Int, measureAccuracy: Bool, progress: ((Int) -> Void)?) -> TrainingHistory {
        var history = TrainingHistory()
        history.losses.reserveCapacity(iterations)
        if measureAccuracy { record(epoch: 0, into: &history) }
        let features = training.featureCount, sampleCount = training.count
        // Raw pointers taken once: the training set is shared by runs on other cores, and touching
        // its reference counts in the loop would bounce one cache line between them.
        let samples = UnsafePointer(training.samples.base)
        let labels = training.labels
        for iteration in 0..<iterations {
            // BEGIN training-step
            labels.withUnsafeBufferPointer { labels in
                for row in 0..<batchSize {
                    let index = generator.nextIndex(below: sampleCount)
                    (batch.base + row * features).update(from: samples + index * features, count: features)
                    batchLabels[row] = labels[index]
                }
            }
            let loss = network.gradient(batch, labels: batchLabels)
            guard loss.isFinite else {
                history.divergedAt = iteration
                break
            }
            optimizer.update(network.parameters)
            // END training-step
            history.losses.append(loss)
            if measureAccuracy, (iteration + 1) % iterationsPerEpoch == 0 {
                record(epoch: (iteration + 1) / iterationsPerEpoch, into: &history)
            }
            if let progress, iteration % 50 == 49 { progress(iteration + 1) }
        }
        progress?(iterations)
        return history
    }

    /// Trains for whole epochs, measuring accuracy before the first and after each one.
    public func run(epochs: Int, progress: ((Int) -> Void)? = nil) -> TrainingHistory {
        run(iterations: epochs * iterationsPerEpoch, measureAccuracy: true, progress: progress)
    }

    private func record(epoch: Int, into history: inout TrainingHistory) {
        history.epochs.append(epoch)
        history.trainAccuracy.append(network.accuracy(training))
        history.testAccuracy.append(test.map { network.accuracy($0) } ?? .nan)
    }
}
