"""Browser: import a small CSV with one bad row; the preview names the row, column and reason,
and confirming is not possible while the row is wrong; fixed, it imports."""

import pytest
from playwright.sync_api import expect

from influencers.models import Influencer
from tests.factories import NicheFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)

CSV = (
    "name,email,niches,platform_1,handle_1,followers_1,engagement_rate_1\n"
    "Good One,good1@example.com,Beauty,Instagram,@goodone,12000,3.5\n"
    "Bad Rate,bad@example.com,beauty,TikTok,@badrate,5000,250\n"
    "Good Two,good2@example.com,,YouTube,goodtwo,150000,2\n"
)


def test_import_a_csv_with_one_bad_row_shows_the_error_in_the_preview(
    page, live_server, login, tiers
):
    NicheFactory(name="Beauty", slug="beauty")
    UserFactory(username="m", is_superuser=True, is_staff=True)
    login("m", "correct-horse-battery")

    page.goto(f"{live_server.url}/influencers/import/")
    expect(page.get_by_role("link", name="Download the CSV template")).to_be_visible()
    page.get_by_label("CSV or XLSX file").set_input_files(
        files=[{"name": "roster.csv", "mimeType": "text/csv", "buffer": CSV.encode()}]
    )
    page.get_by_role("button", name="Upload and preview").click()

    expect(page.get_by_role("heading", name="Import preview: roster.csv")).to_be_visible()
    expect(page.locator("#count-create")).to_have_text("2")
    expect(page.locator("#count-invalid")).to_have_text("1")
    error_row = page.locator("#import-errors tbody tr")
    expect(error_row).to_have_count(1)
    expect(error_row.locator("td").nth(0)).to_have_text("3")  # the spreadsheet's row number
    expect(error_row.locator("td").nth(1)).to_have_text("engagement_rate_1")
    expect(error_row).to_contain_text("must be between 0 and 100")
    expect(page.get_by_role("button", name="Import", exact=True)).to_be_disabled()
    assert not Influencer.objects.exists()

    # Fix the row, upload again, confirm: all three arrive on the roster.
    page.get_by_role("link", name="Upload another file").click()
    page.get_by_label("CSV or XLSX file").set_input_files(
        files=[
            {
                "name": "roster.csv",
                "mimeType": "text/csv",
                "buffer": CSV.replace(",250", ",2.5").encode(),
            }
        ]
    )
    page.get_by_role("button", name="Upload and preview").click()
    expect(page.locator("#count-invalid")).to_have_text("0")
    page.get_by_role("button", name="Import 3 rows").click()
    expect(page.get_by_role("alert")).to_contain_text("3 influencer(s) created")
    assert sorted(Influencer.objects.values_list("name", flat=True)) == [
        "Bad Rate",
        "Good One",
        "Good Two",
    ]


def test_import_the_valid_rows_and_skip_the_refused_one(page, live_server, login, tiers):
    NicheFactory(name="Beauty", slug="beauty")
    UserFactory(username="m", is_superuser=True, is_staff=True)
    login("m", "correct-horse-battery")

    page.goto(f"{live_server.url}/influencers/import/")
    page.get_by_label("CSV or XLSX file").set_input_files(
        files=[{"name": "roster.csv", "mimeType": "text/csv", "buffer": CSV.encode()}]
    )
    page.get_by_role("button", name="Upload and preview").click()
    expect(page.locator("#count-invalid")).to_have_text("1")
    expect(page.get_by_role("link", name="errors file")).to_be_visible()

    page.get_by_role("button", name="Import the 2 valid rows and skip the 1 refused").click()
    alert = page.get_by_role("alert")
    expect(alert).to_contain_text("2 influencer(s) created")
    expect(alert).to_contain_text("1 row(s) with errors skipped")
    assert sorted(Influencer.objects.values_list("name", flat=True)) == ["Good One", "Good Two"]
