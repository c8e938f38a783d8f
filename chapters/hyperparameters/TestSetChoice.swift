// The hyperparameters chapter: the notes' warning against choosing by the test set, tested on three disjoint sets.
import Analysis
import Claims
import Formatting
import Foundation
import NeuralNet
import Notebook
import Plot
import Report
import Runs
import Search
import Statistics

/// A set of images the search never reads, as large as the test set, that a setting may be chosen
/// by: the test set itself, or the k-th run of that many images of the unseen training images. A
/// choice's score on it is compared with its score on the unseen images outside it (all of them,
/// for the test set).
enum ChoosingSet: Hashable {
    case test
    case unseenChunk(Int)
}

/// Each method's best trial on each search seed, chosen by validation and by each set of the test
/// set's size the search never reads (the test set, and chunks of the unseen training images), on
/// networks measured on all of them: how far each choice's score on the set that chose it
/// overstates its score on the unseen images outside that set.
struct TestSetChoices {
    /// One method's choices on one search seed.
    struct Choice {
        let method: SearchMethod, seed: UInt64
        let byValidation: TrialRecord
        /// The trial each set chose, in the order of `TestSetChoices.sets`.
        let bySet: [TrialRecord]
        var byTest: TrialRecord { bySet[0] }
    }

    let grown: GrownSearch
    let methods: [SearchMethod]
    /// The test set, then every whole chunk of the unseen images of its size.
    let sets: [ChoosingSet]
    let testImages: Int

    init(_ grown: GrownSearch, testImages: Int, unseenImages: Int) {
        self.grown = grown; methods = grown.methods; self.testImages = testImages
        sets = [.test] + (0..<(testImages > 0 ? unseenImages / testImages : 0)).map { .unseenChunk($0) }
    }

    static func test(_ r: TrialRecord) -> Double { r.outcome.result?.measurements[.testSetAccuracy] ?? .nan }
    static func unseen(_ r: TrialRecord) -> Double { r.outcome.result?.measurements[.unseenAccuracy] ?? .nan }
    /// How far a chosen trial's test score lies above its score on the unseen images.
    static func overstates(_ r: TrialRecord) -> Double { test(r) - unseen(r) }

    /// A trial's score on `set`, and its score on the unseen images outside `set`.
    func scores(_ r: TrialRecord, on set: ChoosingSet) -> (inside: Double, outside: Double) {
        switch set {
        case .test: return (Self.test(r), Self.unseen(r))
        case let .unseenChunk(k):
            guard let marks = r.outcome.result?.marks[.unseenAccuracy] else { return (.nan, .nan) }
            let inside = Self.correct(marks, in: k * testImages..<(k + 1) * testImages)
            return (Double(inside) / Double(testImages),
                    Double(marks.correct - inside) / Double(marks.count - testImages))
        }
    }

    /// How many images of `range` `marks` has right, counted a 64-bit word at a time (bit i % 64 of
    /// word i / 64 is image i).
    static func correct(_ marks: Correctness, in range: Range<Int>) -> Int {
        var total = 0, i = range.lowerBound
        while i < range.upperBound {
            let bit = i % 64, n = min(64 - bit, range.upperBound - i)
            let mask: UInt64 = n == 64 ? ~0 : ((1 << UInt64(n)) - 1) << UInt64(bit)
            total += (marks.words[i / 64] & mask).nonzeroBitCount
            i += n
        }
        return total
    }

    /// How far a trial's score on `set` overstates its score on the unseen images outside it.
    func overstates(_ r: TrialRecord, on set: ChoosingSet) -> Double {
        let (inside, outside) = scores(r, on: set)
        return inside - outside
    }

    /// Every method's choices on each of the first `count` search seeds, among its full-length
    /// trials measured on both sets.
    func choices(seeds count: Int) -> [Choice] {
        methods.flatMap { method in grown.seeds(count).compactMap { seed -> Choice? in
            let measured = grown.results(for: seed).fullLength(method, seed: seed)
                .filter { Self.test($0).isFinite && Self.unseen($0).isFinite }
            guard let v = measured.max(by: { $0.score! < $1.score! }) else { return nil }
            // Each trial scored once on every set, then each set's best taken.
            let scored = measured.map { r in (r, sets.map { scores(r, on: $0).inside }) }
            let bySet = sets.indices.map { j in scored.max { $0.1[j] < $1.1[j] }!.0 }
            return Choice(method: method, seed: seed, byValidation: v, bySet: bySet)
        } }
    }

    /// One choice's difference the claim reads, on the sets `which` (indices into `sets`): chosen by
    /// a set minus chosen by validation, each choice's overstatement on that set, the mean over them.
    func difference(_ c: Choice, sets which: [Int]) -> Double {
        Descriptive.mean(which.map { j in
            overstates(c.bySet[j], on: sets[j]) - overstates(c.byValidation, on: sets[j])
        })
    }

    /// Per search seed (the independent unit: a seed's methods share trials and splits), the mean
    /// over the methods every seed searched of `difference` on the sets `which`.
    func perSeed(_ choices: [Choice], seeds count: Int, sets which: [Int]) -> SeedSummary {
        SeedSummary(grown.seeds(count).map { seed in
            Descriptive.mean(choices.filter { $0.seed == seed }.map { difference($0, sets: which) })
        })
    }

    /// The overstatement of each choice on the test set, per search seed, the mean over methods.
    func overstatement(_ choices: [Choice], seeds count: Int) -> (byTest: SeedSummary, byValidation: SeedSummary) {
        func perSeed(_ pick: (Choice) -> TrialRecord) -> SeedSummary {
            SeedSummary(grown.seeds(count).map { seed in
                Descriptive.mean(choices.filter { $0.seed == seed }.map { Self.overstates(pick($0)) })
            })
        }
        return (perSeed(\.byTest), perSeed(\.byValidation))
    }

    /// The noise of the difference on the test set: where the two choices are different networks,
    /// they disagree on some test and some unseen images; where they are the same, it is zero.
    func gapNoise(_ choices: [Choice], seeds count: Int) -> Margin? {
        let pairs = grown.seeds(count).map { seed in
            choices.filter { $0.seed == seed }.compactMap { c in
                c.byTest.outcome.result.flatMap { a in c.byValidation.outcome.result.map { (a: a, b: $0) } }
            }
        }
        return Margin.gapDifference(pairs, measures: [(.testSetAccuracy, "test images"), (.unseenAccuracy,
                                                                                          "unseen training images")])
    }

    /// The claim on the first `count` seeds: chosen by a set the search never reads, its score there
    /// overstates more than the validation choice's, the mean over the test set and the unseen
    /// chunks of its size. The notes say it *can* happen (「あり得る」), so any overstatement counts:
    /// the margin is zero. The image noise of each pair of choices is already inside each seed's
    /// difference, so a margin of that noise would count it twice (`gapNoise` is reported beside).
    func decision(seeds count: Int) -> Decision {
        let all = choices(seeds: count)
        return judged(perSeed(all, seeds: count, sets: Array(sets.indices)),
                      names: ("chosen by the set", "by validation"))
    }

    /// The paired rule at the zero margin, for per-seed differences.
    func judged(_ differences: SeedSummary, names: (String, String)) -> Decision {
        Decision.paired(differences, SeedSummary(differences.values.map { _ in 0 }), .higher, margin: noMargin,
                        scale: .accuracy, names: names)
    }

    var noMargin: Margin {
        Margin(0,
            "zero: the notes say it can happen, so any overstatement beyond the seeds' spread counts; each seed's "
               + "difference already carries the noise of its \(testImages.formatted())-image sets",
                   images: testImages)
    }

    /// Shown beside the verdict: the test set alone, and each method over every set, from `all`, the
    /// choices on the first `count` seeds.
    func beside(_ all: [Choice], seeds count: Int) -> [(String, Decision)] {
        let testAlone = ("the test set alone", judged(perSeed(all, seeds: count, sets: [0]),
                                                     names: ("chosen by test", "by validation")))
        return [testAlone] + methods.compactMap { method in
            let mine = all.filter { $0.method == method }
            guard mine.count >= 2 else { return nil }
            let differences = SeedSummary(mine.map { difference($0, sets: Array(sets.indices)) })
            return (method.rawValue, judged(differences, names: ("chosen by the set", "by validation")))
        }
    }
}

extension HyperparametersChapter {
    /// The notes' warning, tested cleanly: the same trained networks scored on three disjoint sets
    /// (validation, test, and training images no trial sees), each search chosen once by validation
    /// and once by test; how far each choice's test score overstates its score on the third set.
    func choosingByTheTestSet(_ grown: GrownSearch, report: Report, context: ChapterContext) {
        let settings = grown.first.settings, images = context.dataset.test.count
        let unseenCount = settings.unseenImages(in: context.dataset)
        let choosing = TestSetChoices(grown, testImages: images, unseenImages: unseenCount)
        let chunks = choosing.sets.count - 1
        report.heading("Choosing by the test set, tested")
        report.paragraph("""
            The notes' warning is about choosing *by* the test set. To see what that does, every full-length trial of the search \
            was also measured, once trained, on the \(images.formatted()) test images and on the \
            \(unseenCount.formatted()) training images after the \(settings.tuningImages) tuning images, which no trial trains on; \
            the search itself never read either. The unseen images stand in for new images: no choice is made on them, so their \
            noise cannot favour either choice, and all of them are used to keep that noise small. Three disjoint sets score \
            the same networks. For each method and search seed \
            the best trial is chosen twice, by validation and by test accuracy, and each choice's test accuracy is compared \
            with its accuracy on the third set. A score that chose its setting is the highest of many noisy numbers, so it \
            should overstate; the question is whether choosing by the test set makes the test score overstate more.
            """)
        guard !choosing.choices(seeds: settings.seeds.count).isEmpty else {
            report.paragraph("No trial was measured on the three sets (its runs came from elsewhere).")
            return
        }
        let d = SequentialPlan.claims.run(start: settings.seeds.count, cap: context.options.seedCap) { count in
            choosing.decision(seeds: count)
        }
        let count = d.seeds ?? settings.seeds.count
        let chosen = choosing.choices(seeds: count)
        let number = showChoices(choosing, chosen, seeds: count, unseenImages: unseenCount, report: report)
        let searched = choosing.methods.map(\.rawValue).joined(separator: ", ")
        let over = "over search seeds, each the mean over the methods every seed searched (\(searched)) and over the "
            + "test set and \(chunks) unseen chunks of its size, "
        let noise = choosing.gapNoise(chosen, seeds: count)
        let testAlone = choosing.perSeed(chosen, seeds: count, sets: [0])
        report.paragraph("""
            The verdict reads the notes' sentence as a possibility: it holds when choosing by a set overstates that set's score \
            by more than choosing by validation does, beyond the spread over search seeds. On the test set alone the \
            difference is \(percentagePoints(testAlone))\
            \(noise.map { ", while one seed's pair of choices carries " + Format.number($0.value * 100, digits: 2)
                + " points of image noise" } ?? ""). \
            The mechanism does not depend on which images the set holds: a setting chosen as the highest of many noisy scores \
            on any set the search never read has that set's noise on its side. So the claim is judged on \(chunks + 1) such sets per \
            choice: the test set, and \(chunks) disjoint runs of \(images.formatted()) of the unseen images, each choice's \
            score on its set compared with its score on the unseen images outside it. The test set alone, and each method, are \
            shown beside the verdict; the image noise is already inside each seed's difference, so it is not added again as a \
            margin.
            """)
        report.claim(Self.testSetOverfit, d.explained(over + "grown like every claim's; ")
            .beside(choosing.beside(chosen, seeds: count)), figures: [number])
    }

    /// The choices on the first `count` seeds (`chosen`), as a table (one row per search seed, the
    /// unit the claim pairs over), a figure and results.json; returns the figure.
    func showChoices(_ choosing: TestSetChoices, _ chosen: [TestSetChoices.Choice], seeds count: Int, unseenImages: Int,
                     report: Report) -> FigureRef {
        let methods = choosing.methods
        let (byTest, byValidation) = choosing.overstatement(chosen, seeds: count)
        let overstates = TestSetChoices.overstates
        report.paragraph("""
            Each cell is test − unseen accuracy for one method and search seed: of the setting chosen by validation, then of \
            the one chosen by the test set. The last column is the difference the claim reads: chosen by test minus chosen \
            by validation, the mean over the methods.
            """)
        report.table(headers: ["seed"] + methods.map(\.rawValue) + ["by test − by validation, mean"],
                     rows: choosing.grown.seeds(count).enumerated().map { i, seed in
                         let difference = byTest.values[i] - byValidation.values[i]
                         return ["\(seed)"] + methods.map { m in
                             guard let c = chosen.first(where: { $0.method == m && $0.seed == seed }) else {
                                 return "–"
                             }
                             let (v, t) = (overstates(c.byValidation), overstates(c.byTest))
                             return Format.points(v) + " / " + Format.points(t)
                         } + [difference.isFinite ? Format.points(difference) + " points" : "–"]
                     })
        let overstatements = { (pick: (TestSetChoices.Choice) -> TrialRecord) in
            methods.map { m in chosen.filter { $0.method == m }.map { overstates(pick($0)) } }
        }
        let figure = Figure.choosingByTest(methods: methods.map(\.rawValue),
                                           byValidation: overstatements(\.byValidation),
                                           byTest: overstatements(\.byTest))
        let number = report.figure(figure, name: "choosing-by-test", caption: """
            For each method and search seed (\(count)), how far the chosen setting's test accuracy lies above its accuracy on \
            the \(unseenImages.formatted()) unseen training images: chosen by validation (circles, left of each method) and \
            chosen by the test set (squares, right). What the claim reads is how far the squares lie above the circles: \
            where the test set is harder or easier than the training images, both sit below or above zero.
            """)
        report.paragraph("""
            **What Figure \(number) shows.** Chosen by test accuracy, the test score stands \(percentagePoints(byTest)) above the \
            unseen images' score; chosen by validation, \(percentagePoints(byValidation)) (per search seed, the mean over methods).
            """)
        func scores(_ r: TrialRecord) -> JSONValue {
            .object(["trial": .number(Double(r.number)), "val_acc": .number(r.score!),
                     "test_acc": .number(TestSetChoices.test(r)),
                     "unseen_acc": .number(TestSetChoices.unseen(r))])
        }
        report.recordSearchCorrectness(chosen.flatMap { c in
            [c.byValidation, c.byTest].compactMap { $0.outcome.result.map { (seed: c.seed, result: $0) } }
        })
        report.summary["choosing_by_test"] = .array(chosen.map { c in
            .object(["method": .string(c.method.rawValue), "seed": .number(Double(c.seed)),
                     "by_validation": scores(c.byValidation), "by_test": scores(c.byTest)])
        })
        return number
    }
}
