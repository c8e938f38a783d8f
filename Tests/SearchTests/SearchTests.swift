import Datasets
import Foundation
import NeuralNet
import NumericCore
import Statistics
import Runs
import Testing
@testable import Search

struct GaussianProcessTests {
    /// Two measurements, x = 0 and x = 1, one length scale of √5 so that √5·d/ℓ = d: the
    /// correlation between them is (1 + 1 + 1/3)/e and between x = ½ and either (1 + ½ + 1/12)/√e.
    static let a = 7 / (3 * M_E), b = 19.0 / 12 / M_E.squareRoot(), ell = Double(5).squareRoot()

    static func process(priorMean: Double = 0, amplitude: Double = 1) -> GaussianProcess {
        GaussianProcess(inputs: [[0], [1]], outputs: [1, 3], lengthScales: [Self.ell], noise: 0,
                        priorMean: priorMean, amplitude: amplitude)
    }

    @Test func posteriorOfTwoPointsSolvedByHand() {
        #expect(abs(GaussianProcess.correlation([0], [1], [Self.ell]) - Self.a) < 1e-12)
        // K = [[1, a], [a, 1]], y = (1, 3): K⁻¹y = (1 − 3a, 3 − a) / (1 − a²), whose entries add up to 4 / (1 + a).
        let middle = Self.process().posterior(at: [0.5])
        #expect(abs(middle.mean - 4 * Self.b / (1 + Self.a)) < 1e-12)          // 2.0670...
        #expect(abs(middle.variance - (1 - 2 * Self.b * Self.b / (1 + Self.a))) < 1e-12)   // 0.0075...
        // At a measured point, without noise: the measurement, and no doubt.
        let measured = Self.process().posterior(at: [1])
        #expect(abs(measured.mean - 3) < 1e-9 && measured.variance < 1e-9)
        // A prior mean of 1 shifts the deviations to (0, 2); a larger amplitude scales the variance.
        #expect(abs(Self.process(priorMean: 1).posterior(at: [0.5]).mean - (1 + 2 * Self.b / (1 + Self.a))) < 1e-12)
        #expect(abs(Self.process(amplitude: 2).posterior(at: [0.5]).variance - 2 * middle.variance) < 1e-12)
        // Far from both points the belief returns to the prior.
        let far = Self.process(priorMean: 1).posterior(at: [40])
        #expect(abs(far.mean - 1) < 1e-6 && abs(far.variance - 1) < 1e-6)
    }

    @Test func aFittedProcessFollowsASmoothFunction() {
        let xs = stride(from: 0.0, through: 1, by: 1.0 / 7).map { [$0] }
        let process = GaussianProcess.fitted(inputs: xs, outputs: xs.map { sin(3 * $0[0]) })
        for x in [0.1, 0.45, 0.8] {
            let belief = process.posterior(at: [x])
            #expect(abs(belief.mean - sin(3 * x)) < 0.02, "at \(x): \(belief.mean) vs \(sin(3 * x))")
        }
        // Its likelihood is the largest of the grid it was chosen from.
        let other = GaussianProcess(inputs: xs, outputs: xs.map { sin(3 * $0[0]) }, lengthScales: [0.05], noise: 0.1)
        #expect(process.logMarginalLikelihood >= other.logMarginalLikelihood)
    }

    @Test func expectedImprovementMatchesItsClosedForm() {
        // μ = y*: σ φ(0) = σ / √(2π).
        #expect(abs(expectedImprovement(mean: 0.7, standardDeviation: 0.2, best: 0.7) - 0.2 * 0.3989422804) < 1e-9)
        // z = 1: σ (Φ(1) + φ(1)) with Φ(1) = 0.8413447461, φ(1) = 0.2419707245.
        #expect(abs(expectedImprovement(mean: 1.0, standardDeviation: 0.5, best: 0.5) - 0.5 * (0.8413447461 + 0.2419707245)) < 1e-9)
        // z = −2: −1 · Φ(−2) + 0.5 φ(−2) with Φ(−2) = 0.0227501319, φ(−2) = 0.0539909665.
        #expect(abs(expectedImprovement(mean: -0.5, standardDeviation: 0.5, best: 0.5) - (-0.0227501319 + 0.5 * 0.0539909665)) < 1e-9)
        // No uncertainty: the improvement itself, or nothing.
        #expect(expectedImprovement(mean: 0.9, standardDeviation: 0, best: 0.8) == 0.9 - 0.8)
        #expect(expectedImprovement(mean: 0.7, standardDeviation: 0, best: 0.8) == 0)
    }

    @Test func proposalsGoWhereTheModelExpectsMostAndAreReproducible() {
        // A ridge of good results along x = 0.8: the proposals should look there, not at the bad corner.
        let observed: [([Double], Double?)] = [([0.1, 0.1], 0.1), ([0.5, 0.5], 0.4), ([0.8, 0.2], 0.8), ([0.8, 0.7], 0.82),
                                                ([0.3, 0.9], 0.2), ([0.95, 0.5], nil)]
        var g1 = SeededGenerator(seed: 3), g2 = SeededGenerator(seed: 3)
        let first = BayesianOptimization.propose(observed: observed, dimensions: 2, count: 4, using: &g1)
        #expect(first == BayesianOptimization.propose(observed: observed, dimensions: 2, count: 4, using: &g2))
        #expect(first.count == 4 && Set(first.map { $0.map { $0.bitPattern } }).count == 4)
        #expect(first.allSatisfy { $0[0] > 0.55 && $0.allSatisfy { (0...1).contains($0) } }, "\(first)")
    }
}

struct SearchSpaceTests {
    @Test func theNarrowedBoxIsTheBestTrialsWidenedAndKeptInside() {
        let best = [Hyperparameters(learningRate: 1e-3, weightDecay: 1e-6), Hyperparameters(learningRate: pow(10, -2.5), weightDecay: 1e-6)]
        let box = SearchSpace.notes.narrowed(around: best)
        // lr exponents −3 … −2.5, widened by max(0.5 / 4, 0.25) = 0.25; wd −6 … −6, widened by 0.25.
        #expect(abs(box[.learningRate]!.lowerBound - -3.25) < 1e-12 && abs(box[.learningRate]!.upperBound - -2.25) < 1e-12)
        #expect(abs(box[.weightDecay]!.lowerBound - -6.25) < 1e-12 && abs(box[.weightDecay]!.upperBound - -5.75) < 1e-12)
        // Near the edge of the outer box, the widening stops at it.
        let edge = SearchSpace.notes.narrowed(around: [Hyperparameters(learningRate: 1e-2, weightDecay: 1e-4), Hyperparameters(learningRate: 1e-4, weightDecay: 1e-8)])
        #expect(edge[.learningRate] == -4.5 ... -2 && edge[.weightDecay] == -8 ... -4)
    }

    @Test func positionsAndPointsAreInverse() {
        let h = Hyperparameters(learningRate: 3e-4, weightDecay: 2e-7)
        let p = SearchSpace.notes.position(of: h)
        let back = SearchSpace.notes.point(at: p)
        #expect(abs(back[.learningRate] / h[.learningRate] - 1) < 1e-12 && abs(back[.weightDecay] / h[.weightDecay] - 1) < 1e-12)
    }
}

struct SearchTests {
    static let data = try! Dataset.load(.mnist5k, environment: [:])

    static func settings(_ space: SearchSpace = .notes, seeds: [UInt64] = [1], trials: Int = 6) -> SearchSettings {
        var settings = SearchSettings(methods: SearchMethod.allCases, trials: trials, epochs: 2, seeds: seeds, space: space, dataset: SearchImages(data))
        settings.bayesBatch = 2
        return settings
    }

    @Test func everyMethodGetsItsTrialsAndTheirSharedStartIsTheSame() {
        let results = HyperparameterSearch(settings: Self.settings(), dataset: Self.data, workers: 2).run()
        let settings = Self.settings()
        for method in SearchMethod.allCases {
            #expect(results.trials(method, seed: 1).map(\.number) == Array(1...settings.trialCount(method)), "\(method)")
        }
        let random = results.trials(.random, seed: 1), coarse = results.trials(.coarseToFine, seed: 1), bayes = results.trials(.bayes, seed: 1)
        // Coarse to fine's first round is random search's first half; Bayes starts from its warm-up.
        #expect(zip(random.prefix(3), coarse.prefix(3)).allSatisfy { $0.outcome.result!.history == $1.outcome.result!.history })
        #expect(zip(random.prefix(2), bayes.prefix(2)).allSatisfy { $0.hyperparameters == $1.hyperparameters })
        #expect(coarse.dropFirst(3).allSatisfy { results.narrowed[1]![.learningRate]!.contains(log10($0.hyperparameters[.learningRate])) })
        // Tuning never looks at the test set: validation accuracy, no test accuracy in what the search reads (the test
        // set's score of a full-length trial is a probe's, kept apart for the test of choosing by it).
        #expect(random.allSatisfy { $0.outcome.result!.finalTestAccuracy == nil && $0.outcome.result!.history.testAccuracy.isEmpty })
        // A full-length trial measures validation after every epoch (Hyperband's premise is read from it).
        #expect(random.allSatisfy { $0.outcome.result!.history.validationAccuracy.count == settings.epochs + 1 && $0.score != nil })
        #expect(random.allSatisfy { $0.outcome.result!.measurements[.testSetAccuracy] != nil && $0.outcome.result!.measurements[.unseenAccuracy] != nil })
        let best = results.bestSoFar(.random, seed: 1)
        #expect(best.count == 6 && zip(best, best.dropFirst()).allSatisfy { $0 <= $1 })
        #expect(best.last == random.compactMap(\.score).max() && results.best(.random, after: 6).values == [best.last!])
        // A method's chosen setting: its best full-length trial on validation, among the first n when asked.
        #expect(results.chosen(.random, seed: 1)?.score == best.last && results.chosen(.random, seed: 1, first: 3)?.score == best[2])
        let hyperband = results.chosen(.hyperband, seed: 1)
        #expect(hyperband.map { settings.epochs(of: $0.trial) } == settings.epochs)
        #expect(hyperband?.score == results.fullLength(.hyperband, seed: 1).compactMap(\.score).max())
    }

    @Test func seedsAddedOnlyToCompareMethodsLeaveTheTestSetAlone() {
        var settings = Self.settings()
        settings.methods = [.random]
        let measured = HyperparameterSearch(settings: settings, dataset: Self.data, workers: 2).run().trials(.random, seed: 1)
        settings.measuresTestSet = false
        let unseenOnly = HyperparameterSearch(settings: settings, dataset: Self.data, workers: 2).run().trials(.random, seed: 1)
        // The same trials, the same score on the unseen images and the same images right; no test-set score.
        let (a, b) = (measured.map { $0.outcome.result! }, unseenOnly.map { $0.outcome.result! })
        #expect(a.map(\.history) == b.map(\.history))
        #expect(a.map { $0.measurements[.unseenAccuracy] } == b.map { $0.measurements[.unseenAccuracy] })
        #expect(a.map { $0.marks[.unseenAccuracy] } == b.map { $0.marks[.unseenAccuracy] } && b.allSatisfy { $0.marks[.unseenAccuracy] != nil })
        #expect(b.allSatisfy { $0.measurements[.testSetAccuracy] == nil } && a.allSatisfy { $0.measurements[.testSetAccuracy] != nil })
    }

    @Test func theNumbersDoNotDependOnTheNumberOfWorkers() {
        let one = HyperparameterSearch(settings: Self.settings(seeds: [1, 2]), dataset: Self.data, workers: 1).run()
        let two = HyperparameterSearch(settings: Self.settings(seeds: [1, 2]), dataset: Self.data, workers: 2).run()
        for method in SearchMethod.allCases {
            for seed: UInt64 in [1, 2] {
                #expect(one.trials(method, seed: seed).map(\.hyperparameters) == two.trials(method, seed: seed).map(\.hyperparameters))
                #expect(one.trials(method, seed: seed).map(\.outcome.result!.history) == two.trials(method, seed: seed).map(\.outcome.result!.history))
            }
        }
    }

    @Test func aDivergingTrialIsRecordedAsFailedAndTheSearchFinishes() {
        // Learning rates of 10 to 100: every trial's loss overflows in its first epoch.
        let space = SearchSpace(learningRate: 1...2, weightDecay: -8 ... -4)
        let results = HyperparameterSearch(settings: Self.settings(space), dataset: Self.data, workers: 2).run()
        for method in SearchMethod.allCases {
            let trials = results.trials(method, seed: 1)
            let count = Self.settings(space).trialCount(method)
            #expect(trials.count == count && results.failures(method) == count)
            // The trainer records where the run failed; the trial keeps it.
            #expect(trials.allSatisfy { $0.failed && $0.failedEpoch == 1 && $0.score == nil && $0.outcome.result!.history.divergedInEpoch == 1 })
            #expect(results.best(method, seed: 1) == nil && results.bestSoFar(method, seed: 1).allSatisfy(\.isNaN))
        }
    }

    static func folder() -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("shards-\(UUID().uuidString)").path
        try! FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    @Test func shardsSplitTheFirstStageAndMergeIntoTheSameResults() throws {
        let search = HyperparameterSearch(settings: Self.settings(seeds: [1, 2]), dataset: Self.data, workers: 2)
        let first = try #require(search.nextStage(after: []))
        let parts = (1...3).map { search.runs(of: Shard(index: $0, count: 3))!.runs }
        #expect(first.stage == 1 && parts.flatMap { $0 }.count == first.runs.count && Set(parts.flatMap { $0 }) == Set(first.runs))
        let folder = Self.folder()
        let written = try (1...3).map { try search.writeShard(Shard(index: $0, count: 3), into: folder) }
        #expect(written.map { ($0.path as NSString).lastPathComponent } == ["stage-1-shard-1-of-3.json", "stage-1-shard-2-of-3.json", "stage-1-shard-3-of-3.json"])
        let merged = search.run(precomputed: try search.readShards(written.map(\.path).reversed()))
        let whole = search.run()
        for method in SearchMethod.allCases {
            for seed: UInt64 in [1, 2] {
                #expect(merged.trials(method, seed: seed).map(\.outcome.result!.history) == whole.trials(method, seed: seed).map(\.outcome.result!.history))
            }
        }
    }

    @Test func hyperbandRunsRungByRungThroughStageFiles() throws {
        // Hyperband alone over 9 epochs: two cuts, so three stages, each depending on the one before.
        var settings = Self.settings(seeds: [1, 2])
        settings.methods = [.hyperband]
        settings.epochs = 9
        let search = HyperparameterSearch(settings: settings, dataset: Self.data, workers: 2)
        #expect(settings.stageCount == 3)
        let folder = Self.folder()
        var known: [RunResult] = [], stages: [Int] = []
        while let next = search.nextStage(after: known) {
            let shards = try (1...2).map { try search.writeShard(Shard(index: $0, count: 2), after: known, into: folder) }
            stages.append(next.stage)
            #expect(shards.allSatisfy { $0.stage == next.stage })
            known += try search.readShards(shards.map(\.path), after: known)
            let stageFile = try search.writeStage(next.stage, results: known, into: folder)
            #expect(try search.readStage(stageFile).map(\.run) == known.map(\.run))
        }
        #expect(stages == [1, 2, 3])
        // Nothing is left to shard, and the merge trains nothing: it equals the whole search.
        #expect(throws: ShardError.complete) { try search.writeShard(Shard(index: 1, count: 2), after: known, into: folder) }
        let merged = search.run(precomputed: known), whole = search.run()
        for seed: UInt64 in [1, 2] {
            #expect(merged.trials(.hyperband, seed: seed).map(\.trial) == whole.trials(.hyperband, seed: seed).map(\.trial))
            #expect(merged.trials(.hyperband, seed: seed).map(\.score) == whole.trials(.hyperband, seed: seed).map(\.score))
        }
        // A stage's shards are refused when given without the stages before them.
        let second = try search.writeShard(Shard(index: 1, count: 1), after: Array(known.prefix(0)), into: folder)
        #expect(second.stage == 1)
        #expect(throws: ShardError.self) { try search.readShards([folder + "/stage-2-shard-1-of-2.json", folder + "/stage-2-shard-2-of-2.json"]) }
    }

    @Test func aBadSetOfShardsIsRefusedWithTheReason() throws {
        let search = HyperparameterSearch(settings: Self.settings(seeds: [1]), dataset: Self.data, workers: 2)
        let folder = Self.folder()
        let paths = try (1...2).map { try search.writeShard(Shard(index: $0, count: 2), into: folder).path }
        #expect(throws: ShardError.missing([2], 2)) { try search.readShards([paths[0]]) }
        #expect(throws: ShardError.duplicate(1, 2, paths[0], paths[0])) { try search.readShards([paths[0], paths[0], paths[1]]) }
        var other = Self.settings(seeds: [1])
        other.epochs = 3
        do {
            _ = try HyperparameterSearch(settings: other, dataset: Self.data, workers: 2).readShards(paths)
            Issue.record("shards made with 2 epochs were merged as if with 3")
        } catch let error as ShardError {
            #expect(error.description == "\(paths[0]) was made with other settings than this merge (epochs: 2 in the file, 3 here); merge with the options the shards ran with")
        }
        // The same images read from another folder (another node's mount) are the same data; other images are not.
        var elsewhere = Self.settings(seeds: [1])
        elsewhere.dataset.name = "MNIST: read from /mnt/node-7/mnist"
        let merged = try HyperparameterSearch(settings: elsewhere, dataset: Self.data, workers: 2).readShards(paths)
        #expect(merged.count == (try search.readShards(paths)).count && !merged.isEmpty)
        var otherImages = Self.settings(seeds: [1])
        otherImages.dataset.identity = "0123456789abcdef0123456789abcdef"
        #expect(throws: ShardError.self) { try HyperparameterSearch(settings: otherImages, dataset: Self.data, workers: 2).readShards(paths) }
        let corrupt = folder + "/stage-1-shard-2-of-2.json"
        try Data("{\"settings\": 1}".utf8).write(to: URL(fileURLWithPath: corrupt))
        #expect(throws: ShardError.self) { try search.readShards([paths[0], corrupt]) }
        // A file whose trials belong to another shard (renamed by hand) is not taken for its name.
        let renamed = folder + "/renamed.json"
        var file = try JSONDecoder().decode(ShardFile.self, from: Data(contentsOf: URL(fileURLWithPath: paths[0])))
        file.shard = 2
        try JSONEncoder().encode(file).write(to: URL(fileURLWithPath: renamed))
        #expect(throws: ShardError.wrongTrials(renamed, 2, 2)) { try search.readShards([paths[0], renamed]) }
    }
}
