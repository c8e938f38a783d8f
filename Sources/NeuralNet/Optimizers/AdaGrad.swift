import NumericCore

/// AdaGrad: each parameter's step shrinks with the sum of its past squared gradients,
/// `h ← h + ∂L/∂W ⊙ ∂L/∂W`, `W ← W − η ∂L/∂W / (√h + ε)` (the backend's `adaGradStep`).
public final class AdaGrad<Scalar: MatrixScalar>: Optimizer {
    public var learningRate: Scalar
    public let epsilon: Scalar
    private let backend: any NeuralBackend<Scalar>
    private var squares = PerParameterState<Scalar>()

    public init(learningRate: Scalar = 0.01, epsilon: Scalar = 1e-7, backend: any NeuralBackend<Scalar>) {
        self.learningRate = learningRate
        self.epsilon = epsilon
        self.backend = backend
    }

    // BEGIN adagrad-update
    public func update(_ parameters: [Parameter<Scalar>]) {
        let h = squares.buffers(for: parameters)
        for i in parameters.indices {
            // One sum per parameter: the notes add into the whole dictionary `self.h`.
            backend.adaGradStep(learningRate: learningRate, epsilon: epsilon, gradient: parameters[i].gradient, squares: h[i],
                                parameter: parameters[i].value)
        }
    }
    // END adagrad-update
}
