"""Renders HTML reports in headless Chromium and checks them as a reader sees them.

Usage: /usr/bin/python3 report_browser.py [--screenshots DIR] [--top-screenshots DIR] NAME=PAGE.html...
       /usr/bin/python3 report_browser.py --probe    (exit 0 when the browser is there, else 77)

For every PAGE (opened from disk, in a 1280 x 1000 window) it asserts on the rendered DOM:
  - tables: every row of a table has as many cells as its first (header) row, counting
    colspan (the reports use no rowspan); rows of nested tables count for their own table;
  - images: every <img> has loaded, with a non-zero natural width and height, and every
    inline <svg> has a non-empty bounding box;
  - text: no text node outside <pre> (verbatim file contents, such as config.toml) and
    outside <style>/<script> holds a raw Markdown or TeX marker: '||', '^{' or '_{';
  - links: every internal link resolves: '#id' to an element of the page, a relative file
    to an existing file, and 'file.html#id' to an element of that page;
  - plots: every SVG image, opened as a document, has no raw marker in its text either,
    and its smallest text (sub- and superscripts included) is at least MIN_TEXT_PX pixels
    high as the page shows it (font size x displayed width / viewBox width).
Prints one FAIL line per problem and one PASS line per page; exits 1 if anything failed,
77 (ctest's SKIP_RETURN_CODE) with a SKIPPED line when Chromium, chromedriver or Debian's
python3-selenium is missing.

--screenshots DIR: a full-page PNG of every page, DIR/NAME.png.
--top-screenshots DIR: the first 1000 x 1250 CSS pixels of every page, DIR/NAME.png.
"""
import base64
import os
import shutil
import sys
import tempfile
import urllib.parse

CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"
MARKERS = ("||", "^{", "_{")
MIN_TEXT_PX = 11.0
WINDOW = (1280, 1000)
TOP = (1000, 1250)

try:
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service
except ImportError:
    print("SKIPPED: /usr/bin/python3 has no selenium (apt-get install python3-selenium, or scripts/install-deps.sh --with-browser)")
    sys.exit(77)
for program in (CHROMIUM, CHROMEDRIVER):
    if not os.access(program, os.X_OK):
        print(f"SKIPPED: {program} not found (apt-get install chromium chromium-driver, or scripts/install-deps.sh --with-browser)")
        sys.exit(77)

# The DOM checks of one page: a list of problems (strings), and the SVG images with the
# scale at which the page shows them.
PAGE_CHECKS = r"""
const markers = arguments[0];
const problems = [];
document.querySelectorAll('table').forEach((table, t) => {
  const width = row => Array.from(row.cells).reduce((n, cell) => n + cell.colSpan, 0);
  const rows = Array.from(table.rows);
  rows.slice(1).forEach((row, r) => {
    if (width(row) !== width(rows[0]))
      problems.push(`table ${t + 1}, row ${r + 2}: ${width(row)} cells, the header has ${width(rows[0])}`);
  });
});
const svgs = [];
document.querySelectorAll('img').forEach(img => {
  if (!img.complete || img.naturalWidth === 0 || img.naturalHeight === 0)
    problems.push(`image ${img.getAttribute('src')} did not load (natural size ${img.naturalWidth} x ${img.naturalHeight})`);
  else if (img.src.endsWith('.svg'))
    svgs.push([img.src, img.getBoundingClientRect().width]);
});
document.querySelectorAll('svg').forEach((svg, s) => {
  const box = svg.getBoundingClientRect();
  if (box.width === 0 || box.height === 0) problems.push(`inline svg ${s + 1} has an empty bounding box`);
});
const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
for (let node = walker.nextNode(); node; node = walker.nextNode()) {
  if (node.parentElement.closest('pre, style, script')) continue;
  for (const marker of markers)
    if (node.nodeValue.includes(marker))
      problems.push(`raw '${marker}' in the text of <${node.parentElement.tagName.toLowerCase()}>: ${JSON.stringify(node.nodeValue.trim().slice(0, 120))}`);
}
const links = [];
document.querySelectorAll('a[href]').forEach(a => {
  const href = a.getAttribute('href');
  if (/^[a-z]+:/i.test(href) && !href.startsWith('file:')) return;  // external
  if (href.startsWith('#')) {
    if (!document.getElementById(decodeURIComponent(href.slice(1)))) problems.push(`link ${href}: no element with that id`);
  } else {
    links.push([href, a.href]);
  }
});
return [problems, svgs, links];
"""

# The text checks of one SVG document: problems, and the smallest font size (user units)
# with the viewBox width.
SVG_CHECKS = r"""
const markers = arguments[0];
const problems = [];
const svg = document.documentElement;
let smallest = Infinity;
svg.querySelectorAll('text').forEach(text => {
  const content = text.textContent;
  for (const marker of markers)
    if (content.includes(marker)) problems.push(`raw '${marker}' in the text ${JSON.stringify(content.trim().slice(0, 120))}`);
  text.querySelectorAll('tspan').forEach(span => {
    if (span.textContent.trim()) smallest = Math.min(smallest, parseFloat(getComputedStyle(span).fontSize));
  });
  if (text.textContent.trim()) smallest = Math.min(smallest, parseFloat(getComputedStyle(text).fontSize));
});
const box = svg.viewBox && svg.viewBox.baseVal ? svg.viewBox.baseVal.width : 0;
return [problems, smallest, box];
"""


def local_path(url):
    parsed = urllib.parse.urlparse(url)
    return urllib.parse.unquote(parsed.path), parsed.fragment


def full_page_png(driver):
    metrics = driver.execute_cdp_cmd("Page.getLayoutMetrics", {})
    size = metrics["cssContentSize"]
    shot = driver.execute_cdp_cmd("Page.captureScreenshot", {
        "format": "png", "captureBeyondViewport": True,
        "clip": {"x": 0, "y": 0, "width": size["width"], "height": size["height"], "scale": 1}})
    return base64.b64decode(shot["data"])


def main(arguments):
    screenshots = top_screenshots = None
    pages = []
    while arguments:
        argument = arguments.pop(0)
        if argument == "--screenshots":
            screenshots = arguments.pop(0)
        elif argument == "--top-screenshots":
            top_screenshots = arguments.pop(0)
        elif argument == "--probe":
            sys.exit(0)  # the imports and the programs above are there
        elif "=" in argument:
            name, page = argument.split("=", 1)
            pages.append((name, os.path.abspath(page)))
        else:
            sys.exit(f"{argument}: expected NAME=PAGE.html\n{__doc__}")
    if not pages:
        sys.exit(__doc__)
    profile = tempfile.mkdtemp(prefix="ncv-chromium-")  # a new, empty profile per run
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                 f"--window-size={WINDOW[0]},{WINDOW[1]}", "--hide-scrollbars", "--force-device-scale-factor=1",
                 "--allow-file-access-from-files",
                 # this machine has no network: without these, Chromium's background
                 # connections fail at start-up, many at a time, and slow it down
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--disable-quic", "--no-first-run", f"--user-data-dir={profile}"):
        options.add_argument(flag)
    try:
        driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    except Exception:
        shutil.rmtree(profile, ignore_errors=True)
        raise
    failures = 0

    def fail(page, message):
        nonlocal failures
        failures += 1
        print(f"FAIL: {page}: {message}")

    try:
        for name, page in pages:
            if not os.path.isfile(page):
                fail(page, "no such page")
                continue
            before = failures
            driver.get("file://" + urllib.parse.quote(page))
            problems, svgs, links = driver.execute_script(PAGE_CHECKS, list(MARKERS))
            for problem in problems:
                fail(page, problem)
            if screenshots:
                os.makedirs(screenshots, exist_ok=True)
                with open(os.path.join(screenshots, name + ".png"), "wb") as out:
                    out.write(full_page_png(driver))
            if top_screenshots:
                os.makedirs(top_screenshots, exist_ok=True)
                driver.set_window_size(*TOP)
                driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {
                    "width": TOP[0], "height": TOP[1], "deviceScaleFactor": 1, "mobile": False})
                driver.save_screenshot(os.path.join(top_screenshots, name + ".png"))
                driver.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})
                driver.set_window_size(*WINDOW)
            for href, url in links:
                path, fragment = local_path(url)
                if not os.path.exists(path):
                    fail(page, f"link {href}: {path} does not exist")
                elif fragment and path.endswith(".html"):
                    driver.get("file://" + urllib.parse.quote(path))
                    if not driver.execute_script("return document.getElementById(arguments[0]) !== null",
                                                 urllib.parse.unquote(fragment)):
                        fail(page, f"link {href}: {path} has no element with id {fragment}")
            for url, shown_width in svgs:
                driver.get(url)
                problems, smallest, view_width = driver.execute_script(SVG_CHECKS, list(MARKERS))
                svg = local_path(url)[0]
                for problem in problems:
                    fail(page, f"{os.path.basename(svg)}: {problem}")
                if not view_width:
                    fail(page, f"{os.path.basename(svg)}: no viewBox")
                elif smallest != float("inf") and smallest * shown_width / view_width < MIN_TEXT_PX:
                    fail(page, f"{os.path.basename(svg)}: text {smallest * shown_width / view_width:.1f} px high as "
                               f"shown (font {smallest} in a {view_width:g}-wide viewBox shown {shown_width:g} px wide), "
                               f"below {MIN_TEXT_PX} px")
            if failures == before:
                print(f"PASS: {page}: {len(svgs)} SVG plots, {len(links)} file links")
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main(sys.argv[1:])
