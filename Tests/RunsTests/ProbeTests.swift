import Datasets
import Engine
import NeuralNet
import Testing
@testable import Runs

/// The probes the claims rest on, against cases worked by hand.
struct ProbeTests {
    static let data = try! Dataset.load(.mnist5k, environment: [:])

    @Test func unitsWithinTheToleranceCountOnce() {
        let vectors: [[Double]] = [[1, 2], [1, 2.00005], [1, 3], [1.00001, 3], [5, 5]]
        #expect(Probe.distinct(vectors, tolerance: 1e-4) == 3)
        #expect(Probe.distinct(vectors, tolerance: 1e-6) == 5)
        #expect(Probe.distinct([], tolerance: 1) == 0)
        // The first of a group stands for it: [0], [0.6] and [1.2] are two groups at tolerance 0.7.
        #expect(Probe.distinct([[0], [0.6], [1.2]], tolerance: 0.7) == 2)
    }

    @Test func equalWeightsLeaveOneDistinctUnitAndRandomOnesAll() {
        let equal = Network<Float>(NetworkConfiguration(hiddenSizes: [30, 20], weightInitialization: .constant(0.01)), seed: 1, backend: CPUBackend())
        let random = Network<Float>(NetworkConfiguration(hiddenSizes: [30, 20]), seed: 1, backend: CPUBackend())
        let same = Probe.hiddenUnits.body(equal, Self.data, .all), different = Probe.hiddenUnits.body(random, Self.data, .all)
        #expect(same[.distinctUnits] == 1 && same[.largestUnitDifference] == 0 && abs(same[.largestWeight]! - 0.01) < 1e-8)
        #expect(different[.distinctUnits] == 30 && different[.largestUnitDifference]! > 0)
    }

    @Test func theMonteCarloAverageOfMasksThatDropNothingIsTheNetworksOwnAccuracy() {
        // A ratio so small that no mask drops a unit: every pass is the network's inference pass,
        // and the averaged softmax picks the same class. 2,500 test images: three chunks of up to 1,000.
        let dataset = Dataset(name: "MNIST", source: "first 2,500", training: Self.data.training.prefix(100),
                              test: Self.data.training.prefix(2500))
        let network = Network<Float>(NetworkConfiguration(hiddenSizes: [50, 50], dropoutRatio: 1e-12), seed: 4, backend: CPUBackend())
        _ = Trainer(training: Self.data.training.prefix(500), batchSize: 50, seed: 1)
            .train(network, optimizer: .sgd(learningRate: 0.1), .iterations(40))
        let measured = Probe.monteCarlo(passes: [1, 3]).body(network, dataset, .all)
        let accuracy = network.accuracy(dataset.test)
        #expect(accuracy > 0.5)
        #expect(measured[.monteCarloAccuracy(passes: 1)] == accuracy && measured[.monteCarloAccuracy(passes: 3)] == accuracy)
        #expect(measured.values.count == 2 && measured.marks.isEmpty)
        // A network without dropout has nothing to average.
        #expect(Probe.monteCarlo(passes: [1]).body(Network<Float>(NetworkConfiguration(hiddenSizes: [10]), seed: 1, backend: CPUBackend()), dataset, .all).isEmpty)
    }

    @Test func realMasksMakeThePassesDisagree() {
        let dataset = Dataset(name: "MNIST", source: "first 1,000", training: Self.data.training.prefix(100),
                              test: Self.data.training.prefix(1000))
        let network = Network<Float>(NetworkConfiguration(hiddenSizes: [50, 50], dropoutRatio: 0.5), seed: 4, backend: CPUBackend())
        _ = Trainer(training: Self.data.training.prefix(500), batchSize: 50, seed: 1)
            .train(network, optimizer: .sgd(learningRate: 0.1), .iterations(40))
        let measured = Probe.monteCarlo(passes: [1, 20]).body(network, dataset, .all)
        let one = measured[.monteCarloAccuracy(passes: 1)]!, many = measured[.monteCarloAccuracy(passes: 20)]!
        // Half the units dropped at random: one pass is a noisy guess; twenty averaged are better.
        #expect(one < many)
    }
}

/// Held-out images and longer runs measured in proportion, by hand.
struct HeldOutAndLengthTests {
    @Test func theHeldOutImagesAreTheTestSetAndTheUnusedTrainingImages() throws {
        let data = ProbeTests.data
        // 300 to train on: the test set, then training images 300, 301, ... (up to 20,000 of them).
        let held = try #require(TrainingData.first(300).heldOut(in: data))
        let extra = min(data.training.count - 300, TrainingData.unusedPoolLimit)
        #expect(held.count == 2 && held[0].count + held[1].count == data.test.count + extra)
        #expect(held[0].labels == data.test.labels)
        #expect(held[1].labels == Array(data.training.labels[300..<(300 + extra)]))
        let features = data.training.featureCount
        #expect(held[1].samples.elements == Array(data.training.samples.elements[(300 * features)..<((300 + extra) * features)]))
        // 300 to train on and 500 to choose by: neither is held out.
        let validated = try #require(TrainingData.firstWithValidation(300, validation: 500).heldOut(in: data))
        #expect(Array(validated[1].labels.prefix(3)) == Array(data.training.labels[800..<803]))
        // Every training image used: nothing beyond the test set.
        #expect(TrainingData.all.heldOut(in: data) == nil && TrainingData.first(data.training.count).heldOut(in: data) == nil)
    }

    /// Curves drawn on fewer test images take them from the whole file, every k-th, not its start.
    @Test func curveImagesAreSpreadOverTheTestSet() throws {
        #expect(TrainingSets.curveIndices(4, of: 10) == [0, 2, 5, 7])
        #expect(TrainingSets.curveIndices(2_000, of: 10_000) == Array(stride(from: 0, to: 10_000, by: 5)))
        let data = ProbeTests.data
        let setup = TrainingSetup.overfitting(epochs: 2).with { $0.testCurveImages = 100 }
        let sets = TrainingSets([TrainingRun(label: "a", setup: setup, seed: 1)], dataset: data)
        let curve = try #require(sets.testCurve(setup))
        let step = data.test.count / 100
        #expect(curve.count == 100 && curve.labels == (0..<100).map { data.test.labels[$0 * step] })
        // Where the curve would be the whole test set, or the run never sees the test set: none.
        #expect(sets.testCurve(setup.with { $0.testCurveImages = nil }) == nil)
        #expect(sets.testCurve(setup.with { $0.data = .tuning(first: 300, validationFraction: 0.2, split: 1) }) == nil)
    }

    @Test func aLongerRunIsMeasuredAsOftenForItsLength() {
        let drawn = TrainingLength.drawn(201)           // training every epoch, held-out sets every 4 (201 / 50)
        #expect(drawn == .epochs(201, evaluateEvery: 1, heldOutEvery: 4))
        #expect(drawn.scaled(to: 201) == drawn)
        // 801 epochs: every 801/201 ≈ 3.99 epochs → 4 for the training set, 16 for the held-out sets.
        #expect(drawn.scaled(to: 801) == .epochs(801, evaluateEvery: 4, heldOutEvery: 16))
        #expect(TrainingLength.epochs(100, evaluateEvery: 10).scaled(to: 50) == .epochs(50, evaluateEvery: 5))
        #expect(TrainingLength.iterations(7).scaled(to: 9) == .iterations(7))
    }
}
