import Foundation
import NeuralNet
import NumericCore

/// What one training run recorded.
public struct TrainingHistory: Sendable, Codable, Equatable {
    /// The loss of each mini-batch, from the forward pass that produced its gradient.
    public var losses: [Double] = []
    /// The loss of each mini-batch measured again after its update, in inference mode (only where
    /// the plan asks: the course's scripts draw this one).
    public var lossesAfterUpdate: [Double] = []
    /// The epochs at which accuracy was measured on the training set (0: before training).
    public var epochs: [Int] = []
    /// Accuracy on the whole training set at each of `epochs`.
    public var trainAccuracy: [Double] = []
    /// The epochs at which the held-out sets (test, validation) were measured: `epochs`, or fewer
    /// where a run measures them less often than the training set.
    public var heldOutEpochs: [Int] = []
    /// Accuracy on the test set at each of `heldOutEpochs` (empty when the trainer has no test set):
    /// on the trainer's curve images where it has them, else on the whole set.
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

/// What a network is to do in training: how many steps, and after which epochs to measure it.
public struct TrainingPlan: Sendable, Hashable {
    /// Mini-batch steps.
    public var steps: Int
    /// Epochs after which accuracy is measured on the whole training set (0: before training).
    public var trainingEvaluations: Set<Int>
    /// Epochs after which the held-out sets (test, validation) are measured.
    public var heldOutEvaluations: Set<Int>
    /// Whether the test set is measured where training ends, when no held-out measurement falls
    /// there (a run that records only its loss, a run that diverged).
    public var measuresTestAtEnd: Bool
    /// Whether each step's loss is measured again after its update (`TrainingHistory.lossesAfterUpdate`).
    public var recordsLossAfterUpdate = false

    public init(steps: Int, trainingEvaluations: Set<Int> = [], heldOutEvaluations: Set<Int> = [], measuresTestAtEnd: Bool = false,
                recordsLossAfterUpdate: Bool = false) {
        self.steps = steps; self.trainingEvaluations = trainingEvaluations; self.heldOutEvaluations = heldOutEvaluations
        self.measuresTestAtEnd = measuresTestAtEnd; self.recordsLossAfterUpdate = recordsLossAfterUpdate
    }

    /// `n` steps, measuring nothing but the loss (and the test set at the end, if asked).
    public static func iterations(_ n: Int, measuringTestAtEnd: Bool = false) -> TrainingPlan {
        TrainingPlan(steps: n, measuresTestAtEnd: measuringTestAtEnd)
    }

    /// `n` whole epochs of `iterationsPerEpoch` steps, measured on the training set before the
    /// first, after every `evaluateEvery`-th and after the last, and on the held-out sets likewise
    /// every `heldOutEvery`-th (by default as often as the training set): a test set of 10,000
    /// images costs more to measure than 300 training images cost to train on, so it is measured
    /// where it is drawn.
    public static func epochs(_ n: Int, iterationsPerEpoch: Int, evaluateEvery: Int = 1, heldOutEvery: Int? = nil) -> TrainingPlan {
        TrainingPlan(steps: n * iterationsPerEpoch,
                     trainingEvaluations: Set(Trainer<Float>.evaluatedEpochs(n, every: evaluateEvery)),
                     heldOutEvaluations: Set(Trainer<Float>.evaluatedEpochs(n, every: heldOutEvery ?? evaluateEvery)),
                     measuresTestAtEnd: true)
    }
}

/// Mini-batch training of a network, as the course trains it: every step draws `batchSize` samples
/// at random (with replacement, as NumPy's `choice` does in the reference), computes the loss and
/// the gradients, and lets the optimizer step. An epoch is `max(trainCount / batchSize, 1)` steps.
///
/// Runs compared seed by seed draw the same mini-batches by giving their trainers the same `seed`:
/// that is what pairs them. A network trained here is bit for bit the same whichever runs train
/// beside it, on whichever core: nothing is shared but read-only images and inner products.
///
/// The first layer takes one of two forms (`FirstLayerForm`): the usual one, where the network
/// computes everything, or, for plain SGD on a few hundred images, the dual form, where the
/// trainer keeps the first layer's weights as coefficients of the training images
/// (`DualFirstLayer`). Which one follows from the optimizer's kind and the data alone.
public final class Trainer<Scalar: MatrixScalar> {
    public let training: LabeledSamples<Scalar>
    public let test: LabeledSamples<Scalar>?
    /// The test images the held-out curve is measured on epoch by epoch, where they are fewer than
    /// the test set: the whole test set is then measured once, where training ends.
    public let testCurve: LabeledSamples<Scalar>?
    public let validation: LabeledSamples<Scalar>?
    public let batchSize: Int
    private var generator: SeededGenerator
    /// The training labels, this trainer's own copy: read every step, never shared with another core.
    private let labels: [Int]
    private let batch: Matrix<Scalar>
    private var batchLabels: [Int]
    private var batchIndices: [Int]
    private let firstOutput = Matrix<Scalar>(rows: 0, columns: 0)
    private var predicted: [Int] = []

    /// What training recorded, and its test accuracy where it ended, with which test images it got
    /// right there (nil without a test set).
    public struct Outcome {
        public var history = TrainingHistory()
        public var finalTestAccuracy: Double?
        public var finalTestCorrectness: Correctness?
    }

    /// The training images' inner products, for the dual form: shared by the trainers of the same images.
    public let innerProducts: InnerProducts<Scalar>

    /// A trainer whose mini-batches are drawn from `training` in an order that `seed` decides.
    /// Trainers of the same images may share their `innerProducts`. With `testCurve` (some of the
    /// test images), curves are measured on it and the whole test set where training ends.
    public init(training: LabeledSamples<Scalar>, test: LabeledSamples<Scalar>? = nil, testCurve: LabeledSamples<Scalar>? = nil,
                validation: LabeledSamples<Scalar>? = nil, batchSize: Int, seed: UInt64, innerProducts: InnerProducts<Scalar>? = nil) {
        precondition(batchSize > 0, "batch size must be positive")
        precondition(training.count > 0, "the training set is empty")
        precondition(innerProducts.map { $0.images === training.samples } ?? true, "inner products of other images")
        self.innerProducts = innerProducts ?? InnerProducts(training.samples)
        precondition(testCurve == nil || test != nil, "curve images of a test set the trainer does not have")
        self.training = training
        self.test = test
        self.testCurve = testCurve
        self.validation = validation
        self.batchSize = batchSize
        labels = training.labels.map { $0 }
        generator = SeededGenerator(seed: seed, stream: "mini-batches")
        batch = Matrix(rows: batchSize, columns: training.featureCount)
        batchLabels = Array(repeating: 0, count: batchSize)
        batchIndices = Array(repeating: 0, count: batchSize)
    }

    /// How the first layer computes.
    public enum FirstLayerForm: Sendable {
        /// The dual form where the optimizer is plain SGD and the form costs less (see
        /// `DualFirstLayer.pays`), else the usual one.
        case automatic
        /// The usual form: the network computes its first layer itself.
        case usual
        /// The dual form; the optimizer must be plain SGD.
        case dual
    }

    /// How the first layer computes: by default, whichever costs less.
    public var firstLayerForm = FirstLayerForm.automatic

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

    /// Whether a network learning by `optimizer` takes the dual form here.
    public func usesDualForm(_ optimizer: OptimizerSpec) -> Bool {
        switch firstLayerForm {
        case .automatic: return optimizer.kind == .sgd && DualFirstLayer<Scalar>.pays(trainingCount: training.count, inputs: training.featureCount)
        case .usual: return false
        case .dual:
            precondition(optimizer.kind == .sgd, "the dual form is for networks that learn by plain SGD")
            return true
        }
    }

    /// Trains `network` with a fresh `optimizer` for the steps of `plan`, its learning rate following
    /// `schedule`, measuring it where the plan says. A loss that becomes NaN or infinite stops
    /// training there, before that step's update. `progress` hears the steps taken so far. Products
    /// are computed on the network's backend and counted there, training and measuring apart;
    /// subnormal numbers are flushed to zero while training runs (see `SubnormalNumbers`).
    public func train(_ network: Network<Scalar>, optimizer: OptimizerSpec, _ plan: TrainingPlan,
                      schedule: LearningRateSchedule = .constant, progress: ((Int) -> Void)? = nil) -> Outcome {
        SubnormalNumbers.flushingToZero {
            let dual = usesDualForm(optimizer) ? dualForm(of: network, learningRate: optimizer.learningRate, plan) : nil
            var outcome = Outcome()
            outcome.history.losses.reserveCapacity(plan.steps)
            measure(epoch: 0, network, dual, plan, &outcome)
            let steps = step(network, optimizer.make(on: network.backend), plan, schedule, dual, &outcome, progress: progress)
            finish(network, dual, plan, &outcome)
            progress?(steps)
            return outcome
        }
    }

    /// The dual form of `network`'s first layer, for SGD at `learningRate`.
    private func dualForm(of network: Network<Scalar>, learningRate: Double, _ plan: TrainingPlan) -> DualFirstLayer<Scalar> {
        var evaluations: [MeasuredSet: (images: Int, measured: Int)] = [:]
        if let test, let testCurve {
            evaluations[.testCurve] = (testCurve.count, plan.heldOutEvaluations.count)
            evaluations[.test] = (test.count, plan.measuresTestAtEnd ? 1 : 0)
        } else if let test {
            evaluations[.test] = (test.count, plan.heldOutEvaluations.count + (plan.measuresTestAtEnd ? 1 : 0))
        }
        if let validation { evaluations[.validation] = (validation.count, plan.heldOutEvaluations.count) }
        return DualFirstLayer(network.firstLayer, images: innerProducts, learningRate: Scalar(learningRate),
                              decay: Scalar(network.configuration.weightDecay), evaluations: evaluations, backend: network.backend)
    }

    /// The steps of `plan`, measuring after each epoch the plan asks for; returns how many were taken.
    private func step(_ network: Network<Scalar>, _ optimizer: any Optimizer<Scalar>, _ plan: TrainingPlan, _ schedule: LearningRateSchedule,
                      _ dual: DualFirstLayer<Scalar>?, _ outcome: inout Outcome, progress: ((Int) -> Void)?) -> Int {
        let baseRate = Double(optimizer.learningRate)
        for iteration in 0..<plan.steps {
            // BEGIN training-step
            drawBatch(gatheringImagesOn: dual == nil ? network.backend : nil)
            let loss = dual.map { dual in
                dual.forward(indices: batchIndices, into: firstOutput)
                return network.loss(firstLayerOutput: firstOutput, labels: batchLabels, firstWeightSquares: dual.squaredNorm)
            } ?? network.loss(batch, labels: batchLabels)
            guard loss.isFinite else {                  // a NaN or infinite loss: no update, training stops
                outcome.history.divergedAt = iteration
                outcome.history.divergedInEpoch = iteration / iterationsPerEpoch + 1
                return iteration
            }
            outcome.history.losses.append(loss)
            if schedule != .constant {                  // the learning rate as the schedule has it at this step
                optimizer.learningRate = Scalar(schedule.rate(baseRate, atStep: iteration))
                dual?.learningRate = optimizer.learningRate
            }
            if let dual {                               // the dual form steps the first layer's weights itself
                dual.learn(indices: batchIndices, outputGradient: network.backwardToFirstLayer())
                network.addWeightDecayGradient(skippingFirst: true)
                optimizer.update(network.parametersAboveFirstWeights)
            } else {
                network.backward()                      // every gradient, weight decay's share included
                optimizer.update(network.parameters)
            }
            // END training-step
            if plan.recordsLossAfterUpdate { outcome.history.lossesAfterUpdate.append(lossAfterUpdate(network, dual)) }
            if (iteration + 1) % iterationsPerEpoch == 0 { measure(epoch: (iteration + 1) / iterationsPerEpoch, network, dual, plan, &outcome) }
            if let progress, (iteration + 1) % 50 == 0 { progress(iteration + 1) }
        }
        return plan.steps
    }

    /// The batch just learned, measured again with the updated weights, in inference mode (the
    /// course's `network.loss(x_batch, t_batch)` after `optimizer.update`): a measurement, counted as one.
    private func lossAfterUpdate(_ network: Network<Scalar>, _ dual: DualFirstLayer<Scalar>?) -> Double {
        network.backend.operations.during(.measuring) {
            guard let dual else { return network.loss(batch, labels: batchLabels, training: false) }
            dual.forward(indices: batchIndices, into: firstOutput)
            return network.loss(firstLayerOutput: firstOutput, labels: batchLabels, training: false, firstWeightSquares: dual.squaredNorm)
        }
    }

    /// Draws the next mini-batch: its indices and labels, and its images where a backend is given
    /// to gather them (the dual form needs none).
    private func drawBatch(gatheringImagesOn backend: (any ComputeBackend<Scalar>)?) {
        for row in 0..<batchSize {
            let index = generator.nextIndex(below: labels.count)
            batchIndices[row] = index
            batchLabels[row] = labels[index]
        }
        backend?.gatherRows(batchIndices, of: training.samples, into: batch)
    }

    /// Measures the network after epoch `epoch` where its plan asks: the training set, the held-out sets.
    private func measure(epoch: Int, _ network: Network<Scalar>, _ dual: DualFirstLayer<Scalar>?, _ plan: TrainingPlan,
                         _ outcome: inout Outcome) {
        if plan.trainingEvaluations.contains(epoch) {
            outcome.history.epochs.append(epoch)
            outcome.history.trainAccuracy.append(correctness(network, dual, on: .training, training).accuracy)
        }
        guard test != nil || validation != nil, plan.heldOutEvaluations.contains(epoch) else { return }
        outcome.history.heldOutEpochs.append(epoch)
        if let testCurve {
            outcome.history.testAccuracy.append(correctness(network, dual, on: .testCurve, testCurve).accuracy)
        } else if let test {
            let marks = correctness(network, dual, on: .test, test)
            outcome.history.testAccuracy.append(marks.accuracy)
            outcome.finalTestCorrectness = marks   // the latest; the last is where the run ends
        }
        if let validation { outcome.history.validationAccuracy.append(correctness(network, dual, on: .validation, validation).accuracy) }
    }

    /// Where training ended: the test accuracy there (the last held-out measurement if it was taken
    /// there on the whole test set, else measured now if the plan asks), then the dual form's weights
    /// written into the layer.
    private func finish(_ network: Network<Scalar>, _ dual: DualFirstLayer<Scalar>?, _ plan: TrainingPlan, _ outcome: inout Outcome) {
        if let test {
            let history = outcome.history, end = history.losses.count
            if testCurve == nil && !history.diverged && end % iterationsPerEpoch == 0 && history.heldOutEpochs.last == end / iterationsPerEpoch {
                outcome.finalTestAccuracy = history.testAccuracy.last
            } else {
                outcome.finalTestCorrectness = nil
                if plan.measuresTestAtEnd {
                    let marks = correctness(network, dual, on: .test, test)
                    outcome.finalTestAccuracy = marks.accuracy
                    outcome.finalTestCorrectness = marks
                }
            }
        }
        dual?.release()
    }

    /// Which images of `data` the network classifies correctly, in inference mode, in chunks of 1,000
    /// images: through its own layers, or in the dual form, from the trainer's first-layer outputs.
    private func correctness(_ network: Network<Scalar>, _ dual: DualFirstLayer<Scalar>?, on set: MeasuredSet,
                             _ data: LabeledSamples<Scalar>) -> Correctness {
        network.backend.operations.during(.measuring) {
            guard let dual else { return network.correctness(data) }
            var correct = Correctness(count: data.count)
            var start = 0
            while start < data.count {
                let rows = start..<min(start + 1000, data.count)
                dual.outputs(of: set, data, rows: rows, into: firstOutput)
                network.backend.argmaxRows(network.scores(firstLayerOutput: firstOutput, training: false), into: &predicted)
                for row in 0..<rows.count where predicted[row] == data.labels[start + row] { correct.mark(start + row) }
                start = rows.upperBound
            }
            return correct
        }
    }
}

/// The images a trainer measures its networks on.
public enum MeasuredSet: Sendable, Hashable {
    case training, test, validation
    /// The test images a curve is drawn on, where they are fewer than the test set.
    case testCurve
}
