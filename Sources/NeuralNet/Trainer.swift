import Foundation
import NumericCore

/// What one training run recorded.
public struct TrainingHistory: Sendable, Codable, Equatable {
    /// The loss of each mini-batch, from the forward pass that produced its gradient.
    public var losses: [Double] = []
    /// The epochs at which accuracy was measured on the training set (0: before training).
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

    public init(steps: Int, trainingEvaluations: Set<Int> = [], heldOutEvaluations: Set<Int> = [], measuresTestAtEnd: Bool = false) {
        self.steps = steps; self.trainingEvaluations = trainingEvaluations; self.heldOutEvaluations = heldOutEvaluations
        self.measuresTestAtEnd = measuresTestAtEnd
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

/// Mini-batch training of several networks in lockstep: every step draws `batchSize` samples at
/// random (with replacement, as NumPy's `choice` does in the reference) and every network in
/// training learns from that same batch, so that networks compared seed by seed are paired. An
/// epoch is `max(trainCount / batchSize, 1)` steps.
///
/// The networks' first layers form one `FirstLayers` block, their outputs side by side: the batch
/// is drawn and gathered once for all, and a set of images is read once per chunk when they are
/// measured. Everything above the first layer, the loss and the optimizer stay
/// each network's own. One network alone is a group of one: there is one training loop.
public final class Trainer<Scalar: NeuralScalar> {
    public let training: LabeledSamples<Scalar>
    public let test: LabeledSamples<Scalar>?
    public let validation: LabeledSamples<Scalar>?
    public let batchSize: Int
    private var generator: SeededGenerator
    private let batch: Matrix<Scalar>
    private var batchLabels: [Int]
    private var batchIndices: [Int]
    private let wide = Matrix<Scalar>(rows: 0, columns: 0)
    private let wideGradient = Matrix<Scalar>(rows: 0, columns: 0)
    private var predicted: [Int] = []

    /// A network to train, with its optimizer, its plan, and how its learning rate goes with the
    /// step (from the rate its optimizer was made with).
    public struct Member {
        public let network: Network<Scalar>
        public let optimizer: any Optimizer<Scalar>
        public let plan: TrainingPlan
        public let schedule: LearningRateSchedule

        public init(_ network: Network<Scalar>, _ optimizer: any Optimizer<Scalar>, _ plan: TrainingPlan,
                    schedule: LearningRateSchedule = .constant) {
            self.network = network; self.optimizer = optimizer; self.plan = plan; self.schedule = schedule
        }
    }

    /// What training a member recorded, and its test accuracy where it ended, with which test images
    /// it got right there (nil without a test set).
    public struct Outcome {
        public var history: TrainingHistory
        public var finalTestAccuracy: Double?
        public var finalTestCorrectness: Correctness?
    }

    /// The training images' inner products, for the dual form: shared by the trainers of the same images.
    public let innerProducts: InnerProducts<Scalar>

    /// A trainer whose mini-batches are drawn from `training` in an order that `seed` decides.
    /// Trainers of the same images may share their `innerProducts`.
    public init(training: LabeledSamples<Scalar>, test: LabeledSamples<Scalar>? = nil, validation: LabeledSamples<Scalar>? = nil,
                batchSize: Int, seed: UInt64, innerProducts: InnerProducts<Scalar>? = nil) {
        precondition(batchSize > 0, "batch size must be positive")
        precondition(training.count > 0, "the training set is empty")
        precondition(innerProducts.map { $0.images === training.samples } ?? true, "inner products of other images")
        self.innerProducts = innerProducts ?? InnerProducts(training.samples)
        self.training = training
        self.test = test
        self.validation = validation
        self.batchSize = batchSize
        generator = SeededGenerator(seed: seed, stream: "mini-batches")
        batch = Matrix(rows: batchSize, columns: training.featureCount)
        batchLabels = Array(repeating: 0, count: batchSize)
        batchIndices = Array(repeating: 0, count: batchSize)
    }

    /// How the first layers of a group compute.
    public enum FirstLayerForm: Sendable {
        /// The dual form where every member learns by plain SGD and it costs less (see
        /// `DualFirstLayers`), else stacked.
        case automatic
        /// Stacked into wide products (`FirstLayerStack`).
        case stacked
        /// The dual form; every member must learn by plain SGD.
        case dual
    }

    /// How the first layers compute: by default, whichever costs less.
    public var firstLayerForm = FirstLayerForm.automatic

    /// The floating-point operations of the matrix products computed so far (2 per multiply-add):
    /// for training, and for measuring the networks on sets of images.
    public private(set) var flops: (training: Double, measuring: Double) = (0, 0)

    /// The first layers of `members`, in the form that `firstLayerForm` and their optimizers allow.
    private func firstLayers(_ members: [Member]) -> any FirstLayers<Scalar> {
        let rates = members.compactMap { ($0.optimizer as? SGD<Scalar>)?.learningRate }
        let allSGD = rates.count == members.count && !members.isEmpty
        let dual: Bool
        switch firstLayerForm {
        case .automatic: dual = allSGD && DualFirstLayers<Scalar>.pays(trainingCount: training.count, inputs: training.featureCount)
        case .stacked: dual = false
        case .dual:
            precondition(allSGD, "the dual form is for networks that learn by plain SGD")
            dual = true
        }
        let layers = members.map(\.network.firstLayer)
        guard dual else { return FirstLayerStack(layers) }
        var evaluations: [MeasuredSet: (images: Int, perMember: [Int])] = [:]
        if let test { evaluations[.test] = (test.count, members.map { $0.plan.heldOutEvaluations.count + ($0.plan.measuresTestAtEnd ? 1 : 0) }) }
        if let validation { evaluations[.validation] = (validation.count, members.map { $0.plan.heldOutEvaluations.count }) }
        return DualFirstLayers(layers, images: innerProducts, learningRates: rates,
                               decays: members.map { Scalar($0.network.configuration.weightDecay) }, evaluations: evaluations)
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

    /// Trains one network; see `train(_:progress:)`.
    public func train(_ network: Network<Scalar>, optimizer: any Optimizer<Scalar>, _ plan: TrainingPlan,
                      progress: ((Int) -> Void)? = nil) -> Outcome {
        train([Member(network, optimizer, plan)], progress: progress)[0]
    }

    /// Trains every member on the same mini-batches, each for its own number of steps, measuring
    /// each where its plan says; a member whose loss becomes NaN or infinite stops there, before
    /// that step's update, and leaves the group, as does a member whose steps are done. `progress`
    /// hears the network-steps taken so far. Subnormal numbers are flushed to zero while training
    /// runs (see `SubnormalNumbers`).
    public func train(_ members: [Member], progress: ((Int) -> Void)? = nil) -> [Outcome] {
        SubnormalNumbers.flushingToZero { trainInLockstep(members, progress: progress) }
    }

    private func trainInLockstep(_ members: [Member], progress: ((Int) -> Void)?) -> [Outcome] {
        var outcomes = members.map { _ in Outcome(history: TrainingHistory(), finalTestAccuracy: nil, finalTestCorrectness: nil) }
        let stack = firstLayers(members)
        // The products above the first layer, per sample: as many again for the weight gradients
        // and as many once more for the input gradients in a training step.
        let upper = members.map { $0.network.configuration.forwardFlopsPerSample - productFlops(1, $0.network.firstLayer.outputs, $0.network.firstLayer.inputs) }
        defer {
            stack.releaseAll()
            flops.training += stack.flops.training + innerProducts.claimFlops()
            flops.measuring += stack.flops.measuring
        }
        var active = Array(members.indices)   // the member in each slot of the stack
        var failed = [Bool](repeating: false, count: members.count)
        var stepsDone = 0
        for history in outcomes.indices { outcomes[history].history.losses.reserveCapacity(members[history].plan.steps) }
        measure(epoch: 0, active: active, stack: stack, members: members, into: &outcomes)
        leave(where: { members[$0].plan.steps == 0 }, active: &active, stack: stack, members: members, outcomes: &outcomes)
        let features = training.featureCount, sampleCount = training.count
        // Raw pointers taken once: the training set is shared by groups on other cores, and touching
        // its reference counts in the loop would bounce one cache line between them.
        let samples = UnsafePointer(training.samples.base), rowBytes = features * MemoryLayout<Scalar>.stride
        let labels = training.labels, batchBase = batch.base, readsImages = !stack.updatesWeights
        let baseRates = members.map { Double($0.optimizer.learningRate) }
        var iteration = 0
        while !active.isEmpty {
            // BEGIN training-step
            // One mini-batch for every network in the group.
            labels.withUnsafeBufferPointer { labels in
                for row in 0..<batchSize {
                    let index = generator.nextIndex(below: sampleCount)
                    if readsImages { memcpy(batchBase + row * features, samples + index * features, rowBytes) }
                    batchLabels[row] = labels[index]
                    batchIndices[row] = index
                }
            }
            // The first layers of all of them, side by side: x [W₁ W₂ …] + [b₁ b₂ …] (or, in the dual
            // form of SGD, rows of the training images' outputs).
            stack.forward(batch: batch, indices: batchIndices, into: wide)
            stack.shapeGradient(wideGradient, rows: batchSize)
            for (slot, m) in active.enumerated() {
                // Each network on its own from there: the layers above, the loss, backpropagation.
                let network = members[m].network
                let loss = batchLabels.withUnsafeBufferPointer {
                    network.loss(firstLayerOutput: stack.output(of: slot, from: wide, members: 0..<stack.count),
                                 labels: $0.baseAddress!, training: true, firstWeightSquares: stack.squaredNorm(of: slot))
                }
                guard loss.isFinite else {
                    failed[m] = true   // a NaN or infinite loss: no update, the network leaves
                    outcomes[m].history.divergedAt = iteration
                    outcomes[m].history.divergedInEpoch = iteration / iterationsPerEpoch + 1
                    continue
                }
                outcomes[m].history.losses.append(loss)
                stack.place(network.backwardToFirstLayer(), of: slot, into: wideGradient)
            }
            // Each learning rate as its schedule has it at this step.
            for (slot, m) in active.enumerated() where members[m].schedule != .constant {
                let rate = Scalar(members[m].schedule.rate(baseRates[m], atStep: iteration))
                members[m].optimizer.learningRate = rate
                stack.setLearningRate(rate, of: slot)
            }
            // The first layers learn: their weight gradients dWₖᵀ = dYₖᵀ x (or, in the dual form,
            // the SGD step itself); then each optimizer steps.
            stack.learn(batch: batch, indices: batchIndices, wideGradient: wideGradient)
            for m in active where !failed[m] {
                let network = members[m].network
                network.addWeightDecayGradient(skippingFirst: stack.updatesWeights)
                members[m].optimizer.update(stack.updatesWeights ? network.parametersAboveFirstWeights : network.parameters)
            }
            // END training-step
            iteration += 1
            stepsDone += active.count
            for m in active { flops.training += Double(batchSize) * upper[m] * (failed[m] ? 1 : 3) }
            leave(where: { failed[$0] }, active: &active, stack: stack, members: members, outcomes: &outcomes)
            if iteration % iterationsPerEpoch == 0 {
                measure(epoch: iteration / iterationsPerEpoch, active: active, stack: stack, members: members, into: &outcomes)
            }
            leave(where: { members[$0].plan.steps == iteration }, active: &active, stack: stack, members: members, outcomes: &outcomes)
            if let progress, iteration % 50 == 0 { progress(stepsDone) }
        }
        progress?(stepsDone)
        return outcomes
    }

    /// Measures, after epoch `epoch`, the members of the group (`active`, in slot order) whose plans
    /// ask for it: the training set for some, the held-out sets for some, each set one wide pass for
    /// all that need it.
    private func measure(epoch: Int, active: [Int], stack: any FirstLayers<Scalar>, members: [Member], into outcomes: inout [Outcome]) {
        let onTraining = active.filter { members[$0].plan.trainingEvaluations.contains(epoch) }
        for (m, marks) in zip(onTraining, correctness(of: onTraining, on: .training, training, slots: active, stack: stack, members: members)) {
            outcomes[m].history.epochs.append(epoch)
            outcomes[m].history.trainAccuracy.append(marks.accuracy)
        }
        let onHeldOut = test == nil && validation == nil ? [] : active.filter { members[$0].plan.heldOutEvaluations.contains(epoch) }
        for m in onHeldOut { outcomes[m].history.heldOutEpochs.append(epoch) }
        if let test {
            for (m, marks) in zip(onHeldOut, correctness(of: onHeldOut, on: .test, test, slots: active, stack: stack, members: members)) {
                outcomes[m].history.testAccuracy.append(marks.accuracy)
                outcomes[m].finalTestCorrectness = marks   // the latest; the last is where the run ends
            }
        }
        if let validation {
            for (m, marks) in zip(onHeldOut, correctness(of: onHeldOut, on: .validation, validation, slots: active, stack: stack,
                                                         members: members)) {
                outcomes[m].history.validationAccuracy.append(marks.accuracy)
            }
        }
    }

    /// Removes from the group the members `leaving` picks, slot by slot from the last, each with
    /// its test accuracy where it ended: its last held-out measurement if that was there, else
    /// measured now (the members ending together in one wide pass).
    private func leave(where leaving: (Int) -> Bool, active: inout [Int], stack: any FirstLayers<Scalar>, members: [Member],
                       outcomes: inout [Outcome]) {
        guard active.contains(where: leaving) else { return }
        let gone = active.filter(leaving)
        if let test {
            let measured = gone.filter { m in
                let history = outcomes[m].history, end = history.losses.count
                return !history.diverged && end % iterationsPerEpoch == 0 && history.heldOutEpochs.last == end / iterationsPerEpoch
            }
            for m in measured { outcomes[m].finalTestAccuracy = outcomes[m].history.testAccuracy.last }
            let unmeasured = gone.filter { !measured.contains($0) && members[$0].plan.measuresTestAtEnd }
            for m in gone where !measured.contains(m) { outcomes[m].finalTestCorrectness = nil }
            for (m, marks) in zip(unmeasured, correctness(of: unmeasured, on: .test, test, slots: active, stack: stack, members: members)) {
                outcomes[m].finalTestAccuracy = marks.accuracy
                outcomes[m].finalTestCorrectness = marks
            }
        }
        for slot in active.indices.reversed() where leaving(active[slot]) {
            stack.remove(slot)
            active.remove(at: slot)
        }
    }

    /// Which images of `data` each of `measured` (members, all in `slots`) classifies correctly, in
    /// inference mode: chunks of 1,000 images, each through the first layers of the measured members
    /// side by side, then each network's own layers above.
    private func correctness(of measured: [Int], on set: MeasuredSet, _ data: LabeledSamples<Scalar>, slots: [Int],
                             stack: any FirstLayers<Scalar>, members: [Member]) -> [Correctness] {
        guard !measured.isEmpty else { return [] }
        let measuredSlots = measured.map { slots.firstIndex(of: $0)! }
        let range = measuredSlots.min()!..<(measuredSlots.max()! + 1)
        var correct = [Correctness](repeating: Correctness(count: data.count), count: measured.count)
        for m in measured {
            flops.measuring += Double(data.count) * (members[m].network.configuration.forwardFlopsPerSample
                - productFlops(1, members[m].network.firstLayer.outputs, members[m].network.firstLayer.inputs))
        }
        var start = 0
        while start < data.count {
            let rows = start..<min(start + 1000, data.count)
            stack.outputs(of: set, data, rows: rows, members: range, into: wide)
            if predicted.count < rows.count { predicted = Array(repeating: 0, count: rows.count) }
            for (i, (m, slot)) in zip(measured, measuredSlots).enumerated() {
                let scores = members[m].network.scores(firstLayerOutput: stack.output(of: slot, from: wide, members: range), training: false)
                predicted.withUnsafeMutableBufferPointer {
                    Scalar.argmaxRows(scores.base, rows: scores.rows, columns: scores.columns, into: $0.baseAddress!)
                }
                for row in 0..<rows.count where predicted[row] == data.labels[start + row] { correct[i].mark(start + row) }
            }
            start = rows.upperBound
        }
        return correct
    }
}
