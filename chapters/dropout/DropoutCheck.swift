import Engine
import NeuralNet
import NumericCore

extension Dropout where Scalar == Float {
    /// What a Dropout layer of ratio `ratio` does to a 1000 × 100 block of ones over `passes` passes in
    /// training mode: the share it drops, the mean of its training output, and its test-time output.
    public static func measureOnOnes(ratio: Double, seed: UInt64, passes: Int = 20) -> (ratio: Double, dropped: Double,
            trainingMean: Double, inference: Double) {
        let layer = Dropout<Float>(ratio: ratio, generator: SeededGenerator(seed: seed, stream: "dropout check"),
                                   backend: CPUBackend())
        let ones = Matrix<Float>(rows: 1000, columns: 100, repeating: 1)
        var zeros = 0, total = 0.0
        for _ in 0..<passes {
            for value in layer.forward(ones, training: true).elements {
                if value == 0 { zeros += 1 }
                total += Double(value)
            }
        }
        let units = Double(passes * ones.count)
        return (ratio, Double(zeros) / units, total / units, Double(layer.forward(ones, training: false)[0, 0]))
    }
}
