import Datasets
import Formatting
import NeuralNet
import Runs
import Statistics

// How runs, their settings and what they measure are named to a reader. None of it decides a
// number, so none of it is compiled into the run cache's key: rewording it keeps every stored run.

extension Metric {
    /// What the x values count.
    public var axis: String { isAccuracy ? "epoch" : "iteration" }

    /// "training loss", "test accuracy", ...
    public var displayName: String {
        switch self {
        case .trainLoss: "training loss"
        case .trainLossAfterUpdate: "training loss after the update"
        case .trainAccuracy: "training accuracy"
        case .testAccuracy: "test accuracy"
        case .validationAccuracy: "validation accuracy"
        }
    }

    /// A seed summary of the metric for a table: a percentage with its range for accuracies, a
    /// number with its spread for losses.
    public func text(_ s: SeedSummary, missing: MissingValue = .notMeasured) -> String {
        isAccuracy ? percentWithRange(s, missing: missing) : meanAndSpread(s, missing: missing)
    }

    /// What the metric's values are, for a report's data section.
    public var meaning: String {
        switch self {
        case .trainLoss: "the loss of each training mini-batch, from the forward pass its gradient came from (x: iteration), one series per seed"
        case .trainLossAfterUpdate: """
            the loss of each training mini-batch measured again after its update, in inference mode, as the course's script \
            draws it (x: iteration), one series per seed
            """
        case .trainAccuracy: "accuracy on the whole training set (x: epoch, 0 = before training), one series per seed"
        case .testAccuracy: """
            accuracy on the test set, in inference mode (x: epoch), one series per seed: on every k-th test image where the \
            run draws its curve on fewer (see its setup's testCurveImages), the whole set where it ends
            """
        case .validationAccuracy: "accuracy on the held-out validation set (x: epoch), one series per seed"
        }
    }
}

extension Activation {
    public var displayName: String {
        switch self {
        case .relu: "ReLU"
        case .sigmoid: "sigmoid"
        case .tanh: "tanh"
        }
    }
}

extension WeightInitialization {
    public var displayName: String {
        switch self {
        case let .standardDeviation(s): "std=\(Format.compact(s))"
        case .xavier: "Xavier"
        case .he: "He"
        case let .constant(c): "all weights \(Format.compact(c))"
        }
    }
}

extension NetworkConfiguration {
    /// "784-100-100-100-100-10, ReLU, He"
    public var summary: String {
        var parts = [widths.map(String.init).joined(separator: "-"), activation.displayName, weightInitialization.displayName]
        if batchNormalization { parts.append("BatchNorm") }
        if weightDecay != 0 { parts.append("weight decay λ=\(Format.compact(weightDecay))") }
        if let dropoutRatio { parts.append("Dropout \(Format.compact(dropoutRatio))") }
        return parts.joined(separator: ", ")
    }
}

extension OptimizerSpec {
    /// The name a reader expects: "SGD", "Momentum", "Adam", ...
    public var name: String {
        switch self {
        case .sgd: "SGD"
        case .momentum: "Momentum"
        case .nesterov: "Nesterov"
        case .adaGrad: "AdaGrad"
        case .rmsProp: "RMSProp"
        case .adam: "Adam"
        }
    }

    /// A short description of the hyperparameters, for tables and provenance.
    public var settings: String {
        switch self {
        case let .sgd(lr): "lr=\(Format.compact(lr))"
        case let .momentum(lr, m), let .nesterov(lr, m): "lr=\(Format.compact(lr)), momentum=\(Format.compact(m))"
        case let .adaGrad(lr): "lr=\(Format.compact(lr))"
        case let .rmsProp(lr, d): "lr=\(Format.compact(lr)), decay=\(Format.compact(d))"
        case let .adam(lr, b1, b2): "lr=\(Format.compact(lr)), beta1=\(Format.compact(b1)), beta2=\(Format.compact(b2))"
        }
    }
}

extension TrainingData {
    /// "300 training images", "400 of the first 500 training images, 100 held out for validation"
    public func describe(in dataset: Dataset) -> String {
        switch self {
        case .all: return "all \(dataset.training.count) training images"
        case let .first(n): return "\(min(n, dataset.training.count)) training images"
        case let .tuning(n, fraction, split):
            let available = min(n, dataset.training.count), held = TuningSplit.heldOut(of: available, fraction: fraction)
            return "\(available - held) of the first \(n) training images, \(held) held out for validation (shuffle seed \(split))"
        case let .firstWithValidation(n, m):
            return "the first \(n) training images, the next \(m) for validation"
        case let .drawn(n, draw):
            return "\(n) training images drawn at random (draw \(draw))"
        }
    }
}

extension TrainingLength {
    /// "201 epochs (held-out accuracy every 2)", "2000 iterations"
    public var summary: String {
        switch self {
        case let .iterations(n): return "\(n) iterations"
        case let .epochs(n, every, heldOut):
            var text = every == 1 ? "\(n) epochs" : "\(n) epochs (accuracy every \(every))"
            if let heldOut, heldOut != every { text += heldOut >= n ? " (held-out accuracy at the end)" : " (held-out accuracy every \(heldOut))" }
            return text
        }
    }
}

extension TrainingSetup {
    /// Setups in words, saying only what they share ("784-100-100-10, ReLU, He; SGD lr=0.01; batch
    /// 100; 201 epochs on 300 training images"): where their networks, optimizers, batch sizes,
    /// lengths or data differ, that part says "by arm" (the arms' labels say how).
    public static func summary(of setups: [TrainingSetup], in dataset: Dataset) -> String {
        guard let first = setups.first else { return "" }
        func shared<Value: Equatable>(_ part: (TrainingSetup) -> Value, _ text: String, _ what: String) -> String {
            setups.allSatisfy { part($0) == part(first) } ? text : "\(what) by arm"
        }
        return [shared(\.network, first.network.summary, "network"),
                shared(\.optimizer, "\(first.optimizer.name) \(first.optimizer.settings)", "optimizer"),
                shared(\.batchSize, "batch \(first.batchSize)", "batch size"),
                shared(\.length, first.length.summary, "length") + " on " + shared(\.data, first.data.describe(in: dataset), "data")]
            .joined(separator: "; ")
    }
}

extension RunCache {
    /// "12 trained, 90 from the cache in .cache" for a report's provenance.
    public var summary: String {
        guard folder != nil else { return "\(stored) trained (cache off)" }
        return "\(stored) trained, \(hits) from the cache in \(displayName)"
    }
}
