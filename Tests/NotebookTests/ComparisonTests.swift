import Engine
import Analysis
import Claims
import Datasets
import Foundation
import NeuralNet
import NumericCore
import Statistics
import Report
import Runs
import Testing
@testable import Notebook
@testable import Plot

struct ComparisonTests {
    static let data = try! Dataset.load(.mnist5k, environment: [:])
    static let setup = TrainingSetup(network: NetworkConfiguration(hiddenSizes: [10]), optimizer: .sgd(), batchSize: 10, length: .epochs(1))

    /// A run of one epoch whose training accuracy ends at `final`.
    static func result(_ label: String, seed: UInt64, final: Double) -> RunResult {
        var history = TrainingHistory()
        history.epochs = [0, 1]
        history.trainAccuracy = [0.1, final]
        history.heldOutEpochs = [0, 1]
        history.testAccuracy = [0.1, final - 0.1]
        return RunResult(run: TrainingRun(label: label, setup: setup, seed: seed), history: history, finalTestAccuracy: final - 0.1)
    }

    @Test func aComparisonRecordsItsSeriesSettingsAndSummary() throws {
        var options = try ChapterOptions.parse(["--seeds", "2", "--seed", "7"])
        try options.validate()
        let report = Report(chapter: "demo", title: "Demo")
        let context = ChapterContext(options: options, dataset: Self.data, settings: SettingsLog(), report: report)
        let base = TrainingSetup(network: NetworkConfiguration(hiddenSizes: [20]), optimizer: .sgd(learningRate: 0.1), batchSize: 20,
                                 length: .epochs(2), data: .first(100))
        let comparison = context.compare("learning rates", base: base, [
            Variant(0.1, label: "lr=0.1"), Variant(0.01, label: "lr=0.01") { $0.optimizer = .sgd(learningRate: 0.01) },
        ])
        #expect(comparison.keys == [0.1, 0.01] && comparison.groups.map(\.label) == ["lr=0.1", "lr=0.01"])
        #expect(comparison.groups.allSatisfy { $0.seeds == [7, 8] })
        #expect(comparison[0.01].setup.optimizer == .sgd(learningRate: 0.01))
        #expect(Set(report.series.map(\.metric)) == ["train_acc", "test_acc"] && report.series.count == 8)
        #expect(context.settings.entries.first?.0 == "learning rates")
        // The arms' optimizers differ, so the settings say so instead of naming the base's.
        #expect(context.settings.entries.first?.1.contains("optimizer by arm; batch 20; 2 epochs on 100 training images; lr=0.1, lr=0.01") == true)
        let finals = report.summary["comparisons"]?.objectValue?["learning rates"]?.objectValue?["lr=0.1"]?.objectValue
        #expect(finals?["train_acc"]?.numberValue == comparison[0.1].final(.trainAccuracy).mean)
        // results.json gets every seed's raw series of each group, under its label.
        let series = comparison[0.01].series(.testAccuracy)
        #expect(series.map(\.seed) == [7, 8] && series.allSatisfy { $0.label == "lr=0.01" && $0.metric == "test_acc" && $0.x == [0, 1, 2] })
    }

    @Test func comparisonsRankAndSeparatePairs() {
        let a = RunGroup(label: "A", results: [Self.result("A", seed: 1, final: 0.9), Self.result("A", seed: 2, final: 0.8)], setting: ColorKey("A"))
        let b = RunGroup(label: "B", results: [Self.result("B", seed: 1, final: 0.7), Self.result("B", seed: 2, final: 0.75)], setting: ColorKey("B"))
        let c = RunGroup(label: "C", results: [Self.result("C", seed: 1, final: 0.85), Self.result("C", seed: 2, final: 0.95)], setting: ColorKey("C"))
        let comparison = Comparison(title: "t", keys: [1, 2, 3], groups: [b, a, c])
        let pairs = comparison.rankedPairs(by: .trainAccuracy, higherIsBetter: true)
        // Means: C 0.9, A 0.85, B 0.725. A and C overlap; both lie above every seed of B.
        #expect(pairs.ranking == [3, 2, 1])
        #expect(pairs.clear == ["C > B", "A > B"] && pairs.unclear == ["C ≈ A"])
        #expect(comparison[2].label == "A" && comparison.groups(except: 2).map(\.label) == ["B", "C"])
    }

    @Test func aChoiceIsTheBestMeanOnTheTuningSeeds() {
        // Over three tuning seeds A's mean is 0.83, B's 0.87, C's 0.1: B, inside the grid. A diverged
        // seed scores `missing`, so a setting that failed once cannot win on its other seeds.
        func group(_ label: String, _ finals: [Double]) -> RunGroup {
            RunGroup(label: label, results: zip(1..., finals).map { Self.result(label, seed: UInt64($0), final: $1) },
                     setting: ColorKey(label))
        }
        let (a, b, c) = (group("A", [0.9, 0.9, 0.7]), group("B", [0.8, 0.9, 0.9]), group("C", [0.1, 0.1, 0.1]))
        let tuning = Comparison(title: "t", keys: [1, 2, 3], groups: [a, b, c], isTuning: true)
        let choice = tuning.choose([1, 2, 3], .higher, missing: 0) { $0.final(.trainAccuracy) }
        #expect(choice.value == 2 && choice.seeds == 3 && !choice.isAtEdge)
        #expect(choice.words == "best of 3 on 3 tuning seeds that no claim reads, inside the range tried")
        // Among A and C alone, A: the first of the grid, at its edge.
        let edge = tuning.choose([1, 3], .higher, missing: 0) { $0.final(.trainAccuracy) }
        #expect(edge.value == 1 && edge.words.hasSuffix("at the edge of the range tried"))
        // Lowest instead of highest: C.
        #expect(tuning.choose([1, 2, 3], .lower, missing: .infinity) { $0.final(.trainAccuracy) }.value == 3)
        // B diverged on its first seed: it scores 0 there, and A wins.
        let failed = Comparison(title: "t", keys: [1, 2], groups: [a, group("B", [.nan, 0.95, 0.95])], isTuning: true)
        #expect(failed.choose([1, 2], .higher, missing: 0) { $0.final(.trainAccuracy) }.value == 1)
    }

    @Test func correctnessIsAddedRunByRunAndPackedLittleEndian() throws {
        let report = Report(chapter: "demo", title: "Demo")
        // 70 images: image 0, 3 and 65 right. Word 0 holds bits 0 and 3 (0x09), word 1 bit 1 (65 − 64).
        var marks = Correctness(count: 70)
        for i in [0, 3, 65] { marks.mark(i) }
        report.addCorrectness("search", [(setting: "bayes #4", seed: 2, sets: ["unseen": marks])])
        report.addCorrectness("search", [(setting: "random #9", seed: 2, sets: ["test": marks, "unseen": marks]),
                                         (setting: "random #1", seed: 3, sets: [:])])
        let search = try #require(report.correctness["search"]?.objectValue)
        // Both calls' runs are kept; a run without sets is left out.
        #expect(search.keys.sorted() == ["bayes #4", "random #9"])
        let unseen = try #require(search["bayes #4"]?.objectValue?["2"]?.objectValue?["unseen"]?.objectValue)
        #expect(unseen["images"]?.numberValue == 70)
        let encoded = try #require(unseen["bits"]?.stringValue)
        let bytes = try #require(Data(base64Encoded: encoded))
        #expect(Array(bytes) == [0x09, 0, 0, 0, 0, 0, 0, 0, 0x02, 0, 0, 0, 0, 0, 0, 0])
        #expect(search["random #9"]?.objectValue?["2"]?.objectValue?.keys.sorted() == ["test", "unseen"])
    }

    @Test func groupsGrownToDifferentSeedsShareTheirFirst() {
        // A claim grew A and C to three seeds; B kept two.
        let a = RunGroup(label: "A", results: [1, 2, 3].map { Self.result("A", seed: $0, final: 0.9) }, setting: ColorKey("A"))
        let b = RunGroup(label: "B", results: [1, 2].map { Self.result("B", seed: $0, final: 0.7) }, setting: ColorKey("B"))
        let c = RunGroup(label: "C", results: [1, 2, 3].map { Self.result("C", seed: $0, final: 0.8) }, setting: ColorKey("C"))
        let comparison = Comparison(title: "t", keys: [1, 2, 3], groups: [a, b, c])
        #expect(comparison.seeds == [1, 2, 3])
        // A statistic across groups pairs over the seeds they all have, and is measured on all of them.
        let all = SeedSummary.perSeed(of: [a, b, c]) { s in a.final(.trainAccuracy).values[s] - b.final(.trainAccuracy).values[s] }
        #expect(all.values.count == 2 && all.sources == Set([a, b, c].map(\.source)))
        #expect(SeedSummary.perSeed(of: [a, c]) { Double($0) }.values == [0, 1, 2] && SeedSummary.perSeed(of: []) { _ in 0 }.values.isEmpty)
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

struct GradientReportTests {
    static let data = try! Dataset.load(.mnist5k, environment: [:])
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

/// A comparison grows to more seeds while a claim it decides is undecided, and no further.
struct MoreSeedsTests {
    static let data = try! Dataset.load(.mnist5k, environment: [:])

    static func context(_ arguments: [String]) throws -> ChapterContext {
        var options = try ChapterOptions.parse(arguments + ["--no-cache"])
        try options.validate()
        return ChapterContext(options: options, dataset: data, settings: SettingsLog(), report: Report(chapter: "demo", title: "Demo"))
    }

    @Test func theScheduleIsFiveThenTenThenTwentyThenTheCap() throws {
        let full = try Self.context([]).options
        #expect(full.seedList == [1, 2, 3] && full.seedCap == 20)
        #expect(full.moreSeeds(than: [1, 2, 3]) == [1, 2, 3, 4, 5] && full.moreSeeds(than: [1, 2, 3, 4, 5])?.count == 10)
        #expect(full.moreSeeds(than: Array(1...10)) == Array(1...20))
        #expect(full.moreSeeds(than: Array(1...20)) == nil)
        #expect(try Self.context(["--quick"]).options.seedCap == 2)
        #expect(try Self.context(["--max-seeds", "10"]).options.moreSeeds(than: Array(1...10)) == nil)
        // A cap beyond the plan is a look of its own, and the earliest later look gives way to it: 3, 10, 20, 30.
        let wide = try Self.context(["--max-seeds", "30", "--seed", "7"]).options
        #expect(wide.moreSeeds(than: Array(7...9)) == Array(7...16) && wide.moreSeeds(than: Array(7...26)) == Array(7...36))
    }

    @Test func anUndecidedClaimTrainsMoreSeedsOfWhatItReadsUntilItIsDecided() throws {
        let context = try Self.context(["--max-seeds", "10"])
        let base = TrainingSetup(network: NetworkConfiguration(hiddenSizes: [10]), optimizer: .sgd(learningRate: 0.1), batchSize: 20,
                                 length: .iterations(5), data: .first(100))
        var asked: [[Int]] = []
        let claim = NotesClaim("demo.grows", beyondTheNotes: "One is above a half.")
        // A claim about "one" alone that cannot be decided on fewer than five seeds; "two" is not read.
        // Which groups it reads follows from the summary it judges, measured on "one" alone.
        let (comparison, decisions) = context.compare("grows", base: base, [Variant(1, label: "one"), Variant(2, label: "two") { $0.batchSize = 10 }],
                                                      judging: { c in
            asked.append(c.groups.map(\.seeds.count))
            let values: (Int) -> Double = c[1].seeds.count < 5 ? { [0.2, 1.8, 1.0][$0] } : { 1 + 0.01 * Double($0) }
            return Decisions([(claim, .threshold(SeedSummary.perSeed(of: [c[1]], values), .higher, 0.5, levelText: "a half",
                                                 scale: .number(digits: 2), name: "one"))])
        })
        #expect(asked == [[3, 3], [5, 3]] && comparison[1].seeds == [1, 2, 3, 4, 5] && comparison[2].seeds == [1, 2, 3])
        #expect(decisions[claim].verdict == .holds && decisions[claim].seeds == 5)
        // The first three seeds were not trained again: 3 + 3 + 2 runs in all.
        #expect(context.cache.stored == 8)
        // What is recorded is the last comparison, once.
        #expect(context.report.series.filter { $0.label == "one" }.map(\.seed) == [1, 2, 3, 4, 5])
        #expect(context.settings.entries.count == 1 && context.settings.entries[0].1.hasSuffix("; 3 to 5 seeds"))
        // An undecided claim that reads no runs asks for none: nothing grows.
        let still = context.compare("does not grow", base: base, [Variant(1, label: "alone")]) { _ in
            Decisions([(claim, Decision.value(1, .higher, 1, tolerance: 0.5, name: "tie"))])
        }
        #expect(still.comparison.seeds == [1, 2, 3] && still.decisions[claim].verdict == .undecided)
    }

    /// Recording the same experiment again replaces what it recorded: results.json and the
    /// provenance hold every series and every setting once.
    @Test func aComparisonRecordedTwiceRecordsNothingTwice() throws {
        let context = try Self.context(["--seeds", "2"])
        let base = TrainingSetup(network: NetworkConfiguration(hiddenSizes: [10]), optimizer: .sgd(learningRate: 0.1), batchSize: 20,
                                 length: .epochs(2), data: .first(100))
        let variants = [Variant(1, label: "one"), Variant(2, label: "two") { $0.batchSize = 10 }]
        _ = context.compare("twice", base: base, variants)
        let once = context.report.series
        _ = context.compare("twice", base: base, variants)
        #expect(context.report.series == once && !once.isEmpty)
        #expect(once.allSatisfy { $0.experiment == "twice" })
        let keys = once.map { "\($0.experiment ?? "") \($0.label) \($0.seed ?? 0) \($0.metric)" }
        #expect(Set(keys).count == keys.count)
        #expect(context.settings.entries.filter { $0.0 == "twice" }.count == 1 && context.settings.setups.filter { $0.0 == "twice" }.count == 1)
        #expect(context.report.summary["comparisons"]?.objectValue?.keys.sorted() == ["twice"])
    }

    /// A comparison trained until it settles records each length once: the length it settled at
    /// with its claims' seeds, not a second time as the trial that found it settled.
    @Test func aComparisonTrainedUntilItSettlesRecordsEachLengthOnce() throws {
        let context = try Self.context(["--seeds", "2"])
        let base = TrainingSetup(network: NetworkConfiguration(hiddenSizes: [10]), optimizer: .sgd(learningRate: 0.1), batchSize: 20,
                                 length: .epochs(2), data: .first(100))
        let claim = NotesClaim("demo.settles", beyondTheNotes: "Nothing.")
        let judged = context.compareUntilSettled("settling", base: base, [Variant(1, label: "one")], lengths: [2, 4]) { _ in
            Decisions([(claim, .notTestable("a demonstration"))])
        }
        let titles = Set(context.report.series.compactMap(\.experiment))
        #expect(titles == Set(judged.settled ? ["settling, 2 epochs"] : ["settling, 2 epochs", "settling, 4 epochs"]))
        let keys = context.report.series.map { "\($0.experiment ?? "") \($0.label) \($0.seed ?? 0) \($0.metric)" }
        #expect(Set(keys).count == keys.count && !keys.isEmpty)
        #expect(context.settings.entries.map(\.0) == Array(titles).sorted())
    }
}

/// The standard panels' rules for lines a reader could not tell apart, and runs that left nothing to draw.
struct PanelRuleTests {
    static func group(_ label: String, losses: (Int) -> Double) -> RunGroup {
        let setup = TrainingSetup(network: NetworkConfiguration(hiddenSizes: [10]), optimizer: .sgd(), batchSize: 10, length: .iterations(200))
        return RunGroup(label: label, results: [UInt64(1), 2].map { seed in
            var history = TrainingHistory()
            history.losses = (1...200).map { losses($0) * (seed == 1 ? 1 : 1.01) }
            return RunResult(run: TrainingRun(label: label, setup: setup, seed: seed), history: history, finalTestAccuracy: nil)
        }, setting: ColorKey(label))
    }

    @Test func linesThatCoincideKeepTheStyleOfWhatTheyMeasureAndTheCaptionSaysSo() throws {
        let groups = [Self.group("A", losses: { 2 / Double($0) }), Self.group("B", losses: { 2.1 / Double($0) }),
                      Self.group("C", losses: { 4 / Double($0) })]
        // B lies 5% above A; C twice as high.
        #expect(RunGroup.coinciding(groups, .trainLoss).map { [$0.0, $0.1] } == [[0, 1]])
        let figure = Figure.trainingLoss(groups, range: 0...2, logarithmic: false)
        // A training loss is measured on the training images: solid, however close two lines run.
        let styles = figure.panels[0].marks.compactMap { $0 as? LineMark }.map(\.style)
        #expect(styles == [.solid, .solid, .solid])
        #expect(RunGroup.coincidingNote(groups, .trainLoss) == " A and B lie within 10% of one another over the second half, so their lines overlap.")
        let four = groups + [Self.group("D", losses: { 2.05 / Double($0) })]
        #expect(RunGroup.coincidingSets(four, .trainLoss) == [[0, 1, 3]])
    }

    @Test func aLogAxisDrawsTheGeometricMeanOfTheSeeds() throws {
        // Seed 2 of each group lies 1% above seed 1; the line is their geometric mean, not the arithmetic one.
        let group = Self.group("A", losses: { 2 / Double($0) })
        let figure = Figure.trainingLoss([group], range: 0...2, logarithmic: true)
        let line = try #require(figure.panels[1].marks.compactMap { $0 as? LineMark }.first)
        let band = group.band(.trainLoss, smoothed: true)
        #expect(abs(line.y[100] - (band.lower[100] * band.upper[100]).squareRoot()) < 1e-12)
        #expect(line.dataName?.name == "train_loss_smoothed_geomean")
    }

    @Test func legendsSayEachLinesSeedsWhereTheyDiffer() {
        let three = RunGroup(label: "B", results: Array(Self.group("B", losses: { 1 / Double($0) }).results.prefix(1)), setting: ColorKey("B"))
        #expect(RunGroup.legendLabels([Self.group("A", losses: { 1 / Double($0) }), three]) == ["A (n = 2)", "B (n = 1)"])
        #expect(RunGroup.legendLabels([Self.group("A", losses: { 1 / Double($0) })]) == ["A"])
    }

    @Test func trainingTestAndGapKeepTheirColoursWhateverTheSettingsTook() throws {
        // Settings take the palette's colours in turn; the quantities' colours are none of them.
        let palette = Set(Palette.tab10)
        #expect([Quantity.training, .test, .gap].allSatisfy { !palette.contains($0.color) })
        var book = ColorBook()
        var settings = Figure()
        for index in 0..<10 { settings[0, 0].line([0, 1], [0, 1], color: Palette.color(index), colorKey: ColorKey(index)) }
        book.paint(&settings)
        var figure = Figure()
        figure[0, 0] = Panel.endPoints(of: [Self.group("A", losses: { 1 / Double($0) })], against: [1], xLabel: "x")
        book.paint(&figure)
        let colors = figure.panels[0].marks.compactMap { $0 as? LineMark }.map(\.color)
        #expect(colors == [Quantity.training.color, Quantity.test.color, Quantity.gap.color])
    }

    @Test func aSettingWhereEverySeedDivergedIsMarkedInAStripBelowTheAccuracies() throws {
        func accuracyGroup(_ label: String, diverged: Bool) -> RunGroup {
            let setup = TrainingSetup(network: NetworkConfiguration(hiddenSizes: [10]), optimizer: .sgd(), batchSize: 10, length: .epochs(1))
            return RunGroup(label: label, results: [UInt64(1), 2].map { seed in
                var history = TrainingHistory()
                history.epochs = diverged ? [0] : [0, 1]
                history.trainAccuracy = diverged ? [0.1] : [0.1, 0.9]
                if diverged { history.divergedAt = 3 }
                return RunResult(run: TrainingRun(label: label, setup: setup, seed: seed), history: history, finalTestAccuracy: nil)
            }, setting: ColorKey(label))
        }
        let figure = Figure.finals(([accuracyGroup("a", diverged: false), accuracyGroup("b", diverged: false)],
                                    [accuracyGroup("c", diverged: false), accuracyGroup("d", diverged: true)]),
                                   names: ("with", "without"), against: [1, 2], xLabel: "x", metrics: [.trainAccuracy], after: 1)
        let panel = figure.panels[0]
        let crosses = try #require(panel.marks.compactMap { $0 as? ScatterMark }.first { $0.shape == .cross })
        // Below zero, where no accuracy can be, under a tick that says what it means.
        #expect(crosses.x == [2] && crosses.y.allSatisfy { $0 < 0 } && panel.yLimits!.lowerBound < crosses.y[0])
        #expect(panel.yTickLabels?.contains { $0.1 == "at chance or diverged" && $0.0 == crosses.y[0] } == true)
    }

    /// A group of runs that ends at `train` training and `test` test accuracy after one epoch.
    static func ending(_ label: String, train: Double, test: Double) -> RunGroup {
        let setup = TrainingSetup(network: NetworkConfiguration(hiddenSizes: [10]), optimizer: .sgd(), batchSize: 10, length: .epochs(1))
        return RunGroup(label: label, results: [UInt64(1), 2].map { seed in
            var history = TrainingHistory()
            history.epochs = [0, 1]
            history.heldOutEpochs = [0, 1]
            history.trainAccuracy = [0.1, train]
            history.testAccuracy = [0.1, test]
            return RunResult(run: TrainingRun(label: label, setup: setup, seed: seed), history: history, finalTestAccuracy: test)
        }, setting: ColorKey(label))
    }

    @Test func aNetworkAtChanceIsDrawnInItsLaneNotAsAGapOfZero() throws {
        // Two settings learn (gaps of 20 and 10 points); the third ends at chance, where training and test
        // accuracy agree and a gap of 0 would read as the best of the three.
        let groups = [Self.ending("a", train: 0.95, test: 0.75), Self.ending("b", train: 0.9, test: 0.8),
                      Self.ending("c", train: 0.11, test: 0.11)]
        #expect(groups.map(\.failed) == [false, false, true])
        var figure = Figure(width: 600, panelHeight: 400)
        figure[0, 0] = Panel.endPoints(of: groups, against: [1, 2, 3], xLabel: "x")
        let image = try figure.bitmap(scale: 2)
        func pixel(_ x: Double, _ y: Double) throws -> (Int, Int) {
            let p = try figure.position(ofX: x, y: y, row: 0, column: 0)
            return (Int((p.x * 2).rounded()), Int((p.y * 2).rounded()))
        }
        func isGapColour(_ x: Int, _ y: Int) -> Bool {
            let c = image.rgb(x: x, y: y), gap = (red: 0xb1, green: 0x59, blue: 0x28)
            return abs(c.red - gap.red) < 40 && abs(c.green - gap.green) < 40 && abs(c.blue - gap.blue) < 40
        }
        func near(_ x: Double, _ y: Double, radius: Int = 6) throws -> Bool {
            let (px, py) = try pixel(x, y)
            return (-radius...radius).contains { dx in (-radius...radius).contains { dy in isGapColour(px + dx, py + dy) } }
        }
        // The learnt settings' gaps are drawn where they are; the third has no marker at a gap of 0,
        // and its cross sits in the lane below the accuracies.
        #expect(try near(1, 0.2) && near(2, 0.1))
        #expect(try !near(3, 0))
        let lane = try #require(figure.panels[0].marks.compactMap { $0 as? ScatterMark }.first { $0.shape == .cross })
        #expect(lane.x == [3] && lane.y[0] < 0)
        #expect(try near(3, lane.y[0]))
        // The figure's words do not call the chance-level setting's gap the lowest.
        #expect(!figure.altText.contains("lowest (0.0"))
    }
}
