import NumericCore

/// Momentum: a velocity that accumulates gradients and decays by `α` each step,
/// `v ← α v − η ∂L/∂W`, `W ← W + v` (the backend's `momentumStep`).
public class Momentum<Scalar: MatrixScalar>: Optimizer {
    public var learningRate: Scalar
    public let momentum: Scalar
    let backend: any NeuralBackend<Scalar>
    private var velocities = PerParameterState<Scalar>()

    public init(learningRate: Scalar = 0.01, momentum: Scalar = 0.9, backend: any NeuralBackend<Scalar>) {
        self.learningRate = learningRate
        self.momentum = momentum
        self.backend = backend
    }

    // BEGIN momentum-update
    public func update(_ parameters: [Parameter<Scalar>]) {
        let v = velocities.buffers(for: parameters)
        for i in parameters.indices {
            // The notes read `self.grads` here; the gradient is the argument of each step.
            step(gradient: parameters[i].gradient, velocity: v[i], parameter: parameters[i].value)
        }
    }
    // END momentum-update

    func step(gradient: Matrix<Scalar>, velocity: Matrix<Scalar>, parameter: Matrix<Scalar>) {
        backend.momentumStep(learningRate: learningRate, momentum: momentum, gradient: gradient, velocity: velocity, parameter: parameter)
    }
}
