import NumericCore

/// What one training run recorded.
public struct TrainingHistory: Sendable, Codable, Equatable {
    /// The loss of each mini-batch, from the forward pass that produced its gradient.
    public var losses: [Double] = []
    /// The epochs at which accuracy was measured: 0 (before training), then every `evaluateEvery`
    /// epochs, and the last epoch.
    public var epochs: [Int] = []
    /// Accuracy on the whole training set at each of `epochs`.
    public var trainAccuracy: [Double] = []
    /// The epochs at which the held-out sets (test, validation) were measured: `epochs`, or fewer
    /// where a run measures them less often than the training set.
    public var heldOutEpochs: [Int] = []
    /// Accuracy on the test set at each of `heldOutEpochs` (empty when the trainer has no test set).
    public var testAccuracy: [Double] = []
    /// Accuracy on the validation set at each of `heldOutEpochs` (empty when the trainer has none).
    public var validationAccuracy: [Double] = []
    /// The iteration whose loss was NaN or infinite, if the run diverged (it stops there, before
    /// that step's update, and measures nothing more).
    public var divergedAt: Int?
    /// The epoch the diverging iteration belonged to (the first is 1): where a failed run failed.
    public var divergedInEpoch: Int?

    public init() {}

    public var diverged: Bool { divergedAt != nil }
}

/// Mini-batch training: each step draws `batchSize` samples at random (with replacement, as
/// NumPy's `choice` does in the reference), computes the gradient, and lets the optimizer step.
/// An epoch is `max(trainCount / batchSize, 1)` steps.
public final class Trainer<Scalar: NeuralScalar> {
    public let network: Network<Scalar>
    public let optimizer: any Optimizer<Scalar>
    public let training: LabeledSamples<Scalar>
    public let test: LabeledSamples<Scalar>?
    public let validation: LabeledSamples<Scalar>?
    public let batchSize: Int
    private var generator: SeededGenerator
    private let batch: Matrix<Scalar>
    private var batchLabels: [Int]

    public init(network: Network<Scalar>, optimizer: any Optimizer<Scalar>, training: LabeledSamples<Scalar>,
                test: LabeledSamples<Scalar>? = nil, validation: LabeledSamples<Scalar>? = nil, batchSize: Int, seed: UInt64) {
        precondition(batchSize > 0, "batch size must be positive")
        precondition(training.count > 0, "the training set is empty")
        self.network = network
        self.optimizer = optimizer
        self.training = training
        self.test = test
        self.validation = validation
        self.batchSize = batchSize
        generator = SeededGenerator(seed: seed, stream: "mini-batches")
        batch = Matrix(rows: batchSize, columns: training.featureCount)
        batchLabels = Array(repeating: 0, count: batchSize)
    }

    public var iterationsPerEpoch: Int { Self.iterationsPerEpoch(trainingCount: training.count, batchSize: batchSize) }

    /// The course's epoch: `max(trainCount / batchSize, 1)` steps.
    public static func iterationsPerEpoch(trainingCount: Int, batchSize: Int) -> Int { max(trainingCount / batchSize, 1) }

    /// The epochs at which a run of `epochs` epochs measures accuracy: 0, every `every`-th, and the last.
    public static func evaluatedEpochs(_ epochs: Int, every: Int) -> [Int] {
        let every = max(every, 1)
        var result = Array(stride(from: 0, through: epochs, by: every))
        if result.last != epochs { result.append(epochs) }
        return result
    }

    /// Trains for `iterations` steps, measuring nothing but the loss.
    public func run(iterations: Int, progress: ((Int) -> Void)? = nil) -> TrainingHistory {
        train(iterations: iterations, evaluated: [], heldOut: [], progress: progress)
    }

    /// Trains for whole epochs, measuring training accuracy before the first, after every
    /// `evaluateEvery`-th and after the last, and the held-out sets likewise every `heldOutEvery`-th
    /// (by default as often as the training set): a test set of 10,000 images costs more to
    /// measure than 300 training images cost to train on, so it is measured where it is drawn.
    public func run(epochs: Int, evaluateEvery: Int = 1, heldOutEvery: Int? = nil, progress: ((Int) -> Void)? = nil) -> TrainingHistory {
        train(iterations: epochs * iterationsPerEpoch, evaluated: Self.evaluatedEpochs(epochs, every: evaluateEvery),
              heldOut: Set(Self.evaluatedEpochs(epochs, every: heldOutEvery ?? evaluateEvery)), progress: progress)
    }

    /// Subnormal numbers are flushed to zero while training runs (see `SubnormalNumbers`).
    private func train(iterations: Int, evaluated: [Int], heldOut: Set<Int>, progress: ((Int) -> Void)?) -> TrainingHistory {
        SubnormalNumbers.flushingToZero {
            var history = TrainingHistory()
            history.losses.reserveCapacity(iterations)
            var pending = Array(Set(evaluated).union(heldOut)).sorted()[...]   // the epochs still to be measured
            let trainingEpochs = Set(evaluated)
            func record(_ epoch: Int) { self.record(epoch: epoch, training: trainingEpochs.contains(epoch), heldOut: heldOut.contains(epoch), into: &history) }
            if pending.first == 0 { record(pending.removeFirst()) }
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
                    history.divergedInEpoch = iteration / iterationsPerEpoch + 1
                    break
                }
                optimizer.update(network.parameters)
                // END training-step
                history.losses.append(loss)
                if (iteration + 1) % iterationsPerEpoch == 0, pending.first == (iteration + 1) / iterationsPerEpoch {
                    record(pending.removeFirst())
                }
                if let progress, iteration % 50 == 49 { progress(iteration + 1) }
            }
            progress?(iterations)
            return history
        }
    }

    private func record(epoch: Int, training measuresTraining: Bool, heldOut: Bool, into history: inout TrainingHistory) {
        if measuresTraining {
            history.epochs.append(epoch)
            history.trainAccuracy.append(network.accuracy(training))
        }
        guard heldOut, test != nil || validation != nil else { return }
        history.heldOutEpochs.append(epoch)
        if let test { history.testAccuracy.append(network.accuracy(test)) }
        if let validation { history.validationAccuracy.append(network.accuracy(validation)) }
    }
}
