import Foundation
import Ink

/// The front page of `output/`: one line per chapter with its key finding and a thumbnail, as
/// Markdown (`README.md`) and as one self-contained HTML file (`index.html`) holding every
/// chapter with its images inlined.
public struct ReportIndex {
    public struct Entry {
        public var folder: String
        public var title: String
        public var finding: String
        public var thumbnail: String?
        public var markdown: String
    }

    public let root: String
    public let entries: [Entry]

    /// Reads every `<root>/<chapter>/results.json` with its README, in `order` first, then alphabetically.
    public init(root: String, order: [String] = []) throws {
        self.root = root
        let folders = ((try? FileManager.default.contentsOfDirectory(atPath: root)) ?? []).filter {
            FileManager.default.fileExists(atPath: (root as NSString).appendingPathComponent("\($0)/results.json"))
        }
        let sorted = folders.sorted { a, b in
            let ia = order.firstIndex(of: a) ?? Int.max, ib = order.firstIndex(of: b) ?? Int.max
            return ia != ib ? ia < ib : a < b
        }
        entries = try sorted.map { folder in
            let base = (root as NSString).appendingPathComponent(folder)
            let results = try ResultsFile.read((base as NSString).appendingPathComponent("results.json"))
            let markdown = (try? String(contentsOfFile: (base as NSString).appendingPathComponent("README.md"), encoding: .utf8)) ?? ""
            let title = markdown.split(separator: "\n").first.map { $0.hasPrefix("# ") ? String($0.dropFirst(2)) : String($0) } ?? folder
            let thumbnail = Self.firstImage(in: markdown)
            let finding = results.summary["finding"]?.stringValue ?? ""
            return Entry(folder: folder, title: title, finding: finding, thumbnail: thumbnail, markdown: markdown)
        }
    }

    /// The first image a chapter's README links, `name.png`.
    static func firstImage(in markdown: String) -> String? {
        guard let range = markdown.range(of: #"!\[[^\]]*\]\(([^)]+\.png)\)"#, options: .regularExpression) else { return nil }
        let link = markdown[range]
        return link[link.index(after: link.lastIndex(of: "(")!)..<link.index(before: link.endIndex)].description
    }

    public var markdown: String {
        var lines = ["# Learning Techniques: the reports", "",
                     "Each chapter reruns one part of the notes on real MNIST digits and reports what it measured. "
                     + "Open a chapter for its prose, formulas, code and figures; [index.html](index.html) holds them all in one page.", ""]
        lines.append(Markdown.table(
            headers: ["chapter", "key finding", ""],
            rows: entries.map { e in
                ["[\(e.title)](\(e.folder)/README.md)", e.finding,
                 e.thumbnail.map { "<img src=\"\(e.folder)/\($0)\" width=\"220\" alt=\"\(e.title)\">" } ?? ""]
            },
            alignments: [.left, .left, .center]))
        return lines.joined(separator: "\n") + "\n"
    }

    /// One HTML page with every chapter; images become data URIs so the file stands alone.
    public func html() -> String {
        var sections: [String] = []
        for entry in entries {
            var body = MathProtection.html(from: entry.markdown)
            body = inlineImages(body, folder: (root as NSString).appendingPathComponent(entry.folder))
            body = body.replacingOccurrences(of: "href=\"", with: "href=\"\(entry.folder)/")
                .replacingOccurrences(of: "href=\"\(entry.folder)/http", with: "href=\"http")
            sections.append("<section id=\"\(entry.folder)\">\n\(body)\n</section>")
        }
        let contents = entries.map { "<li><a href=\"#\($0.folder)\">\(escapeHTML($0.title))</a> — \(escapeHTML($0.finding))</li>" }.joined(separator: "\n")
        return """
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8">
            <title>Learning Techniques</title>
            <style>
            body { font-family: "DejaVu Sans", system-ui, sans-serif; max-width: 60rem; margin: 2rem auto; padding: 0 1rem; line-height: 1.5; color: #222; }
            img { max-width: 100%; height: auto; }
            table { border-collapse: collapse; margin: 1rem 0; font-size: 0.92rem; }
            th, td { border: 1px solid #ddd; padding: 0.3rem 0.6rem; vertical-align: top; }
            pre { background: #f6f8fa; padding: 0.8rem; overflow-x: auto; font-size: 0.85rem; }
            .math { font-family: "DejaVu Serif", serif; }
            div.math { text-align: center; margin: 1rem 0; overflow-x: auto; }
            section { border-top: 2px solid #eee; margin-top: 3rem; }
            </style>
            <script>MathJax = { tex: { inlineMath: [['\\\\(', '\\\\)']] } };</script>
            <script async src="https://cdn.jsdelivr.net/npm/mathjax@3/es5/tex-chtml.js"></script>
            </head><body>
            <h1>Learning Techniques: the reports</h1>
            <p>Formulas appear as TeX source, typeset when the browser can reach MathJax.</p>
            <ul>\(contents)</ul>
            \(sections.joined(separator: "\n"))
            </body></html>
            """
    }

    public func write() throws {
        try AtomicFile.write(markdown, to: (root as NSString).appendingPathComponent("README.md"))
        try AtomicFile.write(html(), to: (root as NSString).appendingPathComponent("index.html"))
    }

    func inlineImages(_ html: String, folder: String) -> String {
        var result = html
        let pattern = try! NSRegularExpression(pattern: #"src="([^"]+\.png)""#)
        for match in pattern.matches(in: html, range: NSRange(html.startIndex..., in: html)).reversed() {
            let name = String(html[Range(match.range(at: 1), in: html)!])
            guard let data = FileManager.default.contents(atPath: (folder as NSString).appendingPathComponent(name)) else { continue }
            let range = Range(match.range, in: result)!
            result.replaceSubrange(range, with: "src=\"data:image/png;base64,\(data.base64EncodedString())\"")
        }
        return result
    }
}

func escapeHTML(_ text: String) -> String {
    text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
}

/// Markdown to HTML with TeX kept out of the Markdown parser's reach: `$$...$$` and `$...$` are
/// swapped for placeholders first (so underscores in subscripts do not become emphasis), then
/// restored as MathJax-delimited, HTML-escaped TeX.
enum MathProtection {
    static func html(from markdown: String) -> String {
        var formulas: [(display: Bool, tex: String)] = []
        func placeholder(_ tex: String, display: Bool) -> String {
            formulas.append((display, tex))
            return "MATHPLACEHOLDER\(formulas.count - 1)X"
        }
        var text = markdown
        let display = try! NSRegularExpression(pattern: #"\$\$\n?([\s\S]+?)\n?\$\$"#)
        for match in display.matches(in: text, range: NSRange(text.startIndex..., in: text)).reversed() {
            let tex = String(text[Range(match.range(at: 1), in: text)!])
            text.replaceSubrange(Range(match.range, in: text)!, with: placeholder(tex, display: true))
        }
        let inline = try! NSRegularExpression(pattern: #"\$([^$\n]+?)\$"#)
        for match in inline.matches(in: text, range: NSRange(text.startIndex..., in: text)).reversed() {
            let tex = String(text[Range(match.range(at: 1), in: text)!])
            text.replaceSubrange(Range(match.range, in: text)!, with: placeholder(tex, display: false))
        }
        var html = MarkdownParser().html(from: text)
        for (index, formula) in formulas.enumerated().reversed() {
            let tex = escapeHTML(formula.tex)
            let replacement = formula.display ? "<div class=\"math\">\\[\(tex)\\]</div>" : "<span class=\"math\">\\(\(tex)\\)</span>"
            html = html.replacingOccurrences(of: "<p>MATHPLACEHOLDER\(index)X</p>", with: replacement)
                .replacingOccurrences(of: "MATHPLACEHOLDER\(index)X", with: replacement)
        }
        return html
    }
}
