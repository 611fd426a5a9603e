"""Roster import from CSV or XLSX: parse the file, validate every row, then import all or nothing.

Three steps, each usable alone: ``parse_roster_file`` turns bytes into rows (or refuses the file
with one clear message), ``roster_import_plan`` validates the rows against the database and says
per row what would happen (create, update, or every error by row number, column and reason), and
``influencers_import`` re-plans and writes all rows in one transaction, refusing if any row is
invalid. Rows are matched to existing influencers by platform + handle (case-insensitive), so a
re-import updates and never duplicates.
"""

import csv
import functools
import io
import re
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import connection, models, transaction
from django.db.models import F
from django.db.models.functions import Lower
from django.db.models.sql import UpdateQuery
from django.utils import timezone

from crm.csv_safety import restore
from crm.history import history_record_pks
from crm.xlsx_reader import XlsxLimitExceeded, XlsxLimits, load_workbook_limited
from influencers.models import Influencer, Niche, Platform, SocialAccount
from influencers.services import influencers_audience_expressions, influencers_recompute_audience

MAX_FILE_BYTES = 5 * 1024 * 1024
MAX_ROWS = 20_000
MAX_LINES = 2 * MAX_ROWS + 1  # blank rows are skipped, but a file of blanks is not read forever
MAX_COLUMNS = 100  # spreadsheet columns read (the template has 24)
# An XLSX is compressed XML: 5 MB can unpack to gigabytes. A 20,000-row file of every template
# column unpacks to about 30 MB and 480,000 cells.
MAX_XLSX_UNCOMPRESSED_BYTES = 100 * 1024 * 1024
MAX_CELLS = 500_000
MAX_ACCOUNTS = 3
ACCOUNT_FIELDS = ("platform", "handle", "url", "followers", "engagement_rate")

# (column, what it holds, example) in template order; the import page documents these.
INFLUENCER_COLUMNS = [
    ("name", "Required. The influencer's name (up to 200 characters).", "Ada Lovelace"),
    ("email", "Contact email address.", "ada@example.com"),
    ("phone", "Contact phone number.", "+44 20 7946 0000"),
    ("country", "Country.", "United Kingdom"),
    ("city", "City.", "London"),
    (
        "status",
        "active, paused or do not contact. Blank: active for a new influencer, unchanged for "
        "an existing one.",
        "active",
    ),
    ("owner", "Username of the marketer who manages the relationship.", "maria"),
    (
        "niches",
        "Niche names or slugs separated by ; (case-insensitive). Replaces the influencer's niches.",
        "beauty; fitness",
    ),
    ("notes", "Free text.", "Met at the spring launch."),
]
ACCOUNT_COLUMNS = [
    (
        "platform",
        "Instagram, TikTok, YouTube, X, Twitch, Facebook, Pinterest, LinkedIn, Snapchat or "
        "Other (blog). Required with a handle.",
        "Instagram",
    ),
    (
        "handle",
        "The handle on that platform, with or without @. platform_1 + handle_1 are required: "
        "a re-import finds the influencer by platform + handle.",
        "@ada",
    ),
    ("url", "Link to the profile.", "https://instagram.com/ada"),
    ("followers", "Whole number, 0 or more (12,300 or 12300).", "12300"),
    ("engagement_rate", "Percentage between 0 and 100 (3.5 or 3.5%).", "3.5"),
]
REQUIRED_COLUMNS = ("name", "platform_1", "handle_1")
COLUMN_ALIASES = {
    "owner_username": "owner",
    "niche": "niches",
    **{f"engagement_{n}": f"engagement_rate_{n}" for n in range(1, MAX_ACCOUNTS + 1)},
}


def template_columns():
    """Every column of the import template, in order."""
    columns = [name for name, _, _ in INFLUENCER_COLUMNS]
    for n in range(1, MAX_ACCOUNTS + 1):
        columns += [f"{name}_{n}" for name, _, _ in ACCOUNT_COLUMNS]
    return columns


# The errors file (refused rows as they were, each with its errors) leads with these two; an
# upload may keep them, so a fixed errors file imports as it is. They are not read.
ERRORS_FILE_COLUMNS = ("row", "errors")
KNOWN_COLUMNS = frozenset(template_columns()) | frozenset(ERRORS_FILE_COLUMNS)


class ImportFileError(Exception):
    """The file as a whole cannot be read; the message says why, for the user."""


@dataclass
class ParsedFile:
    filename: str
    columns: list  # canonical column names, in file order
    rows: list  # (row number in the spreadsheet, {column: cell value})


@dataclass
class RowError:
    row: int
    column: str
    value: str
    reason: str


@dataclass
class AccountRow:
    number: int  # the column group, 1..MAX_ACCOUNTS
    platform: str
    handle: str
    fields: dict  # url / followers / engagement_rate, for the columns the file has
    existing_id: int | None = None
    existing_influencer_id: int | None = None


@dataclass
class PlannedRow:
    row: int
    fields: dict  # Influencer fields to set, for the columns the file has
    niche_ids: list | None  # None: the file has no niches column, leave them alone
    accounts: list
    influencer_id: int | None = None  # the existing influencer this row updates
    influencer_name: str = ""

    @property
    def action(self):
        return "update" if self.influencer_id else "create"


@dataclass
class ImportPlan:
    filename: str
    rows: list = field(default_factory=list)  # valid rows only
    errors: list = field(default_factory=list)
    invalid_rows: set = field(default_factory=set)

    @property
    def to_create(self):
        return sum(1 for row in self.rows if not row.influencer_id)

    @property
    def to_update(self):
        return sum(1 for row in self.rows if row.influencer_id)

    @property
    def invalid(self):
        return len(self.invalid_rows)


@dataclass
class ImportResult:
    created: int
    updated: int  # rows matched to an existing influencer
    changed: int  # of those, influencers that actually changed (fields, niches or accounts)
    accounts_created: int
    accounts_updated: int
    skipped: int = 0  # invalid rows left out on request


class ImportRefused(Exception):
    """Some rows are invalid (or not the ones agreed to skip): nothing was imported. ``plan``
    lists the errors."""

    def __init__(self, plan):
        super().__init__(f"{plan.invalid} invalid row(s); nothing was imported.")
        self.plan = plan


# --- Reading the file ---------------------------------------------------------------------------


def _canonical_column(header):
    name = re.sub(r"[\s\-]+", "_", str(header or "").strip().lower())
    return COLUMN_ALIASES.get(name, name)


def _check_header(header_cells):
    columns = [_canonical_column(cell) for cell in header_cells]
    # Trailing empty header cells are common in spreadsheets; empty ones in the middle are not.
    while columns and not columns[-1]:
        columns.pop()
    listed = ", ".join(REQUIRED_COLUMNS)
    if not any(column in KNOWN_COLUMNS for column in columns):
        raise ImportFileError(
            f"The first row must be the header row with the template's column names "
            f"(at least {listed}); none were found. Download the template to see them."
        )
    unknown = [c or "(empty)" for c in columns if c not in KNOWN_COLUMNS]
    if unknown:
        raise ImportFileError(
            f"Unknown column(s) in the header row: {', '.join(unknown)}. "
            f"Use the template's column names."
        )
    duplicated = sorted(column for column, n in Counter(columns).items() if n > 1)
    if duplicated:
        raise ImportFileError(f"Column(s) appear twice in the header row: {', '.join(duplicated)}.")
    missing = [c for c in REQUIRED_COLUMNS if c not in columns]
    if missing:
        raise ImportFileError(f"Missing column(s) in the header row: {', '.join(missing)}.")
    for n in range(2, MAX_ACCOUNTS + 1):
        group = [f"{name}_{n}" for name in ACCOUNT_FIELDS]
        if any(c in columns for c in group) and not {f"platform_{n}", f"handle_{n}"} <= set(
            columns
        ):
            raise ImportFileError(
                f"Columns platform_{n} and handle_{n} are both needed when the file has any "
                f"column of account group {n}."
            )
    return columns


def _rows_from_cells(cell_rows, filename):
    """cell_rows yields lists of cell values; the first one is the header."""
    try:
        header = next(cell_rows)
    except StopIteration:
        raise ImportFileError("The file is empty.") from None
    columns = _check_header(header)
    rows = []
    for number, cells in enumerate(cell_rows, start=2):
        if number > MAX_LINES:
            raise ImportFileError(
                f"The file has more than {MAX_LINES - 1:,} lines (blank ones included); the "
                f"limit is {MAX_ROWS:,} rows. Remove the empty rows or split the file."
            )
        values = [_clean_cell(value) for value in cells]
        if not any(value != "" for value in values):
            continue  # blank lines are skipped, but keep the spreadsheet's row numbers
        if len(rows) >= MAX_ROWS:
            raise ImportFileError(
                f"The file has more than {MAX_ROWS:,} rows; split it into smaller files."
            )
        extra = [value for value in values[len(columns) :] if value != ""]
        if extra:
            raise ImportFileError(
                f"Row {number} has more cells than the header row has columns; check the "
                f"delimiters and quotes on that row."
            )
        values += [""] * (len(columns) - len(values))
        rows.append((number, dict(zip(columns, values, strict=False))))
    if not rows:
        raise ImportFileError("The file has a header row but no data rows.")
    return ParsedFile(filename=filename, columns=columns, rows=rows)


def _clean_cell(value):
    if type(value) is str:  # every CSV cell
        # Our own exports quote formula-looking text (crm.csv_safety); take it off on the way in.
        return restore(value.strip())
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, (int, float, Decimal)):
        return value
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return restore(str(value).strip())


def _describe_decode_error(data, error):
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        found = "UTF-16 (Excel's 'Unicode Text')"
    else:
        found = f"not UTF-8 (byte 0x{data[error.start]:02x} at position {error.start:,})"
    return (
        f"The file's text encoding is {found}. Save it as 'CSV UTF-8 (comma delimited)' "
        f"and upload it again."
    )


def _parse_csv(data, filename):
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ImportFileError(_describe_decode_error(data, error)) from None
    if "\x00" in text:
        raise ImportFileError(
            "The file contains NUL characters: it is not a text CSV file (an Excel file renamed "
            "to .csv?). Save it as 'CSV UTF-8' and upload it again."
        )
    first_line = text.split("\n", 1)[0]
    # Excel writes ; or tab in some locales; the header never contains those characters.
    delimiter = max((",", ";", "\t"), key=first_line.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        return _rows_from_cells(iter(reader), filename)
    except csv.Error as error:
        raise ImportFileError(
            f"The CSV file is malformed near line {reader.line_num}: {error}."
        ) from None


XLSX_LIMITS = XlsxLimits(
    max_uncompressed_bytes=MAX_XLSX_UNCOMPRESSED_BYTES,
    max_rows=MAX_LINES,
    max_columns=MAX_COLUMNS,
    max_cells=MAX_CELLS,
)


def _parse_xlsx(data, filename):
    workbook = None
    try:
        # data_only=False: a formula cell shows as its formula, so it can be refused by name
        # (its cached value, if any, is whatever the last program to save the file computed).
        workbook = load_workbook_limited(data, XLSX_LIMITS, data_only=False)
        sheet = workbook.worksheets[0]
    except XlsxLimitExceeded as error:
        raise ImportFileError(str(error)) from None
    except Exception as error:  # zipfile, XML and KeyError alike: openpyxl has no single error
        raise ImportFileError(
            "The file is not a readable Excel spreadsheet (.xlsx); open it in Excel or "
            "LibreOffice and save it as .xlsx or CSV UTF-8."
        ) from error
    try:
        if (sheet.max_row or 0) > MAX_LINES:  # cheap early refusal when the sheet says its size
            raise ImportFileError(
                f"The file has more than {MAX_ROWS:,} rows; split it into smaller files."
            )

        def cell_rows():
            for row in sheet.iter_rows(max_col=MAX_COLUMNS):
                yield [_xlsx_value(cell) for cell in row]

        return _rows_from_cells(cell_rows(), filename)
    except XlsxLimitExceeded as error:
        raise ImportFileError(str(error)) from None
    except ImportFileError:
        raise
    except Exception as error:
        raise ImportFileError(
            "The spreadsheet could not be read (it may be damaged); save it again as .xlsx or "
            "CSV UTF-8."
        ) from error
    finally:
        workbook.close()


def _xlsx_value(cell):
    value = cell.value
    if getattr(cell, "data_type", None) == "f":
        raise ImportFileError(
            f"Cell {cell.coordinate} holds a formula ({str(value)[:50]}), not a value: the "
            f"import reads what cells hold, not formulas. Turn the formulas into their results "
            f"(copy the cells, then Paste Special > Values) and upload the file again."
        )
    # A cell formatted as a percentage stores 3.5% as 0.035.
    if isinstance(value, (int, float)) and "%" in (getattr(cell, "number_format", "") or ""):
        return value * 100
    return value


def parse_roster_file(*, filename, data):
    """Read a CSV or XLSX roster into rows; raise ImportFileError with a message for the user."""
    if len(data) > MAX_FILE_BYTES:
        raise ImportFileError(
            f"The file is {len(data) / 1024 / 1024:.1f} MB; the limit is "
            f"{MAX_FILE_BYTES // 1024 // 1024} MB. Split it into smaller files."
        )
    if not data:
        raise ImportFileError("The file is empty.")
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    if extension == "xlsx":
        return _parse_xlsx(data, filename)
    if extension in ("csv", "txt"):
        return _parse_csv(data, filename)
    if extension == "xls":
        raise ImportFileError(
            "Old Excel files (.xls) are not supported; save the sheet as .xlsx or CSV UTF-8."
        )
    raise ImportFileError("Upload a .csv or .xlsx file.")


# --- Validating rows ----------------------------------------------------------------------------

STATUS_BY_TEXT = {}
for _value, _label in Influencer.Status.choices:
    STATUS_BY_TEXT[_value.replace("_", " ")] = _value
    STATUS_BY_TEXT[_label.lower()] = _value

PLATFORM_BY_TEXT = {"twitter": Platform.X, "blog": Platform.OTHER, "ig": Platform.INSTAGRAM}
for _value, _label in Platform.choices:
    PLATFORM_BY_TEXT[_value] = _value
    PLATFORM_BY_TEXT[_label.lower()] = _value

MAX_FOLLOWERS = 10**12  # far above any real audience; keeps the sums within BIGINT
WHOLE_NUMBER = re.compile(r"^(\d+|\d{1,3}([, _\u00a0.]\d{3})+|\d+\.0+)$")
INFLUENCER_TEXT_COLUMNS = ("name", "email", "phone", "country", "city", "notes")


def _text(value):
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _parse_followers(value):
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    elif type(value) is str and value.isascii() and value.isdigit():
        value = int(value)  # the common case, without the regular expressions below
    if isinstance(value, int):
        if value < 0:
            raise ValueError("must be 0 or more")
        if value > MAX_FOLLOWERS:
            raise ValueError(f"is more than {MAX_FOLLOWERS:,}; check the number")
        return value
    text = str(value).strip()
    if text.startswith("-") and WHOLE_NUMBER.match(text[1:]):
        raise ValueError("must be 0 or more")
    if not WHOLE_NUMBER.match(text):
        raise ValueError("is not a whole number")
    if re.fullmatch(r"\d+\.0+", text):
        return _parse_followers(int(text.split(".")[0]))
    return _parse_followers(int(re.sub(r"\D", "", text)))


def _parse_rate(value):
    text = _text(value).strip().rstrip("%").strip()
    if "," in text and "." not in text:
        text = text.replace(",", ".")  # 3,5 written with a decimal comma
    try:
        rate = Decimal(text)
    except InvalidOperation:
        raise ValueError("is not a number") from None
    if not rate.is_finite():
        raise ValueError("is not a number")
    if rate < 0 or rate > 100:
        raise ValueError("must be between 0 and 100 (a percentage)")
    return rate.quantize(Decimal("0.01"))


# A plain http(s) URL with a dotted host name: a strict subset of what Django's URLValidator
# accepts, checked with one regex; anything else goes through URLValidator itself.
PLAIN_URL = re.compile(
    r"^https?://(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}(?:[/?#]\S*)?$",
    re.IGNORECASE,
)


# A plain address (dot-atom local part, dotted host name): a strict subset of what Django's
# EmailValidator accepts, checked with one regex.
PLAIN_EMAIL = re.compile(
    r"[a-z0-9_%+-]+(?:\.[a-z0-9_%+-]+)*@(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}\Z",
    re.IGNORECASE,
)


@functools.cache
def _field_rule(model, field_name):
    """(field, max_length, shortcut), looked up once per field rather than once per cell.
    shortcut None: the length is all there is to check; a regex: a value it matches is valid;
    False: Field.clean() decides."""
    model_field = model._meta.get_field(field_name)
    if type(model_field) in (models.CharField, models.TextField):
        shortcut = None
    elif isinstance(model_field, models.URLField):
        shortcut = PLAIN_URL
    elif isinstance(model_field, models.EmailField):
        shortcut = PLAIN_EMAIL
    else:
        shortcut = False
    return model_field, model_field.max_length, shortcut


def _field_error(model, field_name, value):
    """The model field's own validation (length, email, URL) of one non-empty text value.

    Field.clean() rather than Model.clean_fields(): same validators, without building a model
    instance per row (a third of the time on a 10,000-row file)."""
    if value == "":
        return None
    model_field, max_length, shortcut = _field_rule(model, field_name)
    if max_length is None or len(value) <= max_length:
        if shortcut is None:
            return None  # a length check is all their validation
        if shortcut and shortcut.match(value):
            return None
    try:
        model_field.clean(value, None)
    except ValidationError as error:
        return " ".join(error.messages)
    return None


class _Lookups:
    """Everything the rows refer to, fetched with a handful of queries for the whole file."""

    def __init__(self, parsed):
        columns = set(parsed.columns)
        self.owners = {}
        if "owner" in columns:
            usernames = {str(v["owner"]).lower() for _, v in parsed.rows if v["owner"] != ""}
            users = get_user_model().objects.annotate(username_lower=Lower("username"))
            for chunk in _chunks(sorted(usernames)):
                found = users.filter(username_lower__in=chunk, is_active=True)
                self.owners.update(found.values_list("username_lower", "pk"))
        self.niches = {}
        if "niches" in columns:
            for pk, name, slug in Niche.objects.values_list("pk", "name", "slug"):
                self.niches[name.lower()] = pk
                self.niches[slug.lower()] = pk
        self.accounts = {}  # (platform, handle lower) -> (account pk, influencer pk, name)

    def load_accounts(self, keys):
        by_platform = {}
        for platform, handle in keys:
            by_platform.setdefault(platform, set()).add(handle)
        for platform, handles in by_platform.items():
            # platform + LOWER(handle) is the unique index, so this is an index lookup.
            base = SocialAccount.objects.annotate(handle_lower=Lower("handle")).filter(
                platform=platform
            )
            for chunk in _chunks(sorted(handles)):
                found = base.filter(handle_lower__in=chunk).values_list(
                    "handle_lower", "pk", "influencer_id", "influencer__name"
                )
                for handle, pk, influencer_id, name in found:
                    self.accounts[(platform, handle)] = (pk, influencer_id, name)


def _chunk_size():
    # SQLite caps the parameters of one statement; PostgreSQL takes the whole list at once.
    return (connection.features.max_query_params or 100_000) - 10


def _chunks(items):
    items = list(items)
    size = _chunk_size()
    for start in range(0, len(items), size):
        yield items[start : start + size]


@functools.lru_cache(maxsize=64)  # column sets differ between files, not between rows
def _account_groups(columns):
    """[(n, {account field: column})] for the account column groups of a file's columns."""
    return [
        (n, {name: f"{name}_{n}" for name in ACCOUNT_FIELDS if f"{name}_{n}" in columns})
        for n in range(1, MAX_ACCOUNTS + 1)
    ]


def _validate_row(number, values, columns, lookups, errors):
    """Parse one row into a PlannedRow; append its errors. Returns None if the row is invalid."""
    start = len(errors)

    def error(column, reason):
        value = values.get(column, "")
        errors.append(RowError(number, column, _text(value)[:80], reason))

    fields = {}
    for column in INFLUENCER_TEXT_COLUMNS:
        if column in columns:
            fields[column] = _text(values[column]).strip()
    if not fields.get("name"):
        error("name", "is required")
        fields.pop("name", None)  # reported once, not again as "cannot be blank"
    if "status" in columns and values["status"] != "":
        key = re.sub(r"[\s_\-]+", " ", _text(values["status"]).lower()).strip()
        if key in STATUS_BY_TEXT:
            fields["status"] = STATUS_BY_TEXT[key]
        else:
            error("status", "unknown status; use active, paused or do not contact")
    if "owner" in columns:
        username = _text(values["owner"]).strip().lower()
        if not username:
            fields["owner_id"] = None
        elif username in lookups.owners:
            fields["owner_id"] = lookups.owners[username]
        else:
            error("owner", "no active user with this username")
    niche_ids = None
    if "niches" in columns:
        names = [n.strip() for n in _text(values["niches"]).split(";") if n.strip()]
        unknown = [n for n in names if n.lower() not in lookups.niches]
        if unknown:
            error("niches", f"unknown niche(s): {', '.join(unknown)}")
        known = [lookups.niches[n.lower()] for n in names if n not in unknown]
        niche_ids = list(dict.fromkeys(known))

    for column in INFLUENCER_TEXT_COLUMNS:
        reason = _field_error(Influencer, column, fields.get(column, ""))
        if reason:
            error(column, reason)

    accounts = []
    for n, group in _account_groups(columns):
        if not group or all(values[c] == "" for c in group.values()):
            if n == 1:
                error("handle_1", "is required: every row needs at least one account")
            continue
        platform_text = _text(values[group["platform"]]).strip().lower()
        handle = _text(values[group["handle"]]).strip().lstrip("@").strip()
        platform = PLATFORM_BY_TEXT.get(platform_text)
        if not platform_text:
            error(group["platform"], "is required when the account has other columns filled")
        elif platform is None:
            error(group["platform"], "unknown platform; use one of " + ", ".join(Platform.labels))
        if not handle:
            error(group["handle"], "is required when the account has other columns filled")
        account_fields = {}
        if "url" in group:
            account_fields["url"] = _text(values[group["url"]]).strip()
        if "followers" in group:
            raw = values[group["followers"]]
            try:
                account_fields["followers"] = 0 if raw == "" else _parse_followers(raw)
            except ValueError as reason:
                error(group["followers"], str(reason))
        if "engagement_rate" in group:
            raw = values[group["engagement_rate"]]
            try:
                account_fields["engagement_rate"] = Decimal("0") if raw == "" else _parse_rate(raw)
            except ValueError as reason:
                error(group["engagement_rate"], str(reason))
        for name, value in (("handle", handle), ("url", account_fields.get("url", ""))):
            reason = _field_error(SocialAccount, name, value)
            if reason:
                error(group[name], reason)
        if platform and handle:
            accounts.append(AccountRow(n, platform, handle, account_fields))

    if len(errors) > start:
        return None
    return PlannedRow(row=number, fields=fields, niche_ids=niche_ids, accounts=accounts)


def roster_import_plan(parsed):
    """Validate every row of a parsed file against the database; say what importing would do."""
    plan = ImportPlan(filename=parsed.filename)
    lookups = _Lookups(parsed)
    columns = frozenset(parsed.columns)
    candidates = []
    for number, values in parsed.rows:
        row_errors = []
        row = _validate_row(number, values, columns, lookups, row_errors)
        plan.errors.extend(row_errors)
        candidates.append((number, row))

    keys = {
        (account.platform, account.handle.lower())
        for _, row in candidates
        if row
        for account in row.accounts
    }
    lookups.load_accounts(keys)

    seen_handles = {}  # (platform, handle lower) -> first row using it
    seen_influencers = {}  # existing influencer pk -> first row updating it
    for number, row in candidates:
        if row is None:
            plan.invalid_rows.add(number)
            continue
        row_errors = []
        matches = {}  # influencer pk -> (column, name)
        for account in row.accounts:
            key = (account.platform, account.handle.lower())
            column = f"handle_{account.number}"
            label = f"@{account.handle} on {Platform(account.platform).label}"
            if key in seen_handles:
                where = (
                    "earlier on this row"
                    if seen_handles[key] == number
                    else f"also on row {seen_handles[key]}"
                )
                reason = f"duplicate handle: {label} is {where}"
                row_errors.append(RowError(number, column, account.handle, reason))
                continue
            seen_handles[key] = number
            if key in lookups.accounts:
                account.existing_id, influencer_id, name = lookups.accounts[key]
                account.existing_influencer_id = influencer_id
                matches.setdefault(influencer_id, (column, name))
        if len(matches) > 1:
            described = "; ".join(
                f"{column} belongs to {name} (#{pk})" for pk, (column, name) in matches.items()
            )
            row_errors.append(
                RowError(
                    number,
                    list(matches.values())[1][0],
                    "",
                    f"handles belong to different influencers already: {described}",
                )
            )
        elif matches:
            (influencer_id, (column, name)), *_ = matches.items()
            if influencer_id in seen_influencers:
                row_errors.append(
                    RowError(
                        number,
                        column,
                        "",
                        f"updates the same influencer ({name}, #{influencer_id}) as row "
                        f"{seen_influencers[influencer_id]}; put each influencer on one row",
                    )
                )
            else:
                seen_influencers[influencer_id] = number
                row.influencer_id, row.influencer_name = influencer_id, name
        if row_errors:
            plan.errors.extend(row_errors)
            plan.invalid_rows.add(number)
        else:
            plan.rows.append(row)
    plan.errors.sort(key=lambda e: e.row)
    return plan


# --- Writing ------------------------------------------------------------------------------------

BATCH_SIZE = 1000


def refused_rows(parsed, plan):
    """The invalid rows as they are in the file: (row number, "column: reason; ...", values in
    the file's column order), for the errors file."""
    reasons = {}
    for error in plan.errors:
        reasons.setdefault(error.row, []).append(f"{error.column}: {error.reason}")
    for number, values in parsed.rows:
        if number in plan.invalid_rows:
            cells = [values[c] for c in parsed.columns if c not in ERRORS_FILE_COLUMNS]
            yield number, "; ".join(reasons.get(number, [])), cells


@transaction.atomic
def influencers_import(*, parsed, user=None, skip_rows=None):
    """Import the rows of the file in one transaction; nothing if any row is invalid.

    ``skip_rows``: the invalid rows' numbers the user agreed to leave out; the valid rows are
    then imported if those are exactly the invalid rows now (else nothing is, as the preview
    they chose from is out of date). Rows whose platform + handle already exist update that
    influencer; others create one. Only what differs is written; audience totals are then
    recomputed in SQL.
    """
    plan = roster_import_plan(parsed)
    if skip_rows is None:
        if plan.errors:
            raise ImportRefused(plan)
    elif plan.invalid_rows != set(skip_rows) or not plan.rows:
        raise ImportRefused(plan)
    now = timezone.now()
    updates = [row for row in plan.rows if row.influencer_id]
    creates = [row for row in plan.rows if not row.influencer_id]
    existing_ids = {row.influencer_id for row in updates}
    touched = set()  # existing influencers that change in any way

    # Existing influencers: compare plain values (no model instances); they are written once,
    # at the end, with every other change to the same rows.
    influencer_fields = sorted({name for row in updates for name in row.fields})
    current_influencers = _current_values(Influencer, existing_ids, influencer_fields)
    for row in updates:
        values = current_influencers[row.influencer_id]
        if any(values[name] != value for name, value in row.fields.items()):
            values.update(row.fields)
            touched.add(row.influencer_id)

    new_influencers = [Influencer(**row.fields) for row in creates]
    Influencer.objects.bulk_create(new_influencers, batch_size=BATCH_SIZE)
    for row, influencer in zip(creates, new_influencers, strict=True):
        row.influencer_id = influencer.pk

    # Niches: the file's list replaces the influencer's; only the links that differ are
    # deleted or added (each link written costs its indexes and a foreign-key check).
    through = Influencer.niches.through
    current_links = {}  # influencer pk -> {niche pk: link pk}
    for chunk in _chunks([row.influencer_id for row in updates if row.niche_ids is not None]):
        links = through.objects.filter(influencer_id__in=chunk)
        for pk, influencer_id, niche_id in links.values_list("pk", "influencer_id", "niche_id"):
            current_links.setdefault(influencer_id, {})[niche_id] = pk
    removed_links, new_links = [], []
    for row in [*creates, *updates]:
        if row.niche_ids is None:
            continue
        links = current_links.get(row.influencer_id, {})
        gone = [pk for niche_id, pk in links.items() if niche_id not in row.niche_ids]
        new = [niche_id for niche_id in row.niche_ids if niche_id not in links]
        if (gone or new) and row.influencer_id in existing_ids:
            touched.add(row.influencer_id)
        removed_links += gone
        new_links += [through(influencer_id=row.influencer_id, niche_id=n) for n in new]
    for chunk in _chunks(removed_links):
        through.objects.filter(pk__in=chunk).delete()
    through.objects.bulk_create(new_links, batch_size=BATCH_SIZE)

    # Accounts: matched ones are updated where they differ; new ones are added (the first
    # account of an influencer without a primary one becomes primary).
    matched = [(row, a) for row in updates for a in row.accounts if a.existing_id]
    account_fields = sorted({"handle"} | {name for _, a in matched for name in a.fields})
    # Every account of the matched influencers, in one query per chunk of influencers: the
    # matched ones' current values, and whether each influencer has a primary account.
    current, with_primary = {}, set()
    for chunk in _chunks(sorted(existing_ids)):
        accounts = SocialAccount.objects.filter(influencer_id__in=chunk)
        for values in accounts.values("pk", "influencer_id", "is_primary", *account_fields):
            if values.pop("is_primary"):
                with_primary.add(values["influencer_id"])
            current[values.pop("pk")] = values
    changed_accounts, added = [], []
    for row, account in matched:
        values = current[account.existing_id]
        wanted = {"handle": account.handle, **account.fields}
        if any(values[name] != value for name, value in wanted.items()):
            values.update(wanted)
            changed_accounts.append(
                (account.existing_id, *(values[f] for f in account_fields), now)
            )
            touched.add(row.influencer_id)
    for row in plan.rows:
        for account in row.accounts:
            if account.existing_id:
                continue
            added.append(
                SocialAccount(
                    influencer_id=row.influencer_id,
                    platform=account.platform,
                    handle=account.handle,
                    is_primary=row.influencer_id not in with_primary,
                    **account.fields,
                )
            )
            with_primary.add(row.influencer_id)
            if row.influencer_id in existing_ids:
                touched.add(row.influencer_id)
    _bulk_update(SocialAccount, [*account_fields, "updated_at"], changed_accounts)
    SocialAccount.objects.bulk_create(added, batch_size=BATCH_SIZE)

    # Each changed influencer's row is written once (on PostgreSQL; a row rewritten three times
    # also rewrote its eleven indexes three times): its fields (changed or not), its audience
    # totals recomputed from its accounts, and its next version. What the edit form shows
    # changed, so an edit form opened before the import is now stale (crm.concurrency) and is
    # refused instead of overwriting the imported values.
    _bulk_update(
        Influencer,
        [*influencer_fields, "updated_at"],
        [
            (pk, *(current_influencers[pk][f] for f in influencer_fields), now)
            for pk in sorted(touched)
        ],
        expressions={**influencers_audience_expressions(), "version": F("version") + 1},
    )
    # New influencers' audience totals: one UPDATE (SQLite: one per chunk of ids).
    for chunk in _chunks([row.influencer_id for row in creates]):
        influencers_recompute_audience(queryset=Influencer.objects.filter(pk__in=chunk))
    _record_history(
        user=user,
        reason=f"Roster import: {parsed.filename}"[:100],
        records=[
            (Influencer, "+", [influencer.pk for influencer in new_influencers]),
            (SocialAccount, "+", [account.pk for account in added]),
            (Influencer, "~", sorted(touched)),
            (SocialAccount, "~", [values[0] for values in changed_accounts]),
        ],
    )
    return ImportResult(
        created=len(creates),
        updated=len(updates),
        changed=len(touched),
        accounts_created=len(added),
        accounts_updated=len(changed_accounts),
        skipped=plan.invalid,
    )


def _record_history(*, user, reason, records):
    """Bulk writes skip the audit trail's signals; record them in bulk (if the app is there)."""
    if not apps.is_installed("audit"):
        return
    when = timezone.now()
    for model, history_type, pks in records:
        history_record_pks(
            model=model,
            pks=pks,
            history_type=history_type,
            user=user,
            change_reason=reason,
            when=when,
        )


def _current_values(model, pks, field_names):
    """{pk: {field: value}} for the given rows, as plain values."""
    found = {}
    for chunk in _chunks(sorted(pks)):
        for values in model.objects.filter(pk__in=chunk).values("pk", *field_names):
            found[values.pop("pk")] = values
    return found


def _bulk_update(model, field_names, rows, expressions=None):
    """UPDATE many rows, each with its own values: rows are (pk, value per field...) tuples;
    ``expressions`` ({field: expression}, e.g. F("version") + 1) are set on the same rows.

    On PostgreSQL one ``UPDATE ... FROM (VALUES ...)`` per batch: Django's bulk_update builds a
    CASE WHEN per row and field, which took 2 minutes for 10,000 influencers and 30,000 accounts
    (mostly in Python, compiling the expressions). Elsewhere (SQLite in tests) bulk_update.
    """
    if not rows:
        return
    if connection.vendor != "postgresql":
        objects = [
            model(pk=pk, **dict(zip(field_names, values, strict=True))) for pk, *values in rows
        ]
        model.objects.bulk_update(objects, field_names, batch_size=100)
        if expressions:
            for chunk in _chunks([pk for pk, *_ in rows]):
                model.objects.filter(pk__in=chunk).update(**expressions)
        return
    quote = connection.ops.quote_name
    pk = model._meta.pk
    columns = [pk, *(model._meta.get_field(name) for name in field_names)]
    row_sql = "(" + ", ".join(f"%s::{field.db_type(connection)}" for field in columns) + ")"
    names = ", ".join(quote(field.column) for field in columns)
    table, key = quote(model._meta.db_table), quote(pk.column)
    # The expressions compiled by Django, as in QuerySet.update(): "UPDATE table SET ...", to
    # which the values' assignments are added (the target table is not aliased, so the
    # expressions' column references find it).
    update = UpdateQuery(model)
    update.add_update_values(expressions or {})
    set_sql, set_params = update.get_compiler(connection=connection).as_sql()
    assignments = ", ".join(f"{quote(f.column)} = v.{quote(f.column)}" for f in columns[1:])
    head = f"{set_sql}, {assignments}" if expressions else f"UPDATE {table} SET {assignments}"  # noqa: S608
    with connection.cursor() as cursor:
        for start in range(0, len(rows), BATCH_SIZE):
            batch = rows[start : start + BATCH_SIZE]
            # Identifiers and types come from model metadata (quoted); every value is a
            # parameter (str, int, Decimal, datetime, None: psycopg adapts them as they are).
            cursor.execute(
                f"{head} "  # noqa: S608
                f"FROM (VALUES {', '.join([row_sql] * len(batch))}) AS v({names}) "
                f"WHERE {table}.{key} = v.{key}",
                [*(set_params if expressions else ()), *(value for row in batch for value in row)],
            )
