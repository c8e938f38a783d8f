import Engine
import NeuralNet
import Plot
import Runs
import Statistics
import Testing
@testable import Analysis

struct RunGroupTests {
    static let setup = TrainingSetup(network: NetworkConfiguration(hiddenSizes: [10]), optimizer: .sgd(), batchSize: 10, length: .epochs(4))

    /// A finished run of four epochs with the given accuracies (after epochs 0...4), or one that
    /// diverged during its third epoch.
    static func result(_ label: String, seed: UInt64, train: [Double], test: [Double], divergedAt: Int? = nil) -> RunResult {
        var history = TrainingHistory()
        history.epochs = Array(0..<train.count)
        history.trainAccuracy = train
        history.heldOutEpochs = Array(0..<test.count)
        history.testAccuracy = test
        history.losses = Array(repeating: 1, count: divergedAt ?? 8)
        history.divergedAt = divergedAt
        return RunResult(run: TrainingRun(label: label, setup: setup, seed: seed), history: history,
                         finalTestAccuracy: test.last!, measurements: [.weightNorm: Double(seed)])
    }

    static let results = [
        result("A", seed: 1, train: [0.1, 0.5, 0.8, 0.9, 1.0], test: [0.1, 0.4, 0.6, 0.7, 0.7]),
        result("B", seed: 1, train: [0.1, 0.3, 0.4, 0.5, 0.6], test: [0.1, 0.3, 0.4, 0.5, 0.5]),
        result("A", seed: 2, train: [0.1, 0.6, 0.9, 1.0, 1.0], test: [0.1, 0.5, 0.6, 0.6, 0.8]),
        result("B", seed: 2, train: [0.1, 0.2, 0.3], test: [0.1, 0.2, 0.3], divergedAt: 5),
    ]

    /// The runs of A and of B, each over seeds 1 and 2.
    static let groups = ["A", "B"].map { label in RunGroup(label: label, results: results.filter { $0.run.label == label }, setting: ColorKey(label)) }

    @Test func finalValuesAreWhereTrainingWasMeantToEnd() {
        let a = Self.groups[0], b = Self.groups[1]
        #expect(a.final(.trainAccuracy).values == [1.0, 1.0] && a.final(.testAccuracy).values == [0.7, 0.8])
        // B's second seed diverged in epoch 3: it has no value at epoch 4, rather than its last one.
        #expect(b.final(.trainAccuracy).values[0] == 0.6 && b.final(.trainAccuracy).values[1].isNaN)
        #expect(b.divergedSeeds == [2] && a.divergedSeeds.isEmpty)
        #expect(b.value(.testAccuracy, at: 2).values == [0.4, 0.3])
        #expect(a.finalGap.values.enumerated().allSatisfy { abs($0.element - [0.3, 0.2][$0.offset]) < 1e-12 })
        #expect(a.first(.trainAccuracy, reaching: 0.9).values == [3, 2])
        #expect(b.first(.trainAccuracy, reaching: 0.9).missing == 2)
        #expect(a.measurement(.weightNorm).values == [1, 2] && a.measurement(.largestWeight).missing == 2)
    }

    @Test func bandsCoverEverySeed() {
        let b = Self.groups[1]
        let band = b.band(.trainAccuracy)
        #expect(band.x == [0, 1, 2, 3, 4])
        #expect(band.mean[3] == 0.5 && band.lower[1] == 0.2 && band.upper[1] == 0.3)
        // The diverged seed's curve stops at epoch 2.
        #expect(b.results[1].history.curve(.testAccuracy).x == [0, 1, 2])
    }

    @Test func aTrendComparesWindowsNotSingleEpochs() {
        var history = TrainingHistory()
        history.epochs = Array(0...40)
        // Jitter of ±0.1 around a line rising by 0.01 per epoch.
        history.trainAccuracy = (0...40).map { Double($0) * 0.01 + ($0 % 2 == 0 ? 0.1 : -0.1) }
        let group = RunGroup(label: "x", results: [RunResult(run: TrainingRun(label: "x", setup: Self.setup, seed: 1), history: history,
                                                             finalTestAccuracy: 0)], setting: ColorKey("x"))
        // Means of epochs 31–40 and 11–20: the jitter cancels, 20 epochs of rise remain.
        #expect(abs(group.trend(.trainAccuracy, overLast: 20).values[0] - 0.2) < 1e-12)
    }

    @Test func lossesAreTheMedianOfTheWindowUpToAnIteration() {
        var history = TrainingHistory()
        history.losses = (1...100).map(Double.init)
        history.losses[29] = 1000                                         // a spike, as RMSProp throws
        let setup = TrainingSetup(network: NetworkConfiguration(hiddenSizes: [10]), optimizer: .sgd(), batchSize: 10, length: .iterations(100))
        let group = RunGroup(label: "x", results: [RunResult(run: TrainingRun(label: "x", setup: setup, seed: 1), history: history,
                                                             finalTestAccuracy: 0)], setting: ColorKey("x"))
        #expect(group.value(.trainLoss, at: 50).values == [25.5])       // 1...50 with 30 spiked: the mean would be 44.9
        #expect(group.final(.trainLoss, window: 10).values == [95.5])    // even window 91...100: the middle two
        #expect(group.final(.trainLoss, window: 9).values == [96])       // odd window 92...100: the middle one
        #expect(group.value(.trainLoss, at: 101).values[0].isNaN)
    }
}
