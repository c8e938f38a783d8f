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

        /// Counts one claim's verdict, reached on `used` seeds.
        mutating func count(_ verdict: Claim.Verdict, seeds used: Int) {
            seeds += used
            switch verdict {
            case .holds: holds += 1
            case .doesNotHold: doesNotHold += 1
            default: undecided += 1
            }
        }
    }

    /// `claims` claims that `a` is higher than `b`, with true paired difference `difference` and
    /// spread (standard deviation of one seed's paired difference) `spread`, both in margins,
    /// looked at from `start` seeds up to `cap` (the plan's last look unless given).
    ///
    /// `shared` (in margins) is the standard deviation of a component every seed of one claim shares:
    /// the noise of the one test set every seed is scored on, which no number of seeds averages away.
    public func run(difference: Double, spread: Double, shared: Double = 0, start: Int = 3, cap: Int? = nil) -> Outcome {
        let cap = cap ?? plan.looks.last!
        return simulate(stream: "claims simulation \(difference) \(spread)" + (shared > 0 ? " \(shared)" : ""),
                        start: start, cap: cap) { generator in
            let common = shared * generator.nextNormal()
            let differences = (0..<cap).map { _ in (difference + common + spread * generator.nextNormal()) * self.margin }
            return { count in Array(differences.prefix(count)) }
        }
    }

    /// `claims` simulated claims, each growing its seeds like a claim from `start` to `cap` and
    /// judged against a rival of 0 by the paired rule at the simulated margin; the verdicts and the
    /// seeds each used, counted. `claim` draws one claim's numbers and returns its differences on
    /// its first `count` seeds, at each look.
    private func simulate(stream: String, start: Int, cap: Int,
                          _ claim: (inout SeededGenerator) -> (Int) -> [Double]) -> Outcome {
        var generator = SeededGenerator(seed: seed, stream: stream)
        let base = SeedSummary(Array(repeating: 0, count: cap))
        let margin = Margin(margin, "the simulated margin")
        var outcome = Outcome()
        for _ in 0..<claims {
            let differences = claim(&generator)
            var used = start
            let decision = plan.run(start: start, cap: cap) { count in
                used = count
                return Decision.paired(SeedSummary(differences(count)), SeedSummary(Array(base.values.prefix(count))),
                                       .higher, margin: margin, scale: .number(digits: 3), names: ("a", "b"), plan: plan)
            }
            outcome.count(decision.verdict, seeds: used)
        }
        return outcome
    }

    /// Where a comparison's best arm is chosen: on tuning seeds no claim reads, on the claim's own
    /// first seeds and then kept, or again at every look on all the claim's seeds so far.
    public enum Selection: Sendable { case tuningSeeds, firstLook, everyLook }

    /// `claims` claims that the best of `candidates` arms is higher than a rival, where every arm is
    /// in truth `difference` margins ahead of it and each seed's difference spreads by `spread`
    /// margins. The best arm is chosen by its mean validation score on a seed: that seed's difference
    /// plus noise of its own (`validationNoise` margins, validation images not being the claim's),
    /// on the seeds `selection` says. Chosen on the claim's own seeds, the winner's luck stays in its
    /// interval; chosen again at every look, each arm's interval is one more chance as well.
    public func runChoosing(candidates: Int, difference: Double = 1, spread: Double, validationNoise: Double = 1,
                            selection: Selection, start: Int = 3) -> Outcome {
        let cap = plan.looks.last!
        return simulate(stream: "choosing \(candidates) \(difference) \(spread) \(validationNoise) \(selection)",
                        start: start, cap: cap) { generator in
            func draws(_ count: Int) -> [[Double]] {
                (0..<candidates).map { _ in (0..<count).map { _ in (difference + spread * generator.nextNormal()) * self.margin } }
            }
            let arms = draws(cap)
            let scored = selection == .tuningSeeds ? draws(start) : arms
            let validation = scored.map { arm in arm.map { $0 + validationNoise * generator.nextNormal() * self.margin } }
            func best(on count: Int) -> Int {
                validation.indices.max { validation[$0].prefix(count).reduce(0, +) < validation[$1].prefix(count).reduce(0, +) }!
            }
            let first = best(on: start)
            return { count in Array(arms[selection == .everyLook ? best(on: count) : first].prefix(count)) }
        }
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
    public static func markdown(spreads: [Double] = reportedSpreads, claims: Int = 10_000,
                                sharedComponents: [Double] = [0.25, 0.5]) -> String {
        let plan = SequentialPlan.claims
        let uncorrected = SequentialPlan(looks: plan.looks, falseHolds: 0.025 * Double(plan.looks.count))    // 95% at every look
        let simulation = Simulation(plan: plan, claims: claims), naive = Simulation(plan: uncorrected, claims: claims)
        let tenSeeds = plan.looks.filter { $0 <= 10 }.last ?? plan.looks[0], allSeeds = plan.looks.last!
        let rows = runInParallel(spreads) { spread -> [String] in
            let none = simulation.run(difference: 0, spread: spread), edge = simulation.run(difference: 1, spread: spread)
            let power = simulation.run(difference: 2, spread: spread), naiveEdge = naive.run(difference: 1, spread: spread)
            let powerByTen = simulation.run(difference: 2, spread: spread, cap: tenSeeds)
            let sharedEdge = sharedComponents.map { simulation.run(difference: 1, spread: spread, shared: $0) }
            func rate(_ o: Outcome) -> String { Format.percent(o.holdsRate, decimals: 1) }
            return [Format.number(spread, digits: 2) + "×", rate(none), rate(edge), rate(powerByTen), rate(power),
                    Format.number(power.meanSeeds, digits: 2), rate(naiveEdge)] + sharedEdge.map(rate)
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
                                       "uncorrected 95% looks: false \"holds\" at the margin"]
                                + sharedComponents.map { "false \"holds\" at the margin, with a shared component of \(Format.number($0, digits: 2)) margins" },
                           rows: rows))

            The table is conditional on one test set: every seed of a claim is scored on the same images, so part of the image \
            noise is common to all its seeds and never averages out. The last columns add such a shared component (one normal \
            draw per claim, its standard deviation in margins) to every seed's difference. Each chapter publishes which images \
            every run got right (`correctness.json`), from which the shared component of any paired claim can be estimated.
            """
    }
}

extension Simulation {
    /// The shared image noise each paired reading carries, in units of its margin, beside the spread
    /// of one seed's difference, and what the engine's false "holds" at the margin becomes with that
    /// shared component (`claims` simulated claims each): for `output/README.md`, under the error table.
    /// `readings` are the claims' readings with a name each; those without an estimate are left out.
    public static func sharedMarkdown(_ readings: [(name: String, reading: Reading)], claims: Int = 4000) -> String {
        let measured = readings.compactMap { entry -> (String, Double, Double)? in
            let r = entry.reading
            guard let shared = r.shared, let margin = r.margin, margin > 0, let values = r.perSeed, values.count >= 2 else { return nil }
            let mean = values.reduce(0, +) / Double(values.count)
            let sd = (values.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(values.count - 1)).squareRoot()
            return (entry.name, shared / margin, sd / margin)
        }
        guard !measured.isEmpty else { return "" }
        let simulation = Simulation(claims: claims, seed: 7)
        let rates = runInParallel(measured) { _, shared, spread in
            simulation.run(difference: 1, spread: max(spread, 0.05), shared: shared).holdsRate
        }
        let rows = zip(measured, rates).sorted { $0.0.1 > $1.0.1 }.map { m, rate in
            [m.0, Format.number(m.1, digits: 2), Format.number(m.2, digits: 2), Format.percent(rate, decimals: 1)]
        }
        let shares = measured.map(\.1).sorted()
        return """
            The shared component of every paired reading on the same images, estimated from which images each run got right \
            (the variance over images of the seeds' mean per-image difference, less what the seeds' own spread puts there): \
            \(measured.count) readings, median \(Format.number(shares[shares.count / 2], digits: 2)) margins, largest \
            \(Format.number(shares.last!, digits: 2)). Beside each, the false "holds" the engine would give at a true difference \
            equal to the margin, over test sets, with that shared component and that spread (\(claims.formatted()) simulated claims \
            each): what the table's rate becomes for a claim with this reading's noise. Every verdict here is conditional on the one \
            test set the chapters score on.

            <details><summary>each reading</summary>

            \(Markdown.table(headers: ["claim › reading", "shared component (margins)", "spread of one seed (margins)",
                                       "false \"holds\" at the margin with it"], rows: rows))

            </details>
            """
    }
}
