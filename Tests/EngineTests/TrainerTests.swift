import Datasets
@testable import Engine
import NeuralNet
import NumericCore
import Testing

/// The trainer: the course's loop, its measurements, and what it does with a run that diverges.
struct TrainerTests {
    /// One BLAS thread, as every run uses (two split a product's sums differently).
    static let data: Dataset = {
        BLASRuntime.useOneThreadPerRun()
        return try! Dataset.load(.mnist5k, environment: [:])
    }()

    static func network(_ configuration: NetworkConfiguration, seed: UInt64) -> Network<Float> {
        Network<Float>(configuration, seed: seed, backend: CPUBackend())
    }

    static func train(seed: UInt64, iterations: Int, optimizer: OptimizerSpec = .sgd()) -> (Network<Float>, TrainingHistory) {
        let network = network(NetworkConfiguration(hiddenSizes: [50, 50]), seed: seed)
        let trainer = Trainer(training: data.training, test: data.test, batchSize: 100, seed: seed)
        return (network, trainer.train(network, optimizer: optimizer, .iterations(iterations)).history)
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
        let configuration = NetworkConfiguration(hiddenSizes: [20])
        let network = Self.network(configuration, seed: 1)
        let small = Self.data.training.prefix(300)
        // Before training: what an untrained network with the same seed scores.
        let untrained = Self.network(configuration, seed: 1)
        let before = (untrained.accuracy(small), untrained.accuracy(Self.data.test))
        let trainer = Trainer(training: small, test: Self.data.test, batchSize: 100, seed: 1)
        let history = trainer.train(network, optimizer: OptimizerSpec.sgd(learningRate: 0.1),
                                    .epochs(4, iterationsPerEpoch: trainer.iterationsPerEpoch)).history
        #expect(trainer.iterationsPerEpoch == 3)
        #expect(history.losses.count == 12)
        #expect(history.epochs == [0, 1, 2, 3, 4])
        #expect(history.trainAccuracy.first == before.0 && history.testAccuracy.first == before.1)
        // After the last epoch: what the trained network scores now, on each set.
        #expect(history.trainAccuracy.last == network.accuracy(small))
        #expect(history.testAccuracy.last == network.accuracy(Self.data.test))
        #expect(history.validationAccuracy.isEmpty)
        // Twelve steps of SGD at 0.1 on 300 digits learn something.
        #expect(history.trainAccuracy.last! > before.0 + 0.2)
    }

    @Test func accuracyIsMeasuredOnTheScheduleAndOnAValidationSet() {
        #expect(Trainer<Float>.evaluatedEpochs(10, every: 4) == [0, 4, 8, 10])
        #expect(Trainer<Float>.evaluatedEpochs(8, every: 4) == [0, 4, 8])
        #expect(Trainer<Float>.evaluatedEpochs(3, every: 1) == [0, 1, 2, 3])
        let network = Self.network(NetworkConfiguration(hiddenSizes: [20]), seed: 2)
        let validation = Self.data.training.subset(Array(3000..<3500))
        let trainer = Trainer(training: Self.data.training.prefix(200), validation: validation, batchSize: 50, seed: 2)
        let history = trainer.train(network, optimizer: OptimizerSpec.sgd(),
                                    .epochs(10, iterationsPerEpoch: trainer.iterationsPerEpoch, evaluateEvery: 4)).history
        #expect(history.epochs == [0, 4, 8, 10] && history.losses.count == 40)
        #expect(history.testAccuracy.isEmpty && history.validationAccuracy.count == 4)
        #expect(history.validationAccuracy.last == network.accuracy(validation))
        #expect(history.heldOutEpochs == history.epochs)
    }

    @Test func theHeldOutSetsCanBeMeasuredLessOftenWithoutChangingTheTraining() {
        func run(heldOutEvery: Int?) -> (TrainingHistory, Network<Float>) {
            let network = Self.network(NetworkConfiguration(hiddenSizes: [20]), seed: 4)
            let trainer = Trainer(training: Self.data.training.prefix(200), test: Self.data.test, batchSize: 50, seed: 4)
            return (trainer.train(network, optimizer: OptimizerSpec.sgd(),
                                  .epochs(6, iterationsPerEpoch: trainer.iterationsPerEpoch, heldOutEvery: heldOutEvery)).history, network)
        }
        let (every, _) = run(heldOutEvery: nil), (ends, network) = run(heldOutEvery: 6)
        // The training set every epoch, the test set before and after only; the same steps either way.
        #expect(ends.epochs == Array(0...6) && ends.heldOutEpochs == [0, 6] && ends.testAccuracy.count == 2)
        #expect(ends.losses == every.losses && ends.trainAccuracy == every.trainAccuracy)
        #expect(ends.testAccuracy == [every.testAccuracy.first!, every.testAccuracy.last!])
        #expect(ends.testAccuracy.last == network.accuracy(Self.data.test))
    }

    @Test func accuracyDoesNotDependOnTheChunkSize() {
        let network = Self.network(NetworkConfiguration(hiddenSizes: [30, 30], batchNormalization: true), seed: 5)
        let reference = network.accuracy(Self.data.test, chunkSize: 1000)
        for chunk in [1, 7, 333, 5000] { #expect(network.accuracy(Self.data.test, chunkSize: chunk) == reference, "chunk \(chunk)") }
    }

    @Test func aDivergingRunIsReportedNotCrashed() {
        let (_, history) = Self.train(seed: 1, iterations: 200, optimizer: .sgd(learningRate: 1e6))
        #expect(history.diverged)
        #expect(history.losses.count == history.divergedAt)
    }

    @Test func dropoutDropsItsShareAndScalesAtTestTime() {
        for ratio in [0.1, 0.2, 0.5] {
            let layer = Dropout<Float>(ratio: ratio, generator: SeededGenerator(seed: 3), backend: CPUBackend())
            let x = Matrix<Float>(rows: 200, columns: 100, repeating: 1)
            var dropped = 0, total = 0.0
            for _ in 0..<20 {
                for value in layer.forward(x, training: true).elements {
                    if value == 0 { dropped += 1 }
                    total += Double(value)
                }
            }
            // 400,000 draws: the share dropped is within 0.5 points of the ratio, ...
            #expect(abs(Double(dropped) / 400_000 - ratio) < 0.005, "ratio \(ratio): dropped \(dropped)")
            // ... and test time passes on what training passes on, on average: (1 − p) x.
            let inference = layer.forward(x, training: false)[0, 0]
            #expect(abs(Double(inference) - (1 - ratio)) < 1e-6)
            #expect(abs(total / 400_000 - Double(inference)) < 0.005)
        }
    }

    @Test func dropoutIsOnlyActiveInTraining() {
        let layer = Dropout<Float>(ratio: 0.5, generator: SeededGenerator(seed: 1), backend: CPUBackend())
        let x = Matrix<Float>(rows: 10, columns: 100, repeating: 2)
        let trained = layer.forward(x, training: true).elements
        let zeros = trained.filter { $0 == 0 }.count
        #expect(zeros > 400 && zeros < 600)
        #expect(trained.allSatisfy { $0 == 0 || $0 == 2 })
        #expect(layer.forward(x, training: false).elements.allSatisfy { $0 == 1 })
    }

    @Test func inInferenceASamplesOutputDoesNotDependOnItsBatch() {
        let network = Self.network(NetworkConfiguration(hiddenSizes: [50, 50], batchNormalization: true), seed: 8)
        let trainer = Trainer(training: Self.data.training.prefix(500), batchSize: 50, seed: 8)
        _ = trainer.train(network, optimizer: OptimizerSpec.sgd(learningRate: 0.1), .iterations(40))
        let batch = Self.data.test.prefix(64).samples
        let together = Matrix<Float>(rows: batch.rows, columns: 10, elements: network.scores(batch, training: false).elements)
        for row in [0, 17, 63] {
            let alone = network.scores(Matrix(rows: 1, columns: 784, elements: batch.row(row)), training: false)
            #expect(zip(alone.row(0), together.row(row)).allSatisfy { abs($0 - $1) <= 1e-4 * max(1, abs($1)) }, "row \(row)")
        }
        // In training mode the same sample comes out differently alone: its batch statistics differ.
        let trainingMode = network.scores(Matrix(rows: 2, columns: 784, elements: batch.row(0) + batch.row(1)), training: true).row(0)
        #expect(zip(trainingMode, together.row(0)).contains { abs($0 - $1) > 0.01 })
    }

    @Test func batchNormUsesRunningStatisticsInInference() {
        let layer = BatchNorm<Double>(features: 1, momentum: 0, backend: CPUBackend())
        _ = layer.forward(Matrix([[1], [3]]), training: true)          // batch mean 2, variance 1
        let y = layer.forward(Matrix([[2], [4]]), training: false).elements
        #expect(abs(y[0]) < 1e-5 && abs(y[1] - 2) < 1e-5)
    }

    @Test func aLossOnlyRunIsMeasuredOnTheTestSetWhereItEnds() {
        let images = Self.data.training.prefix(300)
        for (steps, measures) in [(12, true), (5, true), (5, false)] {
            let network = Self.network(NetworkConfiguration(hiddenSizes: [60, 40]), seed: 1)
            let trainer = Trainer(training: images, test: Self.data.test, batchSize: 50, seed: 9)
            let outcome = trainer.train(network, optimizer: .momentum(), .iterations(steps, measuringTestAtEnd: measures))
            #expect(outcome.history.epochs.isEmpty && outcome.history.testAccuracy.isEmpty)
            #expect(outcome.finalTestAccuracy == (measures ? network.accuracy(Self.data.test) : nil), "\(steps) steps")
        }
    }

    /// The course's curve: each batch's loss again after its update. On one image the batch is always
    /// that image, so the loss after step k is the loss before step k + 1, and the last one is the
    /// trained network's loss on it; asking for the curve changes no step of the training.
    @Test func theLossAfterAnUpdateIsTheNextStepsLossOnTheSameBatch() {
        let one = Self.data.training.prefix(1)
        let cases: [(OptimizerSpec, Trainer<Float>.FirstLayerForm)] = [(.sgd(learningRate: 0.05), .dual), (.sgd(learningRate: 0.05), .usual), (.adam(), .usual)]
        for (optimizer, form) in cases {
            func run(afterUpdate: Bool) -> (TrainingHistory, Network<Float>) {
                let network = Self.network(NetworkConfiguration(hiddenSizes: [30]), seed: 6)
                let trainer = Trainer(training: one, batchSize: 1, seed: 6)
                trainer.firstLayerForm = form
                var plan = TrainingPlan.iterations(5)
                plan.recordsLossAfterUpdate = afterUpdate
                return (trainer.train(network, optimizer: optimizer, plan).history, network)
            }
            let (plain, _) = run(afterUpdate: false), (history, network) = run(afterUpdate: true)
            #expect(plain.losses == history.losses && plain.lossesAfterUpdate.isEmpty)
            #expect(history.lossesAfterUpdate.count == 5)
            for k in 0..<4 { #expect(abs(history.lossesAfterUpdate[k] - history.losses[k + 1]) < 1e-5 * history.losses[k + 1], "\(optimizer.kind) \(form) step \(k)") }
            let trained = network.loss(one.samples, labels: one.labels, training: false)
            #expect(abs(history.lossesAfterUpdate[4] - trained) < 1e-5 * trained)
            // A step downhill on the only image lowers its loss.
            #expect(history.lossesAfterUpdate[0] < history.losses[0])
        }
    }

    /// Curves drawn on the first test images, the whole test set measured once where training ends.
    @Test func aCurveOnFewerTestImagesEndsWithTheWholeTestSet() {
        let data = Self.data, curve = data.test.prefix(200)
        for form in [Trainer<Float>.FirstLayerForm.usual, .dual] {
            let network = Self.network(NetworkConfiguration(hiddenSizes: [20]), seed: 7)
            let trainer = Trainer(training: data.training.prefix(300), test: data.test, testCurve: curve, batchSize: 100, seed: 7)
            trainer.firstLayerForm = form
            let outcome = trainer.train(network, optimizer: .sgd(learningRate: 0.1),
                                        .epochs(4, iterationsPerEpoch: trainer.iterationsPerEpoch, heldOutEvery: 2))
            #expect(outcome.history.heldOutEpochs == [0, 2, 4] && outcome.history.testAccuracy.count == 3)
            #expect(abs(outcome.history.testAccuracy.last! - network.accuracy(curve)) <= 1.0 / 200, "\(form)")
            #expect(outcome.finalTestCorrectness?.count == data.test.count)
            #expect(abs(outcome.finalTestAccuracy! - network.accuracy(data.test)) <= 2.0 / Double(data.test.count), "\(form)")
        }
    }

    @Test func aTrainedRunKnowsWhichTestImagesItGotRight() {
        let data = Self.data
        let network = Self.network(NetworkConfiguration(hiddenSizes: [20]), seed: 4)
        let trainer = Trainer(training: data.training.prefix(300), test: data.test, batchSize: 100, seed: 4)
        trainer.firstLayerForm = .usual
        let outcome = trainer.train(network, optimizer: .sgd(learningRate: 0.1),
                                    .epochs(3, iterationsPerEpoch: trainer.iterationsPerEpoch, evaluateEvery: 2))
        let marks = outcome.finalTestCorrectness
        // The images the trained network, measured alone, gets right: the same bits, and the accuracy they count.
        #expect(marks == network.correctness(data.test))
        #expect(marks?.accuracy == outcome.finalTestAccuracy && marks?.count == data.test.count)
        let predicted = (0..<5).map { i in
            let scores = network.scores(Matrix(rows: 1, columns: 784, elements: Array(data.test.samples.row(i))), training: false)
            return scores.elements.indices.max { scores.elements[$0] < scores.elements[$1] }! == data.test.labels[i]
        }
        #expect((0..<5).map { marks![$0] } == predicted)
    }

    /// The products a run computes are counted by its backend where they are computed: a step of
    /// the usual form is the forward pass, every weight gradient, and every input gradient but the first.
    @Test func theBackendCountsEveryProductOfAStep() {
        let configuration = NetworkConfiguration(hiddenSizes: [50, 50])
        let network = Self.network(configuration, seed: 2)
        let trainer = Trainer(training: Self.data.training, batchSize: 100, seed: 2)
        _ = trainer.train(network, optimizer: .adam(), .iterations(7))
        #expect(network.backend.operations.training == 7 * configuration.trainingStepFlops(batch: 100))
        #expect(network.backend.operations.measuring == 0)
        network.backend.operations.during(.measuring) { _ = network.accuracy(Self.data.test) }
        #expect(network.backend.operations.measuring == Double(Self.data.test.count) * configuration.forwardFlopsPerSample)
    }
}
