import NumericCore

/// Nesterov's accelerated gradient: momentum that looks ahead, in the form that needs only the
/// gradient at the current parameters (Bengio et al., 2012): `v ← α v − η ∂L/∂W`,
/// `W ← W + α v − η ∂L/∂W` (the backend's `nesterovStep`).
public final class Nesterov<Scalar: MatrixScalar>: Momentum<Scalar> {
    override func step(gradient: Matrix<Scalar>, velocity: Matrix<Scalar>, parameter: Matrix<Scalar>) {
        backend.nesterovStep(learningRate: learningRate, momentum: momentum, gradient: gradient, velocity: velocity, parameter: parameter)
    }
}
