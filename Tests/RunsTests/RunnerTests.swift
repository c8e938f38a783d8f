import Datasets
import Foundation
import NeuralNet
import Testing
@testable import Runs

struct RunnerTests {
    struct Failure: Error, Equatable { let input: Int }

    @Test func outputsComeBackInInputOrder() {
        let outputs = runInParallel(Array(0..<50), workers: 2) { $0 * $0 }
        #expect(outputs == (0..<50).map { $0 * $0 })
    }

    @Test func theCostliestInputsStartFirst() {
        let lock = NSLock()
        var started: [Int] = []
        _ = runInParallel([3, 9, 1, 7, 5], workers: 1, cost: { Double($0) }) { input in
            lock.lock(); started.append(input); lock.unlock()
        }
        #expect(started == [9, 7, 5, 3, 1])
    }

    @Test func theFirstErrorStopsNewRunsAndIsRethrown() {
        let lock = NSLock()
        var ran: [Int] = []
        #expect(throws: Failure(input: 2)) {
            try runInParallel(Array(0..<20), workers: 1) { input -> Int in
                lock.lock(); ran.append(input); lock.unlock()
                if input == 2 { throw Failure(input: 2) }
                return input
            }
        }
        #expect(ran == [0, 1, 2])   // nothing started after the failure
    }

    static let data = try! Dataset.load(.mnist5k, environment: [:])

    static func runs() -> [TrainingRun] {
        let setup = TrainingSetup(network: NetworkConfiguration(hiddenSizes: [20]), optimizer: .sgd(learningRate: 0.1), batchSize: 20,
                                  length: .epochs(3), data: .first(200))
        return [1, 2, 3].flatMap { seed in
            [TrainingRun(label: "SGD", setup: setup, seed: seed),
             TrainingRun(label: "Adam", setup: setup.with { $0.optimizer = .adam(); $0.length = .iterations(40) }, seed: seed)]
        }
    }

    @Test func resultsAreTheSameWhateverTheNumberOfWorkers() {
        let one = train(Self.runs(), on: Self.data, measuring: [.weightNorm], workers: 1)
        let two = train(Self.runs(), on: Self.data, measuring: [.weightNorm], workers: 2)
        #expect(one.map(\.history) == two.map(\.history))
        #expect(one.map(\.measurements) == two.map(\.measurements) && one.map(\.finalTestAccuracy) == two.map(\.finalTestAccuracy))
        #expect(one.map(\.run.label) == Self.runs().map(\.label))
        // Epoch runs measure accuracy on the schedule; iteration runs only the loss.
        #expect(one[0].history.epochs == [0, 1, 2, 3] && one[0].history.losses.count == 30)
        #expect(one[1].history.epochs.isEmpty && one[1].history.losses.count == 40)
        #expect(one[0].finalTestAccuracy == one[0].history.testAccuracy.last)
    }
}
