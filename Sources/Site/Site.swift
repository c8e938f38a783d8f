import Foundation
import NumericCore
import Report

/// The HTML edition of one folder of reports, written beside the Markdown it is made from: the
/// front page `index.html`, one page per chapter (`<chapter>/index.html`), and `assets/` with the
/// style sheet, a small script and KaTeX with its fonts, copied from Debian's packages, so that
/// nothing is fetched from the network.
public struct Site {
    public let index: ReportIndex
    /// The same reports on the other dataset: its name and the path from this edition's root to
    /// its root ("fashion-mnist/" from MNIST's, "../" from Fashion-MNIST's).
    public let otherEdition: (name: String, path: String)?
    /// Where Debian's libjs-katex keeps KaTeX (its fonts come from fonts-katex).
    public let katexFolder: String
    /// Where Debian's libjs-highlight.js keeps highlight.js and its styles.
    public let highlightFolder: String
    /// Where Debian's libjs-lunr keeps lunr, the search index the pages build in the browser.
    public let lunrFolder: String

    public init(index: ReportIndex, otherEdition: (name: String, path: String)?, katexFolder: String = "/usr/share/javascript/katex",
                highlightFolder: String = "/usr/share/javascript/highlight.js", lunrFolder: String = "/usr/share/javascript/lunr") {
        self.index = index; self.otherEdition = otherEdition; self.katexFolder = katexFolder; self.highlightFolder = highlightFolder
        self.lunrFolder = lunrFolder
    }

    /// What the search finds: every section of every chapter, and every claim.
    var searchDocuments: SearchDocuments {
        var documents = SearchDocuments()
        for entry in index.entries {
            documents.add(chapter: entry.folder, title: IndexPage.shortTitle(entry.title), markdown: entry.markdown)
            for claim in entry.claims { documents.add(claim: claim, chapter: entry.folder, chapterTitle: IndexPage.shortTitle(entry.title)) }
        }
        return documents
    }

    /// Every page the edition has: the front page first.
    public var pages: [String] { ["index.html"] + index.entries.map { "\($0.folder)/index.html" } }

    public func write() throws {
        let root = index.root
        try writeAssets(into: (root as NSString).appendingPathComponent("assets"))
        let navigation = index.entries.map { Page.Link(text: IndexPage.shortTitle($0.title), href: "\($0.folder)/index.html") }
        for (position, entry) in index.entries.enumerated() {
            let content = MarkdownHTML(entry.markdown, figureSizes: entry.figureSizes, darkFigures: entry.darkFigures)
            let other = otherEdition.flatMap { edition -> Page.Link? in
                let target = (root as NSString).appendingPathComponent("\(edition.path)\(entry.folder)/results.json")
                return FileManager.default.fileExists(atPath: target)
                    ? Page.Link(text: "the same on \(edition.name)", href: "../\(edition.path)\(entry.folder)/index.html") : nil
            }
            let page = Page(title: content.title, root: "../",
                            navigation: navigation.map { Page.Link(text: $0.text, href: "../" + $0.href, current: $0.href.hasPrefix(entry.folder + "/")) },
                            otherEdition: other, contents: content.headings, body: content.html,
                            previous: position == 0 ? Page.Link(text: "The notes' claims, checked", href: "../index.html")
                                : navigation[position - 1].relative("../"),
                            next: position + 1 < navigation.count ? navigation[position + 1].relative("../") : nil)
            try AtomicFile.write(page.html, to: (root as NSString).appendingPathComponent("\(entry.folder)/index.html"))
        }
        let front = IndexPage(index: index, comparisonPath: index.comparison.map { $0.folder + "/" })
        let dataset = index.entries.first?.dataset ?? "MNIST"
        let page = Page(title: "What the notes claim, checked on \(dataset)", root: "", navigation: navigation,
                        otherEdition: otherEdition.map { Page.Link(text: "the \($0.name) edition", href: $0.path + "index.html") },
                        contents: [.init(level: 2, id: "claims", text: "The notes' claims, checked")]
                            + (index.previous == nil ? [] : [.init(level: 3, id: "changes", text: "Against the \(index.previous!.name) edition")])
                            + (index.engine == nil ? [] : [.init(level: 3, id: "engine", text: "How a verdict is reached")])
                            + [.init(level: 2, id: "chapters", text: "The chapters"), .init(level: 2, id: "glossary", text: "Glossary"),
                                   .init(level: 2, id: "how-made", text: "How these reports were made")],
                        body: front.body, next: navigation.first)
        try AtomicFile.write(page.html, to: (root as NSString).appendingPathComponent("index.html"))
    }

    /// The style sheet (with the index's filter rules), the script, the search's documents and lunr,
    /// highlight.js with its two styles, and KaTeX's script, style sheet and WOFF2 fonts (every
    /// browser that runs the page reads WOFF2, so the other formats stay out).
    func writeAssets(into folder: String) throws {
        try AtomicFile.write(Assets.style + "\n" + IndexPage.filterStyle(chapters: index.entries.map(\.folder)) + "\n",
                             to: (folder as NSString).appendingPathComponent("style.css"))
        try AtomicFile.write(Assets.script, to: (folder as NSString).appendingPathComponent("site.js"))
        let katex = (folder as NSString).appendingPathComponent("katex")
        let fonts = (katexFolder as NSString).appendingPathComponent("fonts")
        guard let fontNames = try? FileManager.default.contentsOfDirectory(atPath: fonts) else { throw SiteError.noKaTeX(katexFolder) }
        try copy(["katex.min.js", "katex.min.css"] + fontNames.filter { $0.hasSuffix(".woff2") }.map { "fonts/" + $0 },
                 from: katexFolder, to: katex, keepingFolders: true, or: .noKaTeX(katexFolder))
        try AtomicFile.write(searchDocuments.script, to: (folder as NSString).appendingPathComponent("search.js"))
        try copy(["lunr.min.js"], from: lunrFolder, to: folder, or: .noLunr(lunrFolder))
        // highlight.js (its build has Swift) with a light and a dark style.
        try copy(["highlight.min.js", "styles/github.css", "styles/atom-one-dark.css"], from: highlightFolder,
                 to: (folder as NSString).appendingPathComponent("highlight"), or: .noHighlight(highlightFolder))
    }

    /// Copies `files` (paths inside `source`) into `target`, under their paths when `keepingFolders`
    /// and else under their names alone; all are read before any is written, and a file that is
    /// not there is `missing`.
    func copy(_ files: [String], from source: String, to target: String, keepingFolders: Bool = false, or missing: SiteError) throws {
        let contents = try files.map { file -> (String, [UInt8]) in
            guard let bytes = FileManager.default.contents(atPath: (source as NSString).appendingPathComponent(file)) else { throw missing }
            return (keepingFolders ? file : (file as NSString).lastPathComponent, [UInt8](bytes))
        }
        for (file, bytes) in contents { try AtomicFile.write(bytes, to: (target as NSString).appendingPathComponent(file)) }
    }
}

public enum SiteError: Error, CustomStringConvertible {
    case noKaTeX(String)
    case noHighlight(String)
    case noLunr(String)

    public var description: String {
        switch self {
        case let .noKaTeX(folder): "KaTeX is not in \(folder): install Debian's libjs-katex and fonts-katex (make deps)"
        case let .noHighlight(folder): "highlight.js is not in \(folder): install Debian's libjs-highlight.js (make deps)"
        case let .noLunr(folder): "lunr is not in \(folder): install Debian's libjs-lunr (make deps)"
        }
    }
}
