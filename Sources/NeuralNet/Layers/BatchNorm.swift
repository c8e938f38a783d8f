import NumericCore

/// Batch Normalization: each column is shifted to mean 0 and scaled to variance 1 over the batch,
/// then scaled by `gamma` and shifted by `beta`, both learned.
///
/// In training the batch's own statistics are used and running averages are kept; in inference
/// the running averages stand in for them, so a prediction does not depend on its batch-mates.
/// The three passes are the backend's (`batchNormTraining`, `batchNormInference`, `batchNormBackward`).
public final class BatchNorm<Scalar: MatrixScalar>: Layer {
    public let gamma: Parameter<Scalar>
    public let beta: Parameter<Scalar>
    public let runningMean: Matrix<Scalar>
    public let runningVariance: Matrix<Scalar>
    public let momentum: Scalar
    public let epsilon: Scalar
    private let backend: any NeuralBackend<Scalar>
    private let normalized = Matrix<Scalar>(rows: 0, columns: 0)
    private let inverseStd: Matrix<Scalar>
    /// The batch's mean in training, the per-column scale in inference: room for one row.
    private let scratch: Matrix<Scalar>
    private let output = Matrix<Scalar>(rows: 0, columns: 0)
    private let inputGradient = Matrix<Scalar>(rows: 0, columns: 0)

    public init(features: Int, index: Int = 1, momentum: Scalar = 0.9, epsilon: Scalar = 1e-6, backend: any NeuralBackend<Scalar>) {
        gamma = Parameter(name: "gamma\(index)", value: Matrix(rows: 1, columns: features, repeating: 1), isWeight: false)
        beta = Parameter(name: "beta\(index)", value: Matrix(rows: 1, columns: features), isWeight: false)
        runningMean = Matrix(rows: 1, columns: features)
        runningVariance = Matrix(rows: 1, columns: features)
        inverseStd = Matrix(rows: 1, columns: features)
        scratch = Matrix(rows: 1, columns: features)
        self.momentum = momentum
        self.epsilon = epsilon
        self.backend = backend
    }

    public var parameters: [Parameter<Scalar>] { [gamma, beta] }

    public func forward(_ x: Matrix<Scalar>, training: Bool) -> Matrix<Scalar> {
        output.resize(like: x)
        if training {
            normalized.resize(like: x)
            backend.batchNormTraining(x, gamma: gamma.value, beta: beta.value, epsilon: epsilon, momentum: momentum,
                                      runningMean: runningMean, runningVariance: runningVariance, mean: scratch,
                                      normalized: normalized, inverseStd: inverseStd, into: output)
        } else {
            backend.batchNormInference(x, gamma: gamma.value, beta: beta.value, epsilon: epsilon, runningMean: runningMean,
                                       runningVariance: runningVariance, scale: scratch, into: output)
        }
        return output
    }

    public func backward(_ dy: Matrix<Scalar>) -> Matrix<Scalar> {
        inputGradient.resize(like: dy)
        backend.batchNormBackward(dy, normalized: normalized, inverseStd: inverseStd, gamma: gamma.value, dGamma: gamma.gradient,
                                  dBeta: beta.gradient, into: inputGradient)
        return inputGradient
    }
}
