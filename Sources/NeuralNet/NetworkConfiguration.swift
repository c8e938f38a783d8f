/// The hidden layers' activation function.
public enum Activation: String, Sendable, Hashable, CaseIterable, Codable {
    case relu, sigmoid, tanh
}

/// How initial weights are drawn: Gaussian with a fixed standard deviation, or one that depends
/// on the width `n` of the previous layer.
public enum WeightInitialization: Sendable, Hashable, Codable {
    case standardDeviation(Double)
    /// `sqrt(1 / n)`, for activations symmetric around zero (sigmoid, tanh).
    case xavier
    /// `sqrt(2 / n)`, for ReLU, which zeroes half of its inputs.
    case he
    /// Every weight equal: the broken start that shows why initial weights must be random.
    case constant(Double)

    public func standardDeviation(previousWidth n: Int) -> Double {
        switch self {
        case let .standardDeviation(s): s
        case .xavier: (1 / Double(n)).squareRoot()
        case .he: (2 / Double(n)).squareRoot()
        case .constant: 0
        }
    }
}

/// A fully connected network: Affine, [BatchNorm], activation, [Dropout] per hidden layer, then a
/// last Affine into softmax with cross-entropy.
public struct NetworkConfiguration: Sendable, Hashable, Codable {
    public var inputSize: Int
    public var hiddenSizes: [Int]
    public var outputSize: Int
    public var activation: Activation
    public var weightInitialization: WeightInitialization
    /// λ: adds `λ/2 Σ W²` over all weight matrices to the loss.
    public var weightDecay: Double
    public var batchNormalization: Bool
    /// The share of hidden units dropped in training, or nil for no Dropout layers.
    public var dropoutRatio: Double?

    public init(inputSize: Int = 784, hiddenSizes: [Int], outputSize: Int = 10,
                activation: Activation = .relu, weightInitialization: WeightInitialization = .he,
                weightDecay: Double = 0, batchNormalization: Bool = false, dropoutRatio: Double? = nil) {
        self.inputSize = inputSize
        self.hiddenSizes = hiddenSizes
        self.outputSize = outputSize
        self.activation = activation
        self.weightInitialization = weightInitialization
        self.weightDecay = weightDecay
        self.batchNormalization = batchNormalization
        self.dropoutRatio = dropoutRatio
    }

    /// Learnable numbers: weights and biases of every Affine layer, and BatchNorm's scale and shift.
    public var parameterCount: Int {
        let affine = zip(widths, widths.dropFirst()).reduce(0) { $0 + $1.0 * $1.1 + $1.1 }
        return affine + (batchNormalization ? 2 * hiddenSizes.reduce(0, +) : 0)
    }

    /// The widths of every layer, input first: [784, 100, ..., 10].
    public var widths: [Int] { [inputSize] + hiddenSizes + [outputSize] }

    /// Floating-point operations of the matrix products of one forward pass of one sample
    /// (2 per multiply-add): the work that dominates a step, and what the cost ledger counts.
    public var forwardFlopsPerSample: Double {
        zip(widths, widths.dropFirst()).reduce(0) { $0 + 2 * Double($1.0 * $1.1) }
    }

    /// The matrix products of one training step on `batch` samples: the forward pass, every
    /// weight gradient, and every input gradient but the first layer's (nobody reads it).
    public func trainingStepFlops(batch: Int) -> Double {
        let first = 2 * Double(inputSize * (hiddenSizes.first ?? outputSize))
        return Double(batch) * (3 * forwardFlopsPerSample - first)
    }
}
