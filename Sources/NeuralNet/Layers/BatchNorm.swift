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
    /// The batch's mean in training, the per-column scale in inference: room for one row.
    private let scratch: Matrix<Scalar>
    private let output = Matrix<Scalar>(rows: 0, columns: 0)
    private let inputGradient = Matrix<Scalar>(rows: 0, columns: 0)

    public init(features: Int, index: Int = 1, momentum: Scalar = 0.9, epsilon: Scalar = 1e-6) {
        gamma = Parameter(name: "gamma\(index)", value: Matrix(rows: 1, columns: features, repeating: 1), isWeight: false)
        beta = Parameter(name: "beta\(index)", value: Matrix(rows: 1, columns: features), isWeight: false)
        runningMean = Matrix(rows: 1, columns: features)
        runningVariance = Matrix(rows: 1, columns: features)
        inverseStd = Matrix(rows: 1, columns: features)
        scratch = Matrix(rows: 1, columns: features)
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
                                     runningVariance: runningVariance.base, mean: scratch.base, normalized: normalized.base,
                                     inverseStd: inverseStd.base, into: output.base)
        } else {
            Scalar.batchNormInference(x.base, rows: x.rows, columns: x.columns, gamma: gamma.value.base, beta: beta.value.base,
                                      epsilon: epsilon, runningMean: runningMean.base, runningVariance: runningVariance.base,
                                      scale: scratch.base, into: output.base)
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
    // The loops run row by row, the way the batch lies in memory, keeping one running sum per
    // column: each column's sums still add its rows in order, and the inner loop over columns is
    // contiguous, so it vectorises.

    @_specialize(exported: true, where Self == Float)
    @_specialize(exported: true, where Self == Double)
    // BEGIN batchnorm-forward
    public static func batchNormTraining(_ x: UnsafePointer<Self>, rows: Int, columns: Int, gamma: UnsafePointer<Self>, beta: UnsafePointer<Self>,
                                         epsilon: Self, momentum: Self, runningMean: UnsafeMutablePointer<Self>, runningVariance: UnsafeMutablePointer<Self>,
                                         mean: UnsafeMutablePointer<Self>, normalized: UnsafeMutablePointer<Self>,
                                         inverseStd: UnsafeMutablePointer<Self>, into y: UnsafeMutablePointer<Self>) {
        let n = Self(rows)
        for c in 0..<columns { mean[c] = 0; inverseStd[c] = 0 }
        for r in 0..<rows { for c in 0..<columns { mean[c] += x[r * columns + c] } }
        for c in 0..<columns { mean[c] /= n }                                  // μ = Σ x / N
        for r in 0..<rows {
            for c in 0..<columns {
                let d = x[r * columns + c] - mean[c]
                inverseStd[c] += d * d                                         // (the variance, for now)
            }
        }
        for c in 0..<columns {
            let variance = inverseStd[c] / n                                   // σ² = Σ (x − μ)² / N
            inverseStd[c] = 1 / (variance + epsilon).squareRoot()
            runningMean[c] = momentum * runningMean[c] + (1 - momentum) * mean[c]
            runningVariance[c] = momentum * runningVariance[c] + (1 - momentum) * variance
        }
        for r in 0..<rows {
            for c in 0..<columns {
                let i = r * columns + c
                normalized[i] = (x[i] - mean[c]) * inverseStd[c]               // x̂ = (x − μ) / sqrt(σ² + ε)
                y[i] = gamma[c] * normalized[i] + beta[c]                      // y = γ x̂ + β
            }
        }
    }
    // END batchnorm-forward

    @_specialize(exported: true, where Self == Float)
    @_specialize(exported: true, where Self == Double)
    public static func batchNormInference(_ x: UnsafePointer<Self>, rows: Int, columns: Int, gamma: UnsafePointer<Self>, beta: UnsafePointer<Self>,
                                          epsilon: Self, runningMean: UnsafePointer<Self>, runningVariance: UnsafePointer<Self>,
                                          scale: UnsafeMutablePointer<Self>, into y: UnsafeMutablePointer<Self>) {
        // BEGIN batchnorm-inference
        // The running averages stand in for the batch's statistics: y = γ (x − μ_run) / sqrt(σ²_run + ε) + β
        for c in 0..<columns { scale[c] = gamma[c] / (runningVariance[c] + epsilon).squareRoot() }
        for r in 0..<rows {
            for c in 0..<columns {
                let i = r * columns + c
                y[i] = (x[i] - runningMean[c]) * scale[c] + beta[c]
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
        for c in 0..<columns { dBeta[c] = 0; dGamma[c] = 0 }
        for r in 0..<rows {
            for c in 0..<columns {
                let i = r * columns + c
                dBeta[c] += dy[i]                                              // ∂L/∂β = Σ dy
                dGamma[c] += dy[i] * normalized[i]                             // ∂L/∂γ = Σ dy x̂
            }
        }
        // ∂L/∂x = γ / (N σ) (N dy − Σ dy − x̂ Σ dy x̂)
        for r in 0..<rows {
            for c in 0..<columns {
                let i = r * columns + c
                dx[i] = gamma[c] * inverseStd[c] / n * (n * dy[i] - dBeta[c] - normalized[i] * dGamma[c])
            }
        }
    }
    // END batchnorm-backward
}
