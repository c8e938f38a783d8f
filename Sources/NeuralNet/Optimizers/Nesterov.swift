import NumericCore

/// Nesterov's accelerated gradient: momentum that looks ahead, in the form that needs only the
/// gradient at the current parameters (Bengio et al., 2012).
public final class Nesterov<Scalar: NeuralScalar>: Momentum<Scalar> {

    override func step(count: Int, gradient: UnsafePointer<Scalar>, velocity: UnsafeMutablePointer<Scalar>,
                       parameter: UnsafeMutablePointer<Scalar>) {
        Scalar.nesterovStep(count: count, learningRate: learningRate, momentum: momentum, gradient: gradient,
                            velocity: velocity, parameter: parameter)
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
