import NumericCore

/// A multi-layer network built from a `NetworkConfiguration`, with its loss, its gradients by
/// backpropagation, and its accuracy.
public final class Network<Scalar: MatrixScalar> {
    public let configuration: NetworkConfiguration
    /// Where every layer and the loss compute, and so where the network's products are counted.
    public let backend: any NeuralBackend<Scalar>
    public private(set) var layers: [any Layer<Scalar>] = []
    public let lossLayer: SoftmaxCrossEntropy<Scalar>
    /// Every learnable array, in layer order (W1, b1, gamma1, beta1, W2, ...).
    public private(set) var parameters: [Parameter<Scalar>] = []
    /// All of them but the first layer's weights, which the dual form of SGD updates itself (see
    /// `DualFirstLayers`).
    public private(set) var parametersAboveFirstWeights: [Parameter<Scalar>] = []
    private var weights: [Parameter<Scalar>] = []
    private var predictedClasses: [Int] = []

    /// A network with Gaussian initial weights drawn from `seed`, computing on `backend`; Dropout
    /// masks use their own stream.
    public init(_ configuration: NetworkConfiguration, seed: UInt64, backend: any NeuralBackend<Scalar>) {
        self.configuration = configuration
        self.backend = backend
        lossLayer = SoftmaxCrossEntropy(backend: backend)
        var initGenerator = SeededGenerator(seed: seed, stream: "initial weights")
        let widths = [configuration.inputSize] + configuration.hiddenSizes + [configuration.outputSize]
        for index in 1..<widths.count {
            let weights = Matrix<Scalar>(rows: widths[index - 1], columns: widths[index])
            let std = configuration.weightInitialization.standardDeviation(previousWidth: widths[index - 1])
            if case let .constant(value) = configuration.weightInitialization {
                backend.fill(weights, with: Scalar(value))
            } else {
                initGenerator.fillNormal(weights, standardDeviation: std)
            }
            // The first layer stores its weights one row per unit, the layout the dual form of SGD
            // writes them in (see `Affine`); the others keep the course's layout.
            layers.append(Affine(weights: weights, index: index, transposed: index == 1, backend: backend))
            guard index < widths.count - 1 else { break }
            if configuration.batchNormalization { layers.append(BatchNorm(features: widths[index], index: index, backend: backend)) }
            switch configuration.activation {
            case .relu: layers.append(ReLU(backend: backend))
            case .sigmoid: layers.append(Sigmoid(backend: backend))
            case .tanh: layers.append(Tanh(backend: backend))
            }
            if let ratio = configuration.dropoutRatio {
                layers.append(Dropout(ratio: ratio, generator: SeededGenerator(seed: seed, stream: "dropout \(index)"), backend: backend))
            }
        }
        (layers.first as? Affine<Scalar>)?.computesInputGradient = false
        parameters = layers.flatMap { $0.parameters }
        parametersAboveFirstWeights = Array(parameters.dropFirst())
        weights = parameters.filter(\.isWeight)
    }

    /// The first layer: the one that sees the input, and the one the dual form of SGD takes over.
    public var firstLayer: Affine<Scalar> { layers[0] as! Affine<Scalar> }

    /// The class scores (before softmax) for a batch.
    public func scores(_ x: Matrix<Scalar>, training: Bool) -> Matrix<Scalar> {
        scores(firstLayerOutput: firstLayer.forward(x, training: training), training: training)
    }

    /// The class scores from the first layer's output `x W₁ + b₁`, computed by the first layer or,
    /// in the dual form of SGD, by the trainer.
    public func scores(firstLayerOutput: Matrix<Scalar>, training: Bool) -> Matrix<Scalar> {
        var activation = firstLayerOutput
        for i in 1..<layers.count { activation = layers[i].forward(activation, training: training) }
        return activation
    }

    /// Mean cross-entropy over the batch plus `λ/2 Σ W²`; `labels` holds each row's class.
    public func loss(_ x: Matrix<Scalar>, labels: [Int], training: Bool = true) -> Double {
        loss(scores: scores(x, training: training), labels: labels)
    }

    /// The same from the first layer's output; `firstWeightSquares` is `Σ W₁²` where the first
    /// layer's weights are not stored as they are (the dual form of SGD).
    public func loss(firstLayerOutput: Matrix<Scalar>, labels: [Int], training: Bool = true,
                     firstWeightSquares: Double? = nil) -> Double {
        loss(scores: scores(firstLayerOutput: firstLayerOutput, training: training), labels: labels, firstWeightSquares: firstWeightSquares)
    }

    private func loss(scores: Matrix<Scalar>, labels: [Int], firstWeightSquares: Double? = nil) -> Double {
        let dataLoss = lossLayer.forward(scores, labels: labels)
        guard configuration.weightDecay != 0 else { return dataLoss }
        // BEGIN weight-decay-loss
        var squares = firstWeightSquares ?? Double(backend.sumOfSquares(weights[0].value))
        for i in 1..<weights.count { squares += Double(backend.sumOfSquares(weights[i].value)) }   // Σ W² over every weight matrix
        return dataLoss + 0.5 * configuration.weightDecay * squares               // L + ½ λ Σ W²
        // END weight-decay-loss
    }

    /// Backpropagates the last `loss` and fills every parameter's gradient, weight decay included.
    public func backward() {
        firstLayer.weightBackward(backwardToFirstLayer())
        addWeightDecayGradient()
    }

    /// Backpropagates the last `loss` down to the first layer's output and returns the gradient
    /// there, having filled the gradients of every later layer and the first layer's bias (its
    /// weights are the caller's: the dual form of SGD updates them itself). Weight decay is not
    /// added yet.
    public func backwardToFirstLayer() -> Matrix<Scalar> {
        var gradient = lossLayer.backward()
        for i in stride(from: layers.count - 1, to: 0, by: -1) { gradient = layers[i].backward(gradient) }
        firstLayer.biasBackward(gradient)
        return gradient
    }

    /// Adds weight decay's share to every weight gradient, once all of them are filled (but the
    /// first layer's, with `skippingFirst`: the dual form of SGD shrinks those weights itself).
    public func addWeightDecayGradient(skippingFirst: Bool = false) {
        // BEGIN weight-decay-gradient
        if configuration.weightDecay != 0 {
            let lambda = Scalar(configuration.weightDecay)
            for i in (skippingFirst ? 1 : 0)..<weights.count { backend.add(weights[i].value, scaledBy: lambda, to: weights[i].gradient) }   // ∂L/∂W += λ W
        }
        // END weight-decay-gradient
    }

    /// The loss of a batch, with every parameter's gradient filled in.
    @discardableResult
    public func gradient(_ x: Matrix<Scalar>, labels: [Int]) -> Double {
        let value = loss(x, labels: labels, training: true)
        backward()
        return value
    }

    /// The class scores of every sample of `data`, `chunkSize` rows at a time: each chunk is read in
    /// place from `data` (no copy) and goes through BLAS as one product per layer, and the layers'
    /// buffers are reused from one call to the next. `body` gets the first row's index and the
    /// chunk's scores (valid until `body` returns).
    public func forEachChunk(of data: LabeledSamples<Scalar>, chunkSize: Int = 1000, training: Bool = false,
                             _ body: (_ start: Int, _ scores: Matrix<Scalar>) -> Void) {
        let chunk = Matrix(viewing: data.samples)
        var start = 0
        while start < data.count {
            chunk.show(rows: min(chunkSize, data.count - start), of: data.samples, from: start)
            body(start, scores(chunk, training: training))
            start += chunk.rows
        }
    }

    /// The share of samples whose highest score is their label, in inference mode.
    public func accuracy(_ data: LabeledSamples<Scalar>, chunkSize: Int = 1000) -> Double {
        correctness(data, chunkSize: chunkSize).accuracy
    }

    /// Which of `data`'s samples the network classifies correctly, in inference mode (see `accuracy`).
    public func correctness(_ data: LabeledSamples<Scalar>, chunkSize: Int = 1000) -> Correctness {
        var correct = Correctness(count: data.count)
        forEachChunk(of: data, chunkSize: chunkSize) { start, output in
            backend.argmaxRows(output, into: &predictedClasses)
            for i in 0..<output.rows where predictedClasses[i] == data.labels[start + i] { correct.mark(start + i) }
        }
        return correct
    }

    /// `sqrt(Σ W²)` over every weight matrix (biases and BatchNorm's scale and shift left out): the
    /// size that weight decay penalises.
    public var weightNorm: Double {
        weights.reduce(0) { $0 + Double(backend.sumOfSquares($1.value)) }.squareRoot()
    }
}
