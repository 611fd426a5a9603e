"""Open an uploaded XLSX with openpyxl (read-only, streaming) within limits checked while reading.

An XLSX is a zip of XML parts, so a small upload can unpack to gigabytes (a decompression bomb):
830 KB holding 20 million shared strings, or 394 KB holding one 400 MB inline string. openpyxl
reads the whole shared-strings table, and each whole ``<row>`` element, before handing anything
back, so the limits cannot wait for the cells it yields. Instead every part openpyxl opens is
first streamed once through ``_LimitedZipFile._check``: its unpacked bytes are counted, and an
expat parser (no tree) counts its rows, cells, columns, characters per cell and shared strings.
The check stops with ``XlsxLimitExceeded`` (a message naming the limit) as soon as one is passed,
before openpyxl has parsed any of that part.
"""

import io
import re
import zipfile
from dataclasses import dataclass
from xml.parsers import expat

from openpyxl.reader.excel import ExcelReader
from openpyxl.utils.cell import column_index_from_string, get_column_letter

MB = 1024 * 1024
EXCEL_MAX_COLUMNS = 16_384  # XFD: no spreadsheet writes a cell beyond it
EXCEL_MAX_CELL_CHARS = 32_767  # Excel's own limit on the text of one cell


class XlsxLimitExceeded(Exception):
    """The workbook passes one of the limits; the message says which, for the user."""


@dataclass(frozen=True)
class XlsxLimits:
    max_uncompressed_bytes: int
    max_rows: int  # rows of the sheet, header and blank rows included
    max_columns: int  # a value in a later column is refused
    max_cells: int  # cells of the sheet (and distinct shared strings)
    max_cell_chars: int = EXCEL_MAX_CELL_CHARS

    @property
    def max_xml_elements(self):
        # A cell is up to five elements (<c><is><t>, <v>, <f>); anything more is padding.
        return 5 * self.max_cells + self.max_rows + 10_000


def _megabytes(size):
    return f"{size / MB:,.1f} MB"


def load_workbook_limited(data, limits, *, data_only=False):
    """The workbook in ``data`` (bytes), opened read-only; XlsxLimitExceeded past a limit.

    Other errors (not a zip, broken XML) are raised as openpyxl and zipfile raise them.
    """
    archive = _LimitedZipFile(io.BytesIO(data), limits)
    # Checked up front from the zip's directory, so an obvious bomb costs nothing to refuse.
    # Those sizes are only what the file says; _LimitedZipFile checks what is actually read.
    declared = sum(info.file_size for info in archive.infolist())
    if declared > limits.max_uncompressed_bytes:
        raise XlsxLimitExceeded(
            f"The spreadsheet unpacks to {_megabytes(declared)}; the limit is "
            f"{_megabytes(limits.max_uncompressed_bytes)} uncompressed. Save it as CSV UTF-8, "
            f"or split it into smaller files."
        )
    # load_workbook() opens the zip itself; ExcelReader (what load_workbook runs) is given our
    # archive instead, so openpyxl reads every part through the limits.
    reader = ExcelReader(io.BytesIO(data), read_only=True, data_only=data_only)
    reader.archive.close()
    reader.archive = archive
    reader.read()
    return reader.wb


class _LimitedZipFile(zipfile.ZipFile):
    """A zip whose members are each streamed once through the limits before anyone reads them."""

    def __init__(self, file, limits):
        super().__init__(file)
        self.limits = limits
        self.bytes_read = 0
        self.checked = set()

    def open(self, name, mode="r", pwd=None, **kwargs):
        if mode == "r":
            info = name if isinstance(name, zipfile.ZipInfo) else self.getinfo(name)
            if info.filename not in self.checked:
                self._check(info, pwd)
                self.checked.add(info.filename)
        return super().open(name, mode, pwd=pwd, **kwargs)

    def _check(self, info, pwd):
        # openpyxl builds the whole shared-strings table, and each whole row, before giving
        # anything back, at ~10-50 microseconds a string or cell: a limit checked on what it
        # returns comes after the damage. expat counting the same bytes first is ~10x faster.
        xml = _XmlLimits(info.filename, self.limits) if _is_xml(info.filename) else None
        limit = self.limits.max_uncompressed_bytes
        size = 0
        with super().open(info, "r", pwd=pwd) as stream:
            while chunk := stream.read(64 * 1024):
                size += len(chunk)
                self.bytes_read += len(chunk)
                # zipfile stops at the declared size today; a member that unpacks to more than
                # it declares is refused here all the same rather than trusted to that.
                if size > info.file_size or self.bytes_read > limit:
                    raise XlsxLimitExceeded(
                        f"The spreadsheet unpacks to more than {_megabytes(limit)}, the limit "
                        f"uncompressed (or to more than its parts declare). Save it as CSV "
                        f"UTF-8, or split it into smaller files."
                    )
                if xml is not None:
                    xml.feed(chunk)
        if xml is not None:
            xml.feed(b"", final=True)


def _is_xml(name):
    return name.lower().endswith((".xml", ".rels", ".vml"))


_CELL_REFERENCE = re.compile(r"^\$?([A-Za-z]{1,3})\$?(\d+)$")


class _XmlLimits:
    """Counts what an XML part holds as its bytes stream past (expat: no tree is built)."""

    def __init__(self, name, limits):
        self.limits = limits
        lowered = name.lower()
        self.is_sheet = "/worksheets/" in lowered
        self.is_shared_strings = lowered.endswith("sharedstrings.xml")
        self.elements = 0
        self.rows = 0
        self.row_number = 0
        self.cells = 0
        self.cells_in_row = 0
        self.column = 0
        self.cell_reference = ""
        self.shared_strings = 0
        self.text_depth = 0  # inside <t> or <v> or <f>
        self.text_chars = 0  # characters of the current cell or shared string
        self.parser = expat.ParserCreate()
        self.parser.buffer_text = True
        self.parser.StartElementHandler = self.start
        self.parser.EndElementHandler = self.end
        self.parser.CharacterDataHandler = self.text
        self.broken = False

    def feed(self, data, final=False):
        if self.broken:
            return
        try:
            self.parser.Parse(data, final)
        except expat.ExpatError:
            # Malformed XML: stop counting and let openpyxl's own parser report it.
            self.broken = True

    def start(self, tag, attrs):
        self.elements += 1
        if self.elements > self.limits.max_xml_elements:
            raise XlsxLimitExceeded(
                f"The spreadsheet holds more than {self.limits.max_xml_elements:,} XML "
                f"elements in one part, more than {self.limits.max_cells:,} cells (the limit) "
                f"need. Save it as CSV UTF-8 and upload that."
            )
        name = tag.rsplit(":", 1)[-1]
        if self.is_sheet:
            if name == "row":
                self.start_row(attrs)
            elif name == "c":
                self.start_cell(attrs)
            elif name in ("v", "t", "f"):
                self.start_text(value=True)
        elif self.is_shared_strings:
            if name == "si":
                self.shared_strings += 1
                self.text_chars = 0
                if self.shared_strings > self.limits.max_cells:
                    raise XlsxLimitExceeded(
                        f"The spreadsheet has more than {self.limits.max_cells:,} shared "
                        f"strings (the limit: one per cell at most). Save it as CSV UTF-8 "
                        f"and upload that."
                    )
            elif name == "t":
                self.text_depth += 1

    def start_row(self, attrs):
        self.rows += 1
        reference = attrs.get("r", "")
        self.row_number = int(reference) if reference.isdigit() else self.row_number + 1
        if self.rows > self.limits.max_rows or self.row_number > self.limits.max_rows:
            raise XlsxLimitExceeded(
                f"The sheet has more than {self.limits.max_rows:,} rows, blank ones included: "
                f"past the limit. Remove the empty rows or split the file."
            )
        self.cells_in_row = 0
        self.column = 0

    def start_cell(self, attrs):
        self.cells += 1
        self.cells_in_row += 1
        self.text_chars = 0
        if self.cells > self.limits.max_cells:
            raise XlsxLimitExceeded(
                f"The sheet has more than {self.limits.max_cells:,} cells (the limit). Remove "
                f"the columns and rows you do not import, or split the file."
            )
        match = _CELL_REFERENCE.match(attrs.get("r", ""))
        if match:
            self.column = column_index_from_string(match.group(1).upper())
            self.cell_reference = match.group(0).replace("$", "").upper()
        else:
            self.column += 1
            self.cell_reference = f"{get_column_letter(min(self.column, 18_278))}{self.row_number}"
        if self.cells_in_row > EXCEL_MAX_COLUMNS or self.column > EXCEL_MAX_COLUMNS:
            raise XlsxLimitExceeded(
                f"Row {self.row_number} has more than {EXCEL_MAX_COLUMNS:,} cells, more than a "
                f"spreadsheet row holds; the limit is {self.limits.max_columns} columns."
            )

    def start_text(self, value):
        self.text_depth += 1
        if value and self.column > self.limits.max_columns:
            raise XlsxLimitExceeded(
                f"Cell {self.cell_reference} holds a value beyond column "
                f"{get_column_letter(self.limits.max_columns)}: the limit is "
                f"{self.limits.max_columns} columns. Delete the columns you do not import."
            )

    def end(self, tag):
        if self.text_depth and tag.rsplit(":", 1)[-1] in ("v", "t", "f"):
            self.text_depth -= 1

    def text(self, data):
        if not self.text_depth:
            return
        self.text_chars += len(data)
        if self.text_chars > self.limits.max_cell_chars:
            where = f"Cell {self.cell_reference}" if self.is_sheet else "A text in the file"
            raise XlsxLimitExceeded(
                f"{where} holds more than {self.limits.max_cell_chars:,} characters, the limit "
                f"per cell (Excel's own)."
            )
