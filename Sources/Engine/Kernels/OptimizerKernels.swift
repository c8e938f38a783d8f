import NumericCore

// The optimizers' steps on the CPU: one pass over one parameter, its gradient and its state.

extension MatrixScalar {
    @_specialize(where Self == Float)
    @_specialize(where Self == Double)
    // BEGIN momentum-step
    static func momentumStep(count: Int, learningRate: Self, momentum: Self, gradient: UnsafePointer<Self>,
                             velocity: UnsafeMutablePointer<Self>, parameter: UnsafeMutablePointer<Self>) {
        for i in 0..<count {
            velocity[i] = momentum * velocity[i] - learningRate * gradient[i]   // v ← α v − η ∂L/∂W
            parameter[i] += velocity[i]                                        // W ← W + v
        }
    }
    // END momentum-step

    @_specialize(where Self == Float)
    @_specialize(where Self == Double)
    // BEGIN nesterov-step
    static func nesterovStep(count: Int, learningRate: Self, momentum: Self, gradient: UnsafePointer<Self>,
                             velocity: UnsafeMutablePointer<Self>, parameter: UnsafeMutablePointer<Self>) {
        for i in 0..<count {
            velocity[i] = momentum * velocity[i] - learningRate * gradient[i]   // v ← α v − η ∂L/∂W
            parameter[i] += momentum * velocity[i] - learningRate * gradient[i] // W ← W + α v − η ∂L/∂W
        }
    }
    // END nesterov-step

    @_specialize(where Self == Float)
    @_specialize(where Self == Double)
    // BEGIN adagrad-step
    static func adaGradStep(count: Int, learningRate: Self, epsilon: Self, gradient: UnsafePointer<Self>,
                            squares: UnsafeMutablePointer<Self>, parameter: UnsafeMutablePointer<Self>) {
        for i in 0..<count {
            squares[i] += gradient[i] * gradient[i]                                        // h ← h + ∂L/∂W ⊙ ∂L/∂W
            parameter[i] -= learningRate * gradient[i] / (squares[i].squareRoot() + epsilon)  // W ← W − η ∂L/∂W / (√h + ε)
        }
    }
    // END adagrad-step

    @_specialize(where Self == Float)
    @_specialize(where Self == Double)
    // BEGIN rmsprop-step
    static func rmsPropStep(count: Int, learningRate: Self, decay: Self, epsilon: Self, gradient: UnsafePointer<Self>,
                            squares: UnsafeMutablePointer<Self>, parameter: UnsafeMutablePointer<Self>) {
        for i in 0..<count {
            squares[i] = decay * squares[i] + (1 - decay) * gradient[i] * gradient[i]     // h ← ρ h + (1 − ρ) ∂L/∂W ⊙ ∂L/∂W
            parameter[i] -= learningRate * gradient[i] / (squares[i].squareRoot() + epsilon)  // W ← W − η ∂L/∂W / (√h + ε)
        }
    }
    // END rmsprop-step

    @_specialize(where Self == Float)
    @_specialize(where Self == Double)
    // BEGIN adam-step
    static func adamStep(count: Int, stepSize: Self, beta1: Self, beta2: Self, epsilon: Self, gradient: UnsafePointer<Self>,
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
