"""Make exported cells safe to open in a spreadsheet (CSV/formula injection).

A text cell that starts with one of these characters is read as a formula by Excel, LibreOffice
and Google Sheets; prefixing a single quote makes it plain text. A spreadsheet may also open the
file with ";" or a tab as the separator (the usual one in many European locales) and split a
cell there: every piece that would then start with a trigger gets the quote after its separator
too. Numbers are left as numbers, so a negative amount stays a number.
"""

import re
from decimal import Decimal

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
_TRIGGER = "[=+\\-@\t\r]"
# A separator a spreadsheet may split on, followed by a trigger (or already neutralised).
_INNER = re.compile(f"([,;\t])(?={_TRIGGER})")
_INNER_NEUTRALISED = re.compile(f"([,;\t])'(?={_TRIGGER})")
# Most cells start with no trigger and hold no separator: they are returned after a few string
# tests, without a regex (an export of 100,000 influencers neutralises ~1.5 M text cells).
_FIRST = frozenset(FORMULA_TRIGGERS)
_INNER_TRIGGER = re.compile(f"[,;\t]{_TRIGGER}")


def neutralise(value):
    """Return the cell value with formula-looking text made inert."""
    if type(value) is str:
        return neutralise_text(value)
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, (int, float, Decimal)):
        return value
    return neutralise_text(str(value))


def neutralise_text(text):
    """`neutralise` for a value known to be a str (the export's hot path)."""
    if text[:1] not in _FIRST and (
        ("," not in text and ";" not in text and "\t" not in text)
        or _INNER_TRIGGER.search(text) is None
    ):
        return text
    text = _INNER.sub(r"\1'", text)
    if text.startswith(FORMULA_TRIGGERS):
        return "'" + text
    return text


def neutralise_texts(texts):
    """`neutralise_text` of each of a list of str, in one call (the export's hot path: one call
    per row rather than one per cell)."""
    first, inner = _FIRST, _INNER_TRIGGER.search
    return [
        text
        if text[:1] not in first
        and (("," not in text and ";" not in text and "\t" not in text) or inner(text) is None)
        else neutralise_text(text)
        for text in texts
    ]


def neutralise_row(values):
    return [neutralise(value) for value in values]


def restore(text):
    """The text as it was before `neutralise` (an export of ours read back by an import)."""
    if "'" not in text:
        return text  # most cells: nothing was added to them
    if text.startswith("'") and text[1:2] and text[1:2] in FORMULA_TRIGGERS:
        text = text[1:]
    return _INNER_NEUTRALISED.sub(r"\1", text)
