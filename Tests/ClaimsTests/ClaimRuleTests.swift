import NumericCore
import NeuralNet
import Analysis
import Foundation
import NeuralNet
import Plot
import Report
import Runs
import Statistics
import Testing
@testable import Claims

/// The claims engine's rules, each on numbers worked out by hand, with the edge cases: ties, a
/// diverged seed, a difference inside the noise, too few seeds.
struct ClaimRuleTests {
    static let point = Margin(0.01, "one point")

    @Test func aPairedDifferenceBeyondTheMarginHolds() {
        // Differences +5, +6, +7 points: mean 6, s = 1; a 97.5% interval has t(0.9875, 2) = 0.975/√(2·0.9875·0.0125)
        // = 6.205 (the closed form at 2 degrees of freedom), half-width 6.205/√3 = 3.583 → 2.42 to 9.58 points.
        let a = SeedSummary([0.85, 0.86, 0.87]), b = SeedSummary([0.80, 0.80, 0.80])
        let d = Decision.paired(a, b, .higher, margin: Self.point, scale: .accuracy, names: ("A", "B"))
        #expect(d.verdict == .holds && d.seeds == 3)
        #expect(d.evidence == "A − B: +6.0 points (97.5% interval +2.4 to +9.6 points)")
        // The same numbers as a claim that A is lower: the interval lies wholly on the other side.
        #expect(Decision.paired(a, b, .lower, margin: Self.point, scale: .accuracy, names: ("A", "B")).verdict == .doesNotHold)
    }

    @Test func theMarginOfAPairedDifferenceIsItsOwnNoise() throws {
        // Seed 1, ten images: A right on 0–7, B on 2–9 (2 and 2 discordant): √(0.4 / 10) = 0.2. Seed 2: A right on
        // all, B on the first nine: √((0.1 − 0.01) / 10) = 0.0949. The margin is their mean, 0.1474.
        let a = [Correctness((0..<10).map { $0 < 8 }), Correctness(Array(repeating: true, count: 10))]
        let b = [Correctness((0..<10).map { $0 >= 2 }), Correctness((0..<10).map { $0 < 9 })]
        let margin = try #require(Margin.paired(a, b, images: "test images"))
        #expect(abs(margin.value - (0.2 + 0.009.squareRoot()) / 2) < 1e-12)
        #expect(margin.reason == """
            the standard error of a paired difference on the same 10 test images, where one network is right and the \
            other wrong on 25.0% of them (mean over 2 seeds)
            """)
        // The same network twice has no noise, but a difference is never finer than one image.
        #expect(Margin.paired([a[0]], [a[0]], images: "test images")?.value == 0.1)
        // Groups grown to different seed counts pair the seeds both have, as the paired rules do.
        #expect(abs(try #require(Margin.paired(a, [b[0]], images: "test images")).value - 0.2) < 1e-12)
        // A seed without its images, or images of another count: no paired margin.
        #expect(Margin.paired([a[0], nil], b, images: "test images") == nil)
        #expect(Margin.paired([a[0]], [Correctness(count: 12)], images: "test images") == nil)
    }

    @Test func theMarginOfADifferenceOfGapsAddsEachSetsNoise() throws {
        // Two sets: ten images and twenty. Pair 1: on the ten, A right on 0–7 and B on 2–9 (2 and 2
        // discordant): √(0.4 / 10) = 0.2; on the twenty, A right on all, B on the first 18:
        // √((0.1 − 0.01) / 20) = √0.0045. Together √(0.04 + 0.0045) = √0.0445. Pair 2 is one network
        // twice: no noise. Seed 1 has both pairs (mean √0.0445 / 2), seed 2 only the first (√0.0445).
        let ten = (a: Correctness((0..<10).map { $0 < 8 }), b: Correctness((0..<10).map { $0 >= 2 }))
        let twenty = (a: Correctness(Array(repeating: true, count: 20)), b: Correctness((0..<20).map { $0 < 18 }))
        let different = (a: [ten.a, twenty.a], b: [ten.b, twenty.b]), same = (a: [ten.a, twenty.a], b: [ten.a, twenty.a])
        let margin = try #require(Margin.gapDifference([[different, same], [different]], sets: ["test images", "unseen images"]))
        #expect(abs(margin.value - (0.0445.squareRoot() / 2 + 0.0445.squareRoot()) / 2) < 1e-12)
        #expect(margin.reason == """
            the standard error of the difference between the two gaps, from the images the two networks disagree on \
            (10 test images and 20 unseen images, each set's paired error added in quadrature), the mean over each seed's \
            pairs and over 2 seeds; 1 of the 3 pairs are the same network twice, with no noise
            """)
        // Never finer than one image of the smaller set.
        #expect(Margin.gapDifference([[same]], sets: ["test images", "unseen images"])?.value == 0.1)
        // Markings that do not match the sets, or a seed without pairs: no margin.
        #expect(Margin.gapDifference([[different]], sets: ["test images"]) == nil)
        #expect(Margin.gapDifference([[different], []], sets: ["test images", "unseen images"]) == nil)
    }

    @Test func aDifferenceWithoutItsImagesFallsBackOnTheResolution() {
        let a = [Correctness((0..<10).map { $0 < 8 })], b = [Correctness((0..<10).map { $0 >= 2 })]
        let accuracies = (SeedSummary([0.8]), SeedSummary([0.8]))
        // Both have their images: the paired noise, √(0.4 / 10) = 0.2.
        #expect(abs(Margin.difference(a, b, accuracies: accuracies, on: 10, images: "test images").value - 0.2) < 1e-12)
        // One lacks them: one standard error of an accuracy of 60% (the mean of 0.5 and 0.7) on 100 images,
        // √(0.6 · 0.4 / 100) = 0.049.
        let fallback = Margin.difference([nil], b, accuracies: (SeedSummary([0.5]), SeedSummary([0.7])), on: 100, images: "test images")
        #expect(abs(fallback.value - 0.24.squareRoot() / 10) < 1e-12)
        #expect(fallback.reason == "one standard error of an accuracy of 60% on 100 test images")
    }

    @Test func aDifferenceInsideTheNoiseDecidesNothing() {
        // Differences +1.5, +0.5, +2.5 points: mean 1.5, s = 1, interval −2.1 to +5.1 (half-width 6.205/√3): it
        // could be more than a point, or less: undecided. A margin of six points it cannot reach: does not hold;
        // five points it might.
        let a = SeedSummary([0.815, 0.805, 0.825]), b = SeedSummary([0.80, 0.80, 0.80])
        #expect(Decision.paired(a, b, .higher, margin: Self.point, scale: .accuracy, names: ("A", "B")).verdict == .undecided)
        #expect(Decision.paired(a, b, .higher, margin: Margin(0.06, "six points"), scale: .accuracy, names: ("A", "B")).verdict == .doesNotHold)
        #expect(Decision.paired(a, b, .higher, margin: Margin(0.05, "five points"), scale: .accuracy, names: ("A", "B")).verdict == .undecided)
        // Every seed ahead is not enough when the lead is smaller than the margin: +0.3 points on each seed.
        let tiny = SeedSummary([0.803, 0.803, 0.803])
        #expect(Decision.paired(tiny, b, .higher, margin: Self.point, scale: .accuracy, names: ("A", "B")).verdict == .doesNotHold)
    }

    @Test func tiesAreTies() {
        let a = SeedSummary([0.8, 0.7, 0.9])
        let d = Decision.paired(a, a, .higher, margin: Self.point, scale: .accuracy, names: ("A", "A"))
        #expect(d.verdict == .doesNotHold && d.evidence.hasPrefix("A − A: 0.0 points"))
        #expect(Decision.equivalent(a, a, margin: Self.point, scale: .accuracy, names: ("A", "A")).verdict == .holds)
    }

    @Test func aDivergedSeedIsLeftOutAndSaid() {
        let a = SeedSummary([0.85, .nan, 0.86, 0.87]), b = SeedSummary([0.80, 0.80, 0.80, 0.80])
        let d = Decision.paired(a, b, .higher, margin: Self.point, scale: .accuracy, names: ("A", "B"))
        #expect(d.verdict == .holds && d.seeds == 3)
        #expect(d.evidence.hasSuffix("; 1 of 4 seeds left out (no value: diverged)"))
        // A side trained on more seeds than the other (a claim grew it) pairs on the seeds both have: nothing diverged.
        let grown = Decision.paired(SeedSummary([0.85, 0.86, 0.87, 0.9, 0.9]), SeedSummary([0.80, 0.80, 0.80]), .higher,
                                    margin: Self.point, scale: .accuracy, names: ("A", "B"))
        #expect(grown.seeds == 3 && !grown.evidence.contains("left out"))
        // With a value for a run that diverged (chance accuracy), it counts, and here decides the other way.
        let chance = Decision.paired(a.replacingMissing(with: 0.1), b, .higher, margin: Self.point, scale: .accuracy, names: ("A", "B"))
        #expect(chance.verdict == .undecided && chance.seeds == 4)
        // One seed is no interval at all.
        #expect(Decision.paired(SeedSummary([0.9]), SeedSummary([0.1]), .higher, margin: Self.point, scale: .accuracy, names: ("A", "B")).verdict == .undecided)
    }

    @Test func lossesCompareAsRatios() {
        // Each seed's loss is a quarter of the other's: log ratios all −1.386, no spread.
        let a = SeedSummary([0.025, 0.05, 0.1]), b = SeedSummary([0.1, 0.2, 0.4])
        let d = Decision.paired(a, b, .lower, margin: Margin(log(1.1), "a tenth"), scale: .ratio, names: ("A", "B"))
        #expect(d.verdict == .holds && d.evidence == "A / B: 0.25× (97.5% interval 0.25× to 0.25×)")
        // 5% lower everywhere: below the tenth the rule asks for.
        #expect(Decision.paired(b.values.map { $0 * 0.95 }.summary, b, .lower, margin: Margin(log(1.1), "a tenth"), scale: .ratio, names: ("A", "B")).verdict == .doesNotHold)
    }

    @Test func thresholdsAndRanges() {
        let s = SeedSummary([2.29, 2.30, 2.31])      // mean 2.30, s = 0.01, half-width 0.0248
        #expect(Decision.threshold(s, .higher, 2.07, levelText: "2.07", scale: .number(digits: 3), name: "loss").verdict == .holds)
        #expect(Decision.threshold(s, .lower, 2.07, levelText: "2.07", scale: .number(digits: 3), name: "loss").verdict == .doesNotHold)
        #expect(Decision.threshold(s, .higher, 2.30, levelText: "2.30", scale: .number(digits: 3), name: "loss").verdict == .undecided)
        #expect(Decision.within(s, 2.2...2.4, rangeText: "2.2–2.4", scale: .number(digits: 3), name: "loss").verdict == .holds)
        #expect(Decision.within(s, 2.5...2.6, rangeText: "2.5–2.6", scale: .number(digits: 3), name: "loss").verdict == .doesNotHold)
        #expect(Decision.within(s, 2.28...2.3, rangeText: "2.28–2.3", scale: .number(digits: 3), name: "loss").verdict == .undecided)
    }

    @Test func partsCombine() {
        let holds = Decision.value(2, .higher, 1, tolerance: 0, name: "x"), fails = Decision.value(0, .higher, 1, tolerance: 0, name: "x")
        let open = Decision.value(1, .higher, 1, tolerance: 0.1, name: "x")     // a tie within the tolerance
        #expect(open.verdict == .undecided)
        #expect(Decision.parts([("a", holds), ("b", holds)]).verdict == .holds)
        #expect(Decision.parts([("a", fails), ("b", fails)]).verdict == .doesNotHold)
        #expect(Decision.parts([("a", holds), ("b", fails)]).verdict == .holdsInPart)
        #expect(Decision.parts([("a", holds), ("b", fails), ("c", open)]).verdict == .holdsInPart)
        // "In part" never stands for "cannot tell": agreeing parts with one open are undecided, since the
        // open one could still make the claim hold (or hold in part).
        #expect(Decision.parts([("a", holds), ("b", open)]).verdict == .undecided)
        #expect(Decision.parts([("a", fails), ("b", open)]).verdict == .undecided)
        // Several looks at one statement: the verdict of most, decided once the open ones cannot overturn it.
        let five = Array(repeating: ("x", fails), count: 5)
        #expect(Decision.parts(five + [("y", open)], meaning: .most).verdict == .doesNotHold)
        #expect(Decision.parts([("a", holds), ("b", holds), ("c", open)], meaning: .most).verdict == .holds)
        #expect(Decision.parts([("a", holds), ("b", fails), ("c", open)], meaning: .most).verdict == .undecided)
        #expect(Decision.parts([("a", holds), ("b", fails)], meaning: .most).verdict == .holdsInPart)
        #expect(Decision.parts([("a", holds), ("b", holds), ("c", fails)], meaning: .most).verdict == .holds)
        // The same five and one open, read as "every part": it does not hold or holds in part, so it is undecided.
        #expect(Decision.parts(five + [("y", open)]).verdict == .undecided)
        #expect(Decision.parts([("a", holds), ("b", fails)]).evidence == "a: holds (x: 2 against 1); b: does not hold (x: 0 against 1)")
        // A rule shared by every part is stated once; different rules each once, with their parts.
        let shared = Decision.parts([("a", holds), ("b", fails)]).rule
        #expect(shared.components(separatedBy: "one measurement").count == 2 && shared.contains("Each part: one measurement"))
        let mixed = Decision.parts([("a", holds), ("b", fails), ("c", open)]).rule
        #expect(mixed.contains("a, b: one measurement") && mixed.contains("c: one measurement") && mixed.components(separatedBy: "one measurement").count == 3)
    }

    @Test func partsBesideAreShownButDecideNothing() {
        let holds = Decision.value(2, .higher, 1, tolerance: 0, name: "x"), fails = Decision.value(0, .higher, 1, tolerance: 0, name: "x")
        let claim = Decision.parts([("fair", holds)]).beside([("course", fails)])
        #expect(claim.verdict == .holds)
        let part = claim.claimPart()
        #expect(part.parts.map(\.beside) == [false, true] && part.decidingParts.map(\.name) == ["fair"])
        #expect(part.howItFollows == "decided by fair: holds")
        // Readings beside are left out of what the verdict rests on, and they survive results.json.
        #expect(part.leafReadings.count == 1)
        let read = ClaimPart(json: part.json)
        #expect(read == part)
    }

    @Test func aChoiceOnTuningSeedsKeepsTheBudget() {
        // Five arms, each in truth exactly a margin ahead of the rival (the largest difference the claim
        // does not care about), chosen by validation scores. Chosen on tuning seeds no claim reads, the
        // plan's 5% holds. Chosen on the claim's own first seeds and kept, the winner's luck stays in
        // its interval; chosen again at every look, more so.
        let simulation = Simulation(claims: 4000, seed: 3)
        for spread in [1.0, 2.0] {
            let tuning = simulation.runChoosing(candidates: 5, spread: spread, selection: .tuningSeeds)
            let kept = simulation.runChoosing(candidates: 5, spread: spread, selection: .firstLook)
            let again = simulation.runChoosing(candidates: 5, spread: spread, selection: .everyLook)
            // 4,000 claims: a rate of 5% has a standard error of 0.34 points.
            #expect(tuning.holdsRate < 0.05 + 3 * 0.0034)
            #expect(kept.holdsRate > 0.05 + 3 * 0.0034 && again.holdsRate > kept.holdsRate)
        }
    }

    @Test func aSharedComponentRaisesFalseHolds() {
        let simulation = Simulation(claims: 4000, seed: 5)
        let alone = simulation.run(difference: 1, spread: 1), shared = simulation.run(difference: 1, spread: 1, shared: 0.5)
        #expect(alone.holdsRate < 0.05 && shared.holdsRate > alone.holdsRate + 0.03)
    }

    @Test func theSharedImageNoiseIsEstimatedFromCorrectness() {
        // Every seed the same pair of networks: the whole difference is shared, and its standard error
        // is that of the per-image differences' mean. Worked by hand: on 8 images the differences are
        // +1, +1, 0, 0, 0, 0, 0, −1: mean 1/8, sample variance (3 − 8/64) / 7 = 0.41071; over 8, 0.22658.
        let a = Correctness([true, true, true, false, true, false, true, false])
        let b = Correctness([false, false, true, false, true, false, true, true])
        let same = Array(repeating: (a, b), count: 4)
        #expect(abs(Margin.sharedComponent(same)! - (0.41071428571 / 8).squareRoot()) < 1e-9)
        // Seeds that disagree at random share nothing: the estimate is near zero.
        var generator = SeededGenerator(seed: 9, stream: "shared")
        let independent = (0..<20).map { _ in
            (Correctness((0..<2000).map { _ in generator.nextNormal() > 0 }), Correctness((0..<2000).map { _ in generator.nextNormal() > 0 }))
        }
        #expect(Margin.sharedComponent(independent)! < 0.005)
        #expect(Margin.sharedComponent([(a, b)]) == nil)
    }

    @Test func theBestMustBeAheadOfEveryOther() {
        let a = SeedSummary([0.90, 0.91, 0.92]), b = SeedSummary([0.80, 0.80, 0.80]), c = SeedSummary([0.905, 0.915, 0.925])
        #expect(Decision.best("A", a, over: [("B", b)], .higher, margin: Self.point, scale: .accuracy).verdict == .holds)
        // Half a point behind C on every seed: not ahead of it, whatever B does.
        #expect(Decision.best("A", a, over: [("B", b), ("C", c)], .higher, margin: Self.point, scale: .accuracy).verdict == .doesNotHold)
        // Level with D on average but scattered: it cannot be told apart, so it is undecided.
        let d = SeedSummary([0.91, 0.90, 0.92])
        #expect(Decision.best("A", a, over: [("B", b), ("D", d)], .higher, margin: Self.point, scale: .accuracy).verdict == .undecided)
    }

    @Test func singleNumbersTieWithinTheirTolerance() {
        // The path ratios that once decided a verdict by 2e-5: a tie within 1%, so AdaGrad is among the most direct.
        let d = Decision.lowest("AdaGrad", 1.057672, among: [("RMSProp", 1.057650), ("SGD", 4.0)], relativeTolerance: 0.01)
        #expect(d.verdict == .holds && d.evidence.contains("tied within 1%: RMSProp"))
        #expect(Decision.lowest("SGD", 4.0, among: [("AdaGrad", 1.06)], relativeTolerance: 0.01).verdict == .doesNotHold)
    }

    @Test func theMarginOfAnEvaluationSetIsItsResolution() {
        // √(0.8 · 0.2 / 1000) = 1.26 points; never under one image.
        #expect(abs(Margin.resolution(of: 0.8, on: 1000, images: "test images").value - 0.012649) < 1e-6)
        #expect(Margin.resolution(of: 1.0, on: 300, images: "training images").value == 1.0 / 300)
    }
}

extension Array where Element == Double {
    var summary: SeedSummary { SeedSummary(self) }
}
