"""The roster export: streamed CSV of the filtered roster in the import template's columns, UTF-8
with a BOM, safe to open in a spreadsheet, and importable again after editing."""

import csv
import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import StreamingHttpResponse
from django.urls import reverse

from influencers.imports import template_columns
from influencers.models import Influencer
from influencers.services import social_account_create
from influencers.views import InfluencerExportView
from tests.factories import InfluencerFactory, NicheFactory, UserFactory

pytestmark = pytest.mark.django_db

URL = reverse("influencers:influencer-export")


def read(response):
    assert isinstance(response, StreamingHttpResponse)
    content = b"".join(response.streaming_content)
    assert content.startswith(b"\xef\xbb\xbf")  # the BOM: Excel then reads UTF-8
    return list(csv.DictReader(io.StringIO(content.decode("utf-8-sig"))))


def test_export_is_a_streamed_csv_attachment(admin_client, tiers):
    InfluencerFactory(name="Ana", audience=5_000, audience__handle="ana")
    response = admin_client.get(URL)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment;" in response["Content-Disposition"]
    rows = read(response)
    assert list(rows[0]) == template_columns()
    assert rows[0]["name"] == "Ana"
    assert rows[0]["status"] == "Active"
    assert rows[0]["followers_1"] == "5000"
    assert rows[0]["handle_1"] == "ana"
    assert rows[0]["platform_1"] == "Instagram"
    assert rows[0]["handle_2"] == ""


def test_formula_looking_cells_are_neutralised(admin_client, tiers):
    InfluencerFactory(
        name='=HYPERLINK("http://evil")',
        city="+33 city",
        notes="x",
        phone="-1+1",
        email="at@example.com",
        audience=5_000,
        audience__handle="@@sum",
    )
    InfluencerFactory(name="@cmd", country="\tTabbed", audience=10)
    rows = read(admin_client.get(URL))
    by_name = {row["name"]: row for row in rows}
    evil = by_name['\'=HYPERLINK("http://evil")']
    assert evil["city"] == "'+33 city"
    assert evil["phone"] == "'-1+1"
    assert "'@cmd" in by_name
    assert by_name["'@cmd"]["country"] == "'\tTabbed"


def test_numbers_stay_numbers(admin_client, tiers):
    InfluencerFactory(name="Zero", audience=0, audience__engagement_rate=0)
    rows = read(admin_client.get(URL))
    assert rows[0]["followers_1"] == "0"
    assert rows[0]["engagement_rate_1"] == "0.00"


def test_negative_numbers_stay_numbers_and_minus_text_is_neutralised():
    # The database refuses negative audiences, so feed the export's row builder directly.
    values = (1, "-Minus", "", "", "", "", "active", None, "")
    account = ("instagram", "-minus", "", -5, Decimal("-1.5"))
    cells = InfluencerExportView.row(values, "", [account])
    row = dict(zip(template_columns(), cells, strict=True))
    assert row["name"] == "'-Minus"
    assert row["handle_1"] == "'-minus"
    assert row["followers_1"] == -5 and row["engagement_rate_1"] == Decimal("-1.5")
    out = io.StringIO()
    csv.writer(out).writerow(row.values())
    assert ",-5,-1.5," in out.getvalue()


def test_export_respects_the_filters(admin_client, tiers):
    beauty = NicheFactory(name="Beauty", slug="beauty")
    InfluencerFactory(name="In", audience=5_000, niches=[beauty])
    InfluencerFactory(name="Wrong tier", audience=500, niches=[beauty])
    InfluencerFactory(name="Wrong niche", audience=5_000)
    rows = read(admin_client.get(URL, {"tier": tiers["Micro"].pk, "niche": beauty.pk}))
    assert [row["name"] for row in rows] == ["In"]
    assert rows[0]["niches"] == "Beauty"


def test_invalid_filters_export_nothing_rather_than_everything(admin_client, tiers):
    InfluencerFactory(name="Someone", audience=5_000)
    assert read(admin_client.get(URL, {"followers_min": "lots"})) == []


def test_export_runs_a_constant_number_of_queries(admin_client, tiers, count_queries):
    beauty = NicheFactory(name="Beauty", slug="beauty")
    for index in range(3):
        InfluencerFactory(audience=5_000 + index, niches=[beauty])

    def export():
        return read(admin_client.get(URL))

    rows, few = count_queries(export)
    assert len(rows) == 3
    for index in range(20):
        InfluencerFactory(audience=6_000 + index, niches=[beauty])
    rows, many = count_queries(export)
    assert len(rows) == 23
    assert few == many


def test_export_queries_do_not_grow_from_5_to_50_influencers(admin_client, tiers, count_queries):
    """With owners, niches and four accounts each (one more than the file holds)."""
    niches = [NicheFactory(name=name, slug=name.lower()) for name in ("Food", "Beauty", "Travel")]
    owner = UserFactory(username="owner")

    def add(count):
        for _ in range(count):
            influencer = InfluencerFactory(owner=owner, niches=niches, audience=5_000)
            for platform in ("tiktok", "youtube", "x"):
                social_account_create(
                    influencer=influencer,
                    platform=platform,
                    handle=f"{platform}{influencer.pk}",
                    url="",
                    followers=100,
                    engagement_rate=Decimal("1.00"),
                )

    def export():
        return read(admin_client.get(URL))

    add(5)
    rows, five = count_queries(export)
    assert len(rows) == 5
    assert rows[0]["niches"] == "Beauty; Food; Travel"
    assert rows[0]["owner"] == "owner"
    assert rows[0]["platform_1"] == "Instagram" and rows[0]["handle_3"] != ""
    add(45)
    rows, fifty = count_queries(export)
    assert len(rows) == 50
    assert fifty == five


def snapshot():
    """Every influencer with its niches and accounts, as plain values, by name."""
    people = {}
    for influencer in Influencer.objects.prefetch_related("niches", "accounts"):
        people[influencer.name] = {
            "fields": [
                getattr(influencer, name)
                for name in ("email", "phone", "country", "city", "status", "owner_id", "notes")
            ],
            "version": influencer.version,
            "niches": sorted(niche.slug for niche in influencer.niches.all()),
            "accounts": sorted(
                (a.platform, a.handle, a.url, a.followers, a.engagement_rate, a.is_primary)
                for a in influencer.accounts.all()
            ),
        }
    return people


def test_an_exported_roster_edited_and_imported_again_round_trips(admin_client, tiers):
    """Export -> change one cell in a spreadsheet -> import: that change lands, nothing else
    changes and nothing is duplicated (accents, CJK, formula-looking text included)."""
    beauty = NicheFactory(name="Beauté", slug="beaute")
    food = NicheFactory(name="美食", slug="food")
    owner = UserFactory(username="maría")
    zoe = InfluencerFactory(
        name="Zoë Ærø",
        country="Ísland",
        city="Reykjavík",
        notes="Met at the 展示会; follow up in June",
        status=Influencer.Status.PAUSED,
        owner=owner,
        niches=[beauty, food],
        audience=12_000,
        audience__handle="zoë.ærø",
        audience__engagement_rate=Decimal("3.50"),
    )
    social_account_create(
        influencer=zoe,
        platform="tiktok",
        handle="zoe_tt",
        url="https://www.tiktok.com/@zoe_tt",
        followers=3_000,
        engagement_rate=Decimal("2.25"),
    )
    InfluencerFactory(
        name="山田太郎",
        phone="+81 3-1234-5678",
        email="",
        niches=[food],
        audience=250_000,
        audience__platform="youtube",
        audience__handle="山田チャンネル",
    )
    InfluencerFactory(name="=SUM(A1:A9)", city="-Dash", audience=900, audience__handle="sumguy")
    before = snapshot()

    exported = b"".join(admin_client.get(URL).streaming_content).decode("utf-8-sig")
    assert "'=SUM(A1:A9)" in exported and "'+81 3-1234-5678" in exported  # still neutralised
    rows = list(csv.reader(io.StringIO(exported)))
    header = rows[0]
    zoe_row = next(row for row in rows if row[0] == "Zoë Ærø")
    zoe_row[header.index("city")] = "Akureyri"  # the one edit, as in a spreadsheet
    edited = io.StringIO()
    csv.writer(edited).writerows(rows)
    upload = SimpleUploadedFile("roster.csv", ("\ufeff" + edited.getvalue()).encode())

    response = admin_client.post(reverse("influencers:influencer-import"), {"file": upload})
    assert response.status_code == 302, response.context["form"].errors
    preview = admin_client.get(reverse("influencers:import-preview"))
    plan = preview.context["plan"]
    assert plan.errors == []
    assert (plan.to_create, plan.to_update) == (0, 3)
    done = admin_client.post(
        reverse("influencers:import-confirm"), {"token": preview.context["token"]}
    )
    assert "0 influencer(s) created, 3 matched by handle (1 changed)" in str(
        list(done.wsgi_request._messages)[0]
    )

    after = snapshot()
    assert after["Zoë Ærø"]["fields"][3] == "Akureyri"
    assert after["Zoë Ærø"]["version"] == before["Zoë Ærø"]["version"] + 1
    after["Zoë Ærø"]["fields"][3] = "Reykjavík"
    after["Zoë Ærø"]["version"] -= 1
    assert after == before
