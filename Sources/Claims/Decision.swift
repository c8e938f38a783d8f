import Formatting
import Foundation
import NeuralNet
import Report
import Runs
import Statistics
import Analysis

/// A sentence of the notes that a chapter checks: a stable id, the notes' own words, and ours.
public struct NotesClaim: Sendable, Hashable {
    /// "optimizers.adagrad-fastest": the same on every dataset, whatever the wording.
    public let id: String
    /// The notes' sentence, as the notes write it.
    public let quote: String
    /// The claim in our words.
    public let claim: String
    /// Whether the notes do not make this claim: a claim of theirs raises it, and it has no quote.
    public let isBeyondTheNotes: Bool
    /// Why its verdict is certain by construction, where it is (see `Claim.illustration`).
    public private(set) var illustration: String?

    /// The same claim, typed as one its design makes certain (`why`): it illustrates the notes and
    /// is left out of the tallies of evidence.
    public func illustrated(_ why: String) -> NotesClaim {
        var claim = self
        claim.illustration = why
        return claim
    }

    /// A sentence of the notes, `quote`, checked as `claim`.
    public init(_ id: String, quote: String, claim: String) {
        precondition(!quote.isEmpty, "a claim of the notes quotes them; one they do not make is beyondTheNotes")
        self.id = id; self.quote = quote; self.claim = claim; isBeyondTheNotes = false
    }

    /// A claim the notes do not make, asked because one of theirs raises it.
    public init(_ id: String, beyondTheNotes claim: String) {
        self.id = id; quote = ""; self.claim = claim; isBeyondTheNotes = true
    }
}

/// A verdict with what decided it: the rule in words, the deciding numbers in words and as
/// readings (or the parts it is made of), and how many seeds they rest on. Made by the rules in
/// `Rules.swift`, never by hand.
public struct Decision: Sendable {
    public let verdict: Claim.Verdict
    /// Which kind of rule decided it (the glossary explains each once).
    public let kind: RuleKind
    /// The rule in words, without how its looks are accounted for (said once per page).
    let ruleCore: String
    /// For a rule that judges intervals over seeds, the plan of its looks; nil for one without seeds.
    let plan: SequentialPlan?
    /// The rule in words.
    public var rule: String { ruleCore }
    public let evidence: String
    /// How many seeds decided it; nil for a measurement that has none (a path on a surface), and
    /// for a decision of parts (each part has its own).
    public let seeds: Int?
    /// While undecided: the setups whose runs, over more seeds, could decide it: those of every
    /// summary it read (`SeedSummary.sources`).
    public let pending: Set<TrainingSetup>
    /// What it read, as numbers (a leaf; `best` reads one per rival).
    public let readings: [Reading]
    /// The parts it is made of, each with its own decision.
    public let parts: [(name: String, decision: Decision)]
    /// Parts shown beside the verdict without deciding it (another reading of the notes' words, the
    /// course's own setting beside the fair design).
    public let beside: [(name: String, decision: Decision)]
    /// How the parts make the verdict; nil for a leaf.
    public let meaning: PartsMeaning?

    init(_ verdict: Claim.Verdict, kind: RuleKind, rule: String, plan: SequentialPlan?, evidence: String, seeds: Int?,
         readings: [Reading] = [], parts: [(name: String, decision: Decision)] = [], beside: [(name: String, decision: Decision)] = [],
         meaning: PartsMeaning? = nil, pending: Set<TrainingSetup> = []) {
        self.verdict = verdict; self.kind = kind; ruleCore = rule; self.plan = plan; self.evidence = evidence; self.seeds = seeds
        self.readings = readings; self.parts = parts; self.beside = beside; self.meaning = meaning
        self.pending = verdict == .undecided ? pending : []
    }

    /// The same decision with another rule text, evidence or parts shown beside.
    func with(rule: String? = nil, evidence: String? = nil, beside: [(name: String, decision: Decision)]? = nil) -> Decision {
        Decision(verdict, kind: kind, rule: rule ?? ruleCore, plan: plan, evidence: evidence ?? self.evidence, seeds: seeds,
                 readings: readings, parts: parts, beside: beside ?? self.beside, meaning: meaning, pending: pending)
    }

    /// The same verdict and numbers with the rule said at more length: `before` comes first.
    public func explained(_ before: String) -> Decision { with(rule: before + ruleCore) }

    /// The same verdict and rule with the evidence said another way (what the numbers mean in the claim's terms).
    public func evidence(_ text: String) -> Decision { with(evidence: text) }

    /// The same verdict, with `others` shown beside it: parts that do not decide it.
    public func beside(_ others: [(String, Decision)]) -> Decision {
        with(beside: beside + others.map { (name: $0.0, decision: $0.1) })
    }

    /// The decision as results.json and the claims tables record it, named `name` (empty for a claim's own).
    public func claimPart(name: String = "", beside isBeside: Bool = false) -> ClaimPart {
        let all = parts.map { $0.decision.claimPart(name: $0.name) } + beside.map { $0.decision.claimPart(name: $0.name, beside: true) }
        return ClaimPart(name: name, verdict: verdict, rule: kind, ruleText: ruleCore, evidence: evidence,
                         seeds: parts.isEmpty ? seeds : nil, readings: readings, parts: all, looks: plan != nil, beside: isBeside,
                         meaning: meaning)
    }
}

/// How far apart two measurements must be before the difference counts: a number and why.
public struct Margin: Sendable {
    public let value: Double
    /// "the test set's resolution at 76%", "a tenth of the loss": for the rule's words.
    public let reason: String
    /// How many images the margin is the noise of, where it is the noise of an evaluation set.
    public let images: Int?
    /// The standard error of the part of the mean difference every seed shares because all are
    /// scored on the same images (it does not shrink with seeds), estimated from which images each
    /// run got right (`sharedComponent`); nil where that is not known.
    public let shared: Double?

    public init(_ value: Double, _ reason: String, images: Int? = nil, shared: Double? = nil) {
        self.value = value
        self.reason = reason
        self.images = images
        self.shared = shared
    }

    /// The shared image noise of paired differences between networks scored on the same `n` images:
    /// with δ_ij = a_ij − b_ij for image j and seed i, the mean over seeds δ̄_j varies over images by
    /// the shared part plus 1/S of each image's seed-to-seed variance; what is left once that is taken
    /// away, over n, is the variance of the shared part of the mean difference. Nil for fewer than two seeds.
    static func sharedComponent(_ pairs: [(Correctness, Correctness)]) -> Double? {
        guard pairs.count >= 2, let n = pairs.first?.0.count, n > 0, pairs.allSatisfy({ $0.count == n && $1.count == n }) else { return nil }
        let seeds = Double(pairs.count)
        // Only the images one network gets right and the other wrong carry a difference (±1): visit
        // those bits alone, word by word. On image j, the seeds' differences sum to `net[j]` and their
        // squares to `discordant[j]`.
        var net = [Int](repeating: 0, count: n), discordant = [Int](repeating: 0, count: n)
        for (a, b) in pairs {
            for (w, (x, y)) in zip(a.words, b.words).enumerated() {
                for (bits, sign) in [(x & ~y, 1), (y & ~x, -1)] {
                    var rest = bits
                    while rest != 0 {
                        let j = w * 64 + rest.trailingZeroBitCount
                        net[j] += sign; discordant[j] += 1
                        rest &= rest - 1
                    }
                }
            }
        }
        var sum = 0.0, sumSquares = 0.0, within = 0.0
        for j in 0..<n where discordant[j] > 0 {
            let mean = Double(net[j]) / seeds
            sum += mean; sumSquares += mean * mean
            within += (Double(discordant[j]) - seeds * mean * mean) / (seeds - 1)
        }
        let count = Double(n)
        let overImages = (sumSquares - sum * sum / count) / (count - 1)
        return (max(0, overImages - within / count / seeds) / count).squareRoot()
    }

    /// One standard error of an accuracy near `accuracy` on `count` images (at least one image's worth).
    public static func resolution(of accuracy: Double, on count: Int, images: String) -> Margin {
        Margin(accuracyResolution(accuracy, count: count),
               "one standard error of an accuracy of \(Format.percent(accuracy, decimals: 0)) on \(count.formatted()) \(images)",
               images: count)
    }

    /// The noise of a difference between two accuracies measured on the same images, seed by seed
    /// (`a[i]` against `b[i]`, over the seeds both have, as the paired rules pair them): the
    /// standard error of the paired difference, which only the images one network gets right and
    /// the other wrong carry (`Correctness.pairedStandardError`), the mean over seeds, and at least
    /// one image's worth. nil when a paired seed lacks either's images, or they were measured on
    /// sets of different sizes.
    public static func paired(_ a: [Correctness?], _ b: [Correctness?], images: String) -> Margin? {
        let pairs = zip(a, b).compactMap { x, y in x.flatMap { x in y.map { (x, $0) } } }
        guard !pairs.isEmpty, pairs.count == min(a.count, b.count), let n = pairs.first?.0.count, n > 0,
              pairs.allSatisfy({ $0.count == n && $1.count == n }) else { return nil }
        let errors = pairs.map { $0.pairedStandardError(against: $1) }
        let discordant = pairs.map { x, y in let (p, q) = x.discordant(with: y); return Double(p + q) / Double(n) }
        let value = max(errors.reduce(0, +) / Double(errors.count), 1 / Double(n))
        return Margin(value, """
            the standard error of a paired difference on the same \(n.formatted()) \(images), where one network is right and the \
            other wrong on \(Format.percent(discordant.reduce(0, +) / Double(discordant.count), decimals: 1)) of them \
            (mean over \(pairs.count == 1 ? "the seed" : "\(pairs.count) seeds"))
            """, images: n, shared: sharedComponent(pairs))
    }
}

extension Margin {
    /// The noise of a difference between two networks' gaps, where a gap is a score on one set of
    /// images minus a score on another, both networks measured on the same disjoint sets: for one
    /// pair, each set's paired standard error (`Correctness.pairedStandardError`), added in
    /// quadrature. `seeds[i]` holds seed i's pairs, `a` and `b` one marking per set, in the order of
    /// `sets`. A seed's noise is the mean over its pairs, which bounds the noise of their mean
    /// whatever they share; the margin is the mean over seeds, at least one image of the smallest
    /// set. nil when a seed has no pairs, or a pair's markings do not match the sets.
    public static func gapDifference(_ seeds: [[(a: [Correctness], b: [Correctness])]], sets: [String]) -> Margin? {
        guard !seeds.isEmpty, !sets.isEmpty, let first = seeds.first?.first else { return nil }
        let counts = first.a.map(\.count)
        guard counts.count == sets.count, counts.allSatisfy({ $0 > 0 }) else { return nil }
        var perSeed: [Double] = [], same = 0, pairs = 0
        for seed in seeds {
            guard !seed.isEmpty else { return nil }
            var total = 0.0
            for (a, b) in seed {
                guard a.map(\.count) == counts, b.map(\.count) == counts else { return nil }
                total += zip(a, b).map { x, y in let e = x.pairedStandardError(against: y); return e * e }
                    .reduce(0, +).squareRoot()
                same += zip(a, b).allSatisfy { $0.discordant(with: $1) == (0, 0) } ? 1 : 0
                pairs += 1
            }
            perSeed.append(total / Double(seed.count))
        }
        let value = max(perSeed.reduce(0, +) / Double(perSeed.count), 1 / Double(counts.min()!))
        let described = zip(counts, sets).map { "\($0.formatted()) \($1)" }
        let listed = described.count == 1 ? described[0]
            : described.dropLast().joined(separator: ", ") + " and " + described.last!
        return Margin(value, """
            the standard error of the difference between the two gaps, from the images the two networks disagree on \
            (\(listed), each set's paired error added in quadrature), the mean over each seed's pairs and over \
            \(seeds.count == 1 ? "the seed" : "\(seeds.count) seeds"); \(same) of the \(pairs) pairs are the same network \
            twice, with no noise
            """, images: counts.min())
    }

    /// The same for pairs of finished runs, each gap read from the marks of `measures` (each
    /// measure with the name of its images); nil when a run lacks one of them.
    public static func gapDifference(_ seeds: [[(a: RunResult, b: RunResult)]],
                                     measures: [(measure: Measure, images: String)]) -> Margin? {
        // A run without a measure's marks gives a shorter list, which the markings' check refuses.
        let marked = seeds.map { seed in
            seed.map { a, b in (a: measures.compactMap { a.marks[$0.measure] }, b: measures.compactMap { b.marks[$0.measure] }) }
        }
        return gapDifference(marked, sets: measures.map(\.images))
    }

    /// The noise of a difference between two accuracies on the same `count` images, seed by seed:
    /// `paired` where every paired seed has its images, otherwise one standard error of the two
    /// sides' mean accuracy on those images.
    public static func difference(_ a: [Correctness?], _ b: [Correctness?], accuracies: (SeedSummary, SeedSummary),
                                  on count: Int, images: String) -> Margin {
        paired(a, b, images: images)
            ?? .resolution(of: (accuracies.0.mean + accuracies.1.mean) / 2, on: count, images: images)
    }
}

/// A number as a reader wants it: whole numbers whole, others to `digits` significant digits.
func plain(_ v: Double, digits: Int) -> String {
    v.isFinite && v == v.rounded() && abs(v) < 1e6 ? String(Int(v)) : Format.number(v, digits: digits)
}

/// How a measurement is compared and written.
public enum Scale: Sendable {
    /// Accuracies from 0 to 1: differences in percentage points.
    case accuracy
    /// Positive quantities spread over decades (losses): compared by their ratio, on a log scale.
    case ratio
    /// Plain numbers, written with this many significant digits.
    case number(digits: Int)

    /// The unit of a difference on this scale, as a reading records it.
    var differenceUnit: Reading.Unit {
        switch self {
        case .accuracy: .points
        case .ratio: .ratio
        case .number: .number
        }
    }

    /// The unit of a value on this scale (a threshold's or a range's mean), as a reading records it.
    var valueUnit: Reading.Unit {
        if case .accuracy = self { return .percent }
        return .number
    }

    /// The value a rule compares.
    func transform(_ v: Double) -> Double {
        if case .ratio = self { return log(v) }
        return v
    }

    /// A compared difference as text: "+4.1 points", "0.21×", "+3.2".
    func difference(_ d: Double) -> String {
        switch self {
        case .accuracy: Format.points(d) + " points"
        case .ratio: Format.number(exp(d), digits: 2) + "×"
        case let .number(digits): (d >= 0 ? "+" : "") + Format.number(d, digits: digits)
        }
    }

    /// An interval of differences as text: "+3.5 to +8.5 points", "0.21× to 0.30×".
    func interval(_ low: Double, _ high: Double) -> String {
        switch self {
        case .accuracy: Format.points(low) + " to " + Format.points(high) + " points"
        case .ratio: difference(low) + " to " + difference(high)
        case .number: difference(low) + " to " + difference(high)
        }
    }

    /// A value as text.
    func value(_ v: Double) -> String {
        switch self {
        case .accuracy: Format.percent(v)
        case .ratio: Format.number(v, digits: 3)
        case let .number(digits): plain(v, digits: digits)
        }
    }

    /// A margin as text: "1.3 points", "a ratio of 1.1", "2".
    func margin(_ m: Double) -> String {
        switch self {
        case .accuracy: Format.number(m * 100, digits: 2) + " points"
        case .ratio: "a ratio of " + Format.significant(exp(m), digits: 3)
        case let .number(digits): Format.number(m, digits: digits)
        }
    }
}

extension Report {
    /// Records a claim of the notes with the decision the rules reached, linked to the section that
    /// shows it (by default the current one) and to the figures that show it.
    /// The verdict recorded for `claim` so far, if the report has checked it.
    public func verdict(_ claim: NotesClaim) -> Claim.Verdict? {
        claims.first { $0.id == claim.id }?.verdict
    }

    /// `settled`: for a claim judged on runs meant to train until they settle, whether they had.
    public func claim(_ claim: NotesClaim, _ decision: Decision, figures: [FigureRef] = [], section: SectionRef? = nil,
                      settled: Bool? = nil) {
        let decision = settled == false ? Decision.unsettled(decision) : decision
        if decision.claimPart().usesLooks { looksSentence = SequentialPlan.claims.sentence }
        self.claim(Claim(id: claim.id, quote: claim.quote, beyondTheNotes: claim.isBeyondTheNotes, claim: claim.claim,
                         decision: decision.claimPart(), section: section?.anchor, figures: figures.map(\.name), settled: settled,
                         illustration: claim.illustration))
    }
}

/// The decisions of several claims, found by the claim itself, never by position: what a chapter's
/// claims reach on a comparison, read both by the comparison (to grow its seeds) and by the report.
public struct Decisions: Sendable {
    private var decisions: [String: Decision] = [:]
    /// The claims in the order given.
    public private(set) var claims: [NotesClaim] = []

    public init(_ pairs: [(NotesClaim, Decision)]) {
        for (claim, decision) in pairs {
            precondition(decisions[claim.id] == nil, "\(claim.id) decided twice")
            decisions[claim.id] = decision
            claims.append(claim)
        }
    }

    /// The decision on `claim`, which must be one of these.
    public subscript(claim: NotesClaim) -> Decision {
        guard let decision = decisions[claim.id] else { preconditionFailure("no decision on \(claim.id)") }
        return decision
    }

    /// Every decision, for a comparison that grows its seeds while one is undecided.
    public var all: [Decision] { claims.map { self[$0] } }
}

