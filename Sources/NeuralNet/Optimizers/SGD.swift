import NumericCore

/// Stochastic gradient descent: `W ← W - η ∂L/∂W`.
public final class SGD<Scalar: NeuralScalar>: Optimizer {
    public var learningRate: Scalar

    public init(learningRate: Scalar = 0.01) {
        self.learningRate = learningRate  // the notes' version forgets to store this
    }

    // BEGIN sgd-update
    public func update(_ parameters: [Parameter<Scalar>]) {
        for p in parameters {
            p.value.add(p.gradient, scaledBy: -learningRate)   // W ← W − η ∂L/∂W
        }
    }
    // END sgd-update
}
