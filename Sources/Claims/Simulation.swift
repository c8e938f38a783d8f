import Formatting
import Foundation
import NumericCore
import Report
import Runs
import Statistics

/// The claims engine run on claims whose truth is known: how often a paired claim is declared to
/// hold when it does not (its false "holds" rate), and how often it is when the difference is
/// real (its power). Each simulated claim has seeds whose paired differences are normal with a
/// chosen mean and spread, and goes through the sequential plan exactly as a chapter's does: the
/// paired rule on the first 3 seeds, then 5, 10 and 20 while it is undecided.
public struct Simulation: Sendable {
    /// The plan under test.
    public let plan: SequentialPlan
    /// The smallest difference the simulated claims care about; everything else is in its units.
    public let margin: Double
    /// Simulated claims per rate.
    public let claims: Int
    /// Fixes every draw.
    public let seed: UInt64

    public init(plan: SequentialPlan = .claims, margin: Double = 0.01, claims: Int = 10_000, seed: UInt64 = 1) {
        self.plan = plan; self.margin = margin; self.claims = claims; self.seed = seed
    }

    /// What the simulated claims were decided to be.
    public struct Outcome: Sendable, Equatable {
        public var holds = 0, doesNotHold = 0, undecided = 0
        /// Seeds spent, over all claims.
        public var seeds = 0
        public var total: Int { holds + doesNotHold + undecided }
        /// The share declared to hold.
        public var holdsRate: Double { Double(holds) / Double(total) }
        /// The mean number of seeds a claim took.
        public var meanSeeds: Double { Double(seeds) / Double(total) }
    }

    /// `claims` claims that `a` is higher than `b`, with true paired difference `difference` and
    /// spread (standard deviation of one seed's paired difference) `spread`, both in margins,
    /// looked at from `start` seeds up to `cap` (the plan's last look unless given).
    public func run(difference: Double, spread: Double, start: Int = 3, cap: Int? = nil) -> Outcome {
        let cap = cap ?? plan.looks.last!
        var generator = SeededGenerator(seed: seed, stream: "claims simulation \(difference) \(spread)")
        let base = SeedSummary(Array(repeating: 0, count: cap))
        var outcome = Outcome()
        let margin = Margin(margin, "the simulated margin")
        for _ in 0..<claims {
            let differences = (0..<cap).map { _ in (difference + spread * generator.nextNormal()) * self.margin }
            var used = start
            let decision = plan.run(start: start, cap: cap) { count in
                used = count
                return Decision.paired(SeedSummary(Array(differences.prefix(count))), SeedSummary(Array(base.values.prefix(count))),
                                       .higher, margin: margin, scale: .number(digits: 3), names: ("a", "b"), plan: plan)
            }
            outcome.seeds += used
            switch decision.verdict {
            case .holds: outcome.holds += 1
            case .doesNotHold: outcome.doesNotHold += 1
            default: outcome.undecided += 1
            }
        }
        return outcome
    }

    /// One row of the engine's operating characteristics at one spread: false "holds" when there is
    /// no difference and when it equals the margin (the largest one the claim does not care
    /// about), and power at twice the margin.
    public struct Row: Sendable {
        public let spread: Double
        public let none: Outcome, atMargin: Outcome, twiceMargin: Outcome
    }

    /// The rows at each spread (in margins).
    public func characteristics(spreads: [Double]) -> [Row] {
        spreads.map { Row(spread: $0, none: run(difference: 0, spread: $0), atMargin: run(difference: 1, spread: $0),
                          twiceMargin: run(difference: 2, spread: $0)) }
    }
}

extension Simulation {
    /// The spreads, in margins, the reports' table shows: the paired claims of the reports have
    /// spreads from about a fifth of their margin to many margins.
    public static let reportedSpreads: [Double] = [0.25, 0.5, 1, 2, 4, 16]

    /// The engine's error rates as a Markdown section for `output/README.md`: how the looks spend
    /// the error, and what 10,000 simulated claims per cell gave, beside uncorrected 95% looks.
    public static func markdown(spreads: [Double] = reportedSpreads, claims: Int = 10_000) -> String {
        let plan = SequentialPlan.claims
        let uncorrected = SequentialPlan(looks: plan.looks, falseHolds: 0.025 * Double(plan.looks.count))    // 95% at every look
        let simulation = Simulation(plan: plan, claims: claims), naive = Simulation(plan: uncorrected, claims: claims)
        let tenSeeds = plan.looks.filter { $0 <= 10 }.last ?? plan.looks[0], allSeeds = plan.looks.last!
        let rows = runInParallel(spreads) { spread -> [String] in
            let none = simulation.run(difference: 0, spread: spread), edge = simulation.run(difference: 1, spread: spread)
            let power = simulation.run(difference: 2, spread: spread), naiveEdge = naive.run(difference: 1, spread: spread)
            let powerByTen = simulation.run(difference: 2, spread: spread, cap: tenSeeds)
            func rate(_ o: Outcome) -> String { Format.percent(o.holdsRate, decimals: 1) }
            return [Format.number(spread, digits: 2) + "×", rate(none), rate(edge), rate(powerByTen), rate(power),
                    Format.number(power.meanSeeds, digits: 2), rate(naiveEdge)]
        }
        return """
            Every verdict over seeds is read from an interval of Student's t at \(plan.levelText). A claim is looked at on \(plan.lookList) seeds, \
            growing only while it is undecided, and each look may declare "holds" by luck; so the \(Format.percent(plan.falseHolds, decimals: 0)) \
            chance of a false "holds" is split between the looks (Bonferroni: \(Format.percent(plan.perLook, decimals: 2)) in each tail of each look). \
            The margin is the smallest difference a claim cares about; a difference inside it never makes a claim hold. It is never \
            finer than what the images can resolve: where two networks are compared on the same images, the standard error of their \
            paired difference, from the images one gets right and the other wrong (every run records which); elsewhere one \
            standard error of an accuracy.

            The engine measured on \(claims.formatted()) simulated claims per cell, each run through the same looks as a chapter's \
            (paired differences drawn from a normal distribution; the spread is the standard deviation of one seed's paired difference, \
            in margins). The last column is what uncorrected 95% looks would give where it matters most, at a difference equal to the margin. \
            Ten seeds find twice the margin at least 80% of the time only where one seed's difference spreads by less than about one margin, \
            which is why the plan has a look at \(allSeeds); a claim whose seeds spread more than that look can resolve needs a larger evaluation set, \
            and stays undecided rather than guess.

            \(Markdown.table(headers: ["spread of one seed's difference", "false \"holds\": no difference", "false \"holds\": difference at the margin",
                                       "\"holds\" at twice the margin (power), up to \(tenSeeds) seeds",
                                       "power, up to \(allSeeds) seeds", "seeds used at twice the margin (up to \(allSeeds))",
                                       "uncorrected 95% looks: false \"holds\" at the margin"], rows: rows))
            """
    }
}
