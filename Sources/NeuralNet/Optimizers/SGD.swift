import NumericCore

/// Stochastic gradient descent: `W ← W - η ∂L/∂W`.
public final class SGD<Scalar: MatrixScalar>: Optimizer {
    public var learningRate: Scalar
    private let backend: any NeuralBackend<Scalar>

    public init(learningRate: Scalar = 0.01, backend: any NeuralBackend<Scalar>) {
        self.learningRate = learningRate  // the notes' version forgets to store this
        self.backend = backend
    }

    // BEGIN sgd-update
    public func update(_ parameters: [Parameter<Scalar>]) {
        for i in parameters.indices {
            backend.add(parameters[i].gradient, scaledBy: -learningRate, to: parameters[i].value)   // W ← W − η ∂L/∂W
        }
    }
    // END sgd-update
}
