import NumericCore

/// The element-wise work of the layers and the optimizers, on top of a backend's matrix arithmetic:
/// what a network asks of the backend it is given (`CPUBackend`, in Engine, is the one shipped).
///
/// Each requirement is one pass of one layer or one optimizer, named for it; the layer or optimizer
/// says what it computes, the backend how. Matrices are the layers' own buffers, shaped by them.
public protocol NeuralBackend<Scalar>: ComputeBackend {
    // Activations (Layers/ReLU.swift, Sigmoid.swift, Tanh.swift): y = f(x), and dx = dy · f′ written with y.
    func relu(_ x: Matrix<Scalar>, into y: Matrix<Scalar>)
    func reluBackward(output y: Matrix<Scalar>, _ dy: Matrix<Scalar>, into dx: Matrix<Scalar>)
    func sigmoid(_ x: Matrix<Scalar>, into y: Matrix<Scalar>)
    func sigmoidBackward(output y: Matrix<Scalar>, _ dy: Matrix<Scalar>, into dx: Matrix<Scalar>)
    func tanh(_ x: Matrix<Scalar>, into y: Matrix<Scalar>)
    func tanhBackward(output y: Matrix<Scalar>, _ dy: Matrix<Scalar>, into dx: Matrix<Scalar>)

    // Softmax with cross-entropy (Layers/SoftmaxCrossEntropy.swift)
    /// Fills `probabilities` with each row's softmax and returns the summed (not averaged) loss.
    func softmaxCrossEntropy(_ scores: Matrix<Scalar>, labels: [Int], probabilities: Matrix<Scalar>) -> Double
    /// `dx = (p − onehot(label)) / rows`.
    func softmaxCrossEntropyBackward(probabilities: Matrix<Scalar>, labels: [Int], into dx: Matrix<Scalar>)

    // Batch Normalization (Layers/BatchNorm.swift)
    func batchNormTraining(_ x: Matrix<Scalar>, gamma: Matrix<Scalar>, beta: Matrix<Scalar>, epsilon: Scalar, momentum: Scalar,
                           runningMean: Matrix<Scalar>, runningVariance: Matrix<Scalar>, mean: Matrix<Scalar>,
                           normalized: Matrix<Scalar>, inverseStd: Matrix<Scalar>, into y: Matrix<Scalar>)
    func batchNormInference(_ x: Matrix<Scalar>, gamma: Matrix<Scalar>, beta: Matrix<Scalar>, epsilon: Scalar,
                            runningMean: Matrix<Scalar>, runningVariance: Matrix<Scalar>, scale: Matrix<Scalar>, into y: Matrix<Scalar>)
    func batchNormBackward(_ dy: Matrix<Scalar>, normalized: Matrix<Scalar>, inverseStd: Matrix<Scalar>, gamma: Matrix<Scalar>,
                           dGamma: Matrix<Scalar>, dBeta: Matrix<Scalar>, into dx: Matrix<Scalar>)

    // Dropout (Layers/Dropout.swift)
    /// Fills `mask` (already shaped) with 0s (probability `ratio`) and 1s, from one draw of `generator`.
    func dropoutMask(ratio: Double, generator: inout SeededGenerator, into mask: Matrix<Scalar>)

    // Optimizers (Optimizers/*.swift): one step of one parameter, in place.
    func momentumStep(learningRate: Scalar, momentum: Scalar, gradient: Matrix<Scalar>, velocity: Matrix<Scalar>, parameter: Matrix<Scalar>)
    func nesterovStep(learningRate: Scalar, momentum: Scalar, gradient: Matrix<Scalar>, velocity: Matrix<Scalar>, parameter: Matrix<Scalar>)
    func adaGradStep(learningRate: Scalar, epsilon: Scalar, gradient: Matrix<Scalar>, squares: Matrix<Scalar>, parameter: Matrix<Scalar>)
    func rmsPropStep(learningRate: Scalar, decay: Scalar, epsilon: Scalar, gradient: Matrix<Scalar>, squares: Matrix<Scalar>,
                     parameter: Matrix<Scalar>)
    func adamStep(stepSize: Scalar, beta1: Scalar, beta2: Scalar, epsilon: Scalar, gradient: Matrix<Scalar>,
                  firstMoment: Matrix<Scalar>, secondMoment: Matrix<Scalar>, parameter: Matrix<Scalar>)
}
