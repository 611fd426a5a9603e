"""Make exported cells safe to open in a spreadsheet (CSV/formula injection).

A text cell that starts with one of these characters is read as a formula by Excel, LibreOffice
and Google Sheets; prefixing a single quote makes it plain text. Numbers are left as numbers, so a
negative amount stays a number.
"""

from decimal import Decimal

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value):
    """Return the cell value with formula-looking text made inert."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, (int, float, Decimal)):
        return value
    text = str(value)
    if text.startswith(FORMULA_TRIGGERS):
        return "'" + text
    return text


def neutralise_row(values):
    return [neutralise(value) for value in values]
