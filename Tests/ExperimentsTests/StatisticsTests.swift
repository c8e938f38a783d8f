import NeuralNet
import Report
import Testing
@testable import Experiments

struct SeedSummaryTests {
    @Test func meanSpreadAndExtremes() {
        let s = SeedSummary([0.2, 0.4, 0.9])
        #expect(abs(s.mean - 0.5) < 1e-12 && s.minimum == 0.2 && s.maximum == 0.9)
        // Sample standard deviation: sqrt(((−0.3)² + (−0.1)² + 0.4²) / 2) = sqrt(0.13)
        #expect(abs(s.standardDeviation - 0.13.squareRoot()) < 1e-12)
        #expect(SeedSummary([3]).standardDeviation == 0)
    }

    @Test func aSeedWithoutAValueIsMissingNotANumber() {
        let s = SeedSummary([0.5, .nan, 0.7])
        #expect(s.missing == 1 && !s.isComplete && s.present == [0.5, 0.7])
        #expect(abs(s.mean - 0.6) < 1e-12 && s.minimum == 0.5 && s.maximum == 0.7)
        #expect(SeedSummary([.nan, .infinity]).mean.isNaN)
    }

    @Test func clearlyMeansEverySeed() {
        let low = SeedSummary([0.1, 0.2, 0.3]), high = SeedSummary([0.31, 0.5, 0.4]), overlapping = SeedSummary([0.25, 0.6, 0.7])
        #expect(low.isClearlyBelow(high) && high.isClearlyAbove(low))
        #expect(!low.isClearlyBelow(overlapping) && !overlapping.isClearlyAbove(low))
        // A missing seed could have landed anywhere: never clearly separated.
        #expect(!SeedSummary([0.1, .nan]).isClearlyBelow(high) && !high.isClearlyAbove(SeedSummary([0.1, .nan])))
        #expect(high.subtracting(low).values.enumerated().allSatisfy { abs($0.element - [0.21, 0.3, 0.1][$0.offset]) < 1e-12 })
    }

    @Test func verdictsOnAComparisonNeedEverySeedToHold() {
        let low = SeedSummary([0.1, 0.2, 0.3]), high = SeedSummary([0.31, 0.5, 0.4]), overlapping = SeedSummary([0.05, 0.25, 0.28])
        #expect(Claim.Verdict.lower(low, than: high) == .holds && Claim.Verdict.higher(high, than: low) == .holds)
        // Means 0.193 against 0.2: lower on average, but seeds overlap.
        #expect(Claim.Verdict.lower(overlapping, than: low) == .holdsInPart && Claim.Verdict.higher(low, than: overlapping) == .holdsInPart)
        #expect(Claim.Verdict.lower(high, than: low) == .doesNotHold && Claim.Verdict.higher(low, than: high) == .doesNotHold)
        // A diverged seed can never make a comparison hold in full.
        #expect(Claim.Verdict.lower(SeedSummary([0.1, .nan, 0.1]), than: high) == .holdsInPart)
    }

    @Test func bandsUseTheSeedsThatReachEachPoint() {
        let band = SeedBand(x: [0, 1, 2, 3], curves: [[1, 2, 3, 4], [3, 4], [2, .nan, 5, 6]])
        #expect(band.mean == [2, 3, 4, 5])
        #expect(band.lower == [1, 2, 3, 4] && band.upper == [3, 4, 5, 6])
        let empty = SeedBand(x: [0, 1], curves: [[1], [2]])
        #expect(empty.mean[0] == 1.5 && empty.mean[1].isNaN)
    }

    @Test func tableTextSaysWhatIsMissing() {
        #expect(percentWithRange(SeedSummary([0.9, 0.92, 0.94])) == "92.0% (90.0–94.0%)")
        #expect(percentWithRange(SeedSummary([0.9, .nan, 0.94])) == "92.0% (90.0–94.0%) (1 of 3 seeds diverged)")
        #expect(percentWithRange(SeedSummary([.nan, .nan])) == "diverged on all 2 seeds")
        #expect(percentWithRange(SeedSummary([1, 1, 0.99999])) == "100.0% (every seed)")
        #expect(percentagePoints(SeedSummary([0, 0])) == "+0.0 points (every seed)")
        #expect(meanAndSpread(SeedSummary([1, 3])) == "2.00 ± 1.4")
        #expect(percentagePoints(SeedSummary([0.24, 0.2])) == "+22.0 points (+20.0 to +24.0)")
        #expect(epochText(SeedSummary([80, 96, .nan])) == "88 (80–96); 1 of 3 seeds never")
        #expect(epochText(SeedSummary([.nan])) == "never")
    }
}

struct RunGroupTests {
    static let setup = TrainingSetup(network: NetworkConfiguration(hiddenSizes: [10]), optimizer: .sgd(), batchSize: 10, length: .epochs(4))

    /// A finished run of four epochs with the given accuracies (after epochs 0...4), or one that
    /// diverged during its third epoch.
    static func result(_ label: String, seed: UInt64, train: [Double], test: [Double], divergedAt: Int? = nil) -> RunResult {
        var history = TrainingHistory()
        history.epochs = Array(0..<train.count)
        history.trainAccuracy = train
        history.testAccuracy = test
        history.losses = Array(repeating: 1, count: divergedAt ?? 8)
        history.divergedAt = divergedAt
        return RunResult(run: TrainingRun(label: label, setup: setup, seed: seed), history: history,
                         finalTestAccuracy: test.last!, measurements: ["weight norm": Double(seed)])
    }

    static let results = [
        result("A", seed: 1, train: [0.1, 0.5, 0.8, 0.9, 1.0], test: [0.1, 0.4, 0.6, 0.7, 0.7]),
        result("B", seed: 1, train: [0.1, 0.3, 0.4, 0.5, 0.6], test: [0.1, 0.3, 0.4, 0.5, 0.5]),
        result("A", seed: 2, train: [0.1, 0.6, 0.9, 1.0, 1.0], test: [0.1, 0.5, 0.6, 0.6, 0.8]),
        result("B", seed: 2, train: [0.1, 0.2, 0.3], test: [0.1, 0.2, 0.3], divergedAt: 5),
    ]

    @Test func groupsKeepTheOrderOfFirstAppearance() {
        let groups = RunGroup.grouping(Self.results)
        #expect(groups.map(\.label) == ["A", "B"] && groups.map(\.seeds) == [[1, 2], [1, 2]])
    }

    @Test func finalValuesAreWhereTrainingWasMeantToEnd() {
        let groups = RunGroup.grouping(Self.results)
        let a = groups[0], b = groups[1]
        #expect(a.final(.trainAccuracy).values == [1.0, 1.0] && a.final(.testAccuracy).values == [0.7, 0.8])
        // B's second seed diverged in epoch 3: it has no value at epoch 4, rather than its last one.
        #expect(b.final(.trainAccuracy).values[0] == 0.6 && b.final(.trainAccuracy).values[1].isNaN)
        #expect(b.divergedSeeds == [2] && a.divergedSeeds.isEmpty)
        #expect(b.value(.testAccuracy, at: 2).values == [0.4, 0.3])
        #expect(a.finalGap.values.enumerated().allSatisfy { abs($0.element - [0.3, 0.2][$0.offset]) < 1e-12 })
        #expect(a.first(.trainAccuracy, reaching: 0.9).values == [3, 2])
        #expect(b.first(.trainAccuracy, reaching: 0.9).missing == 2)
        #expect(a.measurement("weight norm").values == [1, 2] && a.measurement("other").missing == 2)
    }

    @Test func bandsAndSeriesCoverEverySeed() {
        let b = RunGroup.grouping(Self.results)[1]
        let band = b.band(.trainAccuracy)
        #expect(band.x == [0, 1, 2, 3, 4])
        #expect(band.mean[3] == 0.5 && band.lower[1] == 0.2 && band.upper[1] == 0.3)
        let series = b.series(.testAccuracy)
        #expect(series.map(\.seed) == [1, 2] && series.allSatisfy { $0.label == "B" && $0.metric == "test_acc" })
        #expect(series[1].x == [0, 1, 2] && series[1].y == [0.1, 0.2, 0.3])
    }

    @Test func aTrendComparesWindowsNotSingleEpochs() {
        var history = TrainingHistory()
        history.epochs = Array(0...40)
        // Jitter of ±0.1 around a line rising by 0.01 per epoch.
        history.trainAccuracy = (0...40).map { Double($0) * 0.01 + ($0 % 2 == 0 ? 0.1 : -0.1) }
        let group = RunGroup(label: "x", results: [RunResult(run: TrainingRun(label: "x", setup: Self.setup, seed: 1), history: history,
                                                             finalTestAccuracy: 0)])
        // Means of epochs 31–40 and 11–20: the jitter cancels, 20 epochs of rise remain.
        #expect(abs(group.trend(.trainAccuracy, overLast: 20).values[0] - 0.2) < 1e-12)
    }

    @Test func lossesAreAveragedOverTheWindowUpToAnIteration() {
        var history = TrainingHistory()
        history.losses = (1...100).map(Double.init)
        let setup = TrainingSetup(network: NetworkConfiguration(hiddenSizes: [10]), optimizer: .sgd(), batchSize: 10, length: .iterations(100))
        let group = RunGroup(label: "x", results: [RunResult(run: TrainingRun(label: "x", setup: setup, seed: 1), history: history,
                                                             finalTestAccuracy: 0)])
        #expect(group.value(.trainLoss, at: 50).values == [25.5])       // mean of 1...50
        #expect(group.final(.trainLoss, window: 10).values == [95.5])    // mean of 91...100
        #expect(group.value(.trainLoss, at: 101).values[0].isNaN)
    }

    @Test func comparisonsRankAndSeparatePairs() {
        let comparison = Comparison(title: "t", groups: RunGroup.grouping(Self.results.filter { !$0.history.diverged }))
        let pairs = comparison.rankedPairs(by: .trainAccuracy, higherIsBetter: true)
        #expect(pairs.ranking == ["A", "B"] && pairs.clear == ["A > B"] && pairs.unclear.isEmpty)
        #expect(comparison["B"].seeds == [1])
    }
}

struct NumberListTests {
    @Test func parsesCommaSeparatedNumbers() {
        #expect(NumberList(argument: "0, 0.01,1e-3")?.values == [0, 0.01, 0.001])
        #expect(NumberList(argument: "0.1,,0.2") == nil)
        #expect(NumberList(argument: "x") == nil && NumberList(argument: "nan") == nil)
        #expect(NumberList([0, 0.5, 1e-5]).description == "0,0.5,1e-05")
    }

    @Test func rulesNameTheOptionAndTheValue() {
        #expect(throws: (any Error).self) { try NumberList([0.1, 1]).require("--ratios", "below 1") { $0 < 1 } }
        do {
            try NumberList([0.2, -1]).require("--lambdas", "a number of at least 0") { $0 >= 0 }
        } catch {
            #expect("\(error)" == "--lambdas: every value must be a number of at least 0, got -1")
        }
    }
}
