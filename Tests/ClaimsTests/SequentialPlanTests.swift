import Foundation
import Report
import Statistics
import Testing
@testable import Claims

/// The sequential plan: where a claim looks, at what level, and the error rates of the whole
/// engine measured by simulating claims whose truth is known.
struct SequentialPlanTests {
    let plan = SequentialPlan.claims

    @Test func eachLookSpendsAQuarterOfTheFalseHolds() {
        #expect(plan.looks == [3, 5, 10, 20] && plan.falseHolds == 0.05)
        // 5% over four looks: 1.25% in each tail of a 97.5% interval.
        #expect(abs(plan.perLook - 0.05 / 4) < 1e-15 && plan.levelText == "97.5%")
        // At 3 seeds, the interval's half-width is t(1 − 0.05/4, 2) standard errors; at 2 degrees of
        // freedom t(p) = (2p − 1)/√(2p(1 − p)) = 0.975/√(2 · 0.9875 · 0.0125) = 6.2054 (4.303 at 95%).
        let i = plan.interval([1, 2, 3])!
        #expect(abs(i.high - (2 + 6.2054 / 3.0.squareRoot())) < 1e-3)
        // At 19 degrees of freedom (20 seeds), tables give t(0.9875, 19) = 2.433.
        let twenty = plan.interval((0..<20).map { Double($0 % 2) })!
        // Ten 0s and ten 1s: mean 0.5, variance 20 · 0.25 / 19, standard error √(5/19/20).
        let standardError: Double = (5.0 / 19.0 / 20.0).squareRoot()
        #expect(abs((twenty.high - twenty.mean) / standardError - 2.433) < 1e-3)
        #expect(plan.sentence.contains("3, 5, 10 and 20 seeds") && plan.sentence.contains("a quarter (1.25%)")
            && plan.sentence.contains("Bonferroni"))
        #expect(plan.laterLooks == "5, 10 and 20")
    }

    @Test func looksNeverOutnumberThePlan() {
        #expect(plan.counts(from: 3, cap: 20) == [3, 5, 10, 20])
        #expect(plan.counts(from: 3, cap: 10) == [3, 5, 10])
        #expect(plan.counts(from: 3, cap: 7) == [3, 5, 7])
        #expect(plan.counts(from: 2, cap: 2) == [2])
        // Starting on 2 seeds with a cap of 20 would be five looks: the earliest later one gives way.
        #expect(plan.counts(from: 2, cap: 20) == [2, 5, 10, 20])
        #expect(plan.counts(from: 22, cap: 20) == [22])
        #expect(plan.next(after: 5, start: 3, cap: 20) == 10 && plan.next(after: 10, start: 3, cap: 20) == 20)
        #expect(plan.next(after: 20, start: 3, cap: 20) == nil)
    }

    @Test func howTheLooksAreCountedIsSaidOncePerPageNotInEveryRule() {
        let d = Decision.paired(SeedSummary([0.85, 0.86, 0.87]), SeedSummary([0.80, 0.80, 0.80]), .higher,
                                margin: Margin(0.01, "one point"), scale: .accuracy, names: ("A", "B"))
        #expect(d.rule.hasPrefix("paired over seeds: holds when the 97.5% interval of the mean difference"))
        #expect(!d.rule.contains("Bonferroni") && d.claimPart().looks)
        // The report says it once, above its claims table, where a claim judges intervals over seeds.
        let report = Report(chapter: "demo", title: "Demo")
        report.claim(NotesClaim("demo.a", quote: "あ", claim: "A beats B."), d)
        report.claim(NotesClaim("demo.b", quote: "い", claim: "B beats A."), d)
        let markdown = report.markdown(provenance: nil)
        #expect(markdown.components(separatedBy: plan.sentence).count == 2)
        // A rule without seeds has no looks to count.
        #expect(!Decision.value(1, .lower, 2, tolerance: 0.1, name: "x").claimPart().looks)
    }

    @Test func runStopsAtTheFirstDecidedLook() {
        var looked: [Int] = []
        let d = plan.run(start: 3, cap: 20) { count in
            looked.append(count)
            return Decision.threshold(SeedSummary(Array(repeating: 1, count: count - 1) + [count >= 5 ? 1 : 9]), .lower, 5,
                                      levelText: "5", scale: .number(digits: 2), name: "x")
        }
        #expect(looked == [3, 5] && d.verdict == .holds && d.seeds == 5)
    }

    /// 10,000 claims with no difference at all, at spreads from a quarter of the margin to sixteen
    /// margins (ours run from about 0.2 to 17): "holds" at most 5% of the time, at every spread.
    @Test func noDifferenceRarelyHolds() {
        for spread in [0.25, 1, 4, 16] {
            let outcome = Simulation().run(difference: 0, spread: spread)
            #expect(outcome.total == 10_000 && outcome.holdsRate <= 0.05, "spread \(spread): \(outcome.holdsRate)")
        }
    }

    /// A difference exactly at the margin is the largest the claim does not care about, the hardest
    /// case for the error budget: still at most 5%, where uncorrected 95% looks exceed it.
    @Test func aDifferenceAtTheMarginHoldsAtMostTheBudget() {
        for spread in [0.5, 2, 16] {
            #expect(Simulation().run(difference: 1, spread: spread).holdsRate <= 0.05, "spread \(spread)")
        }
        let uncorrected = SequentialPlan(looks: [3, 5, 10], falseHolds: 0.075)    // 95% at each look
        #expect(uncorrected.levelText == "95.0%")
        #expect(Simulation(plan: uncorrected).run(difference: 1, spread: 2).holdsRate > 0.05)
    }

    /// Twice the margin is found at least 80% of the time within 10 seeds while one seed's paired
    /// difference spreads by up to 0.8 margins, and within the plan's 20 while it spreads by up to
    /// 1.2; beyond 1.5 margins, not even 20 seeds can promise it.
    @Test func twiceTheMarginIsFound() {
        let simulation = Simulation()
        #expect(simulation.run(difference: 2, spread: 0.5, cap: 10).holdsRate >= 0.99)
        #expect(simulation.run(difference: 2, spread: 0.8, cap: 10).holdsRate >= 0.80)
        #expect(simulation.run(difference: 2, spread: 1.5, cap: 10).holdsRate < 0.80)
        #expect(simulation.run(difference: 2, spread: 1.2).holdsRate >= 0.80)
        #expect(simulation.run(difference: 2, spread: 1.5).holdsRate < 0.80)
    }

    @Test func theSimulationIsReproducible() {
        let simulation = Simulation(claims: 500, seed: 7)
        #expect(simulation.run(difference: 1, spread: 1) == simulation.run(difference: 1, spread: 1))
        #expect(simulation.run(difference: 2, spread: 1).meanSeeds > 3)
    }
}
