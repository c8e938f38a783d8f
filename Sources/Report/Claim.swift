/// A claim of the notes, checked against the measurements: the notes' own sentence and ours, the
/// decision (verdict, rule, numbers in words and as readings, parts with their own seeds), and
/// where the report shows it. What results.json's `summary.claims` holds.
public struct Claim: Sendable, Equatable {
    /// The tallies a page prints: the notes' sentences the measurements could have refuted, by
    /// verdict; then, apart, those certain by construction and those beyond the notes.
    public static func tally(_ claims: [Claim], count: (Int, Verdict) -> String = { "\($0) \($1.plural)" }) -> String {
        func line(_ group: [Claim]) -> String {
            Verdict.allCases.compactMap { v -> String? in
                let n = group.filter { $0.verdict == v }.count
                return n == 0 ? nil : count(n, v)
            }.joined(separator: " · ")
        }
        let evidence = claims.filter(\.isEvidence), illustrated = claims.filter { $0.illustration != nil && !$0.isBeyondTheNotes }
        let beyond = claims.filter(\.isBeyondTheNotes)
        var text = "\(evidence.count) of the notes' sentences tested: " + line(evidence)
        if !illustrated.isEmpty {
            text += "; \(illustrated.count) more illustrated, certain by construction and not counted as evidence (\(line(illustrated)))"
        }
        if !beyond.isEmpty { text += "; \(beyond.count) beyond the notes (\(line(beyond)))" }
        return text
    }

    public enum Verdict: String, Sendable, CaseIterable {
        case holds = "holds"
        case holdsInPart = "holds in part"
        case doesNotHold = "does not hold"
        /// The measurements cannot tell: the difference is not larger than their noise.
        case undecided = "undecided"
        /// Nothing this project can measure bears on it (how many researchers use Adam).
        case notTestable = "not testable here"

        /// "holds", "is undecided": the verdict as the predicate of a sentence about the claim.
        public var predicate: String {
            switch self {
            case .undecided: "is undecided"
            case .notTestable: "is not testable here"
            default: rawValue
            }
        }

        /// "hold", "hold in part", "do not hold", "undecided": after a count.
        public var plural: String {
            switch self {
            case .holds: "hold"
            case .holdsInPart: "hold in part"
            case .doesNotHold: "do not hold"
            case .undecided: "undecided"
            case .notTestable: "not testable here"
            }
        }
    }

    /// Stable across datasets and rewordings ("optimizers.adagrad-fastest"): what the index matches by.
    public var id: String
    /// The notes' sentence, in the notes' language; empty for a claim beyond the notes.
    public var quote: String
    /// Whether the notes do not make this claim (a claim of theirs raises it): it has no quote.
    public var isBeyondTheNotes: Bool
    /// The claim in our words.
    public var claim: String
    /// How it was decided: the verdict, the rule, the numbers, the parts.
    public var decision: ClaimPart
    /// The anchor of the report section that shows the evidence.
    public var section: String?
    /// The figures that show it (file names without extension; each has its data as `<name>.csv`).
    public var figures: [String]
    /// For a claim judged on runs meant to train until they settle: whether they had. Nil where it
    /// does not apply.
    public var settled: Bool?
    /// Why the claim is certain by construction, where it is (the same quantity drives both sides,
    /// or algebra fixes the answer): its verdict illustrates the notes and is no evidence for them,
    /// so the tallies of evidence leave it out. Nil for a claim the measurements could have refuted.
    public var illustration: String?

    public init(id: String, quote: String, beyondTheNotes: Bool = false, claim: String, decision: ClaimPart,
                section: String? = nil, figures: [String] = [], settled: Bool? = nil, illustration: String? = nil) {
        precondition(beyondTheNotes == quote.isEmpty, "a claim quotes the notes exactly when it is not beyond them")
        self.id = id; self.quote = quote; isBeyondTheNotes = beyondTheNotes; self.claim = claim; self.decision = decision
        self.section = section; self.figures = figures; self.settled = settled; self.illustration = illustration
    }

    /// Whether its verdict counts as evidence about the notes: a sentence of theirs that the
    /// measurements could have refuted.
    public var isEvidence: Bool { !isBeyondTheNotes && illustration == nil }

    /// "holds · illustrated": the verdict with the claim's own badge where it only illustrates.
    public var verdictText: String { verdict.rawValue + (illustration == nil ? "" : " · illustrated") }

    /// A claim decided by one rule, in words only (no readings): for tests and simple uses.
    public init(id: String, quote: String, beyondTheNotes: Bool = false, claim: String, rule: String, verdict: Verdict, evidence: String,
                seeds: Int?, section: String? = nil, figures: [String] = []) {
        self.init(id: id, quote: quote, beyondTheNotes: beyondTheNotes, claim: claim,
                  decision: ClaimPart(verdict: verdict, rule: .paired, ruleText: rule, evidence: evidence, seeds: seeds),
                  section: section, figures: figures)
    }

    public var verdict: Verdict { decision.verdict }
    /// The rule in words.
    public var rule: String { decision.ruleText }
    /// The numbers that decide it, in words.
    public var evidence: String { decision.evidence }
    /// The fewest seeds any of its parts rests on (nil for measurements without seeds).
    public var seeds: Int? { decision.seedCounts.min() }
    /// Every seed count its parts rest on, for "3 to 20 seeds".
    public var seedCounts: [Int] { decision.seedCounts }

    /// The quote as the reports print it: 「the notes' words」, or "(beyond the notes)".
    public var quoted: String { isBeyondTheNotes ? "(beyond the notes)" : "「\(quote)」" }

    /// The claim as an entry of results.json's `summary.claims`: its own decision's fields at the
    /// top (`verdict`, `rule`, `evidence`, `kind`, `readings`, `parts`), `seeds` the fewest seeds
    /// any part rests on and `seeds_range` the fewest and most where they differ.
    public var json: JSONValue {
        guard case var .object(object) = decision.json else { preconditionFailure("a decision is an object") }
        object["id"] = .string(id); object["quote"] = .string(quote); object["claim"] = .string(claim)
        object["figures"] = .array(figures.map { .string($0) })
        object["data"] = .array(figures.map { .string($0 + ".csv") })
        object.removeValue(forKey: "name")
        object.removeValue(forKey: "seeds")
        let counts = seedCounts
        if let low = counts.min(), let high = counts.max() {
            object["seeds"] = .number(Double(low))
            if high != low { object["seeds_range"] = .array([.number(Double(low)), .number(Double(high))]) }
        }
        if isBeyondTheNotes { object["beyond_the_notes"] = .bool(true) }
        if let section { object["section"] = .string(section) }
        if let settled { object["settled"] = .bool(settled) }
        if let illustration { object["illustrated"] = .string(illustration) }
        return .object(object)
    }

    /// Reads a claim back from results.json.
    public init?(json: JSONValue) {
        guard case let .object(o) = json, let id = o["id"]?.stringValue, let claim = o["claim"]?.stringValue,
              let decision = ClaimPart(json: json) else { return nil }
        let quote = o["quote"]?.stringValue ?? "", beyond: Bool
        if case let .bool(value)? = o["beyond_the_notes"] { beyond = value } else { beyond = false }
        guard beyond == quote.isEmpty else { return nil }
        var settled: Bool?
        if case let .bool(value)? = o["settled"] { settled = value }
        self.init(id: id, quote: quote, beyondTheNotes: beyond, claim: claim, decision: decision, section: o["section"]?.stringValue,
                  figures: o["figures"]?.arrayValue?.compactMap(\.stringValue) ?? [], settled: settled,
                  illustration: o["illustrated"]?.stringValue)
    }
}

extension ClaimPart {
    /// The part as JSON: name, verdict, kind, rule, evidence, seeds, readings and parts.
    public var json: JSONValue {
        var object: [String: JSONValue] = ["name": .string(name), "verdict": .string(verdict.rawValue), "kind": .string(rule.rawValue),
                                           "rule": .string(ruleText), "evidence": .string(evidence)]
        if let seeds { object["seeds"] = .number(Double(seeds)) }
        if !readings.isEmpty { object["readings"] = .array(readings.map(\.json)) }
        if !parts.isEmpty { object["parts"] = .array(parts.map(\.json)) }
        if looks { object["looks"] = .bool(true) }
        if beside { object["beside"] = .bool(true) }
        if let meaning { object["meaning"] = .string(meaning.rawValue) }
        if !parts.isEmpty, partSeeds.count > 1 {
            object["part_seeds"] = .object(Dictionary(partSeeds.map { ($0.name, JSONValue.array($0.seeds.map { .number(Double($0)) })) },
                                                      uniquingKeysWith: { a, _ in a }))
        }
        return .object(object)
    }

    public init?(json: JSONValue) {
        guard case let .object(o) = json, let text = o["verdict"]?.stringValue, let verdict = Claim.Verdict(rawValue: text),
              let evidence = o["evidence"]?.stringValue else { return nil }
        let parts = (o["parts"]?.arrayValue ?? []).compactMap(ClaimPart.init(json:))
        let counts = parts.allSatisfy(\.beside) ? o["seeds"]?.numberValue.map { Int($0) } : nil
        var looks = false, beside = false
        if case let .bool(value)? = o["looks"] { looks = value }
        if case let .bool(value)? = o["beside"] { beside = value }
        self.init(name: o["name"]?.stringValue ?? "", verdict: verdict, rule: o["kind"]?.stringValue.flatMap(RuleKind.init(rawValue:)) ?? .paired,
                  ruleText: o["rule"]?.stringValue ?? "", evidence: evidence, seeds: counts,
                  readings: (o["readings"]?.arrayValue ?? []).compactMap(Reading.init(json:)), parts: parts, looks: looks,
                  beside: beside, meaning: o["meaning"]?.stringValue.flatMap(PartsMeaning.init(rawValue:)))
    }
}

extension Reading {
    /// The reading as JSON; an open side of the region where the claim holds is `null`.
    public var json: JSONValue {
        var object: [String: JSONValue] = ["label": .string(label), "kind": .string(rule.rawValue), "unit": .string(unit.rawValue),
                                           "estimate": .number(estimate), "holds_from": .number(holdsFrom), "holds_to": .number(holdsTo),
                                           "verdict": .string(verdict.rawValue)]
        if let low { object["low"] = .number(low) }
        if let high { object["high"] = .number(high) }
        if let margin { object["margin"] = .number(margin) }
        if let marginReason { object["margin_reason"] = .string(marginReason) }
        if let seeds { object["seeds"] = .number(Double(seeds)) }
        if let images { object["images"] = .number(Double(images)) }
        if let shared { object["shared_component"] = .number(shared) }
        if let perSeed { object["per_seed"] = .array(perSeed.map { .number($0) }) }
        return .object(object)
    }

    public init?(json: JSONValue) {
        guard case let .object(o) = json, let label = o["label"]?.stringValue,
              let rule = o["kind"]?.stringValue.flatMap(RuleKind.init(rawValue:)),
              let unit = o["unit"]?.stringValue.flatMap(Unit.init(rawValue:)), let estimate = o["estimate"]?.numberValue,
              let verdict = o["verdict"]?.stringValue.flatMap(Claim.Verdict.init(rawValue:)) else { return nil }
        self.init(label: label, rule: rule, unit: unit, estimate: estimate, low: o["low"]?.numberValue, high: o["high"]?.numberValue,
                  holds: (o["holds_from"]?.numberValue ?? -.infinity, o["holds_to"]?.numberValue ?? .infinity),
                  margin: o["margin"]?.numberValue, marginReason: o["margin_reason"]?.stringValue,
                  seeds: o["seeds"]?.numberValue.map { Int($0) }, images: o["images"]?.numberValue.map { Int($0) },
                  shared: o["shared_component"]?.numberValue,
                  perSeed: o["per_seed"]?.arrayValue?.compactMap(\.numberValue), verdict: verdict)
    }
}
