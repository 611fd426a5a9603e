"""Hostile XLSX uploads (decompression bombs): the 5 MB upload limit is on the compressed file, so
the import also limits what the workbook unpacks to, its rows, columns, cells, shared strings and
characters per cell, checked while openpyxl reads. Each file here is small to upload and built in
the test; each is refused beside the file field, naming the limit, quickly and without a 500.

These are the XLSX cases of tests/test_hostile_input.py's kind, kept beside the import's tests.
"""

import io
import time
import zipfile

import pytest
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from influencers.imports import MAX_FILE_BYTES
from influencers.models import Influencer
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

IMPORT_URL = reverse("influencers:influencer-import")
PREVIEW_URL = reverse("influencers:import-preview")
NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
SHEET = "xl/worksheets/sheet1.xml"
SHARED_STRINGS = "xl/sharedStrings.xml"
SHARED_STRINGS_TYPE = (
    b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
    b'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
)
# Far less than the seconds (and gigabytes) these files took before the limits; generous for a
# loaded CI machine.
QUICK_SECONDS = 10


@pytest.fixture
def importer_client(client, tiers):
    user = UserFactory(username="importer")
    user.user_permissions.add(
        *Permission.objects.filter(
            content_type__app_label="influencers",
            codename__in=["add_influencer", "change_influencer", "view_influencer"],
        )
    )
    client.force_login(user)
    return client


def base_workbook():
    """A real workbook (openpyxl's parts: content types, rels, styles, shared strings)."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["name", "platform_1", "handle_1"])
    sheet.append(["Ada", "Instagram", "ada"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def xlsx(replace):
    """The base workbook with some parts replaced; each new part is an iterable of byte chunks,
    streamed into the zip so hundreds of megabytes compress in a moment."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(base_workbook())) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as target,
    ):
        for info in source.infolist():
            if info.filename in replace:
                continue
            part = source.read(info.filename)
            if info.filename == "[Content_Types].xml" and SHARED_STRINGS in replace:
                # openpyxl writes inline strings; declare the shared strings part we add.
                part = part.replace(b"</Types>", SHARED_STRINGS_TYPE + b"</Types>")
            target.writestr(info, part)
        for name, chunks in replace.items():
            with target.open(name, "w", force_zip64=True) as member:
                for chunk in chunks:
                    member.write(chunk)
    data = out.getvalue()
    assert len(data) < MAX_FILE_BYTES  # each of these passes the upload limit
    return data


def repeated(chunk, times, batch=10_000):
    """`chunk` repeated `times` times, in batches."""
    whole, rest = divmod(times, batch)
    block = chunk * batch
    for _ in range(whole):
        yield block
    yield chunk * rest


def inline(reference, text):
    return f'<c r="{reference}" t="inlineStr"><is><t>{text}</t></is></c>'.encode()


def sheet(*parts, header=True):
    yield f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{NS}"><sheetData>'.encode()
    if header:
        yield b'<row r="1">' + inline("A1", "name") + inline("B1", "platform_1")
        yield inline("C1", "handle_1") + b"</row>"
    for part in parts:
        yield from part
    yield b"</sheetData></worksheet>"


def upload_refused(client, content, within=QUICK_SECONDS):
    started = time.monotonic()
    response = client.post(
        IMPORT_URL, {"file": SimpleUploadedFile("roster.xlsx", content)}, follow=False
    )
    elapsed = time.monotonic() - started
    assert response.status_code == 200, "the file was accepted"
    assert elapsed < within, f"took {elapsed:.1f} s to refuse"
    assert not Influencer.objects.exists()
    return " ".join(response.context["form"].errors["file"])


def test_twenty_million_shared_strings_are_refused_by_the_uncompressed_size(importer_client):
    """The 830 KB file of #16 that ran 60 s and 1.1 GB into a 500."""
    content = xlsx(
        {
            SHARED_STRINGS: [
                f'<?xml version="1.0"?><sst xmlns="{NS}">'.encode(),
                *repeated(b"<si><t/></si>", 20_000_000),
                b"</sst>",
            ]
        }
    )
    message = upload_refused(importer_client, content)
    assert "unpacks to 248.0 MB; the limit is 100.0 MB uncompressed" in message


def test_more_shared_strings_than_cells_are_refused_while_reading(importer_client):
    content = xlsx(
        {
            SHARED_STRINGS: [
                f'<?xml version="1.0"?><sst xmlns="{NS}">'.encode(),
                *repeated(b"<si><t>x</t></si>", 600_000),
                b"</sst>",
            ]
        }
    )
    assert "more than 500,000 shared strings (the limit" in upload_refused(importer_client, content)


def test_a_400_mb_inline_string_is_refused_by_the_uncompressed_size(importer_client):
    """The 394 KB file of #16 that was accepted, then took 9.8 s and 1.66 GB per preview."""
    cell = [b'<row r="2"><c r="A2" t="inlineStr"><is><t>', *repeated(b"x" * 1000, 400_000)]
    content = xlsx({SHEET: sheet(cell, [b"</t></is></c></row>"])})
    message = upload_refused(importer_client, content)
    assert "the limit is 100.0 MB uncompressed" in message


def test_a_cell_longer_than_excel_allows_is_refused_while_reading(importer_client):
    cell = [b'<row r="2"><c r="A2" t="inlineStr"><is><t>', *repeated(b"x" * 1000, 40_000)]
    content = xlsx({SHEET: sheet(cell, [b"</t></is></c></row>"])})
    message = upload_refused(importer_client, content)
    assert "Cell A2 holds more than 32,767 characters, the limit per cell" in message


def test_a_value_beyond_the_column_limit_is_refused_not_dropped(importer_client):
    """Before, cells past column 100 were silently left out of the import."""
    row = [b'<row r="2">', inline("A2", "Ada"), inline("B2", "Instagram")]
    row += [inline("C2", "ada"), inline("CW2", "lost?"), b"</row>"]
    message = upload_refused(importer_client, xlsx({SHEET: sheet(row)}))
    assert "Cell CW2 holds a value beyond column CV: the limit is 100 columns" in message


def test_more_cells_than_the_limit_are_refused_while_reading(importer_client):
    # 5,000 rows of 101 empty (styled) cells: 505,000 cells, refused at cell 500,001.
    cells = b"".join(f'<c r="{column}1" s="0"/>'.encode() for column in ("A", "B", "C"))
    row = b"<row>" + cells * 34 + b"</row>"
    content = xlsx({SHEET: sheet(repeated(row, 5_000, batch=500))})
    # Reaching the limit costs what reading a full-size legitimate file does (openpyxl parses
    # every cell up to there): seconds, not the minute and gigabyte the bombs above took.
    message = upload_refused(importer_client, content, within=3 * QUICK_SECONDS)
    assert "more than 500,000 cells (the limit)" in message


def test_a_workbook_within_the_limits_still_imports(importer_client):
    response = importer_client.post(
        IMPORT_URL, {"file": SimpleUploadedFile("roster.xlsx", base_workbook())}
    )
    assert response.status_code == 302
    assert response["Location"] == PREVIEW_URL
