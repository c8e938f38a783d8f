import NumericCore

/// Momentum: a velocity that accumulates gradients and decays by `α` each step.
public class Momentum<Scalar: NeuralScalar>: Optimizer {
    public var learningRate: Scalar
    public let momentum: Scalar
    private var velocities = PerParameterState<Scalar>()

    public init(learningRate: Scalar = 0.01, momentum: Scalar = 0.9) {
        self.learningRate = learningRate
        self.momentum = momentum
    }

    // BEGIN momentum-update
    public func update(_ parameters: [Parameter<Scalar>]) {
        for (p, v) in zip(parameters, velocities.buffers(for: parameters)) {
            // The notes read `self.grads` here; the gradient is the argument of each step.
            step(count: p.value.count, gradient: p.gradient.base, velocity: v.base, parameter: p.value.base)
        }
    }
    // END momentum-update

    func step(count: Int, gradient: UnsafePointer<Scalar>, velocity: UnsafeMutablePointer<Scalar>, parameter: UnsafeMutablePointer<Scalar>) {
        Scalar.momentumStep(count: count, learningRate: learningRate, momentum: momentum, gradient: gradient,
                            velocity: velocity, parameter: parameter)
    }
}

extension NeuralScalar {
    @_specialize(exported: true, where Self == Float)
    @_specialize(exported: true, where Self == Double)
    // BEGIN momentum-step
    public static func momentumStep(count: Int, learningRate: Self, momentum: Self, gradient: UnsafePointer<Self>,
                                    velocity: UnsafeMutablePointer<Self>, parameter: UnsafeMutablePointer<Self>) {
        for i in 0..<count {
            velocity[i] = momentum * velocity[i] - learningRate * gradient[i]   // v ← α v − η ∂L/∂W
            parameter[i] += velocity[i]                                        // W ← W + v
        }
    }
    // END momentum-step
}
