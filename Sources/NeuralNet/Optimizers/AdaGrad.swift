import NumericCore

/// AdaGrad: each parameter's step shrinks with the sum of its past squared gradients.
public final class AdaGrad<Scalar: NeuralScalar>: Optimizer {
    public var learningRate: Scalar
    public let epsilon: Scalar
    private var squares = PerParameterState<Scalar>()

    public init(learningRate: Scalar = 0.01, epsilon: Scalar = 1e-7) {
        self.learningRate = learningRate
        self.epsilon = epsilon
    }

    // BEGIN adagrad-update
    public func update(_ parameters: [Parameter<Scalar>]) {
        for (p, h) in zip(parameters, squares.buffers(for: parameters)) {
            // One sum per parameter: the notes add into the whole dictionary `self.h`.
            Scalar.adaGradStep(count: p.value.count, learningRate: learningRate, epsilon: epsilon,
                               gradient: p.gradient.base, squares: h.base, parameter: p.value.base)
        }
    }
    // END adagrad-update
}

extension NeuralScalar {
    @_specialize(exported: true, where Self == Float)
    @_specialize(exported: true, where Self == Double)
    // BEGIN adagrad-step
    public static func adaGradStep(count: Int, learningRate: Self, epsilon: Self, gradient: UnsafePointer<Self>,
                                   squares: UnsafeMutablePointer<Self>, parameter: UnsafeMutablePointer<Self>) {
        for i in 0..<count {
            squares[i] += gradient[i] * gradient[i]                                        // h ← h + ∂L/∂W ⊙ ∂L/∂W
            parameter[i] -= learningRate * gradient[i] / (squares[i].squareRoot() + epsilon)  // W ← W − η ∂L/∂W / (√h + ε)
        }
    }
    // END adagrad-step
}
