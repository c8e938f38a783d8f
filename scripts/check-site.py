#!/usr/bin/env python3
"""Checks the HTML edition the way readers see it, in headless Chromium (Debian's package): every
page of every edition under OUTPUT, in the light and the dark theme, at a desktop and a phone
width (390 CSS px on an emulated phone: a window cannot be that narrow). For each page it fails
on a console error, a formula KaTeX did not typeset (raw TeX in the visible text, or a KaTeX
error), emphasis inside a word (Markdown's underscores read as GitHub does not read them), an
image or a link that does not resolve (files and #anchors, also across pages), alt text over 250
characters, figure text shown below 11 px (a figure's smallest text, from
results.json, scaled by the width Chromium lays its image out at: in the page at desktop width,
and enlarged at phone width), and on the front page verdict badges that are missing or not drawn
(their colour must be in the screenshot) or, on a phone, reaching past the screen's edge; in
dark mode, a figure that is not the dark PNG; a search (English and Japanese) whose first result
is not the expected chapter.
Screenshots go to OUTPUT/screenshots/.

    scripts/check-site.py [OUTPUT]
"""
import base64
import html.parser
import json
import os
import re
import struct
import subprocess
import sys
import zlib
from urllib.parse import unquote, urlsplit

root = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else "output")
shots = os.path.join(root, "screenshots")
browser = ["chromium", "--headless=new", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
           "--virtual-time-budget=15000", "--enable-logging=stderr", "--v=0"]
themes = {"light": "--blink-settings=preferredColorScheme=1", "dark": "--blink-settings=preferredColorScheme=0"}
sizes = {"desktop": (1280, 900), "phone": (390, 844)}
# The theme's background colours (style.css): what a screenshot's top left corner must show.
backgrounds = {"light": (246, 248, 250), "dark": (22, 27, 34)}
badge_colours = {"holds": [(26, 127, 55), (46, 160, 67)], "does-not-hold": [(207, 34, 46), (248, 81, 73)]}
failures = []
smallest_text = 11.0  # Style.smallestText: CSS pixels
# The only places a link may leave the edition for: the works the chapters cite, by their DOI, arXiv
# or publisher's address (a reader offline still has every page, figure and number).
reference_hosts = {"doi.org", "arxiv.org", "jmlr.org", "proceedings.mlr.press", "papers.nips.cc", "www.cs.toronto.edu", "github.com"}
# Queries and the chapter whose page must come first: English, and words of the notes in Japanese.
searches = [("momentum", "optimizers"), ("Hyperband", "hyperparameters"), ("アンサンブル", "dropout"), ("ジグザグ", "optimizers")]
measure_expression = """(() => {
  const shown = [...document.querySelectorAll("figure img")].map(i => i.getBoundingClientRect().width);
  const enlarged = [...document.querySelectorAll("a.lightbox")].map(box => {
    location.hash = "#" + box.id;
    return box.querySelector("img").getBoundingClientRect().width;
  });
  return {shown, enlarged};
})()"""
class Browser:
    """Headless Chromium driven over the DevTools protocol on a pipe (fd 3 in, fd 4 out)."""
    def __init__(self):
        to_chrome_r, self.to_chrome = os.pipe()
        self.from_chrome, from_chrome_w = os.pipe()
        os.set_inheritable(to_chrome_r, True); os.set_inheritable(from_chrome_w, True)
        def plumb():
            os.dup2(to_chrome_r, 3); os.dup2(from_chrome_w, 4)
        self.process = subprocess.Popen(["chromium", "--headless=new", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
                                         "--remote-debugging-pipe", "about:blank"], preexec_fn=plumb, pass_fds=(3, 4),
                                        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        os.close(to_chrome_r); os.close(from_chrome_w)
        self.buffer, self.next_id, self.events = b"", 0, []

    def send(self, method, params=None, session=None):
        self.next_id += 1
        message = {"id": self.next_id, "method": method, "params": params or {}}
        if session: message["sessionId"] = session
        os.write(self.to_chrome, json.dumps(message).encode() + b"\0")
        while True:
            reply = self.receive()
            if reply.get("id") == self.next_id:
                if "error" in reply: raise RuntimeError(f"{method}: {reply['error']}")
                return reply.get("result", {})
            self.events.append(reply)

    def receive(self):
        while b"\0" not in self.buffer:
            chunk = os.read(self.from_chrome, 1 << 20)
            if not chunk: raise RuntimeError("chromium closed the pipe")
            self.buffer += chunk
        message, self.buffer = self.buffer.split(b"\0", 1)
        return json.loads(message)

    def wait(self, method, session):
        while True:
            for i, e in enumerate(self.events):
                if e.get("method") == method and e.get("sessionId") == session:
                    return self.events.pop(i)
            self.events.append(self.receive())

    def open(self, url, width, height, mobile, dark=False):
        target = self.send("Target.createTarget", {"url": "about:blank"})["targetId"]
        session = self.send("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
        self.send("Emulation.setDeviceMetricsOverride", {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": mobile}, session)
        self.send("Emulation.setEmulatedMedia", {"features": [{"name": "prefers-color-scheme", "value": "dark" if dark else "light"}]}, session)
        self.send("Page.enable", {}, session)
        self.send("Page.navigate", {"url": url}, session)
        self.wait("Page.loadEventFired", session)
        return target, session

    def evaluate(self, session, expression):
        return self.send("Runtime.evaluate", {"expression": expression, "returnByValue": True, "awaitPromise": True}, session)["result"].get("value")

    def screenshot(self, session, path, full=False):
        params = {"format": "png"}
        if full:
            # The whole page at its own height, as a JPEG (a phone page runs to tens of thousands of pixels).
            width, height = self.evaluate(session, "[document.documentElement.clientWidth, document.documentElement.scrollHeight]")
            params = {"format": "jpeg", "quality": 55, "captureBeyondViewport": True,
                      "clip": {"x": 0, "y": 0, "width": width, "height": min(height, 30000), "scale": 1}}
        data = self.send("Page.captureScreenshot", params, session)["data"]
        open(path, "wb").write(base64.b64decode(data))

    def close(self, target):
        self.send("Target.closeTarget", {"targetId": target})

    def quit(self):
        try: self.send("Browser.close")
        except Exception: pass
        self.process.wait(timeout=30)


devtools = None  # the Browser for emulated pages, started on first use


def open_page(page, size, theme):
    """A page opened at `size` ("desktop", or "phone": 390 CSS px with a mobile viewport, which
    only emulation gives, as Chromium's window cannot be narrower than 500 px) in `theme`."""
    global devtools
    if devtools is None:
        devtools = Browser()
    w, h = sizes[size]
    return devtools.open("file://" + page, w, h, mobile=size == "phone", dark=theme == "dark")


def fail(page, message):
    failures.append(f"{os.path.relpath(page, root)}: {message}")


def chromium(arguments, page):
    return subprocess.run(browser + arguments + ["file://" + page], capture_output=True, text=True, timeout=120)


def png_pixels(path):
    """(width, height, rows of (r, g, b)) of an 8-bit RGB or RGBA PNG, the kind Chromium writes."""
    data = open(path, "rb").read()
    position, chunks = 8, []
    width = height = colour = 0
    while position < len(data):
        length, kind = struct.unpack(">I4s", data[position:position + 8])
        body = data[position + 8:position + 8 + length]
        if kind == b"IHDR":
            width, height, depth, colour = struct.unpack(">IIBB", body[:10])
            assert depth == 8 and colour in (2, 6), "an 8-bit RGB or RGBA PNG"
        elif kind == b"IDAT":
            chunks.append(body)
        position += 12 + length
    raw = zlib.decompress(b"".join(chunks))
    step = 4 if colour == 6 else 3
    stride = width * step
    rows, previous = [], bytearray(stride)
    for y in range(height):
        kind, line = raw[y * (stride + 1)], bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for i in range(stride):
            left = line[i - step] if i >= step else 0
            up, corner = previous[i], previous[i - step] if i >= step else 0
            if kind == 1: line[i] = (line[i] + left) & 255
            elif kind == 2: line[i] = (line[i] + up) & 255
            elif kind == 3: line[i] = (line[i] + (left + up) // 2) & 255
            elif kind == 4:
                p = left + up - corner
                pa, pb, pc = abs(p - left), abs(p - up), abs(p - corner)
                line[i] = (line[i] + (left if pa <= pb and pa <= pc else up if pb <= pc else corner)) & 255
        rows.append([tuple(line[x * step:x * step + 3]) for x in range(width)])
        previous = line
    return width, height, rows


def near(a, b, tolerance=12):
    return all(abs(x - y) <= tolerance for x, y in zip(a, b))


class Reader(html.parser.HTMLParser):
    """What a page holds: its visible text, ids, links, images, formulas and badges."""
    def __init__(self):
        super().__init__()
        self.hidden, self.text, self.ids, self.links, self.images = [], [], set(), [], []
        self.formulas = self.typeset = self.errors = 0
        self.badges = {}
        self.long_alts = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        classes = (a.get("class") or "").split()
        if "id" in a: self.ids.add(a["id"])
        if tag == "a" and a.get("href"): self.links.append(a["href"])
        if tag == "link" and a.get("href"): self.links.append(a["href"])
        if tag in ("img", "script") and a.get("src"): self.images.append(a["src"])
        if tag == "img" and len(a.get("alt") or "") > 250: self.long_alts.append(a["src"])
        self.formulas += "math" in classes
        self.typeset += "katex" in classes
        self.errors += "katex-error" in classes
        if "badge" in classes:
            kind = [c for c in classes if c != "badge"]
            if kind: self.badges[kind[0]] = self.badges.get(kind[0], 0) + 1
        if tag in ("img", "br", "hr", "meta", "link", "input"):
            return
        parent = self.hidden[-1] if self.hidden else False
        self.hidden.append(parent or tag in ("script", "style", "annotation", "title") or "katex-mathml" in classes)

    def handle_endtag(self, tag):
        if tag not in ("img", "br", "hr", "meta", "link", "input") and self.hidden:
            self.hidden.pop()

    def handle_data(self, data):
        if not (self.hidden and self.hidden[-1]):
            self.text.append(data)


def read(content):
    reader = Reader()
    reader.feed(content)
    return reader


static_ids = {}


def ids_of(path):
    """The ids a page's HTML holds as written (every id here is in the file, none made by script)."""
    if path not in static_ids:
        static_ids[path] = read(open(path, encoding="utf-8").read()).ids if os.path.exists(path) else None
    return static_ids[path]


def figure_widths(page, size):
    """The widths (CSS px) Chromium lays a page's figures out at, in the page and enlarged."""
    target, session = open_page(page, size, "light")
    try:
        return devtools.evaluate(session, measure_expression)
    finally:
        devtools.close(target)


strip_expression = """[...document.querySelectorAll("table.claims-table img")].map(i => [i.getAttribute("src"), i.getBoundingClientRect().width])"""


def check_strip_text(page):
    """Fails where a claim's strip is shown so small that its text falls below the floor."""
    results = os.path.join(os.path.dirname(page), "results.json")
    if not os.path.exists(results):
        return
    strips = {s["name"] + ".png": s for s in json.load(open(results)).get("summary", {}).get("strips", [])}
    for size in sizes:
        target, session = open_page(page, size, "light")
        try:
            shown = devtools.evaluate(session, strip_expression) or []
        finally:
            devtools.close(target)
        if len(shown) != len(strips):
            fail(page, f"{len(shown)} claim strips shown at {size} width, {len(strips)} made")
        for source, width in shown:
            strip = strips.get(source)
            if strip is None:
                fail(page, f"{source} is shown but not listed in results.json")
                continue
            text = strip["smallest_text"] * width / strip["width"]
            if text < smallest_text - 0.05:
                fail(page, f"{source} at {size} width: text at {text:.1f} px ({width:.0f} of {strip['width']:.0f} px)")


def check_phone_views(page, name, edition_name, front):
    """On a phone: the whole page (nothing to scroll sideways for, every picture loaded), and one
    screenshot each with a claim card's evidence open, with a figure enlarged, and (on the front
    page) with the search's results open."""
    target, session = open_page(page, "phone", "light")
    try:
        full = os.path.join(shots, "full", f"{edition_name}-{name}-phone.jpg")
        os.makedirs(os.path.dirname(full), exist_ok=True)
        width, scroll = devtools.evaluate(session, "[innerWidth, document.documentElement.scrollWidth]")
        if scroll > width + 0.5:
            fail(page, f"at phone width the page is {scroll} px wide, more than the screen's {width}")
        unloaded = devtools.evaluate(session, "(async () => { const images = [...document.querySelectorAll('main img')]; "
                                     "for (const i of images) { i.loading = 'eager'; } "
                                     "await Promise.all(images.map(i => i.complete ? 0 : new Promise(r => { i.onload = i.onerror = r; }))); "
                                     "return images.filter(i => !i.naturalWidth).map(i => i.getAttribute('src')); })()")
        for source in unloaded or []:
            fail(page, f"at phone width {source} does not load")
        devtools.screenshot(session, full, full=True)
        if front:
            found = devtools.evaluate(session, "(async () => { const i = document.getElementById('search'); i.value = 'ensemble'; "
                                      "i.dispatchEvent(new Event('input')); await new Promise(r => setTimeout(r, 200)); "
                                      "const list = document.getElementById('search-results'); const box = list.getBoundingClientRect(); "
                                      "return [list.children.length, box.left, box.right, innerWidth]; })()")
            devtools.screenshot(session, os.path.join(shots, f"{edition_name}-{name}-phone-search.png"))
            if not found or found[0] == 0:
                fail(page, "at phone width the search shows no results")
            elif found[1] < -0.5 or found[2] > found[3] + 0.5:
                fail(page, f"at phone width the search's results reach past the screen ({found[1]:.0f} to {found[2]:.0f} px)")
            return
        card = devtools.evaluate(session, "(async () => { const row = document.querySelector('table.claims-table tbody tr'); "
                                 "if (!row) return null; row.querySelectorAll('details').forEach(d => d.open = true); "
                                 "row.scrollIntoView(); await new Promise(r => setTimeout(r, 300)); "
                                 "const box = row.getBoundingClientRect(); const strip = row.querySelector('img'); "
                                 "return [box.left, box.right, innerWidth, strip ? strip.naturalWidth : -1, "
                                 "getComputedStyle(row).display]; })()")
        devtools.screenshot(session, os.path.join(shots, f"{edition_name}-{name}-phone-claim.png"))
        if card is None:
            fail(page, "no claim card to open")
        else:
            left, right, screen, strip, display = card
            if display != "block": fail(page, f"at phone width a claim is a table row ({display}), not a card")
            if left < -0.5 or right > screen + 0.5: fail(page, f"at phone width a claim card reaches past the screen ({left:.0f} to {right:.0f} px)")
            if strip == 0: fail(page, "at phone width the first claim's strip does not load")
        shown = devtools.evaluate(session, "(async () => { const zoom = document.querySelector('figure a.zoom'); if (!zoom) return null; "
                                  "location.hash = zoom.getAttribute('href'); await new Promise(r => setTimeout(r, 400)); "
                                  "const box = document.querySelector(zoom.getAttribute('href')); const image = box.querySelector('img'); "
                                  "return [getComputedStyle(box).display, image.naturalWidth]; })()")
        devtools.screenshot(session, os.path.join(shots, f"{edition_name}-{name}-phone-figure.png"))
        if shown is None or shown[0] != "flex" or shown[1] == 0:
            fail(page, f"at phone width an enlarged figure does not show ({shown})")
    finally:
        devtools.close(target)


def check_figure_text(page):
    """Fails where a figure's smallest text is shown below the floor."""
    results = os.path.join(os.path.dirname(page), "results.json")
    if not os.path.exists(results):
        return
    figures = json.load(open(results)).get("summary", {}).get("figures", [])
    for size in sizes:
        widths = figure_widths(page, size)
        if widths is None or len(widths["shown"]) != len(figures):
            fail(page, f"could not measure the figures at {size} width")
            continue
        # In the page at desktop width; enlarged at either width.
        views = ([("in the page", widths["shown"])] if size == "desktop" else []) + [("enlarged", widths["enlarged"])]
        for view, shown in views:
            for figure, width in zip(figures, shown):
                text = figure["smallest_text"] * width / figure["width"]
                if text < smallest_text - 0.05:
                    fail(page, f"{figure['name']}.png {view} at {size} width: text at {text:.1f} px "
                               f"({width:.0f} of {figure['width']:.0f} px)")


def check(page, edition):
    edition_name = "mnist" if edition == root else os.path.basename(edition)
    name = os.path.dirname(os.path.relpath(page, edition)) or "index"
    result = chromium(["--window-size=1280,900", themes["light"], "--dump-dom"], page)
    if result.returncode != 0:
        return fail(page, f"chromium failed: {result.stderr.strip()[-300:]}")
    errors = [l for l in result.stderr.splitlines() if "CONSOLE" in l and ("error" in l.lower() or "Uncaught" in l)]
    errors += [l for l in result.stderr.splitlines() if "Failed to load resource" in l or "net::ERR" in l]
    for line in errors:
        fail(page, "console: " + line.strip()[:200])
    dom = read(result.stdout)
    # An underscore inside a word is not emphasis on GitHub (NO_LAPACKE DYNAMIC_ARCH).
    for match in re.findall(r"\w<em>[^<]{0,40}</em>\w", open(page, encoding="utf-8").read()):
        fail(page, f"emphasis inside a word: {match}")
    text = " ".join(dom.text)
    raw = sorted(set(re.findall(r"\\(?:frac|sqrt|sum|partial|leftarrow|lambda|eta|sigma|mu|odot|hat|text|quad|varphi|Phi|ell|beta|gamma|epsilon)\b", text)))
    if raw: fail(page, "raw TeX in the visible text: " + ", ".join(raw))
    if dom.typeset < dom.formulas: fail(page, f"{dom.formulas - dom.typeset} of {dom.formulas} formulas not typeset")
    if dom.errors: fail(page, f"KaTeX could not typeset {dom.errors} formulas")
    for image in dom.long_alts: fail(page, f"{image}: alt text longer than 250 characters")
    folder = os.path.dirname(page)
    for target in dom.images + dom.links:
        parts = urlsplit(target)
        if parts.scheme in ("http", "https"):
            if parts.hostname not in reference_hosts:
                fail(page, f"a link leaves the edition: {target}")
            continue
        if parts.scheme or target.startswith("data:"):
            continue
        path = os.path.normpath(os.path.join(folder, unquote(parts.path))) if parts.path else page
        if not os.path.exists(path):
            fail(page, f"{target} does not resolve")
        elif parts.fragment and path.endswith(".html"):
            ids = dom.ids if path == page else ids_of(path)
            if unquote(parts.fragment) not in (ids or set()):
                fail(page, f"{target}: no element with id {unquote(parts.fragment)}")
    front = os.path.basename(page) == "index.html" and os.path.dirname(page) == edition
    if not front:
        check_figure_text(page)
        check_strip_text(page)
    check_phone_views(page, name, edition_name, front)
    if front and not dom.badges:
        fail(page, "the front page shows no verdict badges")
    os.makedirs(shots, exist_ok=True)
    for theme, flag in themes.items():
        for size, (w, h) in sizes.items():
            shot = os.path.join(shots, f"{edition_name}-{name}-{theme}-{size}.png")
            if size == "phone":
                target, session = open_page(page, size, theme)
                devtools.screenshot(session, shot)
                if front and theme == "light":
                    # The search finds the right page for a word of ours and for a word of the notes.
                    for query, expected in searches:
                        found = devtools.evaluate(session, "(async () => { const i = document.getElementById('search'); i.value = "
                                               + json.dumps(query) + "; i.dispatchEvent(new Event('input')); "
                                               "return [...document.querySelectorAll('#search-results a')].map(a => a.getAttribute('href')); })()")
                        if not found or not found[0].startswith(expected + "/"):
                            fail(page, f"searching for {query!r} gives {found[:3] if found else 'nothing'}, not {expected}")
                    # Every verdict badge within the screen, and nothing to scroll sideways for.
                    width, right = devtools.evaluate(session, "[innerWidth, Math.max(document.documentElement.scrollWidth, "
                                                  "...[...document.querySelectorAll('table.claims .badge')].map(b => b.getBoundingClientRect().right))]")
                    if right > width + 0.5:
                        fail(page, f"at phone width the page or its badges reach {right:.0f} px of {width} px")
                if theme == "dark" and not front:
                    # Dark mode shows the dark figures: the first one, brought into view so that it loads.
                    source = devtools.evaluate(session, "(async () => { const i = document.querySelector('figure img'); if (!i) return 'none'; "
                                            "i.scrollIntoView(); await new Promise(r => setTimeout(r, 300)); return i.currentSrc; })()")
                    if source != "none" and not (source or "").endswith("-dark.png"):
                        fail(page, f"dark mode shows {source or 'nothing'}, not the dark figure")
                devtools.close(target)
            else:
                run = chromium([f"--window-size={w},{h}", flag, f"--screenshot={shot}"], page)
                if run.returncode != 0:
                    fail(page, f"no {theme} {size} screenshot")
                    continue
            if not os.path.exists(shot):
                fail(page, f"no {theme} {size} screenshot")
                continue
            width, height, pixels = png_pixels(shot)
            if width != w:
                fail(page, f"{size} screenshot is {width} wide, not {w}")
            corner = pixels[5][5]
            if not near(corner, backgrounds[theme], 20):
                fail(page, f"the {theme} theme is not shown at {size} width (header colour {corner})")
            if front and theme == "light" and size == "desktop":
                seen = {kind for kind, colours in badge_colours.items() if kind in dom.badges
                        and any(near(p, c, 10) for row in pixels for p in row[::2] for c in colours)}
                missing = {k for k in badge_colours if k in dom.badges} - seen
                if missing: fail(page, "badges not drawn: " + ", ".join(sorted(missing)))
    return dom


pages = 0
editions = [root] + [os.path.join(root, d) for d in sorted(os.listdir(root))
                     if os.path.exists(os.path.join(root, d, "index.html")) and os.path.exists(os.path.join(root, d, "assets"))]
for edition in editions:
    for page in [os.path.join(edition, "index.html")] + sorted(
            os.path.join(edition, d, "index.html") for d in os.listdir(edition)
            if os.path.exists(os.path.join(edition, d, "index.html")) and os.path.exists(os.path.join(edition, d, "results.json"))):
        check(page, edition)
        pages += 1
if devtools is not None:
    devtools.quit()
if failures:
    print("\n".join("check-site: error: " + f for f in failures), file=sys.stderr)
    sys.exit(1)
print(f"check-site: {pages} pages in {len(editions)} edition{'s' if len(editions) != 1 else ''} checked in light and dark, "
      f"at {' and '.join(f'{w} px' for w, _ in sizes.values())}: no console error, no raw TeX, no emphasis inside a word, every image and link resolves, "
      f"no figure or strip text under {smallest_text:g} px, no alt text over 250 characters, badges drawn and on a phone's screen, dark figures in dark mode, search finds {len(searches)} words, on a phone every page within the screen with its pictures loaded, a claim card, an enlarged figure and the search's results; {4 * pages} screenshots, a full page and a phone view of each page in {os.path.relpath(shots)}")
