import NumericCore

/// RMSProp: AdaGrad with an exponentially decaying average of squared gradients, so old
/// gradients are forgotten and the step does not shrink to nothing.
public final class RMSProp<Scalar: NeuralScalar>: Optimizer {
    public var learningRate: Scalar
    public let decay: Scalar
    public let epsilon: Scalar
    private var squares = PerParameterState<Scalar>()

    public init(learningRate: Scalar = 0.01, decay: Scalar = 0.99, epsilon: Scalar = 1e-7) {
        self.learningRate = learningRate
        self.decay = decay
        self.epsilon = epsilon
    }

    public func update(_ parameters: [Parameter<Scalar>]) {
        for (p, h) in zip(parameters, squares.buffers(for: parameters)) {
            Scalar.rmsPropStep(count: p.value.count, learningRate: learningRate, decay: decay, epsilon: epsilon,
                               gradient: p.gradient.base, squares: h.base, parameter: p.value.base)
        }
    }
}

extension NeuralScalar {
    @_specialize(exported: true, where Self == Float)
    @_specialize(exported: true, where Self == Double)
    // BEGIN rmsprop-step
    public static func rmsPropStep(count: Int, learningRate: Self, decay: Self, epsilon: Self, gradient: UnsafePointer<Self>,
                                   squares: UnsafeMutablePointer<Self>, parameter: UnsafeMutablePointer<Self>) {
        for i in 0..<count {
            squares[i] = decay * squares[i] + (1 - decay) * gradient[i] * gradient[i]     // h ← ρ h + (1 − ρ) ∂L/∂W ⊙ ∂L/∂W
            parameter[i] -= learningRate * gradient[i] / (squares[i].squareRoot() + epsilon)  // W ← W − η ∂L/∂W / (√h + ε)
        }
    }
    // END rmsprop-step
}
