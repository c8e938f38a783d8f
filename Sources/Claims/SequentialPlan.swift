import Formatting
import Foundation
import Report
import Statistics

/// How a claim looks at its seeds: on the chapter's seeds first, then on more (5, 10, then 20) while it
/// is undecided, stopping at the first decided verdict. Every look is a chance to declare "holds"
/// by luck, so the chance of a false "holds" is spent over the looks (Bonferroni): each look's
/// interval leaves `falseHolds / looks` in each tail, and over all looks a difference that is not
/// there is declared at most `falseHolds` of the time.
public struct SequentialPlan: Sendable {
    /// The seed counts a claim may be looked at, in order.
    public let looks: [Int]
    /// The chance of a false "holds" over all the looks together.
    public let falseHolds: Double

    /// t quantiles at this plan's level for 1 to 63 degrees of freedom, worked out once.
    private let quantiles: [Double]

    public init(looks: [Int], falseHolds: Double) {
        precondition(!looks.isEmpty && looks == looks.sorted() && Set(looks).count == looks.count && looks[0] >= 2,
                     "looks are increasing seed counts of at least 2")
        precondition(falseHolds > 0 && falseHolds < 0.5)
        self.looks = looks
        self.falseHolds = falseHolds
        let p = 1 - falseHolds / Double(looks.count)
        quantiles = (1..<64).map { StudentT.quantile(p, degreesOfFreedom: $0) }
    }

    /// Every claim in every report: looks at 3, 5, 10 and 20 seeds, a false "holds" at most 5% of the
    /// time. The fourth look is there because ten seeds cannot decide a difference of twice the
    /// margin when one seed's difference spreads by more than about a margin, as many of ours do,
    /// and because a claim decided only by an interval's edge on ten seeds can be decided the other
    /// way by another BLAS kernel's rounding; it costs each look a quarter of the error instead of a third.
    public static let claims = SequentialPlan(looks: [3, 5, 10, 20], falseHolds: 0.05)

    /// The chance of a false "holds" each look may spend: `falseHolds / looks`.
    public var perLook: Double { falseHolds / Double(looks.count) }

    /// The level of each look's two-sided interval: each tail holds `perLook` (97.5% for 5% over four looks).
    public var level: Double { 1 - 2 * perLook }

    /// "97.5%": the level as the rules print it.
    public var levelText: String { Format.percent(level, decimals: 1) }

    /// The interval of a mean at this plan's level; nil for fewer than two values.
    public func interval(_ values: [Double]) -> MeanInterval? {
        MeanInterval(values) { df in df <= quantiles.count ? quantiles[df - 1] : StudentT.quantile(1 - perLook, degreesOfFreedom: df) }
    }

    /// "3, 5, 10 and 20": the looks' seed counts as a list in words.
    public var lookList: String { Self.list(looks) }

    /// "5, 10 and 20": the seed counts a claim may grow to after its first look.
    public var laterLooks: String { Self.list(Array(looks.dropFirst())) }

    static func list(_ numbers: [Int]) -> String {
        let counts = numbers.map(String.init)
        return counts.count <= 1 ? counts.first ?? "" : counts.dropLast().joined(separator: ", ") + " and " + counts.last!
    }

    /// How the looks are accounted for, the last sentence of every rule over seeds: "Intervals are
    /// Student's t at 97.5%: a claim may be looked at on 3, 5, 10 and 20 seeds, …".
    public var sentence: String {
        let shares = ["all", "half", "a third", "a quarter", "a fifth"]
        let share = looks.count <= shares.count ? shares[looks.count - 1] : "1/\(looks.count)"
        return "Intervals are Student's t at \(levelText): a claim may be looked at on \(lookList) seeds, growing while undecided, and each look "
            + "spends \(share) (\(Format.percent(perLook, decimals: 2))) of a \(Format.percent(falseHolds, decimals: 0)) chance of a false \"holds\" (Bonferroni)."
    }

    /// The seed counts a claim starting on `start` seeds is looked at, up to `cap`: the start, then
    /// the plan's later looks (and the cap, where it falls between them), never more looks in all
    /// than the plan spends its error over (the earliest later ones give way).
    public func counts(from start: Int, cap: Int) -> [Int] {
        var later = Set(looks.filter { $0 > start && $0 <= cap })
        if cap > start { later.insert(cap) }
        return [start] + later.sorted().suffix(looks.count - 1)
    }

    /// The seed count after `count`, up to `cap`, on a plan that started at `start`; nil when it was the last look.
    public func next(after count: Int, start: Int, cap: Int) -> Int? {
        counts(from: start, cap: cap).first { $0 > count }
    }

    /// Runs the plan: `decide` on `start` seeds, then on each later look while the verdict is
    /// undecided. Returns the decision reached and how many seeds it took.
    public func run(start: Int, cap: Int, _ decide: (Int) -> Decision) -> Decision {
        var count = start
        while true {
            let decision = decide(count)
            guard decision.verdict == .undecided, let more = next(after: count, start: start, cap: cap) else { return decision }
            count = more
        }
    }
}
