import NumericCore

/// Nesterov's accelerated gradient: momentum that looks ahead, in the form that needs only the
/// gradient at the current parameters (Bengio et al., 2012).
public final class Nesterov<Scalar: NeuralScalar>: Optimizer {
    public let name = "Nesterov"
    public let learningRate: Scalar
    public let momentum: Scalar
    private var velocities = PerParameterState<Scalar>()

    public init(learningRate: Scalar = 0.01, momentum: Scalar = 0.9) {
        self.learningRate = learningRate
        self.momentum = momentum
    }

    public func update(_ parameters: [Parameter<Scalar>]) {
        for (p, v) in zip(parameters, velocities.buffers(for: parameters)) {
            Scalar.nesterovStep(count: p.value.count, learningRate: learningRate, momentum: momentum,
                                gradient: p.gradient.base, velocity: v.base, parameter: p.value.base)
        }
    }
}

extension NeuralScalar {
    @_specialize(exported: true, where Self == Float)
    @_specialize(exported: true, where Self == Double)
    // BEGIN nesterov-step
    public static func nesterovStep(count: Int, learningRate: Self, momentum: Self, gradient: UnsafePointer<Self>,
                                    velocity: UnsafeMutablePointer<Self>, parameter: UnsafeMutablePointer<Self>) {
        for i in 0..<count {
            velocity[i] = momentum * velocity[i] - learningRate * gradient[i]   // v ← α v − η ∂L/∂W
            parameter[i] += momentum * velocity[i] - learningRate * gradient[i] // W ← W + α v − η ∂L/∂W
        }
    }
    // END nesterov-step
}
