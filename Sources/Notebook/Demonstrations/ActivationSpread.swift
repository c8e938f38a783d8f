import NeuralNet
import NumericCore

/// The course's activation experiment: random inputs through a stack of equal-width layers
/// without biases, keeping every layer's output to look at its distribution.
public enum ActivationSpread {
    /// The outputs of each of `layers` layers (Affine with zero bias, then `activation`) for a
    /// `samples x width` standard-normal input, with weights drawn by `initialization`.
    public static func layerOutputs(samples: Int = 1000, width: Int = 100, layers: Int = 5, activation: Activation,
                                    initialization: WeightInitialization, seed: UInt64) -> [[Double]] {
        var inputs = SeededGenerator(seed: seed, stream: "activation inputs")
        let x = Matrix<Double>(rows: samples, columns: width)
        inputs.fillNormal(x, standardDeviation: 1)
        // The same configuration type as the networks, so the weights follow exactly the same rules.
        let stack = Network<Double>(NetworkConfiguration(inputSize: width, hiddenSizes: Array(repeating: width, count: layers),
                                                         outputSize: width, activation: activation,
                                                         weightInitialization: initialization), seed: seed)
        var outputs: [[Double]] = []
        var current = x
        for layer in stack.layers.dropLast() {      // the last Affine is the output layer: not part of the experiment
            current = layer.forward(current, training: false)
            if !(layer is Affine<Double>) { outputs.append(current.elements) }
        }
        return outputs
    }

    /// The standard deviation of a layer's outputs.
    public static func standardDeviation(_ values: [Double]) -> Double {
        let mean = values.reduce(0, +) / Double(values.count)
        return (values.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(values.count)).squareRoot()
    }
}
