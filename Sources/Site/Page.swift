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
    }

    var title: String
    /// From this page to the edition's root: "" or "../".
    var root: String
    var navigation: [Link]
    /// The same page in the other dataset's edition, if there is one.
    var otherEdition: Link?
    var contents: [MarkdownHTML.Heading]
    var body: String

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
        return """
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <meta name="color-scheme" content="light dark">
            <title>\(escapeHTML(title)) · Learning Techniques</title>
            <link rel="stylesheet" href="\(root)assets/katex/katex.min.css">
            <link rel="stylesheet" href="\(root)assets/style.css">
            <script defer src="\(root)assets/katex/katex.min.js"></script>
            <script defer src="\(root)assets/site.js"></script>
            </head>
            <body>
            <header class="top"><a class="home" href="\(root)index.html">Learning Techniques</a>
            <nav class="pages" aria-label="Pages">\(nav)</nav>\(edition)</header>
            <div class="layout">
            \(toc)
            <main>
            <h1>\(escapeHTML(title))</h1>
            \(body)
            </main>
            </div>
            </body>
            </html>

            """
    }
}
