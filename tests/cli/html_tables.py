"""Checks that every table is rectangular: each row has as many cells as the table's first
row. HTML pages: cells are th and td (counting colspan). With --markdown FILE: the tables
of a Markdown file, cells separated by '|' but not by the escaped '\\|'. Prints one line per
bad row, exits 1 if there is one. Usage: python3 html_tables.py [--markdown FILE] PAGE.html..."""
import re
import sys
from html.parser import HTMLParser


class Tables(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tables = []  # per table: the cell count of each row
        self.stack = []   # open tables (a nested table is its own)

    def handle_starttag(self, tag, attrs):
        if tag == "table":
            self.stack.append([])
            self.tables.append(self.stack[-1])
        elif tag == "tr" and self.stack:
            self.stack[-1].append(0)
        elif tag in ("td", "th") and self.stack and self.stack[-1]:
            self.stack[-1][-1] += int(dict(attrs).get("colspan") or 1)

    def handle_endtag(self, tag):
        if tag == "table" and self.stack:
            self.stack.pop()


def html_tables(page):
    parser = Tables()
    parser.feed(open(page, encoding="utf-8").read())
    return parser.tables


def markdown_tables(path):
    tables, current = [], None
    for line in open(path, encoding="utf-8"):
        if not line.startswith("|"):
            current = None
            continue
        if current is None:
            current = []
            tables.append(current)
        current.append(len(re.split(r"(?<!\\)\|", line.strip())) - 2)
    return tables


arguments, bad = sys.argv[1:], 0
while arguments:
    path = arguments.pop(0)
    tables = markdown_tables(arguments.pop(0)) if path == "--markdown" else html_tables(path)
    for index, rows in enumerate(tables):
        for number, cells in enumerate(rows[1:], start=2):
            if cells != rows[0]:
                print(f"{path}: table {index + 1}, row {number}: {cells} cells, the header has {rows[0]}")
                bad += 1
sys.exit(1 if bad else 0)
