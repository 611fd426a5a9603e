"""The spreadsheet-formula neutraliser, whatever separator a spreadsheet opens the file with."""

import csv
import io
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from crm.csv_safety import FORMULA_TRIGGERS, neutralise, restore

SEPARATORS = (",", ";", "\t")
# Text made of the characters that matter here, and some plain ones.
texts = st.text(alphabet="=+-@\t\r,;'ab 1", max_size=30)


def pieces(line, separator):
    """The cells a spreadsheet sees when it opens ``line`` with ``separator``."""
    return next(csv.reader(io.StringIO(line), delimiter=separator))


def test_a_formula_after_a_semicolon_is_neutralised():
    cell = neutralise("Semi;=1+1;x")
    for separator in SEPARATORS:
        out = io.StringIO()
        csv.writer(out).writerow([cell, "next"])
        assert not any(p.startswith(FORMULA_TRIGGERS) for p in pieces(out.getvalue(), separator))


@given(texts)
def test_no_piece_starts_with_a_trigger_under_any_separator(text):
    cell = neutralise(text)
    for separator in SEPARATORS:
        for piece in cell.split(separator):
            assert not piece.startswith(FORMULA_TRIGGERS), (text, separator, piece)


@given(texts.filter(lambda text: not any(f"{s}'" in text for s in SEPARATORS)))
def test_an_import_reads_back_what_the_export_neutralised(text):
    if text.startswith("'"):
        return  # a quote typed first is taken for ours: the one case that does not round-trip
    assert restore(neutralise(text)) == text


def test_numbers_stay_numbers():
    assert neutralise(Decimal("-5")) == Decimal("-5")
    assert neutralise(-3) == -3
