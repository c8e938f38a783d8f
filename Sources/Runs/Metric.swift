import Formatting
import NeuralNet
import NumericCore

/// What a training run measures over time: the loss of each mini-batch, or an accuracy after each
/// evaluated epoch. The raw value is the metric's name in results.json and the CSV files.
public enum Metric: String, Sendable, CaseIterable, Codable {
    case trainLoss = "train_loss"
    case trainAccuracy = "train_acc"
    case testAccuracy = "test_acc"
    case validationAccuracy = "val_acc"

    /// What the x values count.
    public var axis: String { self == .trainLoss ? "iteration" : "epoch" }

    /// "training loss", "test accuracy", ...
    public var displayName: String {
        switch self {
        case .trainLoss: "training loss"
        case .trainAccuracy: "training accuracy"
        case .testAccuracy: "test accuracy"
        case .validationAccuracy: "validation accuracy"
        }
    }

    public var isAccuracy: Bool { self != .trainLoss }

    /// A seed summary of the metric for a table: a percentage with its range for accuracies, a
    /// number with its spread for losses.
    public func text(_ s: SeedSummary) -> String {
        isAccuracy ? percentWithRange(s) : meanAndSpread(s)
    }

    /// What the metric's values are, for a report's data section.
    public var meaning: String {
        switch self {
        case .trainLoss: "the loss of each training mini-batch (x: iteration), one series per seed"
        case .trainAccuracy: "accuracy on the whole training set (x: epoch, 0 = before training), one series per seed"
        case .testAccuracy: "accuracy on the whole test set, in inference mode (x: epoch), one series per seed"
        case .validationAccuracy: "accuracy on the held-out validation set (x: epoch), one series per seed"
        }
    }
}

extension TrainingHistory {
    /// The metric's values with their x (iteration 1, 2, ... for the loss; evaluated epochs for accuracies).
    public func curve(_ metric: Metric) -> (x: [Double], y: [Double]) {
        switch metric {
        case .trainLoss: ((0..<losses.count).map { Double($0 + 1) }, losses)
        case .trainAccuracy: (epochs.map(Double.init), trainAccuracy)
        case .testAccuracy: (heldOutEpochs.map(Double.init), testAccuracy)
        case .validationAccuracy: (heldOutEpochs.map(Double.init), validationAccuracy)
        }
    }
}
