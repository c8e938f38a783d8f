import Foundation
import Report

/// A chapter's Markdown as the body of an HTML page. cmark-gfm parses the Markdown as GitHub
/// does; what GitHub shows differently (math) or what the page adds to it is taken out first and put back as finished HTML: code (so that `$0` in Swift is not
/// read as math), TeX (so that subscripts do not become emphasis; KaTeX typesets it in the
/// browser), and the report's figures (numbered, with a caption, links to their data, and a
/// larger view).
struct MarkdownHTML {
    struct Heading: Equatable {
        let level: Int
        let id: String
        let text: String
    }

    /// The page's HTML, without its title (the first level-1 heading).
    private(set) var html = ""
    /// The level-1 heading, as plain text.
    private(set) var title = ""
    /// Every level-2 and level-3 heading, in order, with the anchor GitHub gives it.
    private(set) var headings: [Heading] = []
    /// The figures' numbers ("6.3"), in order.
    private(set) var figures: [String] = []

    /// Sections that are reference rather than reading: folded, their heading still in the contents.
    static let folded: Set<String> = ["The data behind this report", "How this report was made"]

    /// `figureSizes`: the size each figure is designed to be shown at, by name; the page shows it
    /// at that size (narrower only where the screen is) and enlarges it from there.
    /// `darkFigures`: each figure has a dark PNG beside it, which dark mode shows.
    init(_ markdown: String, figureSizes: [String: FigureSize] = [:], darkFigures: Bool = false) {
        var protected = Protected()
        var text = protected.code(in: markdown)
        text = protected.math(in: text)
        text = protected.figures(in: text, sizes: figureSizes, darkFigures: darkFigures, numbers: &figures)
        // The title leaves the body: the page shows it in its own header.
        var lines = text.components(separatedBy: "\n")
        if let first = lines.firstIndex(where: { $0.hasPrefix("# ") }) {
            title = protected.plain(String(lines[first].dropFirst(2)))
            lines.remove(at: first)
        }
        for line in lines where line.hasPrefix("## ") || line.hasPrefix("### ") {
            let level = line.hasPrefix("### ") ? 3 : 2
            let source = String(line.dropFirst(level + 1))
            headings.append(Heading(level: level, id: Markdown.anchor(protected.plain(source)), text: protected.plain(source)))
        }
        var body = GitHubMarkdown.html(lines.joined(separator: "\n"))
        body = Self.identifyHeadings(body, headings)
        body = body.replacingOccurrences(of: "<table>", with: "<div class=\"table-wrap\"><table>")
            .replacingOccurrences(of: "</table>", with: "</table></div>")
        body = Self.pageLinks(body)
        body = Self.fold(body, headings)
        body = Self.claimCards(body)
        body = Self.badges(body)
        html = Self.linkFigureReferences(Self.foldLongCells(protected.restore(body)), figures: Set(figures))
    }

    /// The chapter's claims table as cards on a phone: the table after the claims heading gets a
    /// class, and each cell the name of its column (which a card shows in place of the header).
    static func claimCards(_ html: String) -> String {
        guard let heading = html.range(of: "<h2 id=\"\(Markdown.anchor(Report.claimsHeading))\">"),
              let start = html.range(of: "<table>", range: heading.upperBound..<html.endIndex),
              let end = html.range(of: "</table>", range: start.upperBound..<html.endIndex) else { return html }
        let headers = ["the notes' claim", "verdict", "evidence"]
        let table = String(html[start.upperBound..<end.lowerBound])
        let row = try! NSRegularExpression(pattern: #"<tr>([\s\S]*?)</tr>"#)
        var result = table
        for match in row.matches(in: table, range: NSRange(table.startIndex..., in: table)).reversed() {
            var cells = String(table[Range(match.range(at: 1), in: table)!]), column = 0
            var labelled = ""
            while let cell = cells.range(of: "<td") {
                labelled += cells[..<cell.upperBound] + " data-label=\"\(column < headers.count ? headers[column] : "")\""
                cells = String(cells[cell.upperBound...])
                column += 1
            }
            labelled += cells
            let part = labelled.range(of: #"^\s*<td[^>]*>↳"#, options: .regularExpression) != nil
            result.replaceSubrange(Range(match.range, in: result)!, with: (part ? "<tr class=\"part\">" : "<tr>") + labelled + "</tr>")
        }
        return html[..<start.lowerBound] + "<table class=\"claims-table\">" + result + html[end.lowerBound...]
    }

    /// Verdicts in bold ("**holds**", "**3 hold**") as the coloured badges the index shows; the
    /// lead paragraph ("**In brief.**") boxed.
    static func badges(_ html: String) -> String {
        var result = html
        for verdict in Claim.Verdict.allCases {
            // A claim certain by construction: its verdict's badge, and one of its own beside it.
            result = result.replacingOccurrences(of: "<strong>\(verdict.rawValue) · illustrated</strong>",
                                                 with: "<span class=\"badge \(verdict.cssClass)\">\(verdict.rawValue)</span> "
                                                    + "<span class=\"badge illustrated\">illustrated</span>")
            for word in Set([verdict.rawValue, verdict.plural]) {
                result = result.replacingOccurrences(of: #"<strong>((?:\d+ )?)\#(word)</strong>"#,
                                                     with: "<span class=\"badge \(verdict.cssClass)\">$1\(word)</span>",
                                                     options: .regularExpression)
            }
        }
        return result.replacingOccurrences(of: "<p><strong>In brief.</strong>", with: "<p class=\"lead\"><strong>In brief.</strong>")
    }

    /// "Figure 3" (and "Figures 3 and 4") in the prose as links to those figures, where the page
    /// has them; not inside a link, a caption, a summary line or code.
    static func linkFigureReferences(_ html: String, figures: Set<String>) -> String {
        let reference = try! NSRegularExpression(pattern: #"\b([Ff]igures?) (\d+(?:\.\d+)?)(?: (and|to) (\d+(?:\.\d+)?))?"#)
        var result = "", skipping: [String] = []
        var rest = html[...]
        while !rest.isEmpty {
            if rest.first == "<", let end = rest.firstIndex(of: ">") {
                let tag = rest[...end]
                let name = tag.dropFirst(tag.hasPrefix("</") ? 2 : 1).prefix { $0.isLetter }.lowercased()
                if ["a", "figcaption", "code", "pre", "summary"].contains(name) {
                    if tag.hasPrefix("</") { if skipping.last == name { skipping.removeLast() } } else { skipping.append(name) }
                }
                result += tag
                rest = rest[rest.index(after: end)...]
                continue
            }
            let end = rest.firstIndex(of: "<") ?? rest.endIndex
            let text = String(rest[..<end])
            rest = rest[end...]
            guard skipping.isEmpty else { result += text; continue }
            var linked = text
            for match in reference.matches(in: text, range: NSRange(text.startIndex..., in: text)).reversed() {
                func group(_ i: Int) -> String? { Range(match.range(at: i), in: text).map { String(text[$0]) } }
                let first = group(2)!, second = group(4)
                guard figures.contains(first), second.map(figures.contains) ?? true else { continue }
                var replacement = "\(group(1)!) <a class=\"figure-ref\" href=\"#\(figureID(first))\">\(first)</a>"
                if let second { replacement += " \(group(3)!) <a class=\"figure-ref\" href=\"#\(figureID(second))\">\(second)</a>" }
                linked.replaceSubrange(Range(match.range, in: linked)!, with: replacement)
            }
            result += linked
        }
        return result
    }

    /// "figure-6-3": the id of figure "6.3" in its page.
    static func figureID(_ number: String) -> String { "figure-" + number.replacingOccurrences(of: ".", with: "-") }

    /// A table cell whose text outside its folds runs past this many characters folds, its first words showing.
    static let longCell = 600

    /// The text a reader sees of some HTML before opening anything: tags and folded parts left out.
    static func visibleText(_ html: String) -> String {
        html.replacingOccurrences(of: #"<details[\s\S]*?</details>"#, with: "", options: .regularExpression)
            .replacingOccurrences(of: "<[^>]+>", with: "", options: .regularExpression)
    }

    /// Folds every table cell longer than `longCell` characters of visible text under its first
    /// words, so that a table's rows stay short enough to scan (on a phone above all).
    static func foldLongCells(_ html: String) -> String {
        let cell = try! NSRegularExpression(pattern: #"<td([^>]*)>((?:(?!</td>)[\s\S])*)</td>"#)
        var result = html
        for match in cell.matches(in: html, range: NSRange(html.startIndex..., in: html)).reversed() {
            let attributes = String(html[Range(match.range(at: 1), in: html)!]), content = String(html[Range(match.range(at: 2), in: html)!])
            let text = visibleText(content)
            guard text.count > longCell else { continue }
            // The first twenty words as a preview, unless they hold TeX, which only the full cell typesets.
            let words = text.split(separator: " ")
            let preview = words.prefix(20).joined(separator: " ")
            let summary = preview.contains("\\") ? "\(words.count) words" : preview + " …"
            result.replaceSubrange(Range(match.range, in: result)!, with: "<td\(attributes)><details class=\"long-cell\"><summary>\(summary)</summary>"
                                   + "\(content)</details></td>")
        }
        return result
    }

    /// A line of inline Markdown (a claim, a quote) as HTML, its math left for KaTeX.
    static func inline(_ markdown: String) -> String {
        var protected = Protected()
        let text = protected.math(in: protected.code(in: markdown))
        return protected.restore(Protected.inline(text))
    }

    /// Gives each `<h2>` and `<h3>` its anchor as id, and a link to itself.
    static func identifyHeadings(_ html: String, _ headings: [Heading]) -> String {
        var result = "", rest = Substring(html), index = 0
        while let range = rest.range(of: #"<h[23]>"#, options: .regularExpression) {
            result += rest[..<range.lowerBound]
            let tag = rest[range].dropFirst().prefix(2)
            if index < headings.count {
                let id = headings[index].id
                result += "<\(tag) id=\"\(id)\"><a class=\"anchor\" href=\"#\(id)\" aria-label=\"Link to this section\">#</a>"
            } else {
                result += rest[range]
            }
            index += 1
            rest = rest[range.upperBound...]
        }
        return result + rest
    }

    /// Links between reports lead to their pages: `x/README.md#y` becomes `x/index.html#y`.
    static func pageLinks(_ html: String) -> String {
        html.replacingOccurrences(of: #"href="([^":]*?)README\.md"#, with: "href=\"$1index.html", options: .regularExpression)
    }

    /// Wraps each folded section, from its heading to the next level-2 heading, in `<details>`.
    static func fold(_ html: String, _ headings: [Heading]) -> String {
        var result = html
        for heading in headings where heading.level == 2 && folded.contains(heading.text) {
            guard let start = result.range(of: "<h2 id=\"\(heading.id)\">") else { continue }
            let end = result.range(of: "<h2 id=", range: start.upperBound..<result.endIndex)?.lowerBound ?? result.endIndex
            guard let close = result.range(of: "</h2>", range: start.upperBound..<end) else { continue }
            let content = result[close.upperBound..<end]
            let replacement = "<details class=\"section\" id=\"\(heading.id)\"><summary><h2>\(escapeHTML(heading.text))</h2></summary>\(content)</details>\n"
            result.replaceSubrange(start.lowerBound..<end, with: replacement)
        }
        return result
    }
}

/// Pieces of Markdown replaced by tokens that the parser leaves alone, and the HTML they stand for.
struct Protected {
    private var pieces: [String] = []
    /// The text each piece stands for in a heading's anchor (code and math keep their source).
    private var sources: [String] = []

    private mutating func token(_ html: String, source: String) -> String {
        pieces.append(html)
        sources.append(source)
        return "PROTECTEDPIECE\(pieces.count - 1)X"
    }

    /// Fenced code blocks: an excerpt introduced by "From `file`:" folds under that line, and
    /// every block is escaped as written. Inline code spans keep their text too.
    mutating func code(in markdown: String) -> String {
        var text = markdown
        let excerpt = try! NSRegularExpression(pattern: #"From `([^`\n]+)`:\n\n```(\w*)\n([\s\S]*?)\n```"#)
        text = substitute(excerpt, in: text) { p, groups in
            let file = escapeHTML(groups[1]), language = groups[2], code = escapeHTML(groups[3])
            return p.token("<details class=\"code\" open><summary>From <code>\(file)</code></summary>"
                         + "<pre><code class=\"language-\(language)\">\(code)</code></pre></details>", source: "")
        }
        let fenced = try! NSRegularExpression(pattern: #"```(\w*)\n([\s\S]*?)\n```"#)
        text = substitute(fenced, in: text) { p, groups in
            p.token("<pre><code class=\"language-\(groups[1])\">\(escapeHTML(groups[2]))</code></pre>", source: "")
        }
        let span = try! NSRegularExpression(pattern: #"`([^`\n]+)`"#)
        return substitute(span, in: text) { p, groups in p.token("<code>\(escapeHTML(groups[1]))</code>", source: groups[1]) }
    }

    /// `$$...$$` and `$...$` as elements of class `math` holding their TeX, for KaTeX.
    mutating func math(in markdown: String) -> String {
        let display = try! NSRegularExpression(pattern: #"\$\$\n?([\s\S]+?)\n?\$\$"#)
        var text = substitute(display, in: markdown) { p, groups in
            p.token("<div class=\"math display\">\(escapeHTML(groups[1]))</div>", source: "")
        }
        let inline = try! NSRegularExpression(pattern: #"\$([^$\n]+?)\$"#)
        text = substitute(inline, in: text) { p, groups in p.token("<span class=\"math\">\(escapeHTML(groups[1]))</span>", source: groups[1]) }
        return text
    }

    /// The report's figures ("![alt](name.png)", then "*Figure n: caption* (links)") as numbered
    /// `<figure>`s whose image opens a larger view, with the caption and the links under it. An
    /// image whose design size is known is given it: as its width and height (the column shows it
    /// no larger, so its text is read at the size it was set in), and to the larger view, which
    /// never shows it smaller than that, scrolling on a narrow screen instead.
    mutating func figures(in markdown: String, sizes: [String: FigureSize], darkFigures: Bool, numbers: inout [String]) -> String {
        // The anchor the Markdown puts before each figure for GitHub is the figure's own id here.
        let figure = try! NSRegularExpression(pattern: #"(?:<a id="figure-[\d-]+"></a>\n\n)?!\[((?:[^\]\\\n]|\\.)*)\]\(([^)\s]+)\.png\)\n\n\*Figure ([\d.]+): ((?:[^*\\\n]|\\.)*)\* \(([^\n]*)\)"#)
        var found: [String] = []
        let text = substitute(figure, in: markdown) { p, groups in
            let alt = escapeHTML(Self.unescape(groups[1])), name = groups[2], number = groups[3]
            let id = MarkdownHTML.figureID(number), zoom = "zoom-" + id.dropFirst("figure-".count)
            found.append(number)
            let caption = Self.inline(groups[4]), links = Self.inline(groups[5])
            let size = sizes[name].map { size in
                let width = Int(size.width.rounded()), height = Int(size.height.rounded())
                return " width=\"\(width)\" height=\"\(height)\" style=\"--w: \(width)px; --ratio: \(String(format: "%.4f", size.width / size.height))\""
            } ?? ""
            // The dark theme's figure where the reader's system asks for dark (GitHub shows the light one).
            let dark = darkFigures ? "<source srcset=\"\(name)\(Report.darkSuffix).png\" media=\"(prefers-color-scheme: dark)\">" : ""
            return p.token("""
                <figure id="\(id)"><a class="zoom" href="#\(zoom)" title="Enlarge figure \(number)">\
                <picture>\(dark)<img src="\(name).png" alt="\(alt)"\(size) loading="lazy"></picture></a>\
                <figcaption><strong>Figure \(number).</strong> \(caption) <span class="downloads">(\(links))</span></figcaption></figure>
                <a class="lightbox" id="\(zoom)" href="#\(id)" aria-label="Close the enlarged figure \(number)">\
                <picture>\(dark)<img src="\(name).png" alt=""\(size) loading="lazy"></picture></a>
                """, source: "")
        }
        numbers = found
        return text
    }

    /// Inline Markdown (emphasis, links, code, math tokens) as HTML without a paragraph around it.
    static func inline(_ markdown: String) -> String {
        var html = GitHubMarkdown.html(markdown).trimmingCharacters(in: .whitespacesAndNewlines)
        if html.hasPrefix("<p>") && html.hasSuffix("</p>") { html = String(html.dropFirst(3).dropLast(4)) }
        return MarkdownHTML.pageLinks(html)
    }

    /// Markdown's backslash escapes removed.
    static func unescape(_ text: String) -> String {
        text.replacingOccurrences(of: #"\\(.)"#, with: "$1", options: .regularExpression)
    }

    /// Every token replaced by its HTML, in one pass (tokens may hold tokens: a caption's math);
    /// a token that is a paragraph of its own loses the paragraph around it.
    func restore(_ html: String) -> String {
        let token = try! NSRegularExpression(pattern: #"(<p>)?PROTECTEDPIECE(\d+)X(</p>)?"#)
        var result = "", last = html.startIndex
        for match in token.matches(in: html, range: NSRange(html.startIndex..., in: html)) {
            let range = Range(match.range, in: html)!, index = Int(html[Range(match.range(at: 2), in: html)!])!
            let open = match.range(at: 1).location != NSNotFound, close = match.range(at: 3).location != NSNotFound
            result += html[last..<range.lowerBound]
            let piece = restore(pieces[index])
            result += open && close ? piece : (open ? "<p>" : "") + piece + (close ? "</p>" : "")
            last = range.upperBound
        }
        return result + html[last...]
    }

    /// A heading's source with each token back to the text it stood for: what its anchor is made from.
    func plain(_ text: String) -> String {
        var result = Self.unescape(text)
        for (index, source) in sources.enumerated().reversed() { result = result.replacingOccurrences(of: "PROTECTEDPIECE\(index)X", with: source) }
        return result.replacingOccurrences(of: "*", with: "")
    }

    /// Replaces every match of `pattern`, last first, with what `make` returns for its groups.
    private mutating func substitute(_ pattern: NSRegularExpression, in text: String, _ make: (inout Protected, [String]) -> String) -> String {
        var result = text
        for match in pattern.matches(in: text, range: NSRange(text.startIndex..., in: text)).reversed() {
            let groups = (0..<match.numberOfRanges).map { i in Range(match.range(at: i), in: text).map { String(text[$0]) } ?? "" }
            result.replaceSubrange(Range(match.range, in: result)!, with: make(&self, groups))
        }
        return result
    }
}

func escapeHTML(_ text: String) -> String {
    text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
        .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
}
