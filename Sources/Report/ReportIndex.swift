import Foundation
import NumericCore

/// The front page of `output/`: every claim of the notes the chapters checked, with its verdict and
/// the number that decides it; one line per chapter with its key finding and a thumbnail; and how
/// the reports were made. As Markdown (`README.md`) and as one self-contained HTML file
/// (`index.html`) holding every chapter, its images inlined and its formulas typeset offline.
public struct ReportIndex {
    public struct Entry {
        public var folder: String
        public var title: String
        public var finding: String
        public var thumbnail: String?
        public var markdown: String
        public var claims: [Claim]
        /// "MNIST", from the chapter's settings.
        public var dataset: String
        /// The chapter's `provenance.json`: when and from which commit it was made, how long it took.
        public var provenance: [String: JSONValue]
    }

    public let root: String
    public let entries: [Entry]
    /// The same chapters on a second dataset (a subfolder of `root`), for a second verdict column.
    public let comparison: (folder: String, entries: [Entry])?

    /// Reads every `<root>/<chapter>/results.json` with its README, in `order` first, then
    /// alphabetically, and the chapters in `<root>/<comparison>` when there are any.
    public init(root: String, order: [String] = [], comparison: String? = nil) throws {
        self.root = root
        entries = try Self.read(root, order: order)
        if let comparison {
            let folder = (root as NSString).appendingPathComponent(comparison)
            let others = try Self.read(folder, order: order)
            self.comparison = others.isEmpty ? nil : (comparison, others)
        } else {
            self.comparison = nil
        }
    }

    static func read(_ root: String, order: [String]) throws -> [Entry] {
        let folders = ((try? FileManager.default.contentsOfDirectory(atPath: root)) ?? []).filter {
            FileManager.default.fileExists(atPath: (root as NSString).appendingPathComponent("\($0)/results.json"))
        }
        let sorted = folders.sorted { a, b in
            let ia = order.firstIndex(of: a) ?? Int.max, ib = order.firstIndex(of: b) ?? Int.max
            return ia != ib ? ia < ib : a < b
        }
        return try sorted.map { folder in
            let base = (root as NSString).appendingPathComponent(folder)
            let results = try ResultsFile.read((base as NSString).appendingPathComponent("results.json"))
            let markdown = (try? String(contentsOfFile: (base as NSString).appendingPathComponent("README.md"), encoding: .utf8)) ?? ""
            let title = markdown.split(separator: "\n").first.map { $0.hasPrefix("# ") ? String($0.dropFirst(2)) : String($0) } ?? folder
            let provenance = (try? JSONDecoder().decode(JSONValue.self, from: Data(contentsOf: URL(fileURLWithPath: (base as NSString)
                .appendingPathComponent("provenance.json")))))?.objectValue ?? [:]
            let dataset = results.settings["dataset"]?.stringValue.map { String($0.prefix { $0 != ":" }) } ?? "MNIST"
            return Entry(folder: folder, title: title, finding: results.summary["finding"]?.stringValue ?? "",
                         thumbnail: firstImage(in: markdown), markdown: markdown,
                         claims: results.summary["claims"]?.arrayValue?.compactMap(Claim.init(json:)) ?? [],
                         dataset: dataset, provenance: provenance)
        }
    }

    /// The first image a chapter's README links, `name.png`.
    static func firstImage(in markdown: String) -> String? {
        guard let range = markdown.range(of: #"!\[[^\]]*\]\(([^)]+\.png)\)"#, options: .regularExpression) else { return nil }
        let link = markdown[range]
        return link[link.index(after: link.lastIndex(of: "(")!)..<link.index(before: link.endIndex)].description
    }

    // MARK: - The parts of the front page

    /// The same claim as checked on the second dataset (the claim with the same id), if that chapter checked it there.
    func comparisonClaim(_ claim: Claim, in folder: String) -> Claim? {
        comparison?.entries.first { $0.folder == folder }?.claims.first { $0.id == claim.id }
    }

    /// `<folder>/README.md`, with `#<section>` when there is one.
    static func readmeLink(_ folder: String, _ section: String?) -> String {
        "\(folder)/README.md" + (section.map { "#" + $0 } ?? "")
    }

    /// The claims table; `link` turns a chapter and a section anchor into a link target. Verdicts on
    /// the second dataset link to that dataset's README.
    func claimsTable(link: (String, String?) -> String) -> String {
        let datasetName = entries.first?.dataset ?? "MNIST"
        var headers = ["chapter", "the notes' claim", datasetName, "what decides it"]
        if let comparison { headers.append(comparison.entries.first?.dataset ?? comparison.folder) }
        var rows: [[String]] = []
        for entry in entries {
            for claim in entry.claims {
                var row = ["[\(entry.title.prefix { $0 != ":" })](\(link(entry.folder, nil)))",
                           "[\(claim.claim)](\(link(entry.folder, claim.section))) 「\(claim.quote)」", "**\(claim.verdict.rawValue)**",
                           claim.evidence + (claim.seeds.map { " (\($0) seeds)" } ?? "")]
                if let comparison {
                    row.append(comparisonClaim(claim, in: entry.folder).map {
                        "[**\($0.verdict.rawValue)**](\(Self.readmeLink(comparison.folder + "/" + entry.folder, $0.section)))"
                    } ?? "—")
                }
                rows.append(row)
            }
        }
        let all = entries.flatMap(\.claims)
        func count(_ verdict: Claim.Verdict) -> Int { all.filter { $0.verdict == verdict }.count }
        var text = "Every claim of the notes that a chapter checked: the notes' sentence, our wording, the verdict its "
            + "measurements give and the numbers that decide it (the rule behind each is in its chapter). Of \(all.count) claims on \(datasetName), "
            + "\(count(.holds)) hold, \(count(.holdsInPart)) hold in part, \(count(.doesNotHold)) do not hold and \(count(.undecided)) are undecided "
            + "(the measurements cannot resolve the difference)."
        if let comparison {
            let pairs = entries.flatMap { entry in
                entry.claims.compactMap { claim in comparisonClaim(claim, in: entry.folder).map { (claim, $0) } }
            }
            let same = pairs.filter { $0.0.verdict == $0.1.verdict }.count
            text += " The last column asks the same of \(comparison.entries.first?.dataset ?? comparison.folder), a harder dataset: "
                + "\(same) of \(pairs.count) verdicts stay the same."
        }
        return text + "\n\n" + Markdown.table(headers: headers, rows: rows, alignments: headers.map { _ in .left })
    }

    func chaptersTable(link: (String) -> String, image: (Entry, String) -> String) -> String {
        Markdown.table(headers: ["chapter", "key finding", ""],
                       rows: entries.map { e in [ "[\(e.title)](\(link(e.folder)))", e.finding, e.thumbnail.map { image(e, $0) } ?? "" ] },
                       alignments: [.left, .left, .center])
    }

    /// Each chapter's time, its runs trained and read from the cache, and when and from what it was made.
    public var timings: [(chapter: String, seconds: Double, trained: Int?, cached: Int?)] {
        entries.map { e in
            (e.folder, e.provenance["wall_time_seconds"]?.numberValue ?? .nan,
             e.provenance["runs_trained"]?.numberValue.map { Int($0) }, e.provenance["runs_cached"]?.numberValue.map { Int($0) })
        }
    }

    var provenanceTable: String {
        func count(_ v: Int?) -> String { v.map(String.init) ?? "—" }
        let timings = self.timings
        var rows = zip(entries, timings).map { e, time -> [String] in
            let commit = e.provenance["commit"]?.stringValue.map { "`\($0)`" + (e.provenance["dirty"] == .bool(true) ? " (changed)" : "") } ?? "—"
            return [e.folder, String(format: "%.1f s", time.seconds), count(time.trained), count(time.cached), e.provenance["date"]?.stringValue ?? "—", commit]
        }
        let total = timings.map(\.seconds).filter(\.isFinite).reduce(0, +)
        rows.append(["**all chapters**", String(format: "**%.1f s**", total), count(timings.compactMap(\.trained).reduce(0, +)),
                     count(timings.compactMap(\.cached).reduce(0, +)), "", ""])
        return "Each chapter's own provenance (command, settings, machine) ends its report; here, how long each took, "
            + "how many training runs it trained and how many it read from the cache.\n\n"
            + Markdown.table(headers: ["chapter", "wall time", "runs trained", "runs from the cache", "made", "commit"], rows: rows,
                             alignments: [.left, .right, .right, .right, .left, .left])
    }

    // MARK: - README.md

    public var markdown: String {
        var parts = ["# Learning Techniques: the reports",
                     "Each chapter reruns one part of the notes on real \(entries.first?.dataset ?? "MNIST") images and reports what it measured. "
                     + "Open a chapter for its prose, formulas, code and figures; [index.html](index.html) holds them all in one page."]
        parts += ["## The notes' claims, checked",
                  claimsTable(link: Self.readmeLink)]
        parts += ["## The chapters", chaptersTable(link: { Self.readmeLink($0, nil) }, image: { e, image in
            "<img src=\"\(e.folder)/\(image)\" width=\"220\" alt=\"\(e.title)\">"
        })]
        parts += ["## How these reports were made", provenanceTable]
        return parts.joined(separator: "\n\n") + "\n"
    }

    // MARK: - index.html

    /// One HTML page with every chapter; images become data URIs and KaTeX (from Debian's
    /// libjs-katex and fonts-katex) is inlined with its fonts, so the file stands alone offline.
    public func html(katex: KaTeX? = KaTeX.debian()) -> String {
        var sections: [String] = []
        for entry in entries {
            var body = MathProtection.html(from: entry.markdown)
            body = inlineImages(body, folder: (root as NSString).appendingPathComponent(entry.folder))
            body = body.replacingOccurrences(of: "href=\"", with: "href=\"\(entry.folder)/")
                .replacingOccurrences(of: "href=\"\(entry.folder)/http", with: "href=\"http")
            body = Self.identifyHeadings(body, markdown: entry.markdown, chapter: entry.folder)
            sections.append("<section id=\"\(entry.folder)\">\n\(body)\n</section>")
        }
        let front = MathProtection.html(from: [
            "## The notes' claims, checked",
            claimsTable(link: { folder, section in "#" + (section.map { "\(folder)--\($0)" } ?? folder) }),
            "## The chapters",
            chaptersTable(link: { "#\($0)" }, image: { e, image in
                let data = FileManager.default.contents(atPath: (root as NSString).appendingPathComponent("\(e.folder)/\(image)"))
                return data.map { "<img src=\"data:image/png;base64,\($0.base64EncodedString())\" width=\"220\" alt=\"\(e.title)\">" } ?? ""
            }),
            "## How these reports were made", provenanceTable,
        ].joined(separator: "\n\n"))
        let note = katex == nil
            ? "<p class=\"note\">Formulas appear as TeX source: install Debian's libjs-katex and fonts-katex (<code>make deps</code>) and rebuild the index to typeset them.</p>"
            : ""
        return """
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8">
            <title>Learning Techniques</title>
            <style>
            body { font-family: "DejaVu Sans", system-ui, sans-serif; max-width: 64rem; margin: 2rem auto; padding: 0 1rem; line-height: 1.5; color: #222; }
            img { max-width: 100%; height: auto; }
            table { border-collapse: collapse; margin: 1rem 0; font-size: 0.9rem; }
            th, td { border: 1px solid #ddd; padding: 0.3rem 0.6rem; vertical-align: top; }
            pre { background: #f6f8fa; padding: 0.8rem; overflow-x: auto; font-size: 0.85rem; }
            .math.display { display: block; text-align: center; margin: 1rem 0; overflow-x: auto; }
            .note { background: #fff4d6; padding: 0.5rem 0.8rem; }
            section { border-top: 2px solid #eee; margin-top: 3rem; }
            \(katex?.css ?? "")
            </style>
            </head><body>
            <h1>Learning Techniques: the reports</h1>
            \(note)
            \(front)
            \(sections.joined(separator: "\n"))
            \(katex.map { "<script>\($0.script)</script>\n<script>\(KaTeX.renderAll)</script>" } ?? "")
            </body></html>
            """
    }

    /// Gives each level-2 heading of a chapter the id `<chapter>--<anchor>`, the anchor being the
    /// one GitHub gives the same heading in the chapter's README.
    static func identifyHeadings(_ html: String, markdown: String, chapter: String) -> String {
        let anchors = markdown.split(separator: "\n").filter { $0.hasPrefix("## ") }.map { Markdown.anchor(String($0.dropFirst(3))) }
        var result = "", rest = Substring(html), index = 0
        while let range = rest.range(of: "<h2>") {
            result += rest[..<range.lowerBound]
            result += index < anchors.count ? "<h2 id=\"\(chapter)--\(anchors[index])\">" : "<h2>"
            index += 1
            rest = rest[range.upperBound...]
        }
        return result + rest
    }

    /// Writes README.md and index.html.
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
