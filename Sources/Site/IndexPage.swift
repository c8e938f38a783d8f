import Formatting
import Foundation
import Plot
import Report

/// The edition's front page: every claim of the notes with a verdict badge (text and colour), a
/// one-line count, filters by verdict, chapter and by whether the datasets disagree (plain CSS:
/// the page works without script), the evidence folded under each claim; then the chapters and
/// how the reports were made.
struct IndexPage {
    let index: ReportIndex
    /// The other dataset's edition, relative to this one ("fashion-mnist/"), when its verdicts are shown.
    let comparisonPath: String?

    static func badge(_ verdict: Claim.Verdict) -> String {
        "<span class=\"badge \(verdict.cssClass)\">\(verdict.rawValue)</span>"
    }

    /// "18 hold · 8 hold in part · 2 do not hold · 1 undecided", each count with its badge colour.
    static func summaryLine(_ claims: [Claim]) -> String {
        Claim.tally(claims) { n, verdict in "<span class=\"count \(verdict.cssClass)\">\(n) \(verdict.plural)</span>" }
    }

    /// The verdict's badge, with an "illustrated" badge beside it for a claim certain by construction.
    static func badges(_ claim: Claim) -> String {
        badge(claim.verdict) + (claim.illustration == nil ? "" : " <span class=\"badge illustrated\" title=\"certain by construction: "
            + "\(escapeHTML(claim.illustration!))\">illustrated</span>")
    }

    var body: String {
        let dataset = index.entries.first?.dataset ?? "MNIST"
        let other = index.comparison.map { $0.entries.first?.dataset ?? $0.folder }
        let claims = index.entries.flatMap { entry in entry.claims.map { (entry, $0) } }
        let differing = claims.filter { entry, claim in index.comparisonClaim(claim, in: entry.folder).map { $0.verdict != claim.verdict } ?? false }
        var html = "<section id=\"claims\"><h2><a class=\"anchor\" href=\"#claims\" aria-label=\"Link to this section\">#</a>The notes' claims, checked</h2>\n"
        html += "<p class=\"summary-line\">\(claims.count) claim\(claims.count == 1 ? "" : "s") on \(escapeHTML(dataset)): \(Self.summaryLine(claims.map(\.1)))"
        if let other { html += "; on \(escapeHTML(other)), \(differing.count == 1 ? "1 verdict differs" : "\(differing.count) verdicts differ") (marked ≠)" }
        html += ".</p>\n<p>Each row is one sentence of the notes, our wording of what it claims, and the verdict the chapter's measurements "
            + "give; open <em>evidence</em> for the numbers and the rule that decided it. <em>Undecided</em> means the measurements cannot "
            + "resolve the difference the claim is about.</p>\n"
        if index.forest != nil {
            let name = ReportIndex.forestName
            html += "<figure id=\"\(name)\"><picture><source srcset=\"\(name)\(Report.darkSuffix).png\" media=\"(prefers-color-scheme: dark)\">"
                + "<img src=\"\(name).png\" width=\"\(Int(Style.columnWidth))\" alt=\"Every claim read from a difference, in units of its margin, "
                + "coloured by verdict\"></picture><figcaption>\(MarkdownHTML.inline(Markdown.escape(index.forestCaption)))</figcaption></figure>\n"
        }
        html += filters(chapters: index.entries, comparing: other != nil)
        html += "<div class=\"table-wrap\"><table class=\"claims\">\n<thead><tr><th>chapter</th><th>the notes' claim</th><th>\(escapeHTML(dataset))</th>"
            + (other.map { "<th>\(escapeHTML($0))</th>" } ?? "") + "</tr></thead>\n<tbody>\n"
        for (entry, claim) in claims {
            let second = index.comparisonClaim(claim, in: entry.folder)
            let differs = second.map { $0.verdict != claim.verdict } ?? false
            let seeds = claim.seedCounts.isEmpty ? "" : ", " + ReportIndex.seedsText(claim)
            let evidence = "<details class=\"evidence\"><summary>evidence\(seeds)</summary>"
                + "<p>\(escapeHTML(claim.decision.sentence)).</p>"
                + "<p><em>Rule:</em> <a href=\"#\(claim.decision.rule.anchor)\">\(escapeHTML(claim.decision.rule.title))</a>; "
                + "\(escapeHTML(claim.rule))</p></details>"
            html += "<tr data-verdict=\"\(claim.verdict.cssClass)\" data-chapter=\"\(entry.folder)\"\(differs ? " class=\"differs\"" : "")>"
                + "<td><a href=\"\(entry.folder)/index.html\">\(escapeHTML(Self.shortTitle(entry.title)))</a></td>"
                + "<td class=\"claim\"><a href=\"\(entry.folder)/index.html\(claim.section.map { "#" + $0 } ?? "")\">\(MarkdownHTML.inline(claim.claim))</a>"
                + (claim.isBeyondTheNotes ? "<div class=\"quote\">beyond the notes</div>"
                    : "<div class=\"quote\" lang=\"ja\">「\(MarkdownHTML.inline(claim.quote))」</div>") + "\(evidence)</td>"
                + "<td data-label=\"\(escapeHTML(dataset))\">\(Self.badges(claim))</td>"
            if let comparisonPath, other != nil {
                html += "<td data-label=\"\(escapeHTML(other!))\">" + (second.map { s in
                    "<a href=\"\(comparisonPath)\(entry.folder)/index.html\(s.section.map { "#" + $0 } ?? "")\">\(Self.badges(s))</a>"
                        + (differs ? " <span class=\"differs-mark\" title=\"The verdicts differ between the datasets\">≠ differs</span>" : "")
                } ?? "—") + "</td>"
            }
            html += "</tr>\n"
        }
        html += "</tbody></table></div>\n"
        if let differences = index.differences { html += MarkdownHTML(differences).html }
        if let changes = index.changes(link: { folder, section in "\(folder)/index.html" + (section.map { "#" + $0 } ?? "") }) {
            html += "<details class=\"section\" id=\"changes\"><summary><h3>Against the \(escapeHTML(index.previous?.name ?? "previous")) "
                + "edition</h3></summary>\n" + MarkdownHTML(changes).html + "</details>\n"
        }
        if let engine = index.engine {
            html += "<details class=\"section\" id=\"engine\"><summary><h3>How a verdict is reached, and how often it errs</h3></summary>\n"
                + MarkdownHTML(engine).html + "</details>\n"
        }
        html += "</section>\n"
        html += "<section id=\"chapters\"><h2><a class=\"anchor\" href=\"#chapters\" aria-label=\"Link to this section\">#</a>The chapters</h2>\n<ol class=\"chapters\">\n"
        for entry in index.entries {
            let thumbnail = entry.thumbnail.map { name -> String in
                let dark = "\(entry.folder)/\((name as NSString).deletingPathExtension)\(Report.darkSuffix).png"
                let source = entry.darkFigures ? "<source srcset=\"\(dark)\" media=\"(prefers-color-scheme: dark)\">" : ""
                return "<picture>\(source)<img src=\"\(entry.folder)/\(name)\" alt=\"\" loading=\"lazy\"></picture>"
            } ?? ""
            html += "<li><a href=\"\(entry.folder)/index.html\">\(thumbnail)<strong>\(escapeHTML(entry.title))</strong></a>"
                + "<p>\(escapeHTML(entry.finding))</p></li>\n"
        }
        html += "</ol></section>\n"
        html += "<section id=\"glossary\"><h2><a class=\"anchor\" href=\"#glossary\" aria-label=\"Link to this section\">#</a>Glossary</h2>\n"
            + MarkdownHTML(ReportIndex.glossary).html + "</section>\n"
        html += "<details class=\"section\" id=\"how-made\"><summary><h2>How these reports were made</h2></summary>\n"
            + MarkdownHTML(index.provenanceTable).html + "</details>\n"
        return html
    }

    /// Radio buttons for verdict and chapter and a box for differing verdicts; `style.css` hides
    /// the rows they exclude (with `:has()`), so no script is needed.
    func filters(chapters: [ReportIndex.Entry], comparing: Bool) -> String {
        func radio(_ group: String, _ value: String, _ text: String, checked: Bool = false) -> String {
            "<label><input type=\"radio\" name=\"\(group)\" id=\"\(group)-\(value)\"\(checked ? " checked" : "")> \(text)</label>"
        }
        var html = "<form class=\"filters\" aria-label=\"Filter the claims\">\n<fieldset><legend>Verdict</legend>"
        html += radio("verdict", "all", "all", checked: true) + Claim.Verdict.allCases.map { radio("verdict", $0.cssClass, Self.badge($0)) }.joined()
        html += "</fieldset>\n<fieldset><legend>Chapter</legend>" + radio("chapter", "all", "all", checked: true)
            + chapters.map { radio("chapter", $0.folder, escapeHTML(Self.shortTitle($0.title))) }.joined() + "</fieldset>\n"
        if comparing { html += "<label class=\"differs-only\"><input type=\"checkbox\" id=\"differs-only\"> only verdicts that differ between the datasets</label>\n" }
        return html + "</form>\n"
    }

    /// The CSS that makes the filters work: one rule per verdict and per chapter.
    static func filterStyle(chapters: [String]) -> String {
        let verdicts = Claim.Verdict.allCases.map { v in
            "body:has(#verdict-\(v.cssClass):checked) table.claims tbody tr:not([data-verdict=\"\(v.cssClass)\"]) { display: none; }"
        }
        let folders = chapters.map { c in
            "body:has(#chapter-\(c):checked) table.claims tbody tr:not([data-chapter=\"\(c)\"]) { display: none; }"
        }
        return (verdicts + folders + ["body:has(#differs-only:checked) table.claims tbody tr:not(.differs) { display: none; }"]).joined(separator: "\n")
    }

    /// "Optimizers" from "Optimizers: how to step downhill".
    static func shortTitle(_ title: String) -> String { String(title.prefix { $0 != ":" }) }
}

extension Claim.Verdict {
    /// "holds", "holds-in-part", "does-not-hold", "undecided".
    var cssClass: String { rawValue.replacingOccurrences(of: " ", with: "-") }
}
