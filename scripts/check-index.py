#!/usr/bin/env python3
"""Checks index.html the way a reader sees it: loads it in headless Chromium (Debian's package),
takes a screenshot, and reads the page's text after its scripts ran. Every formula must be
typeset by KaTeX (no raw TeX such as \\frac left in the visible text, no KaTeX error), every image
must be inlined, and no link may point outside the page's folder.

    scripts/check-index.py output/index.html [screenshot.png]
"""
import html.parser
import os
import re
import subprocess
import sys

page = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else "output/index.html")
screenshot = os.path.abspath(sys.argv[2]) if len(sys.argv) > 2 else None
browser = ["chromium", "--headless=new", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--virtual-time-budget=15000"]


def fail(message):
    sys.exit(f"check-index: error: {message}")


if screenshot:
    subprocess.run(browser + ["--window-size=1280,2000", f"--screenshot={screenshot}", "file://" + page],
                   check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    if not os.path.getsize(screenshot):
        fail("the screenshot is empty")
dom = subprocess.run(browser + ["--dump-dom", "file://" + page], check=True, capture_output=True, text=True).stdout


class Reader(html.parser.HTMLParser):
    """The visible text, and what the page holds: formulas, typeset formulas, errors, images."""
    def __init__(self):
        super().__init__()
        self.hidden = []          # the stack of open elements, True where its text is not shown
        self.text = []
        self.formulas = self.typeset = self.errors = self.images = self.inlined = 0

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        classes = (attributes.get("class") or "").split()
        if "math" in classes:
            self.formulas += 1
        if "katex" in classes:
            self.typeset += 1
        if "katex-error" in classes:
            self.errors += 1
        if tag == "img":
            self.images += 1
            self.inlined += (attributes.get("src") or "").startswith("data:image/png;base64,")
        if tag in ("img", "br", "hr", "meta", "link", "input"):
            return
        parent = self.hidden[-1] if self.hidden else False
        self.hidden.append(parent or tag in ("script", "style", "annotation") or "katex-mathml" in classes)

    def handle_endtag(self, tag):
        if tag not in ("img", "br", "hr", "meta", "link", "input") and self.hidden:
            self.hidden.pop()

    def handle_data(self, data):
        if not (self.hidden and self.hidden[-1]):
            self.text.append(data)


reader = Reader()
reader.feed(dom)
text = " ".join(reader.text)
raw = sorted(set(re.findall(r"\\(?:frac|sqrt|sum|partial|leftarrow|lambda|eta|sigma|mu|odot|hat|text|quad|varphi|Phi|ell|beta)\b", text)))
if reader.formulas == 0:
    fail("the page has no formulas to typeset")
if reader.typeset < reader.formulas:
    fail(f"{reader.formulas - reader.typeset} of {reader.formulas} formulas were not typeset (is KaTeX inlined?)")
if reader.errors:
    fail(f"KaTeX could not typeset {reader.errors} formulas")
if raw:
    fail("raw TeX left in the rendered text: " + ", ".join(raw))
if reader.inlined < reader.images:
    fail(f"{reader.images - reader.inlined} of {reader.images} images are not inlined")
if "The notes' claims, checked" not in text[:2000]:
    fail("the claims table is not the first thing on the page")
print(f"check-index: {reader.formulas} formulas typeset, no raw TeX in the text, {reader.images} images inlined"
      + (f"; screenshot {os.path.relpath(screenshot)}" if screenshot else ""))
