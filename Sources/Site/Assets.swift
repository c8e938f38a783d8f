/// The edition's style sheet and script, written into `assets/`.
enum Assets {
    /// Light and dark themes that follow the system, a contents column beside the text on wide
    /// screens and above it on narrow ones, verdict badges, folding code and sections, and figures
    /// that open larger (`:target`, no script).
    static let style = """
        :root {
          --text: #1f2328; --muted: #59636e; --background: #ffffff; --panel: #f6f8fa; --border: #d1d9e0; --link: #0550ae;
          --holds: #1a7f37; --holds-in-part: #9a6700; --does-not-hold: #cf222e; --undecided: #59636e; --not-testable-here: #6e7781; --badge-text: #ffffff;
          --paper: #ffffff;
          color-scheme: light dark;
        }
        @media (prefers-color-scheme: dark) {
          :root {
            --text: #e6edf3; --muted: #9198a1; --background: #0d1117; --panel: #161b22; --border: #3d444d; --link: #4493f8;
            --holds: #2ea043; --holds-in-part: #bb8009; --does-not-hold: #f85149; --undecided: #8b949e; --not-testable-here: #9198a1; --badge-text: #0d1117;
            --paper: #0d1117;   /* the dark figures' paper */
          }
        }
        * { box-sizing: border-box; }
        html { scroll-padding-top: 4rem; }
        body { margin: 0; font-family: "DejaVu Sans", system-ui, sans-serif; line-height: 1.55; color: var(--text); background: var(--background); }
        a { color: var(--link); }
        header.top { position: sticky; top: 0; z-index: 5; display: flex; flex-wrap: wrap; gap: 0.3rem 1rem; align-items: baseline;
          padding: 0.6rem 1rem; background: var(--panel); border-bottom: 1px solid var(--border); font-size: 0.9rem; }
        header.top .home { font-weight: bold; text-decoration: none; color: var(--text); }
        header.top nav.pages { display: flex; flex-wrap: wrap; gap: 0.2rem 0.8rem; }
        header.top nav.pages a[aria-current] { font-weight: bold; color: var(--text); text-decoration: none; }
        header.top .edition { margin-left: auto; }
        .layout { display: grid; grid-template-columns: 15rem minmax(0, 1fr); gap: 2rem; max-width: 80rem; margin: 0 auto; padding: 1rem; }
        nav.toc { position: sticky; top: 3.5rem; align-self: start; max-height: calc(100vh - 4.5rem); overflow-y: auto; font-size: 0.85rem; }
        nav.toc ol { list-style: none; padding-left: 0; margin: 0.4rem 0; }
        nav.toc li { margin: 0.25rem 0; }
        nav.toc li.level-3 { padding-left: 1rem; }
        nav.toc summary { font-weight: bold; cursor: pointer; }
        main { min-width: 0; max-width: 52rem; }
        h1 { font-size: 1.7rem; line-height: 1.25; margin-top: 0.5rem; }
        h2 { margin-top: 2.2rem; padding-bottom: 0.2rem; border-bottom: 1px solid var(--border); }
        h2, h3 { position: relative; }
        a.anchor { position: absolute; left: -1.1rem; opacity: 0; text-decoration: none; color: var(--muted); font-weight: normal; }
        h2:hover a.anchor, h3:hover a.anchor, a.anchor:focus { opacity: 1; }
        .table-wrap { overflow-x: auto; margin: 1rem 0; }
        table { border-collapse: collapse; font-size: 0.88rem; }
        th, td { border: 1px solid var(--border); padding: 0.3rem 0.6rem; vertical-align: top; }
        th { background: var(--panel); text-align: left; }
        code { font-family: "DejaVu Sans Mono", ui-monospace, monospace; font-size: 0.88em; background: var(--panel); padding: 0.1em 0.3em; border-radius: 4px; }
        pre { position: relative; background: var(--panel); border: 1px solid var(--border); border-radius: 6px; padding: 0.8rem; overflow-x: auto; font-size: 0.84rem; line-height: 1.45; }
        pre code { background: none; padding: 0; }
        details.code > summary { cursor: pointer; color: var(--muted); font-size: 0.9rem; }
        details.section > summary { cursor: pointer; list-style: none; }
        details.section > summary h2, details.section > summary h3 { display: inline-block; width: calc(100% - 1.5rem); }
        details.section > summary::before { content: "▸ "; color: var(--muted); }
        details.section[open] > summary::before { content: "▾ "; }
        pre.copyable { padding-top: 2rem; }   /* the button sits above the first line, not on it */
        button.copy { position: absolute; top: 0.4rem; right: 0.4rem; font-size: 0.75rem; padding: 0.15rem 0.5rem; cursor: pointer;
          color: var(--text); background: var(--background); border: 1px solid var(--border); border-radius: 4px; }
        .math.display { display: block; text-align: center; margin: 1rem 0; overflow-x: auto; overflow-y: hidden; }
        figure { margin: 1.5rem 0; }
        figure img, .chapters img { max-width: 100%; height: auto; background: var(--paper); border-radius: 4px; border: 1px solid var(--border); }
        figure a.zoom { cursor: zoom-in; display: block; }
        figcaption { font-size: 0.88rem; color: var(--muted); margin-top: 0.4rem; }
        details.describe { font-size: 0.85rem; color: var(--muted); margin: -0.8rem 0 1.5rem; }
        details.describe > summary { cursor: pointer; }
        a.lightbox { display: none; }
        a.lightbox:target { display: flex; position: fixed; inset: 0; z-index: 10; align-items: center; justify-content: center;
          background: rgba(0, 0, 0, 0.88); cursor: zoom-out; padding: 1rem; }
        a.lightbox img { max-width: 100%; max-height: 100%; background: var(--paper); }
        /* A figure of known size: enlarged to fit the screen, up to twice its size, never below it
           (its text would shrink under the floor it was set to); a narrow screen scrolls instead. */
        a.lightbox:target:has(img[style]) { overflow: auto; align-items: safe center; justify-content: safe center; }
        a.lightbox img[style] { flex: none; max-width: none; max-height: none; height: auto;
          width: clamp(var(--w), min(calc(100vw - 2rem), calc((100vh - 2rem) * var(--ratio))), calc(2 * var(--w))); }
        .badge { display: inline-block; padding: 0.1rem 0.5rem; border-radius: 1rem; font-size: 0.8rem; font-weight: bold;
          white-space: nowrap; color: var(--badge-text); }
        .badge.holds, .count.holds { background: var(--holds); }
        .badge.holds-in-part { background: var(--holds-in-part); }
        .badge.does-not-hold { background: var(--does-not-hold); }
        .badge.undecided { background: var(--undecided); }
        .badge.not-testable-here { background: var(--not-testable-here); }
        .badge.illustrated { background: transparent; color: var(--undecided); border: 1px solid var(--undecided); }
        .count { font-weight: bold; background: none !important; }
        .count.holds { color: var(--holds); } .count.holds-in-part { color: var(--holds-in-part); }
        .count.does-not-hold { color: var(--does-not-hold); } .count.undecided { color: var(--undecided); } .count.not-testable-here { color: var(--not-testable-here); }
        .summary-line { font-size: 1.05rem; }
        .quote { color: var(--muted); font-size: 0.85rem; margin-top: 0.2rem; }
        details.evidence { margin-top: 0.3rem; font-size: 0.85rem; }
        details.evidence summary { cursor: pointer; color: var(--muted); }
        .differs-mark { font-weight: bold; color: var(--holds-in-part); white-space: nowrap; }
        form.filters { display: flex; flex-wrap: wrap; gap: 0.5rem 1rem; align-items: start; font-size: 0.85rem; margin: 1rem 0; }
        form.filters fieldset { border: 1px solid var(--border); border-radius: 6px; display: flex; flex-wrap: wrap; gap: 0.2rem 0.7rem; margin: 0; }
        ol.chapters { list-style: none; padding: 0; display: grid; grid-template-columns: repeat(auto-fill, minmax(16rem, 1fr)); gap: 1rem; }
        ol.chapters li { border: 1px solid var(--border); border-radius: 6px; padding: 0.7rem; }
        ol.chapters a { text-decoration: none; }
        ol.chapters p { font-size: 0.85rem; margin: 0.4rem 0 0; }
        form.search { position: relative; margin-left: auto; }
        form.search input { font: inherit; font-size: 0.9rem; padding: 0.2rem 0.5rem; width: 12rem; color: var(--text);
          background: var(--background); border: 1px solid var(--border); border-radius: 4px; }
        ol.search-results { position: absolute; right: 0; z-index: 20; list-style: none; margin: 0.3rem 0 0; padding: 0; width: min(28rem, 90vw);
          background: var(--background); border: 1px solid var(--border); border-radius: 6px; box-shadow: 0 4px 12px rgba(0, 0, 0, 0.2); }
        ol.search-results:empty { display: none; }
        ol.search-results li { padding: 0.35rem 0.7rem; border-bottom: 1px solid var(--border); font-size: 0.9rem; }
        nav.toc a.current { font-weight: bold; text-decoration: none; border-left: 3px solid var(--link); padding-left: 0.3rem; margin-left: -0.6rem; }
        nav.sequel { display: flex; justify-content: space-between; gap: 1rem; margin: 3rem 0 1rem; padding-top: 1rem; border-top: 1px solid var(--border); }
        nav.sequel a { display: block; max-width: 48%; }
        nav.sequel a.next { margin-left: auto; text-align: right; }
        nav.sequel small { display: block; color: var(--muted); }
        a.figure-ref { white-space: nowrap; }
        pre code.hljs { background: none; padding: 0; }
        details.long-cell > summary { cursor: pointer; color: var(--muted); }
        details.long-cell[open] > summary { margin-bottom: 0.3rem; }
        /* The result first: the lead's box, and pictures (the lead's figure, the claims' strips) no wider than the column. */
        p.lead { background: var(--panel); border: 1px solid var(--border); border-left: 4px solid var(--link); border-radius: 6px;
          padding: 0.7rem 0.9rem; }
        main picture img { max-width: 100%; height: auto; }
        main a > picture img { border: 1px solid var(--border); border-radius: 4px; background: var(--paper); }
        table.claims-table td:first-child { min-width: 11rem; }
        /* The evidence column as wide as a strip is drawn, so that its text is shown at the size it was set in. */
        table.claims-table td:nth-child(3) { min-width: calc(330px + 1.2rem); }
        table.claims-table tr.part td:first-child { padding-left: 1.4rem; color: var(--muted); }
        table.claims-table details summary { cursor: pointer; color: var(--muted); }
        details.computation { border: 1px solid var(--border); border-radius: 6px; padding: 0.3rem 0.8rem; margin: 0.6rem 0; }
        details.computation > summary { cursor: pointer; }
        header.top details.menu { display: none; }
        /* On a phone the claims table becomes cards: chapter and verdicts on top, the claim under them. */
        @media (max-width: 40rem) {
          table.claims thead { display: none; }
          table.claims, table.claims tbody { display: block; }
          table.claims tr { display: flex; flex-wrap: wrap; align-items: baseline; gap: 0.2rem 0.8rem; padding: 0.6rem 0;
            border-bottom: 1px solid var(--border); }
          table.claims td { display: block; border: none; padding: 0; }
          table.claims td.claim { order: 2; flex-basis: 100%; }
          table.claims td[data-label]::before { content: attr(data-label) ": "; color: var(--muted); font-size: 0.85rem; }
          /* A chapter's claims, one card per claim and a smaller card per part. */
          table.claims-table thead { display: none; }
          table.claims-table, table.claims-table tbody, table.claims-table tr, table.claims-table td { display: block; }
          table.claims-table tr { border: 1px solid var(--border); border-radius: 6px; margin: 0.7rem 0; padding: 0.5rem 0.6rem; }
          table.claims-table tr.part { margin-left: 1rem; }
          table.claims-table td { border: none; padding: 0.15rem 0; min-width: 0 !important; }
          table.claims-table tr.part td:first-child { padding-left: 0; }
          table.claims-table td[data-label="verdict"]::before { content: ""; }
          /* One line of header: the name, a menu of the pages, the search. */
          header.top { flex-wrap: nowrap; align-items: center; gap: 0.6rem; padding: 0.4rem 0.7rem; }
          header.top nav.pages, header.top > a.edition { display: none; }
          header.top details.menu { display: block; position: relative; }
          header.top details.menu > summary { cursor: pointer; list-style: none; padding: 0.1rem 0.4rem; border: 1px solid var(--border); border-radius: 4px; }
          header.top details.menu > nav { position: absolute; left: 0; z-index: 20; display: flex; flex-direction: column; gap: 0.4rem;
            margin-top: 0.3rem; padding: 0.6rem 0.8rem; width: max-content; background: var(--background); border: 1px solid var(--border);
            border-radius: 6px; box-shadow: 0 4px 12px rgba(0, 0, 0, 0.2); }
          form.search input { width: 100%; min-width: 5rem; }
          form.search { flex: 1; }
        }
        @media (max-width: 56rem) {
          .layout { grid-template-columns: minmax(0, 1fr); gap: 0; padding: 0.7rem; }
          nav.toc { position: static; max-height: none; border: 1px solid var(--border); border-radius: 6px; padding: 0.3rem 0.7rem; }
          nav.toc details:not([open]) ol { display: none; }
          header.top { position: static; }
          header.top .edition { margin-left: 0; }
          h1 { font-size: 1.4rem; }
          a.anchor { display: none; }
        }
        """

    /// Typesets the formulas with KaTeX, colours the Swift with highlight.js, adds a copy button to
    /// each code block, and marks in the contents the section being read; the page reads without
    /// it (formulas then show their TeX). On narrow screens the contents start folded.
    static let script = """
        document.addEventListener("DOMContentLoaded", function () {
          if (window.katex) {
            document.querySelectorAll(".math").forEach(function (el) {
              katex.render(el.textContent, el, { displayMode: el.classList.contains("display"), throwOnError: false });
            });
          }
          if (window.hljs) {
            // highlightElement from version 10.7; Debian's 9.18 calls it highlightBlock.
            var highlight = (hljs.highlightElement || hljs.highlightBlock).bind(hljs);
            document.querySelectorAll("pre code[class^=language-]").forEach(function (el) { highlight(el); });
          }
          // The section being read, marked in the contents as the reader scrolls.
          var links = {};
          document.querySelectorAll("nav.toc a[href^='#']").forEach(function (a) { links[a.getAttribute("href").slice(1)] = a; });
          var headings = Array.prototype.filter.call(document.querySelectorAll("main h2[id], main h3[id]"), function (h) { return links[h.id]; });
          function mark() {
            var current = null;
            headings.forEach(function (h) { if (h.getBoundingClientRect().top < 120) current = h; });
            Object.keys(links).forEach(function (id) { links[id].classList.toggle("current", current !== null && id === current.id); });
          }
          if (headings.length) { window.addEventListener("scroll", mark, { passive: true }); mark(); }
          // Search: lunr over every section and claim (assets/search.js), built on first use. A run
          // of Japanese characters is searched as its pairs of characters, as it was indexed.
          var input = document.getElementById("search"), list = document.getElementById("search-results");
          var searchIndex = null, byRef = {};
          function pairs(text) {
            var out = [];
            (text.match(/[\\u3040-\\u30ff\\u3400-\\u4dbf\\u4e00-\\u9fff\\uf900-\\ufaff\\uff66-\\uff9f]+/g) || []).forEach(function (run) {
              var chars = Array.from(run);
              if (chars.length === 1) out.push(run);
              for (var i = 0; i + 1 < chars.length; i++) out.push(chars[i] + chars[i + 1]);
            });
            return out;
          }
          function build() {
            searchIndex = lunr(function () {
              this.ref("href"); this.field("title", { boost: 4 }); this.field("text"); this.field("ja");
              this.pipeline.remove(lunr.trimmer);   // it strips every character outside ASCII words
              var builder = this;
              SEARCH_DOCUMENTS.forEach(function (d) { byRef[d.href] = d; builder.add(d); });
            });
          }
          function find(text, presence) {
            var words = text.replace(/[\\u3040-\\u30ff\\u3400-\\u4dbf\\u4e00-\\u9fff\\uf900-\\ufaff\\uff66-\\uff9f]+/g, " ").toLowerCase()
              .split(/[^a-z0-9.]+/).filter(function (w) { return w.length > 1; });
            var japanese = pairs(text);
            if (!words.length && !japanese.length) return [];
            return searchIndex.query(function (q) {
              words.forEach(function (w) { q.term(w, { presence: presence, fields: ["title", "text"] }); q.term(w + "*", { presence: lunr.Query.presence.OPTIONAL, usePipeline: false, wildcard: lunr.Query.wildcard.NONE, fields: ["title", "text"] }); });
              japanese.forEach(function (p) { q.term(p, { presence: presence, fields: ["ja"], usePipeline: false }); });
            });
          }
          function search() {
            if (!window.lunr || !window.SEARCH_DOCUMENTS) return;
            if (!searchIndex) build();
            var text = input.value.trim(), root = input.form.getAttribute("data-root");
            var results = text ? find(text, lunr.Query.presence.REQUIRED) : [];
            if (text && !results.length) results = find(text, lunr.Query.presence.OPTIONAL);
            list.innerHTML = "";
            results.slice(0, 8).forEach(function (r) {
              var li = document.createElement("li"), a = document.createElement("a");
              a.href = root + r.ref; a.textContent = byRef[r.ref].title;
              li.appendChild(a); list.appendChild(li);
            });
            if (text && !results.length) { var none = document.createElement("li"); none.textContent = "Nothing found"; list.appendChild(none); }
          }
          if (input && list) { input.addEventListener("input", search); }
          document.querySelectorAll("pre").forEach(function (pre) {
            if (!navigator.clipboard) return;
            var button = document.createElement("button");
            button.className = "copy"; button.type = "button"; button.textContent = "Copy";
            pre.classList.add("copyable");
            button.addEventListener("click", function () {
              navigator.clipboard.writeText(pre.querySelector("code").textContent).then(function () {
                button.textContent = "Copied";
                setTimeout(function () { button.textContent = "Copy"; }, 1500);
              });
            });
            pre.appendChild(button);
          });
          if (window.matchMedia("(max-width: 56rem)").matches) {
            document.querySelectorAll("nav.toc details").forEach(function (d) { d.open = false; });
          }
          document.addEventListener("keydown", function (event) {
            if (event.key === "Escape" && location.hash.indexOf("#zoom-") === 0) { location.hash = "#figure-" + location.hash.slice(6); }
          });
        });

        """
}
