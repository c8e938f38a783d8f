import NumericCore

/// RMSProp: AdaGrad with an exponentially decaying average of squared gradients, so old
/// gradients are forgotten and the step does not shrink to nothing:
/// `h ← ρ h + (1 − ρ) ∂L/∂W ⊙ ∂L/∂W`, `W ← W − η ∂L/∂W / (√h + ε)` (the backend's `rmsPropStep`).
public final class RMSProp<Scalar: MatrixScalar>: Optimizer {
    public var learningRate: Scalar
    public let decay: Scalar
    public let epsilon: Scalar
    private let backend: any NeuralBackend<Scalar>
    private var squares = PerParameterState<Scalar>()

    public init(learningRate: Scalar = 0.01, decay: Scalar = 0.99, epsilon: Scalar = 1e-7, backend: any NeuralBackend<Scalar>) {
        self.learningRate = learningRate
        self.decay = decay
        self.epsilon = epsilon
        self.backend = backend
    }

    public func update(_ parameters: [Parameter<Scalar>]) {
        let h = squares.buffers(for: parameters)
        for i in parameters.indices {
            backend.rmsPropStep(learningRate: learningRate, decay: decay, epsilon: epsilon, gradient: parameters[i].gradient, squares: h[i],
                                parameter: parameters[i].value)
        }
    }
}
