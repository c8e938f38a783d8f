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

    @Test func settledMeansNeitherAccuracyRisesByTheNoisePerHundredEpochs() {
        // 100 epochs: the rate is read over the last quarter, 25 epochs, and scaled to 100 epochs. On
        // 1,000 test images at 80% one standard error is √(0.8 · 0.2 / 1000) = 1.26 points.
        #expect(Convergence.span(100) == 25 && Convergence.span(40) == 20 && Convergence.span(5) == 4)
        let flat: (Int) -> Double = { _ in 0.8 }
        let jitter: (Int) -> Double = { 0.8 + ($0 % 2 == 0 ? 0.005 : -0.005) }
        let climbing: (Int) -> Double = { 0.5 + 0.003 * Double($0) }        // 30 points per 100 epochs
        let creeping: (Int) -> Double = { 0.79 + 0.005 * Double($0) / 100 }  // half a point per 100 epochs
        let slow: (Int) -> Double = { 0.70 + 0.02 * Double($0) / 100 }       // 2 points per 100 epochs
        #expect(Convergence(Self.group([(flat, jitter), (jitter, creeping)]), testImages: 1000) == .settled)
        // Either accuracy still rising by more than the noise per 100 epochs: not settled.
        #expect(Convergence(Self.group([(climbing, flat), (climbing, flat)]), testImages: 1000) == .rising)
        #expect(Convergence(Self.group([(flat, climbing), (flat, flat)]), testImages: 1000) == .rising)
        // A slow climb: half a point over the last 25 epochs, under the noise, but 2 points per 100
        // epochs, over it. The old rule (a rise over the last tenth) called this settled.
        #expect(Convergence(Self.group([(flat, slow), (flat, slow)]), testImages: 1000) == .rising)
        // 2 points per 100 epochs are inside the noise of 40 test images (±6.3 points at 80%).
        #expect(Convergence(Self.group([(flat, slow)]), testImages: 40) == .settled)
        #expect(Convergence(Self.group([(climbing, flat)]), testImages: 1000).text == "still rising")
    }
}
