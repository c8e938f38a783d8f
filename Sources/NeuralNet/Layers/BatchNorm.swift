import NumericCore

/// Batch Normalization: each column is shifted to mean 0 and scaled to variance 1 over the batch,
/// then scaled by `gamma` and shifted by `beta`, both learned.
///
/// In training the batch's own statistics are used and running averages are kept; in inference
/// the running averages stand in for them, so a prediction does not depend on its batch-mates.
public final class BatchNorm<Scalar: NeuralScalar>: Layer {
    public let gamma: Parameter<Scalar>
    public let beta: Parameter<Scalar>
    public let runningMean: Matrix<Scalar>
    public let runningVariance: Matrix<Scalar>
    public let momentum: Scalar
    public let epsilon: Scalar
    private let normalized = Matrix<Scalar>(rows: 0, columns: 0)
    private let inverseStd: Matrix<Scalar>
    private let output = Matrix<Scalar>(rows: 0, columns: 0)
    private let inputGradient = Matrix<Scalar>(rows: 0, columns: 0)

    public init(features: Int, index: Int = 1, momentum: Scalar = 0.9, epsilon: Scalar = 1e-6) {
        gamma = Parameter(name: "gamma\(index)", value: Matrix(rows: 1, columns: features, repeating: 1), isWeight: false)
        beta = Parameter(name: "beta\(index)", value: Matrix(rows: 1, columns: features), isWeight: false)
        runningMean = Matrix(rows: 1, columns: features)
        runningVariance = Matrix(rows: 1, columns: features)
        inverseStd = Matrix(rows: 1, columns: features)
        self.momentum = momentum
        self.epsilon = epsilon
    }

    public var parameters: [Parameter<Scalar>] { [gamma, beta] }

    public func forward(_ x: Matrix<Scalar>, training: Bool) -> Matrix<Scalar> {
        output.resize(like: x)
        if training {
            normalized.resize(like: x)
            Scalar.batchNormTraining(x.base, rows: x.rows, columns: x.columns, gamma: gamma.value.base, beta: beta.value.base,
                                     epsilon: epsilon, momentum: momentum, runningMean: runningMean.base,
                                     runningVariance: runningVariance.base, normalized: normalized.base,
                                     inverseStd: inverseStd.base, into: output.base)
        } else {
            Scalar.batchNormInference(x.base, rows: x.rows, columns: x.columns, gamma: gamma.value.base, beta: beta.value.base,
                                      epsilon: epsilon, runningMean: runningMean.base, runningVariance: runningVariance.base,
                                      into: output.base)
        }
        return output
    }

    public func backward(_ dy: Matrix<Scalar>) -> Matrix<Scalar> {
        inputGradient.resize(like: dy)
        Scalar.batchNormBackward(dy.base, rows: dy.rows, columns: dy.columns, normalized: normalized.base,
                                 inverseStd: inverseStd.base, gamma: gamma.value.base, dGamma: gamma.gradient.base,
                                 dBeta: beta.gradient.base, into: inputGradient.base)
        return inputGradient
    }
}

extension NeuralScalar {
    @_specialize(exported: true, where Self == Float)
    @_specialize(exported: true, where Self == Double)
    // BEGIN batchnorm-forward
    public static func batchNormTraining(_ x: UnsafePointer<Self>, rows: Int, columns: Int, gamma: UnsafePointer<Self>, beta: UnsafePointer<Self>,
                                         epsilon: Self, momentum: Self, runningMean: UnsafeMutablePointer<Self>, runningVariance: UnsafeMutablePointer<Self>,
                                         normalized: UnsafeMutablePointer<Self>, inverseStd: UnsafeMutablePointer<Self>, into y: UnsafeMutablePointer<Self>) {
        let n = Self(rows)
        for c in 0..<columns {
            var mean: Self = 0
            for r in 0..<rows { mean += x[r * columns + c] }
            mean /= n
            var variance: Self = 0
            for r in 0..<rows {
                let d = x[r * columns + c] - mean
                variance += d * d
            }
            variance /= n
            let inverse = 1 / (variance + epsilon).squareRoot()
            inverseStd[c] = inverse
            for r in 0..<rows {
                let i = r * columns + c
                normalized[i] = (x[i] - mean) * inverse          // x̂ = (x - μ) / sqrt(σ² + ε)
                y[i] = gamma[c] * normalized[i] + beta[c]        // y = γ x̂ + β
            }
            runningMean[c] = momentum * runningMean[c] + (1 - momentum) * mean
            runningVariance[c] = momentum * runningVariance[c] + (1 - momentum) * variance
        }
    }
    // END batchnorm-forward

    @_specialize(exported: true, where Self == Float)
    @_specialize(exported: true, where Self == Double)
    public static func batchNormInference(_ x: UnsafePointer<Self>, rows: Int, columns: Int, gamma: UnsafePointer<Self>, beta: UnsafePointer<Self>,
                                          epsilon: Self, runningMean: UnsafePointer<Self>, runningVariance: UnsafePointer<Self>,
                                          into y: UnsafeMutablePointer<Self>) {
        // BEGIN batchnorm-inference
        for c in 0..<columns {
            // The running averages stand in for the batch's statistics: y = γ (x − μ_run) / sqrt(σ²_run + ε) + β
            let scale = gamma[c] / (runningVariance[c] + epsilon).squareRoot()
            for r in 0..<rows {
                let i = r * columns + c
                y[i] = (x[i] - runningMean[c]) * scale + beta[c]
            }
        }
        // END batchnorm-inference
    }

    @_specialize(exported: true, where Self == Float)
    @_specialize(exported: true, where Self == Double)
    // BEGIN batchnorm-backward
    public static func batchNormBackward(_ dy: UnsafePointer<Self>, rows: Int, columns: Int, normalized: UnsafePointer<Self>,
                                         inverseStd: UnsafePointer<Self>, gamma: UnsafePointer<Self>,
                                         dGamma: UnsafeMutablePointer<Self>, dBeta: UnsafeMutablePointer<Self>, into dx: UnsafeMutablePointer<Self>) {
        let n = Self(rows)
        for c in 0..<columns {
            var sumDy: Self = 0, sumDyXhat: Self = 0
            for r in 0..<rows {
                let i = r * columns + c
                sumDy += dy[i]
                sumDyXhat += dy[i] * normalized[i]
            }
            dBeta[c] = sumDy                                       // ∂L/∂β = Σ dy
            dGamma[c] = sumDyXhat                                  // ∂L/∂γ = Σ dy x̂
            // ∂L/∂x = γ / (N σ) (N dy - Σ dy - x̂ Σ dy x̂)
            let scale = gamma[c] * inverseStd[c] / n
            for r in 0..<rows {
                let i = r * columns + c
                dx[i] = scale * (n * dy[i] - sumDy - normalized[i] * sumDyXhat)
            }
        }
    }
    // END batchnorm-backward
}
