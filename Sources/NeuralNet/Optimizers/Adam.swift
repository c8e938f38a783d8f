import NumericCore

/// Adam: momentum on the gradient (first moment) and RMSProp-style scaling (second moment),
/// both bias-corrected for their zero start.
public final class Adam<Scalar: NeuralScalar>: Optimizer {
    public var learningRate: Scalar
    public let beta1: Scalar
    public let beta2: Scalar
    public let epsilon: Scalar
    public private(set) var step = 0
    private var firstMoments = PerParameterState<Scalar>()
    private var secondMoments = PerParameterState<Scalar>()

    public init(learningRate: Scalar = 0.001, beta1: Scalar = 0.9, beta2: Scalar = 0.999, epsilon: Scalar = 1e-7) {
        self.learningRate = learningRate
        self.beta1 = beta1
        self.beta2 = beta2
        self.epsilon = epsilon
    }

    // BEGIN adam-update
    public func update(_ parameters: [Parameter<Scalar>]) {
        step += 1
        // Both bias corrections folded into one step size: η √(1 − β₂ᵗ) / (1 − β₁ᵗ).
        let t = Scalar(step)
        let stepSize = learningRate * Scalar.sqrt(1 - Scalar.pow(beta2, t)) / (1 - Scalar.pow(beta1, t))
        let ms = firstMoments.buffers(for: parameters), vs = secondMoments.buffers(for: parameters)
        for (i, p) in parameters.enumerated() {
            Scalar.adamStep(count: p.value.count, stepSize: stepSize, beta1: beta1, beta2: beta2, epsilon: epsilon,
                            gradient: p.gradient.base, firstMoment: ms[i].base, secondMoment: vs[i].base,
                            parameter: p.value.base)
        }
    }
    // END adam-update
}

extension NeuralScalar {
    @_specialize(exported: true, where Self == Float)
    @_specialize(exported: true, where Self == Double)
    // BEGIN adam-step
    public static func adamStep(count: Int, stepSize: Self, beta1: Self, beta2: Self, epsilon: Self, gradient: UnsafePointer<Self>,
                                firstMoment m: UnsafeMutablePointer<Self>, secondMoment v: UnsafeMutablePointer<Self>,
                                parameter: UnsafeMutablePointer<Self>) {
        for i in 0..<count {
            let g = gradient[i]
            m[i] += (1 - beta1) * (g - m[i])                          // m ← β₁ m + (1 − β₁) g
            v[i] += (1 - beta2) * (g * g - v[i])                      // v ← β₂ v + (1 − β₂) g²
            parameter[i] -= stepSize * m[i] / (v[i].squareRoot() + epsilon)
        }
    }
    // END adam-step
}
