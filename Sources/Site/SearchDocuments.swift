import Foundation
import Report

/// What the edition's search reads: one document per section of every chapter page and one per
/// claim, as plain text, written into `assets/search.js` for lunr (Debian's libjs-lunr) to index
/// in the browser. A script, not JSON, because a page opened from disk may not fetch files.
///
/// lunr splits words at spaces, and Japanese has none: each run of Japanese characters is also
/// given as its overlapping pairs of characters ("過学習" as "過学 学習"), and the page turns a
/// query the same way, so that a word of the notes finds the sentence it is in.
struct SearchDocuments {
    struct Document: Equatable {
        /// From the edition's root: "optimizers/index.html#momentum".
        let href: String
        /// "Optimizers › Momentum".
        let title: String
        let text: String
    }

    private(set) var documents: [Document] = []

    /// Every section of a chapter's Markdown, under the heading that starts it.
    mutating func add(chapter folder: String, title: String, markdown: String) {
        var heading: (id: String, text: String)? = nil, lines: [String] = []
        func flush() {
            let text = Self.plain(lines.joined(separator: " "))
            if !text.isEmpty {
                documents.append(Document(href: "\(folder)/index.html" + (heading.map { "#" + $0.id } ?? ""),
                                          title: title + (heading.map { " › " + $0.text } ?? ""), text: text))
            }
            lines = []
        }
        for line in markdown.components(separatedBy: "\n") {
            if line.hasPrefix("# ") { continue }
            if line.hasPrefix("## ") || line.hasPrefix("### ") {
                flush()
                let text = Self.plain(String(line.drop { $0 == "#" }.dropFirst()))
                heading = (Markdown.anchor(text), text)
            } else {
                lines.append(line)
            }
        }
        flush()
    }

    /// A claim: our wording and the notes' sentence, linked to the section that shows it.
    mutating func add(claim: Claim, chapter folder: String, chapterTitle: String) {
        documents.append(Document(href: "\(folder)/index.html" + (claim.section.map { "#" + $0 } ?? ""),
                                  title: "\(chapterTitle) › claim: \(Self.plain(claim.claim))",
                                  text: Self.plain(claim.quote + " " + claim.claim + " " + claim.evidence)))
    }

    /// Markdown as the words a reader sees: no images, link targets, code fences, HTML tags or markup.
    static func plain(_ markdown: String) -> String {
        var text = markdown
        for (pattern, replacement) in [(#"!\[[^\]]*\]\([^)]*\)"#, " "), (#"\[([^\]]*)\]\([^)]*\)"#, "$1"), (#"<[^>]+>"#, " "),
                                       (#"```\w*"#, " "), (#"[`*_|$\\]"#, " "), (#"\s+"#, " ")] {
            text = text.replacingOccurrences(of: pattern, with: replacement, options: .regularExpression)
        }
        return text.trimmingCharacters(in: .whitespaces)
    }

    /// Each run of Japanese characters in `text` as its overlapping pairs (a run of one as itself),
    /// separated by spaces.
    static func bigrams(_ text: String) -> String {
        var runs: [[Character]] = [], run: [Character] = []
        for character in text {
            if character.unicodeScalars.allSatisfy(isJapanese) { run.append(character) } else if !run.isEmpty { runs.append(run); run = [] }
        }
        if !run.isEmpty { runs.append(run) }
        return runs.flatMap { run in run.count == 1 ? [String(run)] : (0..<run.count - 1).map { String(run[$0...$0 + 1]) } }
            .joined(separator: " ")
    }

    static func isJapanese(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x3040...0x30FF, 0x3400...0x4DBF, 0x4E00...0x9FFF, 0xF900...0xFAFF, 0xFF66...0xFF9F: true
        default: false
        }
    }

    /// `assets/search.js`: the documents, with their Japanese pairs, as a script.
    var script: String {
        let rows = documents.map { document -> [String: String] in
            ["href": document.href, "title": document.title, "text": document.text, "ja": Self.bigrams(document.title + " " + document.text)]
        }
        let json = (try? JSONSerialization.data(withJSONObject: rows, options: [.sortedKeys, .withoutEscapingSlashes])) ?? Data("[]".utf8)
        return "var SEARCH_DOCUMENTS = " + String(decoding: json, as: UTF8.self) + ";\n"
    }
}
