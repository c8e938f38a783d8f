import Foundation
import Plot
import Report
import Testing
@testable import Site

/// The HTML edition as a reader meets it: pages with contents and anchors, figures that open
/// larger, folding code, formulas left for KaTeX, and a front page of badges that filters without script.
struct SiteTests {
    static func folder() -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("site-tests-\(UUID().uuidString)").path
        try! FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    /// A stand-in for Debian's KaTeX folder: a script, a style sheet, and a font in three formats.
    static func katex() throws -> String {
        let folder = folder()
        try FileManager.default.createDirectory(atPath: folder + "/fonts", withIntermediateDirectories: true)
        try "var katex = {};".write(toFile: folder + "/katex.min.js", atomically: true, encoding: .utf8)
        try "@font-face{}".write(toFile: folder + "/katex.min.css", atomically: true, encoding: .utf8)
        for format in ["woff2", "woff", "ttf"] { try Data([1, 2, 3]).write(to: URL(fileURLWithPath: folder + "/fonts/KaTeX_Main-Regular.\(format)")) }
        return folder
    }

    static func figure() -> Figure {
        var figure = Figure(width: 200, panelHeight: 150)
        var panel = Panel(xLabel: "epoch", yLabel: "loss")
        panel.line([1, 2, 3], [0.9, 0.5, 0.25], label: "Adam", dataName: DataName("train_loss", "the train_loss numbers"))
        panel.line([1, 2, 3], [0.9, 0.8, 0.7], label: "SGD", dataName: DataName("train_loss", "the train_loss numbers"))
        figure[0, 0] = panel
        return figure
    }

    /// Two editions of one chapter, the same claim with different verdicts.
    static func editions() throws -> String {
        let root = folder()
        for (path, verdict) in [("", Claim.Verdict.holds), ("fashion-mnist/", .doesNotHold)] {
            let report = Report(chapter: "demo", title: "Demo: a chapter")
            report.heading("The update rule")
            report.paragraph("The step is $W \\leftarrow W - \\eta \\frac{\\partial L}{\\partial W}$, with $x_1$ and $x_2$; see [the other](../other/README.md#a-section).")
            report.math("L = \\sum_i \\ell_i")
            report.heading("A detail", level: 3)
            report.figure(figure(), name: "loss", caption: "Loss per epoch at $\\eta = 0.1$, mean over seeds.")
            report.claim(Claim(id: "demo.gap", quote: "隔たり", claim: "Adam learns faster.", rule: "a rule", verdict: verdict,
                               evidence: "Adam / SGD: 0.3×", seeds: 3))
            report.settings["dataset"] = .string(path.isEmpty ? "MNIST: 4000" : "Fashion-MNIST: 60000")
            try report.write(to: root + "/" + path + "demo", provenance: nil)
        }
        return root
    }

    /// An earlier edition's verdicts: the index lists each claim whose verdict changed against it, on
    /// the README and on the front page.
    @Test func theIndexListsTheVerdictsThatChangedAgainstAnEarlierEdition() throws {
        let root = try Self.editions()
        var index = try ReportIndex(root: root)
        #expect(index.changes(link: ReportIndex.readmeLink) == nil)
        index.previous = ("5,000-digit MNIST", try ReportIndex.read(root + "/fashion-mnist", order: []))
        let changes = try #require(index.changes(link: ReportIndex.readmeLink))
        #expect(changes.contains("1 verdict changed, and 0 more claims rest on another number of seeds"))
        #expect(changes.contains("[Adam learns faster.](demo/README.md") && changes.contains("| does not hold, 3 seeds | **holds**, 3 seeds |"))
        #expect(index.markdown.contains("### Against the 5,000-digit MNIST edition"))
        try Site(index: index, otherEdition: nil, katexFolder: try Self.katex()).write()
        let front = try String(contentsOfFile: root + "/index.html", encoding: .utf8)
        #expect(front.contains("<details class=\"section\" id=\"changes\"><summary><h3>Against the 5,000-digit MNIST edition</h3>"))
        #expect(front.contains("<a href=\"#changes\">"))
    }

    @Test func aChapterPageHasContentsAnchorsNumberedFiguresAndFormulasForKaTeX() throws {
        let root = try Self.editions()
        let site = Site(index: try ReportIndex(root: root, comparison: "fashion-mnist"), otherEdition: ("Fashion-MNIST", "fashion-mnist/"),
                        katexFolder: try Self.katex())
        try site.write()
        #expect(site.pages == ["index.html", "demo/index.html"])
        let page = try String(contentsOfFile: root + "/demo/index.html", encoding: .utf8)
        #expect(page.contains("<h1>Demo: a chapter</h1>") && page.contains("<title>Demo: a chapter · Learning Techniques</title>"))
        // Headings carry GitHub's anchors (so the claims' links land), a link to themselves, and a line in the contents.
        #expect(page.contains("<h2 id=\"the-update-rule\"><a class=\"anchor\" href=\"#the-update-rule\""))
        #expect(page.contains("<h3 id=\"a-detail\">"))
        #expect(page.contains("<li class=\"level-2\"><a href=\"#the-update-rule\">The update rule</a></li>")
                && page.contains("<li class=\"level-3\"><a href=\"#a-detail\">A detail</a></li>"))
        // The figure: numbered, its alt text from the data, a larger view, its caption with the data link.
        #expect(page.contains("<figure id=\"figure-1\"><a class=\"zoom\" href=\"#zoom-1\""))
        #expect(page.contains("alt=\"Loss against epoch. At epoch 3 SGD is highest (0.7) and Adam lowest (0.25).\""))
        #expect(page.contains("<details class=\"describe\"><summary>Describe the data of figure 1</summary>\n"
                              + "<p>Loss against epoch; SGD 0.9 → 0.7, Adam 0.9 → 0.25 (ends highest: SGD; lowest: Adam).</p>\n</details>"))
        #expect(page.contains("<a class=\"lightbox\" id=\"zoom-1\" href=\"#figure-1\""))
        // Both images are given the size the figure was designed at (its PNG has twice the pixels),
        // the column shows it no wider, and the larger view starts from it.
        let size = try #require(try ReportIndex(root: root).entries.first?.figureSizes["loss"])
        #expect(size.width >= 200 && size.height == 150)
        let attributes = "width=\"\(Int(size.width.rounded()))\" height=\"150\" style=\"--w: \(Int(size.width.rounded()))px; --ratio: "
        #expect(page.components(separatedBy: attributes).count == 3)
        // Dark mode shows the dark PNG the report wrote beside the light one, in both places.
        #expect(FileManager.default.fileExists(atPath: root + "/demo/loss-dark.png"))
        #expect(page.components(separatedBy: "<picture><source srcset=\"loss-dark.png\" media=\"(prefers-color-scheme: dark)\"><img src=\"loss.png\"").count == 3)
        #expect(page.contains("<strong>Figure 1.</strong> Loss per epoch at <span class=\"math\">\\eta = 0.1</span>, mean over seeds.")
                && page.contains("href=\"loss.csv\""))
        // Formulas reach KaTeX as TeX, untouched by the Markdown parser.
        #expect(page.contains("<span class=\"math\">x_1</span> and <span class=\"math\">x_2</span>"))
        #expect(page.contains("<div class=\"math display\">L = \\sum_i \\ell_i</div>"))
        // Links between reports go to their pages; the same page in the other edition is offered.
        #expect(page.contains("href=\"../other/index.html#a-section\""))
        #expect(page.contains("href=\"../fashion-mnist/demo/index.html\""))
        // Reference sections fold.
        #expect(page.contains("<details class=\"section\" id=\"the-data-behind-this-report\"><summary><h2>The data behind this report</h2></summary>"))
        // Only relative links, and the assets they name are there: the page needs no network.
        #expect(!page.contains("http://") && !page.contains("https://"))
        for asset in ["assets/style.css", "assets/site.js", "assets/katex/katex.min.js", "assets/katex/katex.min.css", "assets/katex/fonts/KaTeX_Main-Regular.woff2"] {
            #expect(FileManager.default.fileExists(atPath: root + "/" + asset), "\(asset)")
        }
        #expect(!FileManager.default.fileExists(atPath: root + "/assets/katex/fonts/KaTeX_Main-Regular.ttf"))
    }

    @Test func anIllustratedVerdictGetsItsOwnBadgeBesideTheVerdicts() {
        let html = MarkdownHTML.badges("<p><strong>holds · illustrated</strong> and <strong>does not hold</strong></p>")
        #expect(html == "<p><span class=\"badge holds\">holds</span> <span class=\"badge illustrated\">illustrated</span> and "
                + "<span class=\"badge does-not-hold\">does not hold</span></p>")
    }

    @Test func codeFoldsUnderItsSourceAndKeepsItsDollarSigns() {
        let html = MarkdownHTML("# T\n\nFrom `Sources/A.swift`:\n\n```swift\nlet y = xs.map { $0 * 2 } + $1 < 3\n```\n\nAnd `a_b` with $c_d$.\n").html
        #expect(html.contains("<details class=\"code\" open><summary>From <code>Sources/A.swift</code></summary><pre><code class=\"language-swift\">let y = xs.map { $0 * 2 } + $1 &lt; 3</code></pre></details>"))
        #expect(html.contains("<code>a_b</code> with <span class=\"math\">c_d</span>"))
        #expect(!html.contains("class=\"math\">0"))
    }

    /// The parser is GitHub's: the constructs the reports use come out as GitHub shows them.
    @Test func markdownIsParsedAsGitHubParsesIt() {
        // Underscores inside a word are not emphasis (Ink made "NO<em>LAPACKE DYNAMIC</em>ARCH" of this).
        #expect(GitHubMarkdown.html("built with NO_LAPACKE DYNAMIC_ARCH, _this_ is emphasis")
                == "<p>built with NO_LAPACKE DYNAMIC_ARCH, <em>this</em> is emphasis</p>\n")
        // Tables with their columns' alignment.
        #expect(GitHubMarkdown.html("| method | accuracy |\n|:---|---:|\n| SGD | 91.2% |\n") == """
            <table>
            <thead>
            <tr>
            <th align="left">method</th>
            <th align="right">accuracy</th>
            </tr>
            </thead>
            <tbody>
            <tr>
            <td align="left">SGD</td>
            <td align="right">91.2%</td>
            </tr>
            </tbody>
            </table>

            """)
        // Raw HTML passes, with Markdown between its lines; the tag filter disarms a script.
        let folded = GitHubMarkdown.html("<details><summary>more</summary>\n\nhidden *text*\n\n</details>\n\n<script>x()</script>\n")
        #expect(folded.contains("<details><summary>more</summary>\n<p>hidden <em>text</em></p>\n</details>"))
        #expect(folded.contains("&lt;script>") && !folded.contains("<script>"))
        // Footnotes, numbered and linked both ways.
        let noted = GitHubMarkdown.html("A claim.[^seeds]\n\n[^seeds]: Ten seeds.\n")
        #expect(noted.contains("<sup class=\"footnote-ref\"><a href=\"#fn-seeds\" id=\"fnref-seeds\" data-footnote-ref>1</a></sup>"))
        #expect(noted.contains("<li id=\"fn-seeds\">") && noted.contains("Ten seeds."))
        // Math keeps its TeX through the page (underscores and asterisks included), for KaTeX.
        let page = MarkdownHTML("# T\n\nThe mean $\\bar{x}_{t} = x_a * x_b$ and NO_LAPACKE.\n\n| $x_1$ | b_c |\n|---|---|\n| 1 | 2 |\n").html
        #expect(page.contains("<p>The mean <span class=\"math\">\\bar{x}_{t} = x_a * x_b</span> and NO_LAPACKE.</p>"))
        #expect(page.contains("<th><span class=\"math\">x_1</span></th>\n<th>b_c</th>"))
    }

    @Test func theFrontPageShowsBadgesACountFiltersAndDifferences() throws {
        let root = try Self.editions()
        try Site(index: try ReportIndex(root: root, comparison: "fashion-mnist"), otherEdition: ("Fashion-MNIST", "fashion-mnist/"),
                 katexFolder: try Self.katex()).write()
        let page = try String(contentsOfFile: root + "/index.html", encoding: .utf8)
        #expect(page.contains("1 claim on MNIST: 1 of the notes' sentences tested: <span class=\"count holds\">1 hold</span>; on Fashion-MNIST, "
                              + "1 verdict differs (marked ≠)."))
        // Each verdict a badge with its word; the row says what the filters match on.
        #expect(page.contains("<tr data-verdict=\"holds\" data-chapter=\"demo\" class=\"differs\">"))
        // Each verdict cell names its dataset, for the cards a phone shows the table as.
        #expect(page.contains("<td data-label=\"MNIST\"><span class=\"badge holds\">holds</span></td>"))
        #expect(page.contains("<td data-label=\"Fashion-MNIST\"><a href="))
        #expect(page.contains("<a href=\"fashion-mnist/demo/index.html#the-update-rule\"><span class=\"badge does-not-hold\">does not hold</span></a> <span class=\"differs-mark\""))
        // The evidence folds under the claim: its sentence, and the rule's kind linked to the glossary on the same page.
        #expect(page.contains("<details class=\"evidence\"><summary>evidence, 3 seeds</summary><p>holds: Adam / SGD: 0.3×.</p>"
                              + "<p><em>Rule:</em> <a href=\"#rule-paired\">paired</a>; a rule</p></details>"))
        #expect(page.contains("<section id=\"glossary\">") && page.contains("id=\"rule-paired\"") && page.contains("id=\"term-margin\""))
        // The filters are form controls that style.css reads with :has(), one rule per verdict and chapter.
        #expect(page.contains("id=\"verdict-does-not-hold\"") && page.contains("id=\"chapter-demo\"") && page.contains("id=\"differs-only\""))
        let style = try String(contentsOfFile: root + "/assets/style.css", encoding: .utf8)
        #expect(style.contains("body:has(#verdict-undecided:checked) table.claims tbody tr:not([data-verdict=\"undecided\"]) { display: none; }"))
        #expect(style.contains("body:has(#chapter-demo:checked) table.claims tbody tr:not([data-chapter=\"demo\"]) { display: none; }"))
        #expect(style.contains("prefers-color-scheme: dark"))
        #expect(style.contains("@media (max-width: 40rem)") && style.contains("table.claims td.claim { order: 2; flex-basis: 100%; }"))
    }

    @Test func figureReferencesLinkToTheirFigures() {
        let html = MarkdownHTML.linkFigureReferences(
            "<p>Figure 3.2 shows it, Figures 3.1 and 3.2 both; figure 3.9 is not here. <a href=\"x\">Figure 3.1</a></p>"
                + "<figcaption><strong>Figure 3.1.</strong></figcaption><summary>Describe the data of figure 3.1</summary><code>Figure 3.1</code>",
            figures: ["3.1", "3.2"])
        #expect(html == "<p>Figure <a class=\"figure-ref\" href=\"#figure-3-2\">3.2</a> shows it, Figures <a class=\"figure-ref\" href=\"#figure-3-1\">3.1</a> "
                + "and <a class=\"figure-ref\" href=\"#figure-3-2\">3.2</a> both; figure 3.9 is not here. <a href=\"x\">Figure 3.1</a></p>"
                + "<figcaption><strong>Figure 3.1.</strong></figcaption><summary>Describe the data of figure 3.1</summary><code>Figure 3.1</code>")
        // A chapter without a number keeps plain numbers.
        #expect(MarkdownHTML.linkFigureReferences("<p>Figure 2.</p>", figures: ["2"]) == "<p>Figure <a class=\"figure-ref\" href=\"#figure-2\">2</a>.</p>")
    }

    @Test func chapterPagesLeadToThePreviousAndTheNextAndHighlightTheirSwift() throws {
        let root = try Self.editions()
        try Site(index: try ReportIndex(root: root), otherEdition: nil, katexFolder: try Self.katex()).write()
        let page = try String(contentsOfFile: root + "/demo/index.html", encoding: .utf8)
        #expect(page.contains("<a class=\"previous\" href=\"../index.html\" rel=\"prev\"><small>← previous</small>The notes' claims, checked</a>"))
        let front = try String(contentsOfFile: root + "/index.html", encoding: .utf8)
        #expect(front.contains("<a class=\"next\" href=\"demo/index.html\" rel=\"next\"><small>next →</small>"))
        #expect(page.contains("<script defer src=\"../assets/highlight/highlight.min.js\"></script>"))
        for file in ["highlight.min.js", "github.css", "atom-one-dark.css"] {
            #expect(FileManager.default.fileExists(atPath: root + "/assets/highlight/" + file), "\(file)")
        }
    }

    @Test func searchIndexesEverySectionAndClaimWithJapaneseAsPairsOfCharacters() throws {
        #expect(SearchDocuments.bigrams("the 過学習 and 重み, x") == "過学 学習 重み")
        #expect(SearchDocuments.bigrams("「Heの初期値」") == "の初 初期 期値")   // the brackets and Latin letters are not Japanese runs
        #expect(SearchDocuments.plain("See [the table](a.md#b), `code` and $x_1$ ![alt](f.png) <b>bold</b>")
                == "See the table, code and x 1 bold")
        var documents = SearchDocuments()
        documents.add(chapter: "demo", title: "Demo", markdown: "# Demo\n\nOpening words.\n\n## The update rule\n\nA step down.\n")
        #expect(documents.documents == [
            .init(href: "demo/index.html", title: "Demo", text: "Opening words."),
            .init(href: "demo/index.html#the-update-rule", title: "Demo › The update rule", text: "A step down."),
        ])
        // Every page carries the search box and the scripts it needs; the documents are written.
        let root = try Self.editions()
        try Site(index: try ReportIndex(root: root), otherEdition: nil, katexFolder: try Self.katex()).write()
        let page = try String(contentsOfFile: root + "/demo/index.html", encoding: .utf8)
        #expect(page.contains("<form class=\"search\" role=\"search\" data-root=\"../\"") && page.contains("../assets/lunr.min.js"))
        let script = try String(contentsOfFile: root + "/assets/search.js", encoding: .utf8)
        #expect(script.hasPrefix("var SEARCH_DOCUMENTS = [") && script.contains("\"ja\":\"隔た たり\""))
        #expect(FileManager.default.fileExists(atPath: root + "/assets/lunr.min.js"))
    }

    @Test func aTableCellOfMoreThan400CharactersFoldsUnderItsFirstWords() {
        let long = (1...100).map { "word\($0)" }.joined(separator: " ")
        let html = MarkdownHTML.foldLongCells("<tr><td>short</td><td align=\"left\"><em>\(long)</em></td></tr>")
        let preview = (1...20).map { "word\($0)" }.joined(separator: " ")
        #expect(html == "<tr><td>short</td><td align=\"left\"><details class=\"long-cell\"><summary>\(preview) …</summary>"
                + "<em>\(long)</em></details></td></tr>")
        // TeX is typeset only in the full cell: the preview would show it raw, so the count stands in.
        let tex = "<td>$\\eta$ " + long + "</td>"
        #expect(MarkdownHTML.foldLongCells(tex).contains("<summary>101 words</summary>"))
    }

    @Test func withoutKaTeXTheEditionIsNotWrittenAndSaysWhy() throws {
        let root = try Self.editions()
        let site = Site(index: try ReportIndex(root: root), otherEdition: nil, katexFolder: Self.folder())
        #expect(throws: SiteError.self) { try site.write() }
        #expect(!FileManager.default.fileExists(atPath: root + "/index.html"))
    }
}
