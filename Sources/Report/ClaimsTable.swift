import Formatting
import Foundation

/// Where the index's glossary is, seen from a chapter's page: the rule kinds and the words the
/// verdicts use are explained there once, and every claims table links to it.
let glossaryPage = "../README.md"

extension Report {
    /// The section that lists every checked claim: the notes' sentence and ours, the verdict with
    /// the figures that show it, and the evidence as a strip with one plain sentence, the rule's
    /// kind and the seeds, the full numbers and the rule folded under it. A claim of several parts
    /// has a row per part, each with its own strip and seeds.
    var claimsSection: String {
        func term(_ word: String, _ anchor: String) -> String { "[\(word)](\(glossaryPage)#term-\(anchor))" }
        var intro = "Each claim of the notes that this chapter touches, with its verdict and the evidence. In each strip the dot is "
            + "the mean over seeds and the bar its interval, the grey band is the \(term("margin", "margin")) (a difference inside it is "
            + "noise), the dashed line is what the interval must clear, and n is the number of seeds; the sentence under it gives the "
            + "number, and the full numbers and the rule fold under that. A claim of several parts has a row per part. The "
            + "\(term("rule kinds", "rules")) and the words the verdicts use (\(term("paired", "paired")), \(term("look", "look")), "
            + "\(term("settled", "settled")), \(term("held-out images", "held-out"))) are explained once, in "
            + "[the glossary](\(glossaryPage)#glossary)."
        if let looksSentence, claims.contains(where: { $0.decision.usesLooks }) { intro += " " + looksSentence }
        var rows: [[String]] = []
        for claim in claims {
            let wording = claim.section.map { "[\(claim.claim)](#\($0))" } ?? claim.claim
            let (own, parts) = Self.strips(claim)
            rows.append(["\(wording) \(claim.quoted)", "**\(claim.verdictText)**" + figureLinks(claim.figures),
                         evidenceCell(claim.decision, strip: own, summary: !claim.decision.decidingParts.isEmpty)
                            + (claim.illustration.map { " *Illustrated, not evidence:* " + Markdown.escape($0) + "." } ?? "")])
            for (part, strip) in zip(claim.decision.parts, parts) {
                let name = "↳ *\(Markdown.escape(part.name))*" + (part.beside ? " (shown beside; it does not decide the verdict)" : "")
                rows.append([name, part.beside ? part.verdict.rawValue : "**\(part.verdict.rawValue)**", evidenceCell(part, strip: strip)])
            }
        }
        return intro + "\n\n" + Markdown.table(headers: ["the notes' claim", "verdict", "evidence"], rows: rows, alignments: [.left, .left, .left])
    }

    /// One cell of evidence: the strip, the plain sentence, what would decide an undecided one,
    /// the rule's kind (linked to the glossary) and the seeds, then the full numbers and rule folded.
    /// `summary`: the row of a claim of parts, which says how its verdict follows from them and
    /// leaves the rest to each part's row.
    func evidenceCell(_ part: ClaimPart, strip: DecisionStrip?, summary: Bool = false) -> String {
        var cell = ""
        if let strip, let size = try? strip.figure.drawnSize() {
            cell += "<picture><source srcset=\"strips/\(strip.name)\(Self.darkSuffix).png\" media=\"(prefers-color-scheme: dark)\">"
                + "<img src=\"strips/\(strip.name).png\" width=\"\(Int(size.width.rounded()))\" height=\"\(Int(size.height.rounded()))\" "
                + "alt=\"\(Self.attribute(strip.alt))\"></picture><br>"
        }
        cell += Markdown.escape(summary ? "\(part.verdict.rawValue): " + part.howItFollows : part.sentence) + "."
        // A claim of parts says how its verdict follows from them; each part's row has the rest.
        if let decide = part.wouldDecide, !summary { cell += " *What would decide it:* " + Markdown.escape(decide) + "." }
        let seeds = part.seedCounts.isEmpty ? "" : " · " + Format.seeds(part.seedCounts)
        cell += " *Rule:* [\(part.rule.title)](\(glossaryPage)#\(part.rule.anchor))" + seeds + "."
        if part.rule != .notTestable && !summary {
            cell += " <details><summary>all the numbers</summary>" + Markdown.escape(part.evidence) + ". *Rule in full:* "
                + Markdown.escape(part.ruleText) + ".</details>"
        }
        return cell
    }

    /// Text for an HTML attribute.
    static func attribute(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "\"", with: "&quot;")
            .replacingOccurrences(of: "<", with: "&lt;")
    }

    /// The index's key finding for this chapter: its key claim (see `lead`) with its verdict and
    /// the number that verdict reads, in points or as a ratio. Nil without a lead.
    var keyFinding: String? {
        guard let lead, let claim = claims.first(where: { $0.id == lead.claim }) else { return nil }
        return Self.finding(claim)
    }

    /// "Dropout narrows the gap between training and test accuracy: holds; gap with dropout −
    /// without −1.5 points (interval −2.1 to −0.9 points, 20 seeds) against a noise of ±0.48 points."
    public static func finding(_ claim: Claim) -> String {
        let statement = claim.claim.hasSuffix(".") ? String(claim.claim.dropLast()) : claim.claim
        guard let weakest = claim.decision.weakestReading else { return "\(statement): \(claim.verdict.rawValue)." }
        let reading = weakest.reading
        let label = (weakest.path + [reading.label]).joined(separator: " › ")
        var text = "\(statement): \(claim.verdict.rawValue); \(label) \(reading.text(reading.estimate))"
        if let interval = reading.intervalText { text += " (interval \(interval)\(reading.seeds.map { ", \(Format.seeds([$0]))" } ?? ""))" }
        if let margin = reading.margin {
            text += reading.unit == .ratio ? " against a noise of \(Format.significant(exp(margin), digits: 3))× either way"
                : " against a noise of ±\(reading.marginText!)"
        } else {
            text += ", which must lie \(reading.requirement)"
        }
        return text + "."
    }
}
