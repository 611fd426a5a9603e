"""Reading figures off a rendered page, as a reader does: a figure after its label, or the cells
of a table row (no HTML parser library in the project: the standard library's is enough)."""

import re
from html.parser import HTMLParser


class Page(HTMLParser):
    """A page as text (to read a figure after its label) and as table rows (cells by row)."""

    def __init__(self, html):
        super().__init__()
        self.words, self.rows, self.row, self.cell = [], [], None, None
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        if tag == "tr":
            self.row = {"attrs": dict(attrs), "cells": []}
            self.rows.append(self.row)
        elif tag in ("td", "th") and self.row is not None:
            self.cell = {"attrs": dict(attrs), "text": ""}
            self.row["cells"].append(self.cell)

    def handle_endtag(self, tag):
        if tag in ("td", "th"):
            self.cell = None
        elif tag == "tr":
            self.row = None

    def handle_data(self, data):
        self.words.append(data)
        if self.cell is not None:
            self.cell["text"] += data

    @property
    def text(self):
        return " ".join(" ".join(self.words).split())

    def after(self, label):
        """The figure shown right after ``label`` (its heading or term)."""
        found = re.search(re.escape(label) + r" (-|EUR [-\d,.]+|-?[\d,.]+%?)", self.text)
        assert found, f"no figure after {label!r}"
        return found.group(1)
