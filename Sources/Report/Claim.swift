/// A claim of the notes, checked against the measurements: the notes' own sentence and ours, the
/// rule that decides it, the verdict, the numbers that decided it and how many seeds they rest
/// on, and where the report shows them. What results.json's `summary.claims` holds.
public struct Claim: Sendable, Equatable {
    public enum Verdict: String, Sendable, CaseIterable {
        case holds = "holds"
        case holdsInPart = "holds in part"
        case doesNotHold = "does not hold"
        /// The measurements cannot tell: the difference is not larger than their noise.
        case undecided = "undecided"
        /// Nothing this project can measure bears on it (how many researchers use Adam).
        case notTestable = "not testable here"

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
    /// The rule that decides it, in words.
    public var rule: String
    public var verdict: Verdict
    /// The numbers that decide it, in words.
    public var evidence: String
    /// How many seeds the deciding numbers rest on (nil for a measurement without seeds).
    public var seeds: Int?
    /// The anchor of the report section that shows the evidence.
    public var section: String?
    /// The figures that show it (file names without extension; each has its data as `<name>.csv`).
    public var figures: [String]

    public init(id: String, quote: String, beyondTheNotes: Bool = false, claim: String, rule: String, verdict: Verdict, evidence: String,
                seeds: Int?, section: String? = nil, figures: [String] = []) {
        precondition(beyondTheNotes == quote.isEmpty, "a claim quotes the notes exactly when it is not beyond them")
        self.id = id; self.quote = quote; isBeyondTheNotes = beyondTheNotes; self.claim = claim; self.rule = rule; self.verdict = verdict
        self.evidence = evidence; self.seeds = seeds; self.section = section; self.figures = figures
    }

    /// The quote as the reports print it: 「the notes' words」, or "(beyond the notes)".
    public var quoted: String { isBeyondTheNotes ? "(beyond the notes)" : "「\(quote)」" }

    /// The claim as an entry of results.json's `summary.claims`.
    public var json: JSONValue {
        var object: [String: JSONValue] = ["id": .string(id), "quote": .string(quote), "claim": .string(claim), "rule": .string(rule),
                                           "verdict": .string(verdict.rawValue), "evidence": .string(evidence),
                                           "figures": .array(figures.map { .string($0) }),
                                           "data": .array(figures.map { .string($0 + ".csv") })]
        if let seeds { object["seeds"] = .number(Double(seeds)) }
        if isBeyondTheNotes { object["beyond_the_notes"] = .bool(true) }
        if let section { object["section"] = .string(section) }
        return .object(object)
    }

    /// Reads a claim back from results.json.
    public init?(json: JSONValue) {
        guard case let .object(o) = json, let id = o["id"]?.stringValue, let claim = o["claim"]?.stringValue,
              let text = o["verdict"]?.stringValue, let verdict = Verdict(rawValue: text), let evidence = o["evidence"]?.stringValue
        else { return nil }
        let quote = o["quote"]?.stringValue ?? "", beyond: Bool
        if case let .bool(value)? = o["beyond_the_notes"] { beyond = value } else { beyond = false }
        guard beyond == quote.isEmpty else { return nil }
        self.init(id: id, quote: quote, beyondTheNotes: beyond, claim: claim, rule: o["rule"]?.stringValue ?? "", verdict: verdict,
                  evidence: evidence, seeds: o["seeds"]?.numberValue.map { Int($0) }, section: o["section"]?.stringValue,
                  figures: o["figures"]?.arrayValue?.compactMap(\.stringValue) ?? [])
    }
}
