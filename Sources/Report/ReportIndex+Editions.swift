import Formatting
import Foundation
import NumericCore
import Plot

// The index beside other editions: why two editions' verdicts differ, and what changed since an earlier one.
extension ReportIndex {
    /// Why two editions' verdicts on a claim differ, from what each read: its weakest reading
    /// (the one the verdict hinges on) in units of that edition's margin. Intervals that do not
    /// overlap mean the data differ; intervals that overlap mean the difference lies in the noise.
    /// Then the differences of design that apply: how many images each margin rests on, whether the
    /// comparator differs, whether the runs judged had settled.
    public struct EditionDifference: Equatable {
        public enum Cause: Equatable {
            /// Both intervals, in units of their margins, and they do not overlap.
            case data
            /// They overlap: one value would fit both.
            case noise
            /// Both are single measurements (no seeds, no interval), and their values differ.
            case values
            /// One edition has no interval to compare (a measurement without seeds, or none at all).
            case unknown
        }

        public let cause: Cause
        /// "MNIST +0.3 to +2.1 margins, Fashion-MNIST −0.4 to +0.9": the two intervals.
        public let intervals: String?
        /// Whether the intervals are in units of each edition's margin (else in the claim's own units).
        public let inMargins: Bool
        /// The design differences that apply, in words.
        public let design: [String]

        public init(_ a: (claim: Claim, edition: String), _ b: (claim: Claim, edition: String)) {
            let (first, second) = Self.pair(a.claim, b.claim)
            func range(_ low: Double, _ high: Double) -> String {
                "\(Format.fixed(low, decimals: 1)) to \(Format.fixed(high, decimals: 1))"
            }
            inMargins = first?.inMargins != nil && second?.inMargins != nil
            if let x = first?.inMargins, let y = second?.inMargins {
                cause = x.high < y.low || y.high < x.low ? .data : .noise
                intervals = "\(a.edition) \(range(x.low, x.high)), \(b.edition) \(range(y.low, y.high)) margins"
            } else if let x = first, let y = second, x.unit == y.unit, let xl = x.low, let xh = x.high, let yl = y.low,
                      let yh = y.high {
                // No margin: the intervals in the claim's own units.
                cause = xh < yl || yh < xl ? .data : .noise
                intervals = "\(a.edition) \(x.intervalText!), \(b.edition) \(y.intervalText!)"
            } else if let x = first, let y = second, x.low == nil, y.low == nil, x.unit == y.unit {
                // Two single measurements: what each measured.
                cause = .values
                intervals = "\(x.label): \(a.edition) \(x.text(x.estimate)), \(b.edition) \(y.text(y.estimate))"
            } else {
                cause = .unknown
                intervals = nil
            }
            var design: [String] = []
            if let x = first?.images, let y = second?.images, x != y {
                design.append("the margins rest on \(x.formatted()) and \(y.formatted()) evaluation images")
            }
            if let x = first?.label, let y = second?.label, x != y {
                design.append("the comparison differs (\(a.edition): \(x); \(b.edition): \(y))")
            }
            if let x = first?.seeds, let y = second?.seeds, x != y { design.append("they rest on \(x) and \(y) seeds") }
            for (claim, edition) in [a, b] where claim.settled == false {
                design.append("\(edition)'s runs had not settled when the claim was judged")
            }
            self.design = design
        }

        /// The readings of the two editions that tell their verdicts apart: the same place in the
        /// two claims (their parts and readings in the same order), where their verdicts differ the
        /// most clearly; each one's weakest reading where the two are not built alike.
        static func pair(_ a: Claim, _ b: Claim) -> (Reading?, Reading?) {
            let x = a.decision.leafReadings, y = b.decision.leafReadings
            guard x.count == y.count, !x.isEmpty, zip(x, y).allSatisfy({ $0.path == $1.path }) else {
                return (a.decision.weakestReading?.reading, b.decision.weakestReading?.reading)
            }
            let pairs = zip(x.map(\.reading), y.map(\.reading))
            // Where the verdicts differ, the pair whose intervals lie furthest apart; else the first edition's weakest.
            let differing = pairs.filter { $0.verdict != $1.verdict }
            func separation(_ p: (Reading, Reading)) -> Double {
                if let m = p.0.inMargins, let n = p.1.inMargins { return max(m.low - n.high, n.low - m.high) }
                guard let a = p.0.low, let b = p.0.high, let c = p.1.low, let d = p.1.high, b > a || d > c else { return -.infinity }
                // In units of the wider interval's half-width, to weigh against those in margins.
                return max(a - d, c - b) / max((b - a) / 2, (d - c) / 2)
            }
            if let best = differing.max(by: { separation($0) < separation($1) }) { return best }
            guard let weakest = a.decision.weakestReading,
                  let index = x.firstIndex(where: { $0.path == weakest.path && $0.reading == weakest.reading }) else {
                return (a.decision.weakestReading?.reading, b.decision.weakestReading?.reading)
            }
            return (x[index].reading, y[index].reading)
        }

        public var text: String {
            var text: String
            let units = inMargins ? ", each in units of its own margin," : ""
            switch cause {
            case .data: text = "the data: the two intervals\(units) do not overlap"
            case .noise: text = "the noise: the two intervals\(units) overlap, so one value would fit both and the verdicts part where an interval meets its line"
            case .values: text = "the data: a single measurement, no seeds, and it differs"
            case .unknown: text = "not measured the same way: one edition has no interval to compare"
            }
            if let intervals { text += " (\(intervals))" }
            if !design.isEmpty { text += "; besides, " + Format.list(design) }
            return text
        }
    }

    /// For every claim whose verdicts differ between the editions, why: a list in Markdown; nil
    /// without a second edition or a difference.
    public var differences: String? {
        guard let comparison else { return nil }
        let first = entries.first?.dataset ?? "MNIST", second = comparison.entries.first?.dataset ?? comparison.folder
        let lines = entries.flatMap { entry in entry.claims.compactMap { claim -> String? in
            guard let other = comparisonClaim(claim, in: entry.folder), other.verdict != claim.verdict else { return nil }
            let reason = EditionDifference((claim, first), (other, second))
            return "- **\(claim.claim)** \(first): *\(claim.verdict.rawValue)*, \(second): *\(other.verdict.rawValue)*. Why: \(reason.text)."
        } }
        guard !lines.isEmpty else { return nil }
        return "Where the editions differ (≠), and why:\n\n" + lines.joined(separator: "\n")
    }

    /// Every claim whose verdict or seed count differs from the previous edition's, with why (the
    /// two readings it hinges on, and the differences of design): a section in Markdown; nil without a
    /// previous edition.
    public func changes(link: (String, String?) -> String) -> String? {
        guard let previous else { return nil }
        func seeds(_ claim: Claim) -> String { claim.seedCounts.isEmpty ? "no seeds" : Format.seeds(claim.seedCounts) }
        var rows: [[String]] = [], verdicts = 0
        for entry in entries {
            let before = previous.entries.first { $0.folder == entry.folder }?.claims ?? []
            for claim in entry.claims {
                guard let old = before.first(where: { $0.id == claim.id }),
                      old.verdict != claim.verdict || seeds(old) != seeds(claim) else { continue }
                if old.verdict != claim.verdict { verdicts += 1 }
                let why = old.verdict == claim.verdict
                    ? "the same verdict, reached at another look: a claim grows its seeds until its interval clears its line, and "
                        + "here that took \(seeds(claim)) where it took \(seeds(old))"
                    : EditionDifference((claim, "now"), (old, "before")).text
                rows.append(["[\(claim.claim)](\(link(entry.folder, claim.section)))",
                             "\(old.verdict.rawValue), \(seeds(old))", "**\(claim.verdict.rawValue)**, \(seeds(claim))",
                             why.prefix(1).uppercased() + why.dropFirst() + "."])
            }
        }
        let intro = """
            The same claims, judged before on the \(previous.name) edition: \
            \(verdicts == 1 ? "1 verdict" : "\(verdicts) verdicts") changed, \
            and \(rows.count - verdicts) more claims rest on another number of seeds (a claim grows its seeds until it is decided, \
            so another dataset can decide it sooner or later). Why each changed: where the two intervals, each in units of its \
            own margin, do not overlap, the data differ; where they overlap, the verdicts part on noise; the differences of \
            design that apply follow.
            """ + (previousChanges.map { " " + $0 } ?? "")
        guard !rows.isEmpty else { return intro }
        return intro + "\n\n" + Markdown.table(headers: ["the notes' claim", "before", "now", "why"], rows: rows,
                                                alignments: [.left, .left, .left, .left])
    }
}
