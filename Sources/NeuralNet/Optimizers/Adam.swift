import NumericCore

/// Adam: momentum on the gradient (first moment) and RMSProp-style scaling (second moment),
/// both bias-corrected for their zero start (the backend's `adamStep`).
public final class Adam<Scalar: MatrixScalar>: Optimizer {
    public var learningRate: Scalar
    public let beta1: Scalar
    public let beta2: Scalar
    public let epsilon: Scalar
    public private(set) var step = 0
    private let backend: any NeuralBackend<Scalar>
    private var firstMoments = PerParameterState<Scalar>()
    private var secondMoments = PerParameterState<Scalar>()

    public init(learningRate: Scalar = 0.001, beta1: Scalar = 0.9, beta2: Scalar = 0.999, epsilon: Scalar = 1e-7,
                backend: any NeuralBackend<Scalar>) {
        self.learningRate = learningRate
        self.beta1 = beta1
        self.beta2 = beta2
        self.epsilon = epsilon
        self.backend = backend
    }

    // BEGIN adam-update
    public func update(_ parameters: [Parameter<Scalar>]) {
        step += 1
        // Both bias corrections folded into one step size: η √(1 − β₂ᵗ) / (1 − β₁ᵗ).
        let t = Scalar(step)
        let stepSize = learningRate * Scalar.sqrt(1 - Scalar.pow(beta2, t)) / (1 - Scalar.pow(beta1, t))
        let ms = firstMoments.buffers(for: parameters), vs = secondMoments.buffers(for: parameters)
        for i in parameters.indices {
            backend.adamStep(stepSize: stepSize, beta1: beta1, beta2: beta2, epsilon: epsilon, gradient: parameters[i].gradient,
                             firstMoment: ms[i], secondMoment: vs[i], parameter: parameters[i].value)
        }
    }
    // END adam-update
}
