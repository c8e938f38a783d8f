import CCmarkGFM
import Foundation

/// Markdown to HTML with cmark-gfm, the parser GitHub renders Markdown with: CommonMark with
/// GitHub's tables, autolinks, strikethrough and footnotes, and its tag filter. The HTML edition
/// therefore shows a report exactly as the Markdown reads on GitHub (an underscore inside a word
/// stays an underscore, as in `NO_LAPACKE`).
enum GitHubMarkdown {
    /// GitHub's extensions, by the names cmark-gfm registers them under.
    static let extensions = ["table", "strikethrough", "autolink", "tagfilter"]

    /// Raw HTML passes (a `<details>` block, a `<br>`), the tag filter still disarms `<script>`
    /// and its kind as GitHub does; footnotes as GitHub numbers them.
    static let options = CMARK_OPT_UNSAFE | CMARK_OPT_FOOTNOTES

    /// Registers the extensions once per process.
    private static let registered: Bool = {
        cmark_gfm_core_extensions_ensure_registered()
        return true
    }()

    /// `markdown` as an HTML fragment.
    static func html(_ markdown: String) -> String {
        precondition(registered)
        guard let parser = cmark_parser_new(options) else { fatalError("cmark-gfm could not make a parser") }
        defer { cmark_parser_free(parser) }
        for name in extensions {
            guard let syntax = cmark_find_syntax_extension(name) else { fatalError("cmark-gfm has no \(name) extension") }
            cmark_parser_attach_syntax_extension(parser, syntax)
        }
        var bytes = Array(markdown.utf8)
        bytes.withUnsafeMutableBufferPointer { buffer in
            buffer.baseAddress!.withMemoryRebound(to: CChar.self, capacity: buffer.count) { cmark_parser_feed(parser, $0, buffer.count) }
        }
        guard let document = cmark_parser_finish(parser) else { fatalError("cmark-gfm could not parse") }
        defer { cmark_node_free(document) }
        guard let rendered = cmark_render_html(document, options, cmark_parser_get_syntax_extensions(parser)) else {
            fatalError("cmark-gfm could not render")
        }
        defer { free(rendered) }
        return String(cString: rendered)
    }
}
