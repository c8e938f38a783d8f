import Datasets
import Foundation
import NeuralNet
import Report
import Testing
@testable import Experiments

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

    static let data = try! Dataset.load(.mnist, environment: [:])

    static func runs() -> [TrainingRun] {
        let setup = TrainingSetup(network: NetworkConfiguration(hiddenSizes: [20]), optimizer: .sgd(learningRate: 0.1), batchSize: 20,
                                  length: .epochs(3), data: .first(200))
        return [1, 2, 3].flatMap { seed in
            [TrainingRun(label: "SGD", setup: setup, seed: seed),
             TrainingRun(label: "Adam", setup: setup.with { $0.optimizer = .adam(); $0.length = .iterations(40) }, seed: seed)]
        }
    }

    @Test func resultsAreTheSameWhateverTheNumberOfWorkers() {
        let one = train(Self.runs(), on: Self.data, measuring: [.weightNorm], title: "one", workers: 1)
        let two = train(Self.runs(), on: Self.data, measuring: [.weightNorm], title: "two", workers: 2)
        #expect(one.map(\.history) == two.map(\.history))
        #expect(one.map(\.measurements) == two.map(\.measurements) && one.map(\.finalTestAccuracy) == two.map(\.finalTestAccuracy))
        #expect(one.map(\.run.label) == Self.runs().map(\.label))
        // Epoch runs measure accuracy on the schedule; iteration runs only the loss.
        #expect(one[0].history.epochs == [0, 1, 2, 3] && one[0].history.losses.count == 30)
        #expect(one[1].history.epochs.isEmpty && one[1].history.losses.count == 40)
        #expect(one[0].finalTestAccuracy == one[0].history.testAccuracy.last)
    }

    @Test func aComparisonRecordsItsSeriesSettingsAndSummary() throws {
        var options = try ChapterOptions.parse(["--seeds", "2", "--seed", "7"])
        try options.validate()
        let report = Report(chapter: "demo", title: "Demo")
        let context = ChapterContext(options: options, dataset: Self.data, settings: SettingsLog(), report: report)
        let base = TrainingSetup(network: NetworkConfiguration(hiddenSizes: [20]), optimizer: .sgd(learningRate: 0.1), batchSize: 20,
                                 length: .epochs(2), data: .first(100))
        let comparison = context.compare("learning rates", base: base, [Variant("lr=0.1"), Variant("lr=0.01") { $0.optimizer = .sgd(learningRate: 0.01) }])
        #expect(comparison.labels == ["lr=0.1", "lr=0.01"] && comparison.groups.allSatisfy { $0.seeds == [7, 8] })
        #expect(Set(report.series.map(\.metric)) == ["train_acc", "test_acc"] && report.series.count == 8)
        #expect(context.settings.entries.first?.0 == "learning rates")
        #expect(context.settings.entries.first?.1.contains("SGD lr=0.1; batch 20; 2 epochs on 100 training images; lr=0.1, lr=0.01") == true)
        let finals = report.summary["comparisons"]?.objectValue?["learning rates"]?.objectValue?["lr=0.1"]?.objectValue
        #expect(finals?["train_acc"]?.numberValue == comparison["lr=0.1"].final(.trainAccuracy).mean)
    }
}

struct GradientReportTests {
    static let data = try! Dataset.load(.mnist, environment: [:])
    static let network = NetworkConfiguration(hiddenSizes: [30, 20], activation: .relu, weightInitialization: .he, batchNormalization: true)

    @Test func batchNormBackpropagationAgreesOnARealBatch() {
        let check = GradientReport(Self.network, on: Self.data.training, batchSize: 50, seed: 3, perParameter: 25)
        #expect(check.rows.map(\.name) == ["W1", "b1", "gamma1", "beta1", "W2", "b2", "gamma2", "beta2", "W3", "b3"])
        #expect(check.rows.first { $0.name == "W1" }!.checked == 25 && check.rows.first { $0.name == "b3" }!.checked == 10)
        #expect(check.worstRelativeMedian < 1e-6)
        // Biases in front of BatchNorm have a true gradient of zero.
        #expect(check.rows.filter { $0.name == "b1" || $0.name == "b2" }.allSatisfy { $0.meanMagnitude < 1e-12 })
    }

    @Test func aBatchOfOneLeavesAlmostEveryGradientExactlyZero() {
        let check = GradientReport(Self.network, on: Self.data.training, batchSize: 1, seed: 3)
        #expect(check.rows.filter { $0.exactZeros < 1 }.map(\.name) == ["b3"])
        // Zeros agree with zeros, except for the last BatchNorm's β: it starts at exactly 0, the
        // kink of the ReLU after it, where the central difference averages the slopes 0 and 1.
        #expect(check.rows.filter { $0.name != "beta2" }.allSatisfy { $0.meanDifference < 1e-9 })
        #expect(check.rows.first { $0.name == "beta2" }!.meanDifference > 1e-3)
    }
}
