import Datasets
import Engine
import Foundation
import NeuralNet
import NumericCore
import Runs
import Testing

/// What a chapter on learning-rate schedules would stand on: a schedule is one value beside the
/// optimizer, any optimizer follows it, and it is part of what decides a run.
struct ScheduleSeamTests {
    static let data = try! Dataset.load(.mnist5k, environment: [:])

    /// SGD whose rate drops to zero after `steps` steps (a step decay by a factor of 0) must leave
    /// its network exactly where the same SGD stops after those steps: the trainer applies the
    /// schedule's rate at each step, in either form of the first layer.
    @Test(arguments: [Trainer<Float>.FirstLayerForm.usual, .dual])
    func aRateDecayedToZeroStopsTrainingWhereTheScheduleSays(form: Trainer<Float>.FirstLayerForm) {
        func train(_ steps: Int, schedule: LearningRateSchedule) -> (losses: [Double], weights: [[Float]]) {
            let trainer = Trainer(training: Self.data.training.prefix(300), batchSize: 50, seed: 9)
            trainer.firstLayerForm = form
            let network = Network<Float>(NetworkConfiguration(hiddenSizes: [30], weightDecay: 0.1), seed: 2, backend: CPUBackend())
            let outcome = trainer.train(network, optimizer: .sgd(learningRate: 0.2), .iterations(steps), schedule: schedule)
            return (outcome.history.losses, network.parameters.map(\.value.elements))
        }
        let stopped = train(12, schedule: .stepDecay(every: 5, factor: 0)), five = train(5, schedule: .constant)
        #expect(stopped.losses.count == 12 && Array(stopped.losses.prefix(5)) == five.losses)
        #expect(stopped.weights == five.weights)
        // The later steps did run: their losses are those of the stopped network on new batches.
        #expect(Set(stopped.losses.suffix(7)).count > 1)
    }

    @Test func theDualFormOfSGDFollowsTheScheduleToo() {
        // The dual form applies the update itself: with the rate halved every 4 steps it must end
        // where the usual form ends.
        func train(_ form: Trainer<Float>.FirstLayerForm, schedule: LearningRateSchedule) -> (losses: [Double], weights: [Float]) {
            let trainer = Trainer(training: Self.data.training.prefix(300), batchSize: 50, seed: 9)
            trainer.firstLayerForm = form
            let network = Network<Float>(NetworkConfiguration(hiddenSizes: [30], weightDecay: 0.1), seed: 2, backend: CPUBackend())
            let outcome = trainer.train(network, optimizer: .sgd(learningRate: 0.2), .iterations(16), schedule: schedule)
            return (outcome.history.losses, network.parameters[0].value.elements)
        }
        let decay = LearningRateSchedule.stepDecay(every: 4, factor: 0.5)
        let (dual, usual) = (train(.dual, schedule: decay), train(.usual, schedule: decay))
        #expect(dual.losses.count == 16)
        #expect(zip(dual.losses, usual.losses).allSatisfy { abs($0 - $1) <= 1e-4 * abs($1) })
        let scale = usual.weights.map(abs).max()!
        #expect(zip(dual.weights, usual.weights).allSatisfy { abs($0 - $1) <= 1e-4 * scale })
        // And the schedule mattered: the constant rate ends elsewhere.
        #expect(train(.usual, schedule: .constant).losses.last! != usual.losses.last!)
    }

    @Test func aScheduleIsPartOfWhatDecidesARunAndTheConstantOneHasOneKey() throws {
        let setup = TrainingSetup(network: NetworkConfiguration(hiddenSizes: [20]), optimizer: .momentum(learningRate: 0.05),
                                  batchSize: 20, length: .iterations(30), data: .first(200))
        var decaying = setup
        decaying.schedule = .stepDecay(every: 10, factor: 0.1)
        // The constant schedule is the setup every chapter had before: the same value, the same key.
        #expect(TrainingSetup(network: setup.network, optimizer: setup.optimizer, batchSize: 20, length: .iterations(30),
                              data: .first(200), schedule: .constant) == setup)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]   // as the run cache writes its keys
        let encoded = String(decoding: try encoder.encode(setup), as: UTF8.self)
        #expect(!encoded.contains("schedule"))
        // However it is set, a constant schedule is the same setup, with the same stored text.
        var written = decaying
        written.schedule = .constant
        let rewritten = String(decoding: try encoder.encode(written), as: UTF8.self)
        #expect(written == setup && rewritten == encoded)
        #expect(try JSONDecoder().decode(TrainingSetup.self, from: Data(encoded.utf8)) == setup)
        #expect(try JSONDecoder().decode(TrainingSetup.self, from: try JSONEncoder().encode(decaying)) == decaying)
        let results = train([TrainingRun(label: "constant", setup: setup, seed: 1), TrainingRun(label: "decay", setup: decaying, seed: 1)],
                            on: Self.data, workers: 1, cache: .off)
        #expect(results[0].history.losses.prefix(10) == results[1].history.losses.prefix(10))
        #expect(results[0].history.losses.last != results[1].history.losses.last)
    }
}
