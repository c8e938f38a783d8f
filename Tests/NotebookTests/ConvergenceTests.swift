import Engine
import Analysis
import NeuralNet
import Plot
import Runs
import Statistics
import Testing
@testable import Notebook

/// The one rule of settling, on curves worked by hand.
struct ConvergenceTests {
    /// Seeds whose training and test accuracy follow `train` and `test` over epochs 0...100.
    static func group(_ curves: [(train: (Int) -> Double, test: (Int) -> Double)]) -> RunGroup {
        let setup = TrainingSetup(network: NetworkConfiguration(hiddenSizes: [10]), optimizer: .sgd(), batchSize: 10, length: .epochs(100))
        return RunGroup(label: "g", results: curves.enumerated().map { seed, curve in
            var history = TrainingHistory()
            history.epochs = Array(0...100)
            history.heldOutEpochs = Array(0...100)
            history.trainAccuracy = (0...100).map(curve.train)
            history.testAccuracy = (0...100).map(curve.test)
            return RunResult(run: TrainingRun(label: "g", setup: setup, seed: UInt64(seed + 1)), history: history, finalTestAccuracy: nil)
        }, setting: ColorKey("g"))
    }

    @Test func settledMeansNeitherAccuracyRisesByTheNoise() {
        // 100 epochs: the rule looks back over the last tenth, 10 epochs. On 1,000 test images at 80%
        // one standard error is √(0.8 · 0.2 / 1000) = 1.26 points.
        #expect(Convergence.span(100) == 10 && Convergence.span(5) == 1)
        let flat: (Int) -> Double = { _ in 0.8 }
        let jitter: (Int) -> Double = { 0.8 + ($0 % 2 == 0 ? 0.005 : -0.005) }
        let climbing: (Int) -> Double = { 0.5 + 0.003 * Double($0) }        // 3 points over 10 epochs
        let creeping: (Int) -> Double = { 0.79 + 0.0005 * Double($0) / 5 }  // a tenth of a point over 10 epochs
        #expect(Convergence(Self.group([(flat, jitter), (jitter, creeping)]), testImages: 1000) == .settled)
        // Either accuracy still rising by more than the noise: not settled.
        #expect(Convergence(Self.group([(climbing, flat), (climbing, flat)]), testImages: 1000) == .rising)
        #expect(Convergence(Self.group([(flat, climbing), (flat, flat)]), testImages: 1000) == .rising)
        // A rise of 3 points is inside the noise of 40 test images (±6.3 points at 80%).
        #expect(Convergence(Self.group([(flat, climbing)]), testImages: 40) == .settled)
        #expect(Convergence(Self.group([(climbing, flat)]), testImages: 1000).text == "still rising")
    }
}
