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
            A sentence judged in several parts, each with its own rule and its own seeds. How the parts make the verdict is \
            fixed before they are judged, from what the notes' words mean. Where the sentence says several things, it holds \
            when every part holds, does not hold when none does, and holds in part when some do and some do not. Where the \
            parts are several looks at one statement (checkpoints along a run), the verdict is the one most of them give. \
            An undecided part leaves the claim undecided only while its outcome could still change the verdict. Parts marked \
            *beside* are shown next to the verdict without deciding it: another reading of the notes' words, or the course's \
            own setting next to the fair design.
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
    /// The standard error of the image noise every seed shares (scored on the same images), where
    /// it was estimated from the runs' correctness: the error table is conditional on it.
    public var shared: Double?
    /// The values the interval is of, seed by seed (each seed's difference, or its value), in the
    /// reading's units before display (logarithms for a ratio): the claim's inputs, published.
    public var perSeed: [Double]?
    public var verdict: Claim.Verdict

    public init(label: String, rule: RuleKind, unit: Unit, estimate: Double, low: Double?, high: Double?,
                holds: (from: Double, to: Double), margin: Double? = nil, marginReason: String? = nil, seeds: Int?,
                images: Int? = nil, shared: Double? = nil, perSeed: [Double]? = nil, verdict: Claim.Verdict) {
        self.label = label; self.rule = rule; self.unit = unit; self.estimate = estimate; self.low = low; self.high = high
        holdsFrom = holds.from; holdsTo = holds.to; self.margin = margin; self.marginReason = marginReason
        self.seeds = seeds; self.images = images; self.shared = shared; self.perSeed = perSeed; self.verdict = verdict
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

/// How the parts of a claim make its verdict: said before the claim is judged, from what the notes'
/// sentence means, so that which parts count can never follow from which way they came out.
public enum PartsMeaning: String, Sendable, CaseIterable {
    /// The sentence says every part ("A and B"): it holds when every part holds, does not hold when
    /// none does, and holds in part when some do and some do not.
    case every
    /// The parts are several looks at one statement (checkpoints along one run): the verdict most of
    /// them give; a tie holds in part.
    case most

    /// The combination in words, for the rule and the glossary.
    public var text: String {
        switch self {
        case .every: "holds when every part holds, does not hold when none does, holds in part when some do and some do not"
        case .most: "the verdict of most parts (a tie holds in part)"
        }
    }

    /// The verdict of decided parts (each holds, does not hold, or holds in part, which counts half each way).
    func combine(_ verdicts: [Claim.Verdict]) -> Claim.Verdict {
        let holds = verdicts.filter { $0 == .holds }.count, fails = verdicts.filter { $0 == .doesNotHold }.count
        let mixed = verdicts.count - holds - fails
        switch self {
        case .every:
            return mixed == 0 && fails == 0 ? .holds : (mixed == 0 && holds == 0 ? .doesNotHold : .holdsInPart)
        case .most:
            let (yes, no) = (2 * holds + mixed, 2 * fails + mixed)
            return yes > no ? .holds : (no > yes ? .doesNotHold : .holdsInPart)
        }
    }

    /// The verdict of parts some of which may be undecided: the verdict every way the undecided ones
    /// could come out gives, where they all give the same one; undecided otherwise. So decided parts
    /// decide as soon as the undecided ones cannot change the verdict. A part not testable counts
    /// as undecided; a claim of such parts only is not testable.
    public func verdict(of verdicts: [Claim.Verdict]) -> Claim.Verdict {
        if !verdicts.isEmpty, verdicts.allSatisfy({ $0 == .notTestable }) { return .notTestable }
        let decided = verdicts.filter { $0 == .holds || $0 == .doesNotHold || $0 == .holdsInPart }
        let open = verdicts.count - decided.count
        guard !verdicts.isEmpty else { return .undecided }
        // The order of the parts does not matter: how many of the open ones hold is all there is to try.
        let outcomes = Set((0...open).map { k in
            combine(decided + Array(repeating: .holds, count: k) + Array(repeating: .doesNotHold, count: open - k))
        })
        return outcomes.count == 1 ? outcomes.first! : .undecided
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
    /// For a part: whether it is shown beside the claim's verdict without deciding it (another
    /// reading of the notes' words, the course's own setting beside the fair design).
    public var beside: Bool
    /// For a decision of parts: how its parts make its verdict (nil for a leaf).
    public var meaning: PartsMeaning?

    public init(name: String = "", verdict: Claim.Verdict, rule: RuleKind, ruleText: String, evidence: String, seeds: Int?,
                readings: [Reading] = [], parts: [ClaimPart] = [], looks: Bool = false, beside: Bool = false,
                meaning: PartsMeaning? = nil) {
        self.name = name; self.verdict = verdict; self.rule = rule; self.ruleText = ruleText; self.evidence = evidence
        self.seeds = seeds; self.readings = readings; self.parts = parts; self.looks = looks; self.beside = beside
        self.meaning = meaning
    }

    /// The parts that decide its verdict (every part but those shown beside it).
    public var decidingParts: [ClaimPart] { parts.filter { !$0.beside } }

    /// Every reading the verdict rests on, with the names of the parts that lead to it ("each at
    /// its best rate › Momentum › at 500"), in order; the readings of parts shown beside are left out.
    public var leafReadings: [(path: [String], reading: Reading)] {
        readings.map { ([], $0) } + decidingParts.flatMap { part in part.leafReadings.map { ([part.name] + $0.path, $0.reading) } }
    }

    /// Every seed count the verdict's numbers rest on (the parts shown beside left out).
    public var seedCounts: [Int] {
        (decidingParts.isEmpty ? [seeds].compactMap { $0 } : []) + decidingParts.flatMap(\.seedCounts)
    }

    /// Each deciding part with the seeds it rests on, for "at 200: 3 seeds; at 2000: 20 seeds".
    public var partSeeds: [(name: String, seeds: [Int])] {
        decidingParts.map { ($0.name, $0.seedCounts) }
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
