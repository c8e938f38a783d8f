import Foundation

/// Text helpers for GitHub-flavoured Markdown.
public enum Markdown {
    /// Escapes characters that Markdown would read as formatting, except inside `$...$`, so that
    /// inline math in captions reaches the math renderer as written.
    public static func escape(_ text: String) -> String {
        var result = "", inMath = false
        for character in text {
            if character == "$" { inMath.toggle() }
            if !inMath && "\\`*_[]<>|#".contains(character) { result.append("\\") }
            result.append(character)
        }
        return result.replacingOccurrences(of: "\n", with: " ")
    }

    /// Column alignment in a table.
    public enum Alignment: Sendable { case left, right, center }

    /// A pipe table; cells are escaped for pipes only (a pipe escaped already stays as it is), so
    /// they may carry inline formatting.
    public static func table(headers: [String], rows: [[String]], alignments: [Alignment]? = nil) -> String {
        let align = alignments ?? headers.indices.map { $0 == 0 ? .left : .right }
        func row(_ cells: [String]) -> String {
            "| " + cells.map { $0.replacingOccurrences(of: #"(?<!\\)\|"#, with: #"\\|"#, options: .regularExpression) }
                .joined(separator: " | ") + " |"
        }
        let rule = "|" + align.map { a -> String in
            switch a { case .left: ":---"; case .right: "---:"; case .center: ":---:" }
        }.joined(separator: "|") + "|"
        return ([row(headers), rule] + rows.map(row)).joined(separator: "\n")
    }

    /// The anchor GitHub gives a heading: lower case, punctuation dropped (letters of any script,
    /// digits, `-` and `_` kept), spaces turned into hyphens.
    public static func anchor(_ heading: String) -> String {
        String(heading.lowercased().compactMap { c -> Character? in
            if c == " " { return "-" }
            return c.isLetter || c.isNumber || c == "-" || c == "_" ? c : nil
        })
    }
}
