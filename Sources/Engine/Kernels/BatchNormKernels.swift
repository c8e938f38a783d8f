import NumericCore

// Batch Normalization's three passes on the CPU: training (the batch's statistics), inference (the
// running averages) and backward.

extension MatrixScalar {
    // The loops run row by row, the way the batch lies in memory, keeping one running sum per
    // column: each column's sums still add its rows in order, and the inner loop over columns is
    // contiguous, so it vectorises.

    @_specialize(where Self == Float)
    @_specialize(where Self == Double)
    // BEGIN batchnorm-forward
    static func batchNormTraining(_ x: UnsafePointer<Self>, rows: Int, columns: Int, gamma: UnsafePointer<Self>, beta: UnsafePointer<Self>,
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

    @_specialize(where Self == Float)
    @_specialize(where Self == Double)
    static func batchNormInference(_ x: UnsafePointer<Self>, rows: Int, columns: Int, gamma: UnsafePointer<Self>, beta: UnsafePointer<Self>,
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

    @_specialize(where Self == Float)
    @_specialize(where Self == Double)
    // BEGIN batchnorm-backward
    static func batchNormBackward(_ dy: UnsafePointer<Self>, rows: Int, columns: Int, normalized: UnsafePointer<Self>,
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
