// The hyperparameters chapter: the notes' warning against choosing by the test set, tested on three disjoint sets.
import Analysis
import Claims
import Formatting
import Foundation
import Notebook
import Plot
import Report
import Runs
import Search
import Statistics

/// Each method's best trial on each search seed, chosen twice, by validation and by test accuracy, on
/// networks measured on three disjoint sets (validation, test, and training images no trial sees):
/// how far each choice's test score overstates its score on the third set.
struct TestSetChoices {
    /// One method's two choices on one search seed.
    struct Choice {
        let method: SearchMethod, seed: UInt64
        let byValidation: TrialRecord, byTest: TrialRecord
    }

    let grown: GrownSearch
    let methods: [SearchMethod]

    init(_ grown: GrownSearch) { self.grown = grown; methods = grown.methods }

    static func test(_ r: TrialRecord) -> Double { r.outcome.result?.measurements[.testSetAccuracy] ?? .nan }
    static func unseen(_ r: TrialRecord) -> Double { r.outcome.result?.measurements[.unseenAccuracy] ?? .nan }
    /// How far a chosen trial's test score lies above its score on the unseen images.
    static func overstates(_ r: TrialRecord) -> Double { test(r) - unseen(r) }

    /// Every method's two choices on each of the first `count` search seeds, among its full-length
    /// trials measured on both sets.
    func choices(seeds count: Int) -> [Choice] {
        methods.flatMap { method in grown.seeds(count).compactMap { seed -> Choice? in
            let measured = grown.results(for: seed).fullLength(method, seed: seed)
                .filter { Self.test($0).isFinite && Self.unseen($0).isFinite }
            guard let v = measured.max(by: { $0.score! < $1.score! }),
                  let t = measured.max(by: { Self.test($0) < Self.test($1) }) else { return nil }
            return Choice(method: method, seed: seed, byValidation: v, byTest: t)
        } }
    }

    /// The overstatement of each choice, per search seed (the independent unit: a seed's methods
    /// share trials and splits), the mean over the methods every seed searched.
    func overstatement(_ choices: [Choice], seeds count: Int) -> (byTest: SeedSummary, byValidation: SeedSummary) {
        func perSeed(_ pick: (Choice) -> TrialRecord) -> SeedSummary {
            SeedSummary(grown.seeds(count).map { seed in
                Descriptive.mean(choices.filter { $0.seed == seed }.map { Self.overstates(pick($0)) })
            })
        }
        return (perSeed(\.byTest), perSeed(\.byValidation))
    }

    /// The noise of the difference the claim reads: where the two choices are different networks,
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

    /// The claim on the first `count` seeds: chosen by test, the test score overstates more. The notes
    /// say it *can* happen (「あり得る」), so any overstatement counts: the margin is zero. The image noise
    /// of each pair of choices is already inside each seed's difference, so a margin of that noise
    /// would count it twice (`gapNoise` is reported beside, for scale).
    func decision(seeds count: Int, testImages: Int) -> Decision {
        let all = choices(seeds: count), (byTest, byValidation) = overstatement(all, seeds: count)
        return Decision.paired(byTest, byValidation, .higher, margin: Self.noMargin(testImages: testImages),
            scale: .accuracy,
                               names: ("test − unseen, chosen by test", "chosen by validation"))
    }

    static func noMargin(testImages: Int) -> Margin {
        Margin(0,
            "zero: the notes say it can happen, so any overstatement beyond the seeds' spread counts; each seed's "
               + "difference already carries the noise of the \(testImages.formatted()) test images",
                   images: testImages)
    }

    /// The same, one method at a time, on the first `count` seeds: the size per method, shown beside the verdict.
    func perMethod(seeds count: Int, testImages: Int) -> [(String, Decision)] {
        let all = choices(seeds: count)
        return methods.compactMap { method in
            let mine = all.filter { $0.method == method }
            guard mine.count >= 2 else { return nil }
            let byTest = SeedSummary(mine.map { Self.overstates($0.byTest) })
            let byValidation = SeedSummary(mine.map { Self.overstates($0.byValidation) })
            return (method.rawValue, Decision.paired(byTest, byValidation, .higher,
                margin: Self.noMargin(testImages: testImages),
                                                     scale: .accuracy, names: ("chosen by test", "by validation")))
        }
    }
}

extension HyperparametersChapter {
    /// The notes' warning, tested cleanly: the same trained networks scored on three disjoint sets
    /// (validation, test, and training images no trial sees), each search chosen once by validation
    /// and once by test; how far each choice's test score overstates its score on the third set.
    func choosingByTheTestSet(_ grown: GrownSearch, report: Report, context: ChapterContext) {
        let settings = grown.first.settings, choosing = TestSetChoices(grown)
        report.heading("Choosing by the test set, tested")
        let unseenCount = settings.unseenImages(in: context.dataset)
        report.paragraph("""
            The notes' warning is about choosing *by* the test set. To see what that does, every full-length trial of the search \
            was also measured, once trained, on the \(context.dataset.test.count.formatted()) test images and on the \
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
            choosing.decision(seeds: count, testImages: context.dataset.test.count)
        }
        let count = d.seeds ?? settings.seeds.count
        let number = showChoices(choosing, seeds: count, unseenImages: unseenCount, report: report)
        let searched = choosing.methods.map(\.rawValue).joined(separator: ", ")
        let over = "over search seeds, each the mean over the methods every seed searched (\(searched)), "
        let images = context.dataset.test.count
        let noise = choosing.gapNoise(choosing.choices(seeds: count), seeds: count)
        report.paragraph("""
            The verdict reads the notes' sentence as a possibility: it holds when choosing by the test set overstates by more \
            than zero, beyond the spread over search seeds, on this test set of \(images.formatted()) images. The overstatement \
            shrinks as the test set grows, since a larger set leaves less noise to choose. \(noise.map { """
                For scale: the image noise of one seed's pair of choices is \(Format.number($0.value * 100,
                    digits: 2)) points; \
                it is already inside each seed's difference, so it is not added again as a margin.
                """ } ?? "") The size for each method is shown beside the verdict.
            """)
        report.claim(Self.testSetOverfit, d.explained(over + "grown like every claim's; ")
            .beside(choosing.perMethod(seeds: count, testImages: images)), figures: [number])
    }

    /// The choices on the first `count` seeds, as a table (one row per search seed, the unit the claim
    /// pairs over), a figure and results.json; returns the figure.
    func showChoices(_ choosing: TestSetChoices, seeds count: Int, unseenImages: Int, report: Report) -> FigureRef {
        let chosen = choosing.choices(seeds: count), methods = choosing.methods
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
