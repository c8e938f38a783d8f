import Foundation

/// The kinds of rule a claim is decided by, each explained once in the glossary of the index
/// (`glossary`), which every claims table links to by `anchor`.
public enum RuleKind: String, Sendable, CaseIterable, Codable {
    /// Two settings on the same seeds: the interval of the mean difference against ±margin.
    case paired
    /// Two settings on the same seeds: the interval of the mean difference above −margin.
    case noWorse = "no-worse"
    /// One measurement over seeds against a level.
    case threshold
    /// One measurement over seeds inside a range.
    case range
    /// Two settings on the same seeds: the interval of the mean difference inside ±margin.
    case equivalence
    /// One setting against each of several others, each by the paired rule.
    case best
    /// One number without seeds (a path on a surface) against a level, with a stated tolerance.
    case single
    /// Several parts, each decided by its own rule.
    case parts
    /// Nothing this project measures bears on the sentence.
    case notTestable = "not-testable"

    /// The rule's name as the claims tables print it.
    public var title: String {
        switch self {
        case .paired: "paired"
        case .noWorse: "no worse"
        case .threshold: "threshold"
        case .range: "range"
        case .equivalence: "the same within a margin"
        case .best: "best of several"
        case .single: "single measurement"
        case .parts: "parts"
        case .notTestable: "not testable"
        }
    }

    /// The anchor of its entry in the index's glossary.
    public var anchor: String { "rule-" + rawValue }

    /// What the rule does, for the glossary: the same words for every claim it decides.
    public var explanation: String {
        switch self {
        case .paired: """
            Two settings trained on the same seeds (same initial weights, same mini-batches), so each seed gives one \
            difference. The claim holds when the interval of the mean difference lies beyond the margin in the claimed \
            direction; it does not hold when the interval reaches no further than the margin (the two are the same within \
            the noise, or the other way round); otherwise it is undecided. Losses are compared as ratios (a difference of \
            logarithms), accuracies in percentage points.
            """
        case .noWorse: """
            Paired as above, but the claim is only that one setting is not worse: it holds when the interval of the mean \
            difference lies above minus the margin, does not hold when it lies wholly below it, and is undecided in between.
            """
        case .threshold: """
            One quantity measured on every seed against a level the claim names: it holds when the interval of its mean \
            lies wholly on the claimed side of the level, does not hold when it lies wholly on the other side, and is \
            undecided when it straddles the level.
            """
        case .range: """
            One quantity measured on every seed against a range the claim names: it holds when the interval of its mean \
            lies inside the range, does not hold when it lies wholly outside, and is undecided when it crosses an end.
            """
        case .equivalence: """
            Paired as above, where the claim is that two settings give the same: it holds when the interval of the mean \
            difference lies inside ±margin, does not hold when it lies wholly beyond it, and is undecided when it crosses it.
            """
        case .best: """
            One setting against each of the others in turn, each by the paired rule: it holds when the setting is ahead of \
            every other, does not hold when it is not ahead of some other (the same within the margin, or behind), and is \
            undecided otherwise.
            """
        case .single: """
            One number with no seeds to vary (a path on a fixed surface): it holds when the number lies beyond the level by \
            more than a stated tolerance, does not hold when it lies short by more, and a tie within the tolerance is \
            undecided.
            """
        case .parts: """
            A sentence that says several things, each a part with its own rule and its own seeds. The claim holds when \
            every part holds, does not hold when none does, holds in part when some do and some do not, and is undecided \
            while a part is undecided and the decided ones agree.
            """
        case .notTestable: """
            The sentence is about something no training run here measures (how many researchers use a method); the \
            verdict says so and why.
            """
        }
    }
}

/// One comparison a rule read, as numbers: an estimate over seeds with its interval, where the
/// interval must lie for the claim to hold, and the band of noise around zero. What a decision
/// strip draws, what the index's forest plot gathers, and what a claim's plain sentence says.
public struct Reading: Sendable, Equatable {
    /// The unit the numbers are in.
    public enum Unit: String, Sendable {
        /// A difference of accuracies (fractions), shown in percentage points.
        case points
        /// An accuracy (a fraction), shown as a percentage.
        case percent
        /// The natural logarithm of a ratio, shown as the ratio ("0.45×").
        case ratio
        /// A plain number.
        case number
    }

    /// What is measured: "gap with dropout − without", "Momentum / SGD at 500".
    public var label: String
    public var rule: RuleKind
    public var unit: Unit
    /// The mean over seeds (or the one number, for a single measurement).
    public var estimate: Double
    /// The interval of the mean at the plan's level; nil for a single measurement.
    public var low: Double?
    public var high: Double?
    /// Where the interval must lie for the claim to hold: from `holdsFrom` to `holdsTo`; an open
    /// side is infinite.
    public var holdsFrom: Double
    public var holdsTo: Double
    /// The half-width of the band of noise around zero (paired, no worse, the same within a
    /// margin): a difference inside it decides nothing. Nil for a threshold or a range.
    public var margin: Double?
    /// Why the margin is what it is.
    public var marginReason: String?
    /// How many seeds the interval rests on; nil for a single measurement.
    public var seeds: Int?
    /// How many images the margin is the noise of, where it is the noise of an evaluation set.
    public var images: Int?
    public var verdict: Claim.Verdict

    public init(label: String, rule: RuleKind, unit: Unit, estimate: Double, low: Double?, high: Double?,
                holds: (from: Double, to: Double), margin: Double? = nil, marginReason: String? = nil, seeds: Int?,
                images: Int? = nil, verdict: Claim.Verdict) {
        self.label = label; self.rule = rule; self.unit = unit; self.estimate = estimate; self.low = low; self.high = high
        holdsFrom = holds.from; holdsTo = holds.to; self.margin = margin; self.marginReason = marginReason
        self.seeds = seeds; self.images = images; self.verdict = verdict
    }

    /// +1 where the claim says the quantity is high (it must clear a lower bound), −1 where it says
    /// it is low; +1 for a range (both ends finite).
    public var claimedSign: Double { holdsTo.isInfinite && holdsTo > 0 ? 1 : (holdsFrom.isInfinite && holdsFrom < 0 ? -1 : 1) }

    /// The same reading in units of its margin, turned so that the claimed direction is positive:
    /// what the index's forest plot puts on one axis. Nil where there is no margin or no interval.
    public var inMargins: (estimate: Double, low: Double, high: Double, from: Double, to: Double)? {
        guard let margin, margin > 0, let low, let high else { return nil }
        let s = claimedSign
        let (a, b) = (s * low / margin, s * high / margin)
        let (from, to) = s > 0 ? (holdsFrom / margin, holdsTo / margin) : (-holdsTo / margin, -holdsFrom / margin)
        return (s * estimate / margin, min(a, b), max(a, b), from, to)
    }

    /// How far the interval's worse end lies inside the region where the claim holds, in the
    /// reading's units (negative when it lies outside): the smallest of these over a claim's
    /// readings marks its weakest part. Nil without an interval.
    public var clearance: Double? {
        guard let low, let high else { return nil }
        return min(holdsFrom.isInfinite ? .infinity : low - holdsFrom, holdsTo.isInfinite ? .infinity : holdsTo - high)
    }

    /// `clearance` in units of the margin, where there is one.
    public var clearanceInMargins: Double? {
        guard let c = clearance, let margin, margin > 0 else { return nil }
        return c / margin
    }
}

/// A claim's decision as a tree: its verdict, the rule in words, the numbers in words, and either
/// the readings it judged (a leaf) or the parts it is made of, each with its own seeds. What
/// results.json records for every claim and part, and what its table and strips are drawn from.
public struct ClaimPart: Sendable, Equatable {
    /// The part's name ("at 500", "averaging beats one mask"); empty for a claim's own decision.
    public var name: String
    public var verdict: Claim.Verdict
    public var rule: RuleKind
    /// The rule in words, without how its looks spend the error (said once per page).
    public var ruleText: String
    /// The deciding numbers in words, in full.
    public var evidence: String
    /// How many seeds a leaf's numbers rest on; nil for a single measurement or a part of parts.
    public var seeds: Int?
    public var readings: [Reading]
    public var parts: [ClaimPart]
    /// Whether its intervals spend the error over the sequential plan's looks.
    public var looks: Bool

    public init(name: String = "", verdict: Claim.Verdict, rule: RuleKind, ruleText: String, evidence: String, seeds: Int?,
                readings: [Reading] = [], parts: [ClaimPart] = [], looks: Bool = false) {
        self.name = name; self.verdict = verdict; self.rule = rule; self.ruleText = ruleText; self.evidence = evidence
        self.seeds = seeds; self.readings = readings; self.parts = parts; self.looks = looks
    }

    /// Every reading below this part, with the names of the parts that lead to it ("at the
    /// reference's rates › Momentum › at 500"), in order.
    public var leafReadings: [(path: [String], reading: Reading)] {
        readings.map { ([], $0) } + parts.flatMap { part in part.leafReadings.map { ([part.name] + $0.path, $0.reading) } }
    }

    /// Every seed count its numbers rest on, leaves and readings alike.
    public var seedCounts: [Int] {
        (parts.isEmpty ? [seeds].compactMap { $0 } : []) + parts.flatMap(\.seedCounts)
    }

    /// Whether any part of it judges intervals over the plan's looks.
    public var usesLooks: Bool { looks || parts.contains { $0.usesLooks } }

    /// The reading that decides most: the one whose interval lies least inside its region where
    /// the claim holds (in units of its margin where it has one), which is the one a verdict of
    /// several parts hinges on. Nil where no reading has an interval.
    public var weakestReading: (path: [String], reading: Reading)? {
        leafReadings.filter { $0.reading.clearance != nil }.min { a, b in
            (a.reading.clearanceInMargins ?? a.reading.clearance!) < (b.reading.clearanceInMargins ?? b.reading.clearance!)
        }
    }
}
