import Engine
import NeuralNet

/// What a training run measures over time: the loss of each mini-batch, or an accuracy after each
/// evaluated epoch. The raw value is the metric's name in results.json and the CSV files.
public enum Metric: String, Sendable, CaseIterable, Codable {
    case trainLoss = "train_loss"
    /// The loss of each step measured again after its update, on the batch just learned: the course's curve.
    case trainLossAfterUpdate = "train_loss_after_update"
    case trainAccuracy = "train_acc"
    case testAccuracy = "test_acc"
    case validationAccuracy = "val_acc"

    public var isAccuracy: Bool { self != .trainLoss && self != .trainLossAfterUpdate }
}

extension TrainingHistory {
    /// The metric's values with their x (iteration 1, 2, ... for the loss; evaluated epochs for accuracies).
    public func curve(_ metric: Metric) -> (x: [Double], y: [Double]) {
        switch metric {
        case .trainLoss: ((0..<losses.count).map { Double($0 + 1) }, losses)
        case .trainLossAfterUpdate: ((0..<lossesAfterUpdate.count).map { Double($0 + 1) }, lossesAfterUpdate)
        case .trainAccuracy: (epochs.map(Double.init), trainAccuracy)
        case .testAccuracy: (heldOutEpochs.map(Double.init), testAccuracy)
        case .validationAccuracy: (heldOutEpochs.map(Double.init), validationAccuracy)
        }
    }
}
