import Datasets
import NeuralNet
import Testing
@testable import Runs

/// Which runs train together: runs that share their mini-batches, in small groups that are a pure
/// function of the runs.
struct LockstepGroupTests {
    static let setup = TrainingSetup(network: NetworkConfiguration(hiddenSizes: [20]), optimizer: .sgd(learningRate: 0.1), batchSize: 20,
                                     length: .epochs(2), data: .first(200))

    static func run(_ label: String, seed: UInt64, batchOrder: UInt64? = nil, _ change: (inout TrainingSetup) -> Void = { _ in }) -> TrainingRun {
        TrainingRun(label: label, setup: setup.with(change), seed: seed, batchOrder: batchOrder)
    }

    @Test func onlyRunsThatShareTheirMiniBatchesTrainTogether() {
        let runs = [Self.run("a", seed: 1), Self.run("b", seed: 2), Self.run("c", seed: 1) { $0.optimizer = .adam() },
                    Self.run("d", seed: 2, batchOrder: 1), Self.run("e", seed: 1) { $0.data = .first(100) },
                    Self.run("f", seed: 1) { $0.batchSize = 10 }]
        let groups = Lockstep.groups(runs).map { $0.runs.map(\.label) }
        // Same images, batch size and batch order: a (seed 1) and d (batch order 1); c (seed 1 too)
        // learns by Adam, and a group is plain SGD throughout or not at all.
        #expect(groups == [["a", "d"], ["b"], ["c"], ["e"], ["f"]])
    }

    @Test func aCohortIsCutIntoPairsThenOneLeftOver() {
        for count in 1...9 {
            let runs = (0..<count).map { Self.run("\($0)", seed: 7) { $0.network.weightDecay = Double(count) } }
            let sizes = Lockstep.groups(runs).map(\.runs.count)
            #expect(sizes == Array(repeating: 2, count: count / 2) + (count % 2 == 1 ? [1] : []), "\(count) runs")
            #expect(Lockstep.groups(runs).flatMap(\.runs) == runs)
        }
    }

    @Test func wholeGroupsGroupAgainIntoThemselves() {
        // What lets a shard of a search train exactly the groups the whole search would.
        let runs = (0..<7).map { i in Self.run("\(i)", seed: 3) { $0.network.weightDecay = Double(i) } }
            + (0..<4).map { i in Self.run("other \(i)", seed: 4) { $0.network.weightDecay = Double(i) } }
        let groups = Lockstep.groups(runs)
        for picked in [[0, 2], [1, 3], [3], [0, 1, 2, 3, 4, 5]] {
            let subset = picked.map { groups[$0] }
            #expect(Lockstep.groups(subset.flatMap(\.runs)).map(\.runs) == subset.map(\.runs), "groups \(picked)")
        }
    }
}
