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
    (text.match(/[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff66-\uff9f]+/g) || []).forEach(function (run) {
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
    var words = text.replace(/[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff66-\uff9f]+/g, " ").toLowerCase()
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
