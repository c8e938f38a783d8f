import Foundation

/// One HTML page of the edition: a header with the way to every page, a table of contents, the
/// content, and the shared style sheet, script and KaTeX from `assets/` (relative links only, so
/// that the folder reads the same from disk, from a server or copied elsewhere).
struct Page {
    /// A link in the header: text, target, and whether it is this page.
    struct Link {
        let text: String
        let href: String
        var current = false

        /// The same link from a page `prefix` away ("../").
        func relative(_ prefix: String) -> Link { Link(text: text, href: prefix + href, current: current) }
    }

    var title: String
    /// From this page to the edition's root: "" or "../".
    var root: String
    var navigation: [Link]
    /// The same page in the other dataset's edition, if there is one.
    var otherEdition: Link?
    var contents: [MarkdownHTML.Heading]
    var body: String
    /// The pages before and after this one, in the order of the chapters.
    var previous: Link? = nil
    var next: Link? = nil

    var html: String {
        let nav = navigation.map { link in
            "<a href=\"\(link.href)\"\(link.current ? " aria-current=\"page\"" : "")>\(escapeHTML(link.text))</a>"
        }.joined(separator: "\n")
        let edition = otherEdition.map { "<a class=\"edition\" href=\"\($0.href)\">\(escapeHTML($0.text))</a>" } ?? ""
        let toc = contents.isEmpty ? "" : """
            <nav class="toc" aria-label="Contents"><details open><summary>Contents</summary><ol>
            \(contents.map { "<li class=\"level-\($0.level)\"><a href=\"#\($0.id)\">\(escapeHTML($0.text))</a></li>" }.joined(separator: "\n"))
            </ol></details></nav>
            """
        let sequel = previous == nil && next == nil ? "" : "<nav class=\"sequel\" aria-label=\"Previous and next\">"
            + (previous.map { "<a class=\"previous\" href=\"\($0.href)\" rel=\"prev\"><small>← previous</small>\(escapeHTML($0.text))</a>" } ?? "")
            + (next.map { "<a class=\"next\" href=\"\($0.href)\" rel=\"next\"><small>next →</small>\(escapeHTML($0.text))</a>" } ?? "")
            + "</nav>"
        return """
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <meta name="color-scheme" content="light dark">
            <title>\(escapeHTML(title)) · Learning Techniques</title>
            <link rel="stylesheet" href="\(root)assets/katex/katex.min.css">
            <link rel="stylesheet" href="\(root)assets/highlight/github.css" media="(prefers-color-scheme: light)">
            <link rel="stylesheet" href="\(root)assets/highlight/atom-one-dark.css" media="(prefers-color-scheme: dark)">
            <link rel="stylesheet" href="\(root)assets/style.css">
            <script defer src="\(root)assets/katex/katex.min.js"></script>
            <script defer src="\(root)assets/highlight/highlight.min.js"></script>
            <script defer src="\(root)assets/lunr.min.js"></script>
            <script defer src="\(root)assets/search.js"></script>
            <script defer src="\(root)assets/site.js"></script>
            </head>
            <body>
            <header class="top"><a class="home" href="\(root)index.html">Learning Techniques</a>
            <nav class="pages" aria-label="Pages">\(nav)</nav>\(edition)
            <details class="menu"><summary>Pages ▾</summary><nav aria-label="Pages">\(nav)\(edition)</nav></details>
            <form class="search" role="search" data-root="\(root)" onsubmit="return false">\
            <input type="search" id="search" placeholder="Search" aria-label="Search every page" autocomplete="off">\
            <ol class="search-results" id="search-results"></ol></form></header>
            <div class="layout">
            \(toc)
            <main>
            <h1>\(escapeHTML(title))</h1>
            \(body)
            \(sequel)
            </main>
            </div>
            </body>
            </html>

            """
    }
}
