import Foundation
import Ink

/// KaTeX, read from Debian's packages, made ready to inline: its script, and its style sheet with
/// every font a data URI (WOFF2, which every current browser reads).
public struct KaTeX: Sendable {
    public let script: String
    public let css: String

    /// From `libjs-katex` and `fonts-katex`, or nil when they are not installed.
    public static func debian(folder: String = "/usr/share/javascript/katex") -> KaTeX? {
        guard let script = try? String(contentsOfFile: folder + "/katex.min.js", encoding: .utf8),
              var css = try? String(contentsOfFile: folder + "/katex.min.css", encoding: .utf8) else { return nil }
        // Each @font-face lists woff2, woff and ttf; keep one source, the woff2, inlined.
        let source = try! NSRegularExpression(pattern: #"src:url\(fonts/([A-Za-z0-9_-]+)\.woff2\) format\("woff2"\)[^;}]*"#)
        for match in source.matches(in: css, range: NSRange(css.startIndex..., in: css)).reversed() {
            let name = String(css[Range(match.range(at: 1), in: css)!])
            guard let font = FileManager.default.contents(atPath: "\(folder)/fonts/\(name).woff2") else { return nil }
            css.replaceSubrange(Range(match.range, in: css)!, with: "src:url(data:font/woff2;base64,\(font.base64EncodedString())) format(\"woff2\")")
        }
        return KaTeX(script: script, css: css)
    }

    /// Typesets every element of class `math` from the TeX it holds as text.
    static let renderAll = """
        document.querySelectorAll(".math").forEach(function (el) {
          katex.render(el.textContent, el, { displayMode: el.classList.contains("display"), throwOnError: false });
        });
        """
}

func escapeHTML(_ text: String) -> String {
    text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
}

/// Markdown to HTML with TeX kept out of the Markdown parser's reach: `$$...$$` and `$...$` are
/// swapped for placeholders first (so underscores in subscripts do not become emphasis), then
/// restored as HTML-escaped TeX in elements of class `math` (`display` for `$$`) for KaTeX to typeset.
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
            let replacement = formula.display ? "<div class=\"math display\">\(tex)</div>" : "<span class=\"math\">\(tex)</span>"
            html = html.replacingOccurrences(of: "<p>MATHPLACEHOLDER\(index)X</p>", with: replacement)
                .replacingOccurrences(of: "MATHPLACEHOLDER\(index)X", with: replacement)
        }
        return html
    }
}
