import NeuralNet
import NumericCore

extension Dropout where Scalar == Float {
    /// What a Dropout layer of ratio `ratio` does to a 1000 × 100 block of ones over `passes` passes in
    /// training mode: the share it drops, the mean of its training output, and its test-time output.
    public static func measureOnOnes(ratio: Double, seed: UInt64, passes: Int = 20) -> (ratio: Double, dropped: Double,
            trainingMean: Double, inference: Double) {
        let layer = Dropout<Float>(ratio: ratio, generator: SeededGenerator(seed: seed, stream: "dropout check"))
        let ones = Matrix<Float>(rows: 1000, columns: 100, repeating: 1)
        var zeros = 0, total = 0.0
        for _ in 0..<passes {
            let y = layer.forward(ones, training: true)
            for i in 0..<y.count {
                if y.base[i] == 0 { zeros += 1 }
                total += Double(y.base[i])
            }
        }
        let units = Double(passes * ones.count)
        return (ratio, Double(zeros) / units, total / units, Double(layer.forward(ones, training: false).base[0]))
    }
}
