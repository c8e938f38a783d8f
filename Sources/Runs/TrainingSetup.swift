import Datasets
import Engine
import Foundation
import NeuralNet
import NumericCore

/// Which training images a run learns from.
public enum TrainingData: Sendable, Hashable, Codable {
    /// The whole training set.
    case all
    /// The first n training images of the file, as the course takes them (`x_train[:n]`).
    case first(Int)
    /// For tuning: the first n training images shuffled with `split`, a share held out for
    /// validation, the rest to train on; such a run never sees the test set.
    case tuning(first: Int, validationFraction: Double, split: UInt64)
    /// The first n training images to learn from and the next m to choose a setting on: the
    /// run is measured on both and on the test set, and the choice is made on validation only.
    case firstWithValidation(Int, validation: Int)
    /// n training images drawn at random (without regard to their class) with seed `draw`.
    case drawn(Int, draw: UInt64)

    /// The most training images no run uses that a held-out pool adds to the test set. With the
    /// full MNIST's 10,000 test images, a pool of 30,000 resolves an accuracy near 90% to ±0.17
    /// points (one binomial standard error), under a fifth of the spread between seeds of the
    /// networks it measures (a point or more on 300 images); measured once where a run ends, it costs
    /// the forward passes of 30,000 images, a few percent of the run.
    public static let unusedPoolLimit = 20_000

    /// The images a run on this selection never trains on nor chooses by, beyond the test set: for
    /// the first n training images (and m more for validation), the test set followed by the
    /// training images after them, up to `unusedPoolLimit` of them (on the full MNIST with 300 to
    /// train on: the 10,000 test images and 20,000 unused ones; on the 5,000 embedded digits: the
    /// 1,000 test images and the 3,700 unused ones). nil where that adds nothing to the test set.
    /// The two parts are given apart, the training images shown in place, so that measuring each
    /// network on them copies no image.
    public func heldOut(in dataset: Dataset) -> [LabeledSamples<Float>]? {
        let n: Int
        switch self {
        case let .first(count): n = count
        case let .firstWithValidation(count, validation): n = count + validation
        default: return nil
        }
        let extra = min(max(dataset.training.count - n, 0), Self.unusedPoolLimit)
        guard extra > 0 else { return nil }
        return [dataset.test, dataset.training.rows(n..<(n + extra))]
    }

    /// Whether some images of the selection are held out for choosing a setting (validation).
    public var isValidated: Bool {
        switch self {
        case .tuning, .firstWithValidation: true
        default: false
        }
    }

    /// How many images the selection asks for (the whole set: nil): the first n, the n drawn,
    /// the n of the tuning images, the n before the validation images.
    public var images: Int? {
        switch self {
        case .all: nil
        case let .first(n), let .tuning(n, _, _), let .firstWithValidation(n, _), let .drawn(n, _): n
        }
    }
}

/// How long a run trains.
public enum TrainingLength: Sendable, Hashable, Codable {
    /// A number of mini-batch steps; only the loss is recorded.
    case iterations(Int)
    /// Whole epochs, with accuracy measured before the first, after every `evaluateEvery`-th and
    /// after the last; on the held-out sets (test, validation) every `heldOutEvery`-th instead, when
    /// given (where no curve of theirs is drawn, only before and after: `heldOutEvery` = the epochs).
    case epochs(Int, evaluateEvery: Int = 1, heldOutEvery: Int? = nil)

    /// How many points a held-out curve is drawn from: one every 16 pixels or so of an 800-pixel
    /// figure, each on `TrainingSetup.curveImages` test images. Twice as many points would show no
    /// more (each moves by its own image noise, about a point) and would double what measuring costs,
    /// which on a few hundred training images is as much as the training.
    public static let curvePoints = 50

    /// `n` epochs drawn as curves: the training set measured after every epoch (a few hundred
    /// images cost little, and a claim may ask when it first reached a level), the held-out sets at
    /// about `curvePoints` evenly spaced epochs and at the end, where their figures need them.
    public static func drawn(_ n: Int) -> TrainingLength {
        .epochs(n, evaluateEvery: 1, heldOutEvery: max(1, n / curvePoints))
    }

    /// The epochs of a run of whole epochs; nil for a run of iterations.
    public var epochs: Int? { if case let .epochs(n, _, _) = self { n } else { nil } }

    /// Where the run ends: its last iteration, or its last epoch.
    public var end: Int {
        switch self {
        case let .iterations(n), let .epochs(n, _, _): n
        }
    }

    /// How often the training set is measured (every k-th epoch), and the held-out sets; nil for
    /// a run of iterations, which records only its loss.
    public var trainingEvery: Int? { if case let .epochs(_, every, _) = self { every } else { nil } }
    public var heldOutEvery: Int? { if case let .epochs(_, every, heldOut) = self { heldOut ?? every } else { nil } }

    /// The same measuring schedule over `n` epochs.
    public func with(epochs n: Int) -> TrainingLength {
        switch self {
        case .iterations: self
        case let .epochs(_, every, heldOut): .epochs(n, evaluateEvery: every, heldOutEvery: heldOut)
        }
    }

    /// `n` epochs measured as often for their length as these are for theirs: each interval
    /// stretched by `n / end` (rounded, at least 1), so a curve keeps about as many points. The
    /// same length comes back unchanged.
    public func scaled(to n: Int) -> TrainingLength {
        guard case let .epochs(end, every, heldOut) = self, n != end else { return with(epochs: n) }
        let stretch = { (k: Int) in max(1, Int((Double(k) * Double(n) / Double(end)).rounded())) }
        return .epochs(n, evaluateEvery: stretch(every), heldOutEvery: heldOut.map(stretch))
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
    /// How the learning rate goes with the step: constant for every chapter so far. A constant
    /// schedule is left out of the stored text, so that a setup has one key however it was written.
    public var schedule: LearningRateSchedule
    /// Where a run draws its held-out curves epoch by epoch: this many test images spread evenly over
    /// the test set (every k-th), the figure's resolution, while the whole test set is measured once
    /// where the run ends (what the claims read). Nil: the whole test set at every measurement.
    public var testCurveImages: Int?
    /// Whether each step's loss is also measured after the update, on the batch just learned (in
    /// inference mode): the curve the course draws for its optimizers and initial weights.
    public var recordsLossAfterUpdate: Bool

    public init(network: NetworkConfiguration, optimizer: OptimizerSpec, batchSize: Int, length: TrainingLength,
                data: TrainingData = .all, schedule: LearningRateSchedule = .constant, testCurveImages: Int? = nil,
                recordsLossAfterUpdate: Bool = false) {
        self.network = network; self.optimizer = optimizer; self.batchSize = batchSize; self.length = length; self.data = data
        self.schedule = schedule; self.testCurveImages = testCurveImages; self.recordsLossAfterUpdate = recordsLossAfterUpdate
    }

    enum CodingKeys: String, CodingKey { case network, optimizer, batchSize, length, data, schedule, testCurveImages, recordsLossAfterUpdate }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(network: try c.decode(NetworkConfiguration.self, forKey: .network), optimizer: try c.decode(OptimizerSpec.self, forKey: .optimizer),
                  batchSize: try c.decode(Int.self, forKey: .batchSize), length: try c.decode(TrainingLength.self, forKey: .length),
                  data: try c.decode(TrainingData.self, forKey: .data),
                  schedule: try c.decodeIfPresent(LearningRateSchedule.self, forKey: .schedule) ?? .constant,
                  testCurveImages: try c.decodeIfPresent(Int.self, forKey: .testCurveImages),
                  recordsLossAfterUpdate: try c.decodeIfPresent(Bool.self, forKey: .recordsLossAfterUpdate) ?? false)
    }

    /// Every field but those at their defaults, so that a setup has one stored text however it was written.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(network, forKey: .network); try c.encode(optimizer, forKey: .optimizer); try c.encode(batchSize, forKey: .batchSize)
        try c.encode(length, forKey: .length); try c.encode(data, forKey: .data)
        if schedule != .constant { try c.encode(schedule, forKey: .schedule) }
        try c.encodeIfPresent(testCurveImages, forKey: .testCurveImages)
        if recordsLossAfterUpdate { try c.encode(true, forKey: .recordsLossAfterUpdate) }
    }

    /// What a run of this setup records over time.
    public var metrics: [Metric] {
        if case .iterations = length { return recordsLossAfterUpdate ? [.trainLoss, .trainLossAfterUpdate] : [.trainLoss] }
        switch data {
        case .tuning: return [.trainAccuracy, .validationAccuracy]
        case .firstWithValidation: return [.trainAccuracy, .validationAccuracy, .testAccuracy]
        default: return [.trainAccuracy, .testAccuracy]
        }
    }

    /// The course's overfitting experiment: 300 training images, six hidden layers of 100 ReLU units
    /// with He's initial weights, SGD at 0.01, mini-batches of 100, 201 epochs, drawn as curves
    /// (the training set measured every epoch, `curveImages` test images spread over the set at about 50
    /// epochs, and the whole test set where the run ends).
    public static func overfitting(epochs: Int = 201, trainingImages: Int = 300) -> TrainingSetup {
        TrainingSetup(network: NetworkConfiguration(hiddenSizes: Array(repeating: 100, count: 6), activation: .relu, weightInitialization: .he),
                      optimizer: .sgd(learningRate: 0.01), batchSize: 100, length: .drawn(epochs), data: .first(trainingImages),
                      testCurveImages: curveImages)
    }

    /// The test images a drawn curve is measured on: at 2,000 images an accuracy near 85% is
    /// resolved to ±0.8 points, a few pixels of a figure, and the mean over seeds the figure draws
    /// to less; the whole test set (10,000 images on the full MNIST) would cost five times as much
    /// at every point, more than the training it draws.
    public static let curveImages = 2_000

    /// A copy with one change applied: `setup.with { $0.network.weightDecay = 0.1 }`.
    public func with(_ change: (inout TrainingSetup) -> Void) -> TrainingSetup {
        var copy = self
        change(&copy)
        return copy
    }
}

/// One training run: a labelled setup, a seed for its initial weights and dropout masks, and a
/// seed for the order of its mini-batches (by default the same).
///
/// For a given seed, runs that differ only in their setup start from the same weights (as far as
/// the shapes agree) and see the same mini-batches, so a comparison between them is paired. Runs
/// with different seeds can still share their mini-batches by sharing `batchOrder`: the trials
/// of one search do (common random numbers), so that they differ only in their settings and
/// their initial weights.
public struct TrainingRun: Sendable, Hashable, Codable {
    public var label: String
    public var setup: TrainingSetup
    public var seed: UInt64
    public var batchOrder: UInt64

    public init(label: String, setup: TrainingSetup, seed: UInt64, batchOrder: UInt64? = nil) {
        self.label = label; self.setup = setup; self.seed = seed; self.batchOrder = batchOrder ?? seed
    }
}

/// What decides a run's numbers: its setup and its seeds, not its label. Two runs with the same
/// identity train to the same numbers, so they train once.
public struct RunIdentity: Sendable, Hashable {
    public let setup: TrainingSetup
    public let seed: UInt64
    public let batchOrder: UInt64

    public init(_ run: TrainingRun) {
        setup = run.setup
        seed = run.seed
        batchOrder = run.batchOrder
    }
}

/// What a finished run recorded: plain values, no network.
public struct RunResult: Sendable, Codable {
    public let run: TrainingRun
    public let history: TrainingHistory
    /// Accuracy on the test set when the run ended (where it stopped, for a run that diverged);
    /// nil for a tuning run, which never sees the test set.
    public let finalTestAccuracy: Double?
    /// Which test images the run got right where it ended: what a paired comparison of two runs on
    /// the same images needs (nil where `finalTestAccuracy` is).
    public let finalTestCorrectness: Correctness?
    /// What the probes asked for measured on the trained network.
    public let measurements: [Measure: Double]
    /// For an accuracy among `measurements`, which images it counted right.
    public let marks: [Measure: Correctness]

    public init(run: TrainingRun, history: TrainingHistory, finalTestAccuracy: Double?, finalTestCorrectness: Correctness? = nil,
                measurements: [Measure: Double] = [:], marks: [Measure: Correctness] = [:]) {
        self.run = run; self.history = history; self.finalTestAccuracy = finalTestAccuracy; self.finalTestCorrectness = finalTestCorrectness
        self.measurements = measurements; self.marks = marks
    }
}
