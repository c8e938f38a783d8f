import Datasets
import NumericCore
import Testing
@testable import NeuralNet

struct TrainingTests {
    static let data = try! Dataset.load(.mnist, environment: [:])

    static func train(seed: UInt64, iterations: Int, optimizer: OptimizerSpec = .sgd()) -> (Network<Float>, TrainingHistory) {
        let network = Network<Float>(NetworkConfiguration(hiddenSizes: [50, 50]), seed: seed)
        let trainer = Trainer(network: network, optimizer: optimizer.make(Float.self), training: data.training,
                              test: data.test, batchSize: 100, seed: seed)
        return (network, trainer.run(iterations: iterations))
    }

    @Test func sameSeedGivesBitIdenticalLosses() {
        let (_, a) = Self.train(seed: 42, iterations: 60, optimizer: .adam())
        let (_, b) = Self.train(seed: 42, iterations: 60, optimizer: .adam())
        #expect(a.losses.count == 60)
        #expect(a.losses.map(\.bitPattern) == b.losses.map(\.bitPattern))
    }

    @Test func differentSeedsGiveDifferentLosses() {
        let (_, a) = Self.train(seed: 1, iterations: 20)
        let (_, b) = Self.train(seed: 2, iterations: 20)
        #expect(a.losses != b.losses)
    }

    @Test func aSmallNetLearnsRealDigits() {
        let (network, history) = Self.train(seed: 3, iterations: 400, optimizer: .adam())
        let accuracy = network.accuracy(Self.data.test)
        #expect(accuracy > 0.85, "test accuracy \(accuracy)")
        let early: Double = history.losses.prefix(10).reduce(0, +) / 10
        let late: Double = history.losses.suffix(50).reduce(0, +) / 50
        #expect(late < early / 4)
    }

    @Test func epochsMeasureAccuracyBeforeAndAfterEach() {
        let network = Network<Float>(NetworkConfiguration(hiddenSizes: [20]), seed: 1)
        let small = Self.data.training.prefix(300)
        let trainer = Trainer(network: network, optimizer: OptimizerSpec.sgd().make(Float.self), training: small,
                              test: Self.data.test, batchSize: 100, seed: 1)
        let history = trainer.run(epochs: 4)
        #expect(trainer.iterationsPerEpoch == 3)
        #expect(history.losses.count == 12)
        #expect(history.epochs == [0, 1, 2, 3, 4])
        #expect(history.trainAccuracy.count == 5 && history.testAccuracy.count == 5)
    }

    @Test func aDivergingRunIsReportedNotCrashed() {
        let (_, history) = Self.train(seed: 1, iterations: 200, optimizer: .sgd(learningRate: 1e6))
        #expect(history.diverged)
        #expect(history.losses.count == history.divergedAt)
    }

    @Test func dropoutIsOnlyActiveInTraining() {
        let layer = Dropout<Float>(ratio: 0.5, generator: SeededGenerator(seed: 1))
        let x = Matrix<Float>(rows: 10, columns: 100, repeating: 2)
        let trained = layer.forward(x, training: true).elements
        let zeros = trained.filter { $0 == 0 }.count
        #expect(zeros > 400 && zeros < 600)
        #expect(trained.allSatisfy { $0 == 0 || $0 == 2 })
        #expect(layer.forward(x, training: false).elements.allSatisfy { $0 == 1 })
    }

    @Test func batchNormUsesRunningStatisticsInInference() {
        let layer = BatchNorm<Double>(features: 1, momentum: 0)
        _ = layer.forward(Matrix([[1], [3]]), training: true)          // batch mean 2, variance 1
        let y = layer.forward(Matrix([[2], [4]]), training: false).elements
        #expect(abs(y[0]) < 1e-5 && abs(y[1] - 2) < 1e-5)
    }
}
