import Datasets
import Foundation
import NeuralNet
import NumericCore
import Runs
import Testing

/// What a chapter on learning-rate schedules would stand on: a schedule is one value beside the
/// optimizer, any optimizer follows it, and it is part of what decides a run.
struct ScheduleSeamTests {
    static let data = try! Dataset.load(.mnist, environment: [:])

    /// Plain SGD that records the rate it was given at each step.
    final class RecordingSGD: Optimizer {
        var learningRate: Float
        private(set) var used: [Float] = []
        private let sgd: SGD<Float>

        init(learningRate: Float) { self.learningRate = learningRate; sgd = SGD(learningRate: learningRate) }

        func update(_ parameters: [Parameter<Float>]) {
            used.append(learningRate)
            sgd.learningRate = learningRate
            sgd.update(parameters)
        }
    }

    @Test func aStepDecayHalvesTheRateEveryFiveSteps() {
        let trainer = Trainer(training: Self.data.training.prefix(200), batchSize: 20, seed: 3)
        let optimizer = RecordingSGD(learningRate: 0.1)
        let network = Network<Float>(NetworkConfiguration(hiddenSizes: [20]), seed: 1)
        _ = trainer.train([Trainer.Member(network, optimizer, .iterations(12), schedule: .stepDecay(every: 5, factor: 0.5))])
        let expected: [Float] = Array(repeating: 0.1, count: 5) + Array(repeating: 0.05, count: 5) + [0.025, 0.025]
        #expect(optimizer.used.count == 12)
        #expect(zip(optimizer.used, expected).allSatisfy { abs($0 - $1) <= 1e-7 * $1 }, "\(optimizer.used)")
    }

    @Test func theDualFormOfSGDFollowsTheScheduleToo() {
        // The dual form applies the update itself: with the rate halved every 4 steps it must end
        // where the usual form ends.
        func train(_ form: Trainer<Float>.FirstLayerForm) -> (losses: [Double], weights: [Float]) {
            let trainer = Trainer(training: Self.data.training.prefix(300), batchSize: 50, seed: 9)
            trainer.firstLayerForm = form
            let network = Network<Float>(NetworkConfiguration(hiddenSizes: [30], weightDecay: 0.1), seed: 2)
            let outcome = trainer.train([Trainer.Member(network, SGD(learningRate: 0.2), .iterations(16),
                                                        schedule: .stepDecay(every: 4, factor: 0.5))])[0]
            return (outcome.history.losses, network.parameters[0].value.elements)
        }
        let (dual, stacked) = (train(.dual), train(.stacked))
        #expect(dual.losses.count == 16)
        #expect(zip(dual.losses, stacked.losses).allSatisfy { abs($0 - $1) <= 1e-4 * abs($1) })
        let scale = stacked.weights.map(abs).max()!
        #expect(zip(dual.weights, stacked.weights).allSatisfy { abs($0 - $1) <= 1e-4 * scale })
        // And the schedule mattered: the constant rate ends elsewhere.
        let trainer = Trainer(training: Self.data.training.prefix(300), batchSize: 50, seed: 9)
        let constant = trainer.train(Network<Float>(NetworkConfiguration(hiddenSizes: [30], weightDecay: 0.1), seed: 2),
                                     optimizer: SGD(learningRate: 0.2), .iterations(16))
        #expect(constant.history.losses.last! != stacked.losses.last!)
    }

    @Test func aScheduleIsPartOfWhatDecidesARunAndTheConstantOneChangesNoKey() throws {
        let setup = TrainingSetup(network: NetworkConfiguration(hiddenSizes: [20]), optimizer: .momentum(learningRate: 0.05),
                                  batchSize: 20, length: .iterations(30), data: .first(200))
        var decaying = setup
        decaying.schedule = .stepDecay(every: 10, factor: 0.1)
        // The constant schedule is the setup every chapter had before: the same value, the same key.
        #expect(TrainingSetup(network: setup.network, optimizer: setup.optimizer, batchSize: 20, length: .iterations(30),
                              data: .first(200), schedule: .constant) == setup)
        let encoded = String(decoding: try JSONEncoder().encode(setup), as: UTF8.self)
        #expect(!encoded.contains("schedule"))
        let results = train([TrainingRun(label: "constant", setup: setup, seed: 1), TrainingRun(label: "decay", setup: decaying, seed: 1)],
                            on: Self.data, workers: 1, cache: .off)
        #expect(results[0].history.losses.prefix(10) == results[1].history.losses.prefix(10))
        #expect(results[0].history.losses.last != results[1].history.losses.last)
    }
}
