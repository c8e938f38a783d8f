import NumericCore

/// A multi-layer network built from a `NetworkConfiguration`, with its loss, its gradients by
/// backpropagation, and its accuracy.
public final class Network<Scalar: NeuralScalar> {
    public let configuration: NetworkConfiguration
    public private(set) var layers: [any Layer<Scalar>] = []
    public let lossLayer = SoftmaxCrossEntropy<Scalar>()
    /// Every learnable array, in layer order (W1, b1, gamma1, beta1, W2, ...).
    public private(set) var parameters: [Parameter<Scalar>] = []
    private var weights: [Parameter<Scalar>] = []
    private var predictedClasses: [Int] = []
    private let evaluationChunk = Matrix<Scalar>(rows: 0, columns: 0)

    /// A network with Gaussian initial weights drawn from `seed`; Dropout masks use their own stream.
    public init(_ configuration: NetworkConfiguration, seed: UInt64) {
        self.configuration = configuration
        var initGenerator = SeededGenerator(seed: seed, stream: "initial weights")
        let widths = [configuration.inputSize] + configuration.hiddenSizes + [configuration.outputSize]
        for index in 1..<widths.count {
            let weights = Matrix<Scalar>(rows: widths[index - 1], columns: widths[index])
            let std = configuration.weightInitialization.standardDeviation(previousWidth: widths[index - 1])
            if case let .constant(value) = configuration.weightInitialization {
                weights.fill(with: Scalar(value))
            } else {
                initGenerator.fillNormal(weights, standardDeviation: std)
            }
            layers.append(Affine(weights: weights, index: index))
            guard index < widths.count - 1 else { break }
            if configuration.batchNormalization { layers.append(BatchNorm(features: widths[index], index: index)) }
            switch configuration.activation {
            case .relu: layers.append(ReLU())
            case .sigmoid: layers.append(Sigmoid())
            case .tanh: layers.append(Tanh())
            }
            if let ratio = configuration.dropoutRatio {
                layers.append(Dropout(ratio: ratio, generator: SeededGenerator(seed: seed, stream: "dropout \(index)")))
            }
        }
        (layers.first as? Affine<Scalar>)?.computesInputGradient = false
        parameters = layers.flatMap { $0.parameters }
        weights = parameters.filter(\.isWeight)
    }

    /// The class scores (before softmax) for a batch.
    public func scores(_ x: Matrix<Scalar>, training: Bool) -> Matrix<Scalar> {
        var activation = x
        for layer in layers { activation = layer.forward(activation, training: training) }
        return activation
    }

    /// Mean cross-entropy over the batch plus `λ/2 Σ W²`. `labels` must stay valid until `backward()`.
    public func loss(_ x: Matrix<Scalar>, labels: UnsafePointer<Int>, training: Bool = true) -> Double {
        let dataLoss = lossLayer.forward(scores(x, training: training), labels: labels)
        guard configuration.weightDecay != 0 else { return dataLoss }
        var squares = 0.0
        for w in weights { squares += Double(w.value.sumOfSquares) }
        return dataLoss + 0.5 * configuration.weightDecay * squares
    }

    /// Backpropagates the last `loss` and fills every parameter's gradient, weight decay included.
    public func backward() {
        var gradient = lossLayer.backward()
        for layer in layers.reversed() { gradient = layer.backward(gradient) }
        if configuration.weightDecay != 0 {
            let lambda = Scalar(configuration.weightDecay)
            for w in weights { w.gradient.add(w.value, scaledBy: lambda) }   // ∂(λ/2 W²)/∂W = λ W
        }
    }

    /// The loss of a batch, with every parameter's gradient filled in.
    @discardableResult
    public func gradient(_ x: Matrix<Scalar>, labels: [Int]) -> Double {
        labels.withUnsafeBufferPointer { labelPointer in
            let value = loss(x, labels: labelPointer.baseAddress!, training: true)
            backward()
            return value
        }
    }

    /// The share of samples whose highest score is their label, in inference mode, `chunkSize`
    /// rows at a time so that a large set needs no large buffers.
    public func accuracy(_ data: LabeledSamples<Scalar>, chunkSize: Int = 1000) -> Double {
        guard data.count > 0 else { return 0 }
        var correct = 0
        var start = 0
        while start < data.count {
            let rows = min(chunkSize, data.count - start)
            evaluationChunk.resize(rows: rows, columns: data.featureCount)
            evaluationChunk.base.update(from: data.samples.base + start * data.featureCount, count: rows * data.featureCount)
            let output = scores(evaluationChunk, training: false)
            if predictedClasses.count < rows { predictedClasses = Array(repeating: 0, count: rows) }
            predictedClasses.withUnsafeMutableBufferPointer {
                Scalar.argmaxRows(output.base, rows: rows, columns: output.columns, into: $0.baseAddress!)
            }
            for i in 0..<rows where predictedClasses[i] == data.labels[start + i] { correct += 1 }
            start += rows
        }
        return Double(correct) / Double(data.count)
    }
}
