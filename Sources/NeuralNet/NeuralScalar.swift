import NumericCore

/// The per-element work of layers and optimizers, declared as requirements so that generic
/// layers run it specialised for `Float` and `Double` (see `MatrixScalar`). Each body lives in the
/// file of the layer or optimizer it belongs to.
public protocol NeuralScalar: MatrixScalar {
    // Activations (Layers/ReLU.swift, Sigmoid.swift, Tanh.swift)
    static func reluForward(count: Int, _ x: UnsafePointer<Self>, into y: UnsafeMutablePointer<Self>)
    static func reluBackward(count: Int, output y: UnsafePointer<Self>, _ dy: UnsafePointer<Self>, into dx: UnsafeMutablePointer<Self>)
    static func sigmoidForward(count: Int, _ x: UnsafePointer<Self>, into y: UnsafeMutablePointer<Self>)
    static func sigmoidBackward(count: Int, output y: UnsafePointer<Self>, _ dy: UnsafePointer<Self>, into dx: UnsafeMutablePointer<Self>)
    static func tanhForward(count: Int, _ x: UnsafePointer<Self>, into y: UnsafeMutablePointer<Self>)
    static func tanhBackward(count: Int, output y: UnsafePointer<Self>, _ dy: UnsafePointer<Self>, into dx: UnsafeMutablePointer<Self>)

    // Softmax with cross-entropy (Layers/SoftmaxCrossEntropy.swift)
    static func softmaxCrossEntropy(logits: UnsafePointer<Self>, rows: Int, columns: Int, labels: UnsafePointer<Int>,
                                    probabilities: UnsafeMutablePointer<Self>) -> Double
    static func softmaxCrossEntropyBackward(probabilities: UnsafePointer<Self>, rows: Int, columns: Int,
                                            labels: UnsafePointer<Int>, into dx: UnsafeMutablePointer<Self>)

    // Batch Normalization (Layers/BatchNorm.swift)
    static func batchNormTraining(_ x: UnsafePointer<Self>, rows: Int, columns: Int, gamma: UnsafePointer<Self>, beta: UnsafePointer<Self>,
                                  epsilon: Self, momentum: Self, runningMean: UnsafeMutablePointer<Self>, runningVariance: UnsafeMutablePointer<Self>,
                                  mean: UnsafeMutablePointer<Self>, normalized: UnsafeMutablePointer<Self>, inverseStd: UnsafeMutablePointer<Self>,
                                  into y: UnsafeMutablePointer<Self>)
    static func batchNormInference(_ x: UnsafePointer<Self>, rows: Int, columns: Int, gamma: UnsafePointer<Self>, beta: UnsafePointer<Self>,
                                   epsilon: Self, runningMean: UnsafePointer<Self>, runningVariance: UnsafePointer<Self>,
                                   scale: UnsafeMutablePointer<Self>, into y: UnsafeMutablePointer<Self>)
    static func batchNormBackward(_ dy: UnsafePointer<Self>, rows: Int, columns: Int, normalized: UnsafePointer<Self>,
                                  inverseStd: UnsafePointer<Self>, gamma: UnsafePointer<Self>,
                                  dGamma: UnsafeMutablePointer<Self>, dBeta: UnsafeMutablePointer<Self>, into dx: UnsafeMutablePointer<Self>)

    // Dropout (Layers/Dropout.swift)
    static func dropoutMask(count: Int, ratio: Double, generator: inout SeededGenerator, into mask: UnsafeMutablePointer<Self>)

    // Optimizers (Optimizers/*.swift)
    static func momentumStep(count: Int, learningRate: Self, momentum: Self, gradient: UnsafePointer<Self>,
                             velocity: UnsafeMutablePointer<Self>, parameter: UnsafeMutablePointer<Self>)
    static func nesterovStep(count: Int, learningRate: Self, momentum: Self, gradient: UnsafePointer<Self>,
                             velocity: UnsafeMutablePointer<Self>, parameter: UnsafeMutablePointer<Self>)
    static func adaGradStep(count: Int, learningRate: Self, epsilon: Self, gradient: UnsafePointer<Self>,
                            squares: UnsafeMutablePointer<Self>, parameter: UnsafeMutablePointer<Self>)
    static func rmsPropStep(count: Int, learningRate: Self, decay: Self, epsilon: Self, gradient: UnsafePointer<Self>,
                            squares: UnsafeMutablePointer<Self>, parameter: UnsafeMutablePointer<Self>)
    static func adamStep(count: Int, stepSize: Self, beta1: Self, beta2: Self, epsilon: Self, gradient: UnsafePointer<Self>,
                         firstMoment: UnsafeMutablePointer<Self>, secondMoment: UnsafeMutablePointer<Self>,
                         parameter: UnsafeMutablePointer<Self>)
}

extension Float: NeuralScalar {}
extension Double: NeuralScalar {}
