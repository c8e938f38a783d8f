import NumericCore
import Report

extension Claim.Verdict {
    /// The verdict on "`a` is lower than `b`": it holds when every seed of `a` lies below every seed
    /// of `b`, holds in part when only the mean is lower, and does not hold otherwise.
    public static func lower(_ a: SeedSummary, than b: SeedSummary) -> Claim.Verdict {
        a.isClearlyBelow(b) ? .holds : (a.mean < b.mean ? .holdsInPart : .doesNotHold)
    }

    /// The verdict on "`a` is higher than `b`", by the same rule.
    public static func higher(_ a: SeedSummary, than b: SeedSummary) -> Claim.Verdict {
        a.isClearlyAbove(b) ? .holds : (a.mean > b.mean ? .holdsInPart : .doesNotHold)
    }
}

