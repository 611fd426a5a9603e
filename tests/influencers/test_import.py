"""Roster import: template, upload refusals, preview errors by row, all-or-nothing confirm,
idempotent re-import."""

import csv
import io
from datetime import timedelta
from decimal import Decimal

import pytest
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from openpyxl import Workbook

from crm.models import PendingUpload
from influencers.imports import (
    MAX_ROWS,
    influencers_import,
    parse_roster_file,
    template_columns,
)
from influencers.models import Influencer, SocialAccount
from tests.factories import InfluencerFactory, NicheFactory, UserFactory

IMPORT_URL = reverse("influencers:influencer-import")
PREVIEW_URL = reverse("influencers:import-preview")
CONFIRM_URL = reverse("influencers:import-confirm")

HEADER = [
    "name",
    "email",
    "country",
    "status",
    "owner",
    "niches",
    "platform_1",
    "handle_1",
    "url_1",
    "followers_1",
    "engagement_rate_1",
    "platform_2",
    "handle_2",
    "followers_2",
    "engagement_rate_2",
]


def csv_bytes(rows, header=HEADER):
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")


def good_row(n, **changes):
    row = {
        "name": f"Creator {n}",
        "email": f"creator{n}@example.com",
        "country": "France",
        "status": "active",
        "owner": "maria",
        "niches": "Beauty; fitness",
        "platform_1": "Instagram",
        "handle_1": f"@creator{n}",
        "url_1": f"https://instagram.com/creator{n}",
        "followers_1": "12,000",
        "engagement_rate_1": "4.5%",
        "platform_2": "tiktok",
        "handle_2": f"creator{n}tt",
        "followers_2": "3000",
        "engagement_rate_2": "2",
    }
    row.update(changes)
    return [row[column] for column in HEADER]


@pytest.fixture
def roster_refs(db, tiers):
    UserFactory(username="maria")
    return {
        "beauty": NicheFactory(name="Beauty", slug="beauty"),
        "fitness": NicheFactory(name="Fitness", slug="fitness"),
    }


@pytest.fixture
def marketer(db):
    user = UserFactory(username="importer")
    user.user_permissions.add(
        *Permission.objects.filter(
            content_type__app_label="influencers",
            codename__in=["add_influencer", "change_influencer", "view_influencer"],
        )
    )
    return user


@pytest.fixture
def marketer_client(client, marketer):
    client.force_login(marketer)
    return client


def upload(client, content, name="roster.csv"):
    return client.post(IMPORT_URL, {"file": SimpleUploadedFile(name, content)})


def preview(client, content, name="roster.csv"):
    response = upload(client, content, name)
    assert response.status_code == 302, response.context["form"].errors
    assert response["Location"] == PREVIEW_URL
    return client.get(PREVIEW_URL)


def confirm(client, preview_response):
    return client.post(CONFIRM_URL, {"token": preview_response.context["token"]})


def file_error(response):
    assert response.status_code == 200
    return " ".join(response.context["form"].errors["file"])


# --- Template and page ---------------------------------------------------------------------------


def test_template_download_has_every_documented_column(marketer_client):
    response = marketer_client.get(reverse("influencers:import-template"))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    header = next(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert header == template_columns()
    assert {"name", "owner", "niches", "platform_3", "handle_3", "engagement_rate_3"} <= set(header)


def test_import_page_documents_the_columns(marketer_client):
    response = marketer_client.get(IMPORT_URL)
    content = response.content.decode()
    for column in ("name", "niches", "owner", "platform", "handle", "followers", "engagement_rate"):
        assert f"<code>{column}" in content
    assert "separated by ;" in content


def test_the_empty_template_is_refused_for_having_no_rows(marketer_client):
    template = marketer_client.get(reverse("influencers:import-template")).content
    assert "no data rows" in file_error(upload(marketer_client, template))


@pytest.mark.parametrize(
    "method, url",
    [
        ("get", IMPORT_URL),
        ("get", PREVIEW_URL),
        ("post", CONFIRM_URL),
        ("get", reverse("influencers:import-template")),
    ],
)
def test_import_needs_the_add_permission(client, db, method, url):
    viewer = UserFactory(username="viewer")
    viewer.user_permissions.add(Permission.objects.get(codename="view_influencer"))
    client.force_login(viewer)
    assert getattr(client, method)(url).status_code == 403


# --- File refusals, each beside the file field ---------------------------------------------------


def test_file_over_5_mb_is_refused(marketer_client, roster_refs):
    content = csv_bytes([good_row(1)]) + b"#" * (5 * 1024 * 1024)
    assert "limit is 5 MB" in file_error(upload(marketer_client, content))


def test_file_over_20000_rows_is_refused(marketer_client, roster_refs):
    rows = [good_row(n) for n in range(MAX_ROWS + 1)]
    message = file_error(upload(marketer_client, csv_bytes(rows)))
    assert "more than 20,000 rows" in message
    assert not Influencer.objects.exists()


def test_exactly_20000_rows_are_accepted_by_the_parser():
    content = csv_bytes([good_row(n) for n in range(MAX_ROWS)])
    assert len(parse_roster_file(filename="big.csv", data=content).rows) == MAX_ROWS


def test_xlsx_that_is_not_a_spreadsheet_gets_a_message(marketer_client, roster_refs):
    response = upload(marketer_client, b"name,handle_1\nnot really a workbook", "roster.xlsx")
    assert "not a readable Excel spreadsheet" in file_error(response)


def test_csv_in_latin1_names_the_encoding_problem(marketer_client, roster_refs):
    content = csv_bytes([good_row(1, name="Zoë Ærø")]).decode().encode("latin-1")
    message = file_error(upload(marketer_client, content))
    assert "not UTF-8" in message
    assert "CSV UTF-8" in message


def test_csv_in_utf16_says_so(marketer_client, roster_refs):
    content = csv_bytes([good_row(1)]).decode().encode("utf-16")
    assert "UTF-16" in file_error(upload(marketer_client, content))


def test_file_without_a_header_row_is_refused(marketer_client, roster_refs):
    content = csv_bytes([good_row(2)], header=good_row(1))
    assert "first row must be the header row" in file_error(upload(marketer_client, content))


def test_missing_required_column_is_named(marketer_client, roster_refs):
    header = [column for column in HEADER if column != "handle_1"]
    content = csv_bytes([["x"] * len(header)], header=header)
    assert "Missing column(s) in the header row: handle_1" in file_error(
        upload(marketer_client, content)
    )


def test_a_header_repeating_one_column_100000_times_is_refused_at_once(
    marketer_client, roster_refs
):
    """The duplicate-column check is linear: a 700 KB header of 100,000 "name" columns once
    kept a worker busy until it was killed (a count per column, 10^10 comparisons)."""
    header = ["name"] * 100_000
    content = csv_bytes([["x"] * len(header)], header=header)
    assert "Column(s) appear twice in the header row: name." in file_error(
        upload(marketer_client, content)
    )


def test_unknown_column_is_named(marketer_client, roster_refs):
    content = csv_bytes([good_row(1) + ["?"]], header=[*HEADER, "shoe_size"])
    assert "Unknown column(s) in the header row: shoe_size" in file_error(
        upload(marketer_client, content)
    )


def test_other_file_types_are_refused(marketer_client, roster_refs):
    assert ".csv or .xlsx" in file_error(upload(marketer_client, b"%PDF-1.4", "roster.pdf"))


# --- Preview ------------------------------------------------------------------------------------


def test_preview_lists_every_invalid_row_by_row_column_and_reason(marketer_client, roster_refs):
    InfluencerFactory(name="Existing A", audience=5000, audience__handle="taken_a")
    InfluencerFactory(name="Existing B", audience=5000, audience__handle="taken_b")
    rows = [
        good_row(1),  # row 2: valid
        good_row(2, followers_1="lots"),  # row 3
        good_row(3, engagement_rate_1="150"),  # row 4
        good_row(4, platform_1="MySpace"),  # row 5
        good_row(5, niches="beauty; knitting"),  # row 6
        good_row(6, owner="nobody"),  # row 7
        good_row(7, email="not-an-email"),  # row 8
        good_row(8, url_1="instagram dot com"),  # row 9
        good_row(9, handle_1="creator1"),  # row 10: same handle as row 2
        good_row(10, handle_1="TAKEN_A", platform_2="instagram", handle_2="taken_b"),  # row 11
        good_row(11, status="retired", followers_2="-5"),  # row 12
        good_row(12, followers_1="99999999999999999999", engagement_rate_2="NaN"),  # row 13
    ]
    response = preview(marketer_client, csv_bytes(rows))
    plan = response.context["plan"]
    found = {(e.row, e.column): e.reason for e in plan.errors}
    assert "whole number" in found[(3, "followers_1")]
    assert "between 0 and 100" in found[(4, "engagement_rate_1")]
    assert "unknown platform" in found[(5, "platform_1")]
    assert "knitting" in found[(6, "niches")]
    assert "no active user" in found[(7, "owner")]
    assert "valid email" in found[(8, "email")]
    assert "valid URL" in found[(9, "url_1")]
    assert "also on row 2" in found[(10, "handle_1")]
    assert "different influencers" in found[(11, "handle_2")]
    assert "Existing A" in found[(11, "handle_2")] and "Existing B" in found[(11, "handle_2")]
    assert "unknown status" in found[(12, "status")]
    assert "0 or more" in found[(12, "followers_2")]
    assert "check the number" in found[(13, "followers_1")]
    assert "not a number" in found[(13, "engagement_rate_2")]
    assert (plan.to_create, plan.to_update, plan.invalid) == (1, 0, 11)

    content = response.content.decode()
    assert 'id="count-invalid">11<' in content
    assert 'id="count-create">1<' in content
    assert "unknown niche(s): knitting" in content
    assert "disabled" in content  # the Import button


def test_preview_counts_rows_to_update(marketer_client, roster_refs):
    InfluencerFactory(name="Old name", audience=100, audience__handle="creator1")
    plan = preview(marketer_client, csv_bytes([good_row(1), good_row(2)])).context["plan"]
    assert (plan.to_create, plan.to_update, plan.invalid) == (1, 1, 0)


def test_preview_without_an_upload_sends_back_to_the_form(marketer_client):
    response = marketer_client.get(PREVIEW_URL)
    assert response.status_code == 302
    assert response["Location"] == IMPORT_URL


# --- Confirm ------------------------------------------------------------------------------------


def test_one_bad_row_among_good_ones_saves_nothing_on_confirm(marketer_client, roster_refs):
    rows = [good_row(n) for n in range(1, 6)]
    rows.insert(2, good_row(99, engagement_rate_1="abc"))
    response = preview(marketer_client, csv_bytes(rows))
    refused = confirm(marketer_client, response)
    assert refused.status_code == 400
    assert "Nothing was imported: 1 row(s) have errors" in refused.content.decode()
    assert "engagement_rate_1" in refused.content.decode()
    assert Influencer.objects.count() == 0
    assert SocialAccount.objects.count() == 0


def skip_refused(client, preview_response):
    """Press "Import the N valid rows and skip the M refused"."""
    context = preview_response.context
    return client.post(
        CONFIRM_URL,
        {"token": context["token"], "skip_invalid": "1", "skip_rows": context["skip_rows"]},
    )


def test_the_valid_rows_can_be_imported_skipping_the_refused_ones(marketer_client, roster_refs):
    rows = [good_row(n) for n in range(1, 6)]
    rows.insert(2, good_row(99, engagement_rate_1="abc"))  # row 4
    rows.append(good_row(98, owner="nobody"))  # row 8
    response = preview(marketer_client, csv_bytes(rows))
    assert "Import the 5 valid rows and skip the 2 refused" in response.content.decode()

    done = skip_refused(marketer_client, response)
    assert done.status_code == 302
    message = str(list(done.wsgi_request._messages)[0])
    assert "5 influencer(s) created" in message
    assert "2 row(s) with errors skipped" in message
    assert sorted(Influencer.objects.values_list("name", flat=True)) == [
        f"Creator {n}" for n in range(1, 6)
    ]
    assert SocialAccount.objects.count() == 10


def test_skipping_is_refused_when_other_rows_turned_invalid_since_the_preview(
    marketer_client, roster_refs
):
    bob = UserFactory(username="bob")
    rows = [good_row(1), good_row(2, owner="bob"), good_row(3, followers_1="many")]
    response = preview(marketer_client, csv_bytes(rows))
    assert response.context["skip_rows"] == "4"
    bob.delete()  # row 3 is now refused too: the choice made on the preview no longer holds
    refused = skip_refused(marketer_client, response)
    assert refused.status_code == 400
    assert "not the ones the preview showed" in refused.content.decode()
    assert not Influencer.objects.exists()


@pytest.mark.parametrize("rows", [[good_row(1)], [good_row(1, followers_1="x")]])
def test_no_skip_button_without_both_valid_and_refused_rows(marketer_client, roster_refs, rows):
    response = preview(marketer_client, csv_bytes(rows))
    assert 'name="skip_invalid"' not in response.content.decode()
    # Posting it anyway with nothing valid imports nothing.
    assert skip_refused(marketer_client, response).status_code in (302, 400)
    assert Influencer.objects.count() == (1 if not response.context["plan"].errors else 0)


def test_the_errors_file_holds_the_refused_rows_and_imports_once_fixed(
    marketer_client, roster_refs
):
    rows = [good_row(1), good_row(2, engagement_rate_1="150", name="=Zoë 2")]
    preview(marketer_client, csv_bytes(rows))
    response = marketer_client.get(reverse("influencers:import-errors"))
    assert response.content.startswith(b"\xef\xbb\xbf")  # BOM: Excel reads UTF-8
    text = response.content.decode("utf-8-sig")
    errors_file = list(csv.reader(io.StringIO(text)))
    assert errors_file[0] == ["row", "errors", *HEADER]
    assert len(errors_file) == 2
    row = dict(zip(errors_file[0], errors_file[1], strict=True))
    assert row["row"] == "3"
    assert row["errors"] == "engagement_rate_1: must be between 0 and 100 (a percentage)"
    assert row["name"] == "'=Zoë 2"  # neutralised for the spreadsheet
    assert row["handle_1"] == "'@creator2"

    fixed = text.replace(",150,", ",1.5,").encode()
    plan = preview(marketer_client, fixed, name="import-errors.csv").context["plan"]
    assert (plan.to_create, plan.invalid) == (1, 0)
    assert plan.rows[0].fields["name"] == "=Zoë 2"


def test_confirm_imports_every_row_with_niches_owner_accounts_and_totals(
    marketer_client, roster_refs
):
    response = preview(marketer_client, csv_bytes([good_row(1), good_row(2)]))
    done = confirm(marketer_client, response)
    assert done.status_code == 302
    assert done["Location"] == reverse("influencers:influencer-list")
    messages = [str(m) for m in done.wsgi_request._messages]
    assert "2 influencer(s) created, 0 matched" in messages[0]

    creator = Influencer.objects.get(name="Creator 1")
    assert creator.owner.username == "maria"
    assert sorted(creator.niches.values_list("slug", flat=True)) == ["beauty", "fitness"]
    assert creator.followers == 15_000  # 12,000 + 3,000
    # follower-weighted: (12000 * 4.5 + 3000 * 2) / 15000
    assert creator.engagement_rate == Decimal("4.00")
    primary = creator.accounts.get(is_primary=True)
    assert (primary.platform, primary.handle) == ("instagram", "creator1")
    assert creator.accounts.count() == 2
    # The upload is gone once imported.
    assert marketer_client.get(PREVIEW_URL)["Location"] == IMPORT_URL


def test_reimport_is_idempotent_and_updates_fields(marketer_client, roster_refs):
    rows = [good_row(n) for n in range(1, 4)]
    confirm(marketer_client, preview(marketer_client, csv_bytes(rows)))
    assert (Influencer.objects.count(), SocialAccount.objects.count()) == (3, 6)

    again = preview(marketer_client, csv_bytes(rows))
    plan = again.context["plan"]
    assert (plan.to_create, plan.to_update, plan.invalid) == (0, 3, 0)
    done = confirm(marketer_client, again)
    assert "3 matched by handle (0 changed)" in str(list(done.wsgi_request._messages)[0])
    assert (Influencer.objects.count(), SocialAccount.objects.count()) == (3, 6)

    rows[0] = good_row(1, country="Spain", followers_1="50000", niches="fitness", owner="")
    # Handles match case-insensitively and with or without @.
    rows[1] = good_row(2, handle_1="CREATOR2", status="Do not contact")
    confirm(marketer_client, preview(marketer_client, csv_bytes(rows)))
    assert (Influencer.objects.count(), SocialAccount.objects.count()) == (3, 6)
    first = Influencer.objects.get(name="Creator 1")
    # Changed rows move to a new version (an edit form opened before is refused); others do not.
    assert first.version == 2
    assert Influencer.objects.get(name="Creator 3").version == 1
    assert first.country == "Spain"
    assert first.followers == 53_000
    assert first.owner is None
    assert list(first.niches.values_list("slug", flat=True)) == ["fitness"]
    second = Influencer.objects.get(name="Creator 2")
    assert second.status == Influencer.Status.DO_NOT_CONTACT
    assert second.accounts.filter(handle="CREATOR2").exists()


def test_import_writes_the_audit_trail_with_the_importing_user(
    marketer_client, marketer, roster_refs
):
    rows = [good_row(1), good_row(2)]
    confirm(marketer_client, preview(marketer_client, csv_bytes(rows), name="spring.csv"))
    created = Influencer.history.filter(history_type="+")
    assert created.count() == 2
    assert {entry.history_user for entry in created} == {marketer}
    assert {entry.history_change_reason for entry in created} == {"Roster import: spring.csv"}
    assert SocialAccount.history.filter(history_type="+").count() == 4

    rows[1] = good_row(2, followers_2="9999")
    confirm(marketer_client, preview(marketer_client, csv_bytes(rows), name="spring.csv"))
    # Only what changed gets a history entry: one account, and its influencer's totals.
    assert SocialAccount.history.filter(history_type="~").count() == 1
    changed = Influencer.history.filter(history_type="~")
    assert [entry.name for entry in changed] == ["Creator 2"]
    assert changed.get().followers == 12_000 + 9_999


def test_reimport_adds_a_new_account_to_the_existing_influencer(marketer_client, roster_refs):
    existing = InfluencerFactory(name="Creator 1", audience=1000, audience__handle="creator1")
    confirm(marketer_client, preview(marketer_client, csv_bytes([good_row(1)])))
    existing.refresh_from_db()
    assert Influencer.objects.count() == 1
    assert sorted(existing.accounts.values_list("handle", flat=True)) == [
        "creator1",
        "creator1tt",
    ]
    assert existing.accounts.filter(is_primary=True).count() == 1
    assert existing.followers == 15_000


def test_stale_preview_token_is_refused(marketer_client, roster_refs):
    first = preview(marketer_client, csv_bytes([good_row(1)]))
    preview(marketer_client, csv_bytes([good_row(2)]))
    response = confirm(marketer_client, first)
    assert response["Location"] == PREVIEW_URL
    assert not Influencer.objects.exists()


def test_the_pending_upload_waits_in_the_database_for_its_owner_only(
    client, marketer_client, marketer, roster_refs
):
    """Behind a load balancer the confirm may reach another server: the file waits in the
    database, and another user holding its token cannot preview or confirm it."""
    response = preview(marketer_client, csv_bytes([good_row(1)]))
    token = response.context["token"]
    pending = PendingUpload.objects.get(token=token)
    assert (pending.owner, pending.filename) == (marketer, "roster.csv")

    other = UserFactory(username="other-importer")
    other.user_permissions.add(*marketer.user_permissions.all())
    other_client = type(client)()
    other_client.force_login(other)
    session = other_client.session
    session["roster_import"] = {"token": token, "filename": "roster.csv"}
    session.save()
    assert other_client.get(PREVIEW_URL)["Location"] == IMPORT_URL
    refused = other_client.post(CONFIRM_URL, {"token": token})
    assert refused["Location"] == IMPORT_URL
    assert not Influencer.objects.exists()
    # The owner still can.
    assert confirm(marketer_client, response).status_code == 302
    assert Influencer.objects.filter(name="Creator 1").exists()
    assert not PendingUpload.objects.exists()


def test_an_expired_upload_is_refused_and_deleted_by_the_next_upload(marketer_client, roster_refs):
    response = preview(marketer_client, csv_bytes([good_row(1)]))
    PendingUpload.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    gone = confirm(marketer_client, response)
    assert gone["Location"] == IMPORT_URL
    assert "no longer available" in str(list(gone.wsgi_request._messages)[0])
    assert not Influencer.objects.exists()

    UserFactory(username="late")  # anyone's next upload clears expired ones
    expired = PendingUpload.objects.get()
    preview(marketer_client, csv_bytes([good_row(2)]))
    assert not PendingUpload.objects.filter(pk=expired.pk).exists()
    assert PendingUpload.objects.count() == 1


def test_confirm_revalidates_against_the_roster_as_it_is_now(marketer_client, roster_refs):
    response = preview(marketer_client, csv_bytes([good_row(1)]))
    # Between preview and confirm, someone removes the owner the file names.
    UserFactory(username="maria").delete()
    refused = confirm(marketer_client, response)
    assert refused.status_code == 400
    assert "no active user" in refused.content.decode()
    assert not Influencer.objects.exists()


def test_xlsx_import_reads_numbers_and_percent_cells(marketer_client, roster_refs):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["Name", "Platform 1", "Handle 1", "Followers 1", "Engagement rate 1"])
    sheet.append(["Sheet Creator", "YouTube", "sheetcreator", 250000, 0.035])
    sheet["E2"].number_format = "0.0%"
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = preview(marketer_client, buffer.getvalue(), "roster.xlsx")
    assert response.context["plan"].errors == []
    confirm(marketer_client, response)
    creator = Influencer.objects.get(name="Sheet Creator")
    assert creator.followers == 250_000
    assert creator.engagement_rate == Decimal("3.50")


def test_import_runs_the_same_number_of_queries_for_5_and_50_rows(roster_refs, count_queries):
    def run(count, offset):
        rows = [good_row(n) for n in range(offset, offset + count)]
        parsed = parse_roster_file(filename="r.csv", data=csv_bytes(rows))
        return count_queries(influencers_import, parsed=parsed)

    (result5, queries5), (result50, queries50) = run(5, 0), run(50, 100)
    assert (result5.created, result50.created) == (5, 50)
    assert queries5 == queries50


def test_xlsx_formula_cell_is_refused_naming_the_cell(marketer_client, roster_refs):
    """Before, a formula without a saved value (files written by scripts) read as empty: the
    preview said "name is required" on a row whose name cell was visibly filled in."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["name", "platform_1", "handle_1"])
    sheet.append(['=CONCAT("Ada", " Lovelace")', "Instagram", "ada"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    message = file_error(upload(marketer_client, buffer.getvalue(), "roster.xlsx"))
    assert "Cell A2 holds a formula" in message
    assert "Paste Special > Values" in message
    assert not Influencer.objects.exists()
