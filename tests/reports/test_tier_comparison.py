"""Tier comparison: every cell of both tables against numbers computed by hand.

Two tiers, Small (0+) and Big (10,000+); four influencers; five signed partnerships and one
prospect (which must not count); seven deliverables with known results. The hand computation is
written next to each expected value.
"""

import csv
import io
from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from campaigns.models import Campaign
from influencers.models import Influencer, Tier
from partnerships.models import Partnership
from reports import selectors, statements
from reports.forms import TierBasis
from tests.factories import (
    CampaignFactory,
    InfluencerFactory,
    NicheFactory,
    PartnershipFactory,
    UserFactory,
    published_deliverable,
)

pytestmark = pytest.mark.django_db

D = Decimal
DASH = None  # a zero denominator: the page shows "-"
COLUMNS = [
    "influencers",
    "average_followers",
    "engagement_rate",
    "partnerships",
    "long_term_share",
    "cost",
    "deliverables",
    "impressions",
    "reach",
    "engagements",
    "clicks",
    "conversions",
    "revenue",
    "cpm",
    "cpe",
    "cpc",
    "cpa",
    "roas",
    "roi",
    "cost_per_deliverable",
]


deliver = published_deliverable


@pytest.fixture
def world(db):
    Tier.objects.all().delete()
    small = Tier.objects.create(name="Small", min_followers=0, color="#198754")
    big = Tier.objects.create(name="Big", min_followers=10_000, color="#0d6efd")
    beauty = NicheFactory(name="Beauty", slug="beauty")
    a = InfluencerFactory(name="Ada", audience=2_000, niches=[beauty])
    b = InfluencerFactory(name="Ben", audience=5_000)
    c = InfluencerFactory(name="Cleo", audience=20_000, niches=[beauty])
    d = InfluencerFactory(name="Dev", audience=50_000)
    x = CampaignFactory(name="X", objective=Campaign.Objective.AWARENESS)
    y = CampaignFactory(name="Y", objective=Campaign.Objective.ENGAGEMENT)
    active, completed = Partnership.Status.ACTIVE, Partnership.Status.COMPLETED
    p1 = PartnershipFactory(influencer=a, campaign=x, fee=D("1000"), status=active)
    PartnershipFactory(  # P2: 500 x 4 months = 2,000, no deliverable yet
        influencer=a,
        campaign=y,
        collaboration_type="long_term",
        monthly_retainer=D("500"),
        start_date=date(2026, 1, 1),
        end_date=date(2026, 4, 30),
        status=completed,
    )
    p3 = PartnershipFactory(influencer=b, campaign=y, fee=D("600"), status=completed)
    p4 = PartnershipFactory(influencer=c, campaign=x, fee=D("3000"), status=active)
    p5 = PartnershipFactory(  # 1,000 x 6 months = 6,000
        influencer=d,
        campaign=x,
        collaboration_type="long_term",
        monthly_retainer=D("1000"),
        start_date=date(2026, 1, 1),
        end_date=date(2026, 6, 30),
        status=active,
    )
    prospect = PartnershipFactory(influencer=c, campaign=y, fee=D("5000"))
    deliver(  # engagements 400
        p1, "instagram", date(2026, 3, 10), impressions=10_000, reach=8_000, likes=300,
        comments=50, shares=30, saves=20, clicks=100, conversions=5, revenue=D("500"),
    )  # fmt: skip
    deliver(  # engagements 200
        p1, "tiktok", date(2026, 5, 10), impressions=5_000, reach=4_000, likes=150,
        comments=25, shares=15, saves=10,
    )  # fmt: skip
    deliver(  # engagements 300
        p3, "instagram", date(2026, 3, 15), impressions=6_000, reach=5_000, likes=200,
        comments=40, shares=40, saves=20, clicks=60, conversions=3, revenue=D("900"),
    )  # fmt: skip
    deliver(  # engagements 2,000
        p4, "youtube", date(2026, 3, 20), impressions=50_000, reach=40_000, likes=1_500,
        comments=300, shares=150, saves=50,
    )  # fmt: skip
    deliver(  # engagements 3,000
        p5, "instagram", date(2026, 2, 1), impressions=100_000, reach=80_000, likes=2_000,
        comments=500, shares=300, saves=200, clicks=1_000, conversions=40, revenue=D("8000"),
    )  # fmt: skip
    deliver(  # engagements 1,400
        p5, "instagram", date(2026, 4, 1), impressions=60_000, reach=50_000, likes=1_000,
        comments=200, shares=100, saves=100, clicks=400, conversions=20, revenue=D("4000"),
    )  # fmt: skip
    deliver(  # engagements 1,000
        p5, "tiktok", date(2026, 5, 1), impressions=40_000, reach=30_000, likes=800,
        comments=100, shares=50, saves=50, clicks=100,
    )  # fmt: skip
    deliver(  # a prospect's numbers never count
        prospect, "instagram", date(2026, 3, 1), impressions=999_999, reach=999_999,
        likes=99_999, revenue=D("99999"),
    )  # fmt: skip
    return {"small": small, "big": big, "x": x, "y": y, "beauty": beauty, "cleo": c}


# Hand-computed. Small: Ada 2,000 + Ben 5,000; P1 1,000 + P2 2,000 + P3 600 = 3,600 spend;
# deliverables d1-d3: impressions 21,000, reach 17,000, engagements 900, clicks 160,
# conversions 8, revenue 1,400; followers per deliverable 2,000 + 2,000 + 5,000 = 9,000.
SMALL = {
    "influencers": 2,
    "average_followers": D("3500.00"),
    "engagement_rate": D("10.00"),  # 900 / 9,000 x 100
    "partnerships": 3,
    "long_term_share": D("33.33"),  # 1 / 3
    "cost": D("3600.00"),
    "deliverables": 3,
    "impressions": 21_000,
    "reach": 17_000,
    "engagements": 900,
    "clicks": 160,
    "conversions": 8,
    "revenue": D("1400.00"),
    "cpm": D("171.43"),  # 3,600 / 21,000 x 1,000
    "cpe": D("4.00"),
    "cpc": D("22.50"),
    "cpa": D("450.00"),
    "roas": D("0.39"),  # 1,400 / 3,600
    "roi": D("-61.11"),  # (1,400 - 3,600) / 3,600 x 100
    "cost_per_deliverable": D("1200.00"),
}
# Big: Cleo 20,000 + Dev 50,000; P4 3,000 + P5 6,000 = 9,000; d4-d7: impressions 250,000,
# reach 200,000, engagements 7,400, clicks 1,500, conversions 60, revenue 12,000; followers per
# deliverable 20,000 + 3 x 50,000 = 170,000.
BIG = {
    "influencers": 2,
    "average_followers": D("35000.00"),
    "engagement_rate": D("4.35"),  # 7,400 / 170,000 x 100 = 4.3529
    "partnerships": 2,
    "long_term_share": D("50.00"),
    "cost": D("9000.00"),
    "deliverables": 4,
    "impressions": 250_000,
    "reach": 200_000,
    "engagements": 7_400,
    "clicks": 1_500,
    "conversions": 60,
    "revenue": D("12000.00"),
    "cpm": D("36.00"),
    "cpe": D("1.22"),  # 9,000 / 7,400 = 1.2162
    "cpc": D("6.00"),
    "cpa": D("150.00"),
    "roas": D("1.33"),
    "roi": D("33.33"),
    "cost_per_deliverable": D("2250.00"),
}
SPLIT = {
    ("Small", "long_term"): {  # P2 alone, no deliverable yet
        "influencers": 1,
        "average_followers": D("2000.00"),
        "engagement_rate": DASH,
        "partnerships": 1,
        "long_term_share": D("100.00"),
        "cost": D("2000.00"),
        "deliverables": 0,
        "impressions": 0,
        "reach": 0,
        "engagements": 0,
        "clicks": 0,
        "conversions": 0,
        "revenue": D("0.00"),
        "cpm": DASH,
        "cpe": DASH,
        "cpc": DASH,
        "cpa": DASH,
        "roas": D("0.00"),
        "roi": D("-100.00"),
        "cost_per_deliverable": DASH,
    },
    ("Small", "one_off"): {  # P1 + P3
        "influencers": 2,
        "average_followers": D("3500.00"),
        "engagement_rate": D("10.00"),
        "partnerships": 2,
        "long_term_share": D("0.00"),
        "cost": D("1600.00"),
        "deliverables": 3,
        "impressions": 21_000,
        "reach": 17_000,
        "engagements": 900,
        "clicks": 160,
        "conversions": 8,
        "revenue": D("1400.00"),
        "cpm": D("76.19"),  # 1,600 / 21,000 x 1,000
        "cpe": D("1.78"),
        "cpc": D("10.00"),
        "cpa": D("200.00"),
        "roas": D("0.88"),  # 0.875 rounded half up
        "roi": D("-12.50"),
        "cost_per_deliverable": D("533.33"),
    },
    ("Big", "long_term"): {  # P5
        "influencers": 1,
        "average_followers": D("50000.00"),
        "engagement_rate": D("3.60"),  # 5,400 / 150,000
        "partnerships": 1,
        "long_term_share": D("100.00"),
        "cost": D("6000.00"),
        "deliverables": 3,
        "impressions": 200_000,
        "reach": 160_000,
        "engagements": 5_400,
        "clicks": 1_500,
        "conversions": 60,
        "revenue": D("12000.00"),
        "cpm": D("30.00"),
        "cpe": D("1.11"),
        "cpc": D("4.00"),
        "cpa": D("100.00"),
        "roas": D("2.00"),
        "roi": D("100.00"),
        "cost_per_deliverable": D("2000.00"),
    },
    ("Big", "one_off"): {  # P4: no clicks, no conversions, no revenue
        "influencers": 1,
        "average_followers": D("20000.00"),
        "engagement_rate": D("10.00"),  # 2,000 / 20,000
        "partnerships": 1,
        "long_term_share": D("0.00"),
        "cost": D("3000.00"),
        "deliverables": 1,
        "impressions": 50_000,
        "reach": 40_000,
        "engagements": 2_000,
        "clicks": 0,
        "conversions": 0,
        "revenue": D("0.00"),
        "cpm": D("60.00"),
        "cpe": D("1.50"),
        "cpc": DASH,
        "cpa": DASH,
        "roas": D("0.00"),
        "roi": D("-100.00"),
        "cost_per_deliverable": D("3000.00"),
    },
}


def cells(response, table="table"):
    """{row name (and type): {column: value}} exactly as the page renders them."""
    columns = [c["attribute"] for c in response.context["columns"]]
    out = {}
    for line in response.context[table]:
        row = line["row"]
        key = row.name if table == "table" else (row.name, row.collaboration_type)
        out[key] = {c: cell["value"] for c, cell in zip(columns, line["cells"], strict=True)}
    return out


def get(client, **params):
    return client.get(reverse("reports:tier-comparison"), params)


def comparison(**filters):
    return selectors.tier_comparison(filters={"basis": TierBasis.CURRENT, **filters})


def test_every_cell_of_the_tier_table(admin_client, world):
    response = get(admin_client)
    assert response.status_code == 200
    shown = [c["attribute"] for c in response.context["columns"]]
    assert sorted(shown) == sorted(COLUMNS)
    # The key columns come first; the rest wait behind "More columns".
    key = ["influencers", "partnerships", "reach", "engagement_rate", "cost", "roi", "cpa", "roas"]
    assert shown[: len(key)] == key
    assert [c["key"] for c in response.context["columns"]] == [c in key for c in shown]
    table = cells(response)
    assert list(table) == ["Small", "Big"]  # ordered by threshold
    assert table["Small"] == SMALL
    assert table["Big"] == BIG


def test_every_cell_of_the_split_table(admin_client, world):
    split = cells(get(admin_client), "split_table")
    assert list(split) == [
        ("Small", "long_term"),
        ("Small", "one_off"),
        ("Big", "long_term"),
        ("Big", "one_off"),
    ]
    assert split == SPLIT


def test_zero_denominators_show_a_dash_and_values_are_formatted(admin_client, world):
    html = get(admin_client).content.decode()
    split_table = html[html.index('id="tier-split-table"') :]
    small_long = split_table[split_table.index('data-type="long_term"') :]
    small_long = small_long[: small_long.index("</tr>")]
    # Engagement rate, CPM, CPE, CPC, CPA and cost per deliverable have zero denominators.
    assert small_long.count('">-</td>') == 6
    table = html[html.index('id="tier-table"') : html.index('id="tier-split-table"')]
    assert "EUR 3,600.00" in table and "171.43" in table and "-61.11%" in table


def test_engagement_rate_by_reach(admin_client, world):
    response = get(admin_client, er_basis="reach")
    table = cells(response)
    assert table["Small"]["engagement_rate"] == D("5.29")  # 900 / 17,000 x 100
    assert table["Big"]["engagement_rate"] == D("3.70")  # 7,400 / 200,000 x 100
    assert "Engagement rate (by reach)" in response.content.decode()


def test_every_formula_is_on_the_page(admin_client, world):
    html = get(admin_client).content.decode()
    for formula in (
        "likes + comments + shares + saves",
        "engagements / followers x 100",
        "cost / impressions x 1000",
        "cost / engagements",
        "cost / clicks",
        "cost / conversions",
        "revenue / cost",
        "(revenue - cost) / cost x 100",
        "cost / deliverables",
        "long-term partnerships / partnerships x 100",
    ):
        assert formula in html, formula
    assert "split evenly over all its deliverables" in html


def test_threshold_change_moves_influencers_in_current_basis_only(admin_client, world):
    big = world["big"]
    big.min_followers = 30_000  # Cleo (20,000) falls to Small
    big.save()
    current = comparison()
    small_row, big_row = current.rows
    assert (small_row.influencers, big_row.influencers) == (3, 1)
    assert small_row.results.cost == D("6600.00")  # 3,600 + Cleo's P4 3,000
    assert big_row.results.cost == D("6000.00")
    signing = comparison(basis=TierBasis.SIGNING)
    assert [(r.name, r.influencers, r.results.cost) for r in signing.rows] == [
        ("Small", 2, D("3600.00")),
        ("Big", 2, D("9000.00")),
    ]
    # The next page load shows it (no cache).
    assert cells(get(admin_client))["Small"]["influencers"] == 3


def test_filter_by_campaign(world):
    small, big = comparison(campaign=world["x"]).rows
    assert (small.partnerships, small.results.cost, small.results.deliverables) == (
        1,
        D("1000.00"),
        2,
    )
    assert (big.partnerships, big.results.cost, big.results.impressions) == (
        2,
        D("9000.00"),
        250_000,
    )


def test_filter_by_objective(world):
    small, big = comparison(objective=Campaign.Objective.ENGAGEMENT).rows
    assert (small.partnerships, small.results.cost, small.results.impressions) == (
        2,
        D("2600.00"),  # P2 2,000 + P3 600
        6_000,
    )
    assert (big.partnerships, big.results.cost, big.results.cpm) == (0, D("0.00"), None)


def test_filter_by_platform_splits_spend_over_deliverables(world):
    small, big = comparison(platform="tiktok").rows
    # P1 has 2 deliverables, 1 on TikTok: half its 1,000 fee. P5: 1 of 3, a third of 6,000.
    assert (small.partnerships, small.results.cost, small.results.deliverables) == (
        1,
        D("500.00"),
        1,
    )
    assert small.results.impressions == 5_000 and small.results.cpm == D("100.00")
    assert (big.partnerships, big.results.cost, big.results.engagements) == (1, D("2000.00"), 1_000)
    assert big.influencers == 1


def test_filter_by_period(world):
    small, big = comparison(
        published_after=date(2026, 3, 1), published_before=date(2026, 3, 31)
    ).rows
    # d1 (half of P1: 500) + d3 (all of P3: 600); Big: d4 (all of P4: 3,000).
    assert (small.results.cost, small.results.deliverables, small.results.revenue) == (
        D("1100.00"),
        2,
        D("1400.00"),
    )
    assert (big.results.cost, big.results.deliverables, big.partnerships) == (D("3000.00"), 1, 1)


def test_filter_by_niche(world):
    small, big = comparison(niche=world["beauty"]).rows
    assert (small.influencers, small.partnerships, small.results.cost) == (1, 2, D("3000.00"))
    assert (big.influencers, big.partnerships, big.results.cost) == (1, 1, D("3000.00"))


def test_filter_by_collaboration_type(world):
    small, big = comparison(collaboration_type="long_term").rows
    assert (small.partnerships, small.results.cost, small.results.deliverables) == (
        1,
        D("2000.00"),
        0,
    )
    assert (big.partnerships, big.results.cost, big.long_term_share) == (
        1,
        D("6000.00"),
        D("100.00"),
    )


def test_filter_by_market_on_every_report_page(admin_client, world):
    """The market is the influencer's country, in any case; the page, the two-tier compare and
    the export all take it from the URL."""
    Influencer.objects.filter(name__in=["Ben", "Dev"]).update(country="Germany")
    small, big = comparison(market="germany").rows
    # Ben: P3 (600) with d3; Dev: P5 (6,000) with d5-d7.
    assert (small.influencers, small.partnerships, small.results.cost) == (1, 1, D("600.00"))
    assert (big.influencers, big.partnerships, big.results.deliverables) == (1, 1, 3)
    # With a period (March-April): d3, and d6 of P5's three deliverables (6,000 / 3).
    small, big = comparison(
        market="Germany", published_after=date(2026, 3, 1), published_before=date(2026, 4, 30)
    ).rows
    assert (small.results.cost, big.results.cost, big.results.deliverables) == (
        D("600.00"),
        D("2000.00"),
        1,
    )
    assert cells(get(admin_client, market="GERMANY"))["Big"]["cost"] == D("6000.00")
    compare = admin_client.get(
        reverse("reports:tier-compare"),
        {"a": world["small"].pk, "b": world["big"].pk, "market": "Germany"},
    )
    spend = {m["heading"]: m for m in compare.context["metrics"]}["Spend"]
    assert (spend["a_cell"]["value"], spend["b_cell"]["value"]) == (D("600.00"), D("6000.00"))
    export = admin_client.get(reverse("reports:tier-comparison-export"), {"market": "germany"})
    rows = list(csv.reader(io.StringIO(export.content.decode())))
    assert (rows[1][0], rows[1][6], rows[2][0], rows[2][6]) == ("Small", "600.00", "Big", "6000.00")
    nobody = comparison(market="Atlantis").rows
    assert sum(row.partnerships for row in nobody) == 0


def test_filters_from_the_page_and_bad_input(admin_client, world):
    response = get(admin_client, campaign=world["x"].pk, platform="tiktok")
    assert cells(response)["Small"]["cost"] == D("500.00")
    bad = get(
        admin_client,
        campaign="nope",
        published_after="2026-05-01",
        published_before="2026-04-01",
        platform="myspace",
    )
    assert bad.status_code == 200
    form = bad.context["form"]
    assert {"campaign", "published_before", "platform"} <= set(form.errors)
    # Invalid filters are ignored, the valid one (from 1 May) still applies: d2 and d7 only.
    table = cells(bad)
    assert table["Small"]["deliverables"] == 1 and table["Big"]["deliverables"] == 1


def test_chart_data_is_json_and_tier_names_stay_text(admin_client, world):
    Tier.objects.filter(pk=world["small"].pk).update(name="<img src=x onerror=alert(1)>")
    html = get(admin_client).content.decode()
    assert '<script id="tier-chart-data" type="application/json">' in html
    assert "<img src=x" not in html
    assert "\\u003Cimg src=x onerror=alert(1)\\u003E" in html
    assert 'src="/static/js/tier_charts.js" defer' in html


def test_query_count_does_not_grow_with_data(
    admin_client, world, django_assert_num_queries, session_queries
):
    def page_queries():
        with CaptureQueriesContext(connection) as context:
            assert get(admin_client, platform="instagram").status_code == 200
        return len(context.captured_queries)

    small = page_queries()
    for index in range(3):
        tier = Tier.objects.create(name=f"Extra {index}", min_followers=100_000 * (index + 1))
        influencer = InfluencerFactory(audience=tier.min_followers + 5)
        for _ in range(5):
            partnership = PartnershipFactory(influencer=influencer, status="active")
            deliver(partnership, "instagram", date(2026, 3, 1), impressions=10, reach=5)
    assert page_queries() == small
    # session, user, the report and the campaign choices: the tier ranges and the niche
    # choices come from the cache (crm/cache.py) once a request has read them.
    with django_assert_num_queries(3 + session_queries):
        get(admin_client)


def test_export_has_both_tables_and_is_spreadsheet_safe(admin_client, world):
    Tier.objects.filter(pk=world["big"].pk).update(name="=HYPERLINK(1)")
    response = admin_client.get(reverse("reports:tier-comparison-export"))
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0][:4] == ["Tier", "Influencers", "Avg followers", "Engagement rate (by followers)"]
    assert rows[1][0] == "Small" and rows[1][6] == "3600.00" and rows[1][14] == "171.43"
    assert rows[2][0] == "'=HYPERLINK(1)"
    assert rows[3] == []
    assert rows[4][:2] == ["Tier", "Collaboration type"]
    assert rows[5][:2] == ["Small", "Long-term"] and rows[5][15] == ""  # CPM "-": empty cell
    assert len(rows) == 9


def test_compare_two_tiers(admin_client, world):
    response = admin_client.get(
        reverse("reports:tier-compare"), {"a": world["small"].pk, "b": world["big"].pk}
    )
    assert response.status_code == 200
    metrics = {
        m["heading"]: (m["a_cell"]["value"], m["b_cell"]["value"])
        for m in response.context["metrics"]
    }
    assert metrics["Reach"] == (17_000, 200_000)
    assert metrics["CPM"] == (D("171.43"), D("36.00"))
    assert metrics["ROI"] == (D("-61.11"), D("33.33"))
    assert metrics["Long-term share"] == (D("33.33"), D("50.00"))
    # Each objective on its own campaigns' deliverables (awareness: X, 2 of Small's; engagement:
    # Y, 1): far fewer than MIN_DELIVERABLES, so no verdict.
    html = response.content.decode()
    assert "Too little data to tell" in html and "Small has 2 deliverables" in html
    assert "Small has 1 deliverable;" in html


def test_compare_two_tiers_rejects_bad_input(admin_client, world):
    url = reverse("reports:tier-compare")
    same = admin_client.get(url, {"a": world["small"].pk, "b": world["small"].pk})
    assert same.status_code == 200 and "Pick two different tiers." in same.content.decode()
    missing = admin_client.get(url, {"a": "999999", "b": "x"})
    assert missing.status_code == 200 and missing.context["form"].errors


def test_objective_readings_pick_the_winner_per_objective():
    cheap_reach = selectors.TierRow(
        tier=None,
        results=selectors.Results(
            cost=D("1000"), impressions=100_000, likes=100, revenue=D("500"), deliverables=40
        ),
    )
    engaging = selectors.TierRow(
        tier=None,
        results=selectors.Results(
            cost=D("1000"), impressions=20_000, likes=1_000, revenue=D("3000"), deliverables=40
        ),
    )
    pairs = dict.fromkeys(selectors.OBJECTIVE_RULES, (cheap_reach, engaging))
    readings = {r.objective: r for r in selectors.objective_readings(pairs)}
    assert readings["Awareness"].winner is cheap_reach  # CPM 10 vs 50
    assert readings["Engagement"].winner is engaging  # CPE 1 vs 10
    assert readings["Product reviews"].winner is engaging
    assert readings["Conversions"].winner is engaging  # ROI 200% vs -50%
    assert "lowest CPM (10.00 against 50.00" in readings["Awareness"].verdict
    engaging.results.deliverables = selectors.MIN_DELIVERABLES - 1
    short = selectors.objective_readings(pairs)
    assert all(r.winner is None and "Too little data" in r.verdict for r in short)


@pytest.mark.parametrize(
    "name", ["reports:tier-comparison", "reports:tier-compare", "reports:tier-comparison-export"]
)
def test_reports_need_a_login_but_no_write_permission(client, world, name):
    url = reverse(name)
    response = client.get(url)
    assert response.status_code == 302 and response.url.startswith(reverse("login"))
    client.force_login(UserFactory(username="viewer"))  # no permission at all: read only
    assert client.get(url).status_code == 200


def test_hostile_input_never_gives_a_500(admin_client, world):
    huge = "9" * 30
    for params in (
        {"campaign": huge, "niche": huge, "basis": "<script>", "er_basis": "x"},
        {"published_after": "2026-02-30", "published_before": "0000-01-01"},
        {"campaign": "-1", "objective": "'; DROP TABLE x; --"},
    ):
        assert get(admin_client, **params).status_code == 200
        assert (
            admin_client.get(reverse("reports:tier-comparison-export"), params).status_code == 200
        )
        compare = admin_client.get(reverse("reports:tier-compare"), {**params, "a": huge, "b": "1"})
        assert compare.status_code == 200


def test_influencers_below_every_threshold_get_a_no_tier_row(admin_client, world):
    Tier.objects.filter(pk=world["small"].pk).update(min_followers=3_000)  # Ada (2,000) drops out
    table = cells(get(admin_client))
    assert list(table) == ["Small", "Big", "No tier"]
    assert table["No tier"]["influencers"] == 1 and table["No tier"]["cost"] == D("3000.00")
    assert table["Small"]["cost"] == D("600.00")  # Ben's P3 only


def test_period_with_partial_months_counts_the_days_inside_only(world):
    # Mid-March to 5 May: d3 (15 Mar), d4 (20 Mar), all of April (P5, 1 Apr) and P5's 1 May;
    # not P1's 10 March or 10 May.
    small, big = comparison(
        published_after=date(2026, 3, 12), published_before=date(2026, 5, 5)
    ).rows
    assert (small.partnerships, small.results.cost, small.results.revenue) == (
        1,
        D("600.00"),
        D("900.00"),
    )
    # P4 all of 3,000; P5 two of its three deliverables: 4,000.
    assert (big.partnerships, big.results.cost, big.results.deliverables) == (2, D("7000.00"), 3)
    assert big.results.impressions == 150_000


def test_period_inside_one_month(world):
    small, big = comparison(
        published_after=date(2026, 3, 11), published_before=date(2026, 3, 25)
    ).rows
    assert (small.results.cost, small.results.deliverables) == (D("600.00"), 1)
    assert (big.results.cost, big.results.deliverables, big.results.impressions) == (
        D("3000.00"),
        1,
        50_000,
    )


def test_period_across_one_month_end_without_a_whole_month(world):
    # 12 March to 15 April: d3 (15 Mar), d4 (20 Mar) and P5's 1 April, read from the days of
    # two partly covered months; not P1's 10 March.
    small, big = comparison(
        published_after=date(2026, 3, 12), published_before=date(2026, 4, 15)
    ).rows
    assert (small.partnerships, small.results.cost, small.results.deliverables) == (
        1,
        D("600.00"),
        1,
    )
    # P4 all of 3,000; P5 one of its three deliverables: 2,000.
    assert (big.partnerships, big.results.cost, big.results.deliverables) == (2, D("5000.00"), 2)
    assert big.results.impressions == 110_000


def test_a_partly_covered_month_with_nothing_published_on_its_other_days(world):
    """Nothing was published from 16 to 30 April, so 12 March-15 April is 12 March-30 April
    (April's month rows answer). Once something is published on 20 April, it stays out of the
    first period (April's day rows answer) and counts in the second."""
    to_mid_april = {"published_after": date(2026, 3, 12), "published_before": date(2026, 4, 15)}
    to_april_end = {"published_after": date(2026, 3, 12), "published_before": date(2026, 4, 30)}

    def big(period):
        row = comparison(**period).rows[1]
        return (row.partnerships, row.results.cost, row.results.deliverables,
                row.results.impressions)  # fmt: skip

    assert big(to_mid_april) == big(to_april_end) == (2, D("5000.00"), 2, 110_000)

    p4 = Partnership.objects.get(influencer=world["cleo"], status=Partnership.Status.ACTIVE)
    deliver(p4, "youtube", date(2026, 4, 20), impressions=7)
    # P4's 3,000 now spread over two deliverables: 1,500 for 20 March.
    assert big(to_mid_april) == (2, D("3500.00"), 2, 110_000)
    assert big(to_april_end) == (2, D("5000.00"), 3, 110_007)


def test_a_period_ending_before_it_starts_keeps_nothing(world):
    # The page's form refuses it; the report itself answers with empty tiers, not an error.
    small, big = comparison(
        published_after=date(2026, 5, 20), published_before=date(2026, 5, 10)
    ).rows
    assert (small.partnerships, big.partnerships, big.results.deliverables) == (0, 0, 0)


@pytest.mark.parametrize(
    ("after", "before", "expected"),
    [
        # No whole month: every day is read from the deliverables.
        (date(2026, 3, 12), date(2026, 4, 15), (None, [(date(2026, 3, 12), date(2026, 4, 15))])),
        (date(2024, 2, 2), date(2024, 2, 28), (None, [(date(2024, 2, 2), date(2024, 2, 28))])),
        # Whole months only, or whole months and an open end.
        (date(2026, 1, 1), date(2026, 3, 31), ((date(2026, 1, 1), date(2026, 3, 1)), [])),
        (date(2026, 1, 1), None, ((date(2026, 1, 1), None), [])),
        (None, date(9999, 12, 31), ((None, date(9999, 12, 1)), [])),
        # Whole months in between, partly covered months on both sides.
        (
            date(2025, 12, 31),
            date(2026, 3, 1),
            (
                (date(2026, 1, 1), date(2026, 2, 1)),
                [(date(2025, 12, 31), date(2025, 12, 31)), (date(2026, 3, 1), date(2026, 3, 1))],
            ),
        ),
        (
            date(2026, 12, 2),
            None,
            ((date(2027, 1, 1), None), [(date(2026, 12, 2), date(2026, 12, 31))]),
        ),
        # The ends of the calendar: no month after December 9999 or before January of year 1.
        (date(9999, 12, 2), None, (None, [(date(9999, 12, 2), None)])),
        (None, date(1, 1, 5), (None, [(None, date(1, 1, 5))])),
        (date(1, 1, 1), date(1, 1, 5), (None, [(date(1, 1, 1), date(1, 1, 5))])),
    ],
)
def test_how_a_period_is_read(after, before, expected):
    assert statements.period_split(after, before) == expected


def test_period_open_at_one_end(world):
    small, big = comparison(published_after=date(2026, 3, 16)).rows
    # P1's 10 May TikTok post (half of 1,000); P4 (3,000) and two thirds of P5 (4,000).
    assert (small.results.cost, small.results.deliverables, small.results.impressions) == (
        D("500.00"),
        1,
        5_000,
    )
    assert (big.results.cost, big.results.deliverables) == (D("7000.00"), 3)
    small, big = comparison(published_before=date(2026, 3, 12)).rows
    # All of February (P5, 1 Feb) and 1-12 March (P1, 10 Mar; the prospect never counts).
    assert (small.results.cost, small.results.deliverables) == (D("500.00"), 1)
    assert (big.results.cost, big.results.deliverables, big.results.revenue) == (
        D("2000.00"),
        1,
        D("8000.00"),
    )


def test_platform_and_partial_period_together(world):
    small, big = comparison(
        platform="instagram", published_after=date(2026, 3, 12), published_before=date(2026, 4, 30)
    ).rows
    assert (small.partnerships, small.results.cost, small.results.deliverables) == (
        1,
        D("600.00"),
        1,
    )
    assert (big.partnerships, big.results.cost, big.results.impressions) == (
        1,
        D("2000.00"),
        60_000,
    )


@pytest.mark.parametrize(
    ("after", "before"),
    [
        ("9999-12-15", ""),
        ("", "9999-12-31"),
        ("9999-12-02", "9999-12-31"),
        ("0001-01-01", "0001-01-05"),
        ("0001-01-01", "9999-12-31"),
    ],
)
def test_periods_at_the_ends_of_the_calendar_answer(admin_client, world, after, before):
    response = get(admin_client, published_after=after, published_before=before)
    assert response.status_code == 200
    expected = 7 if (after, before) in {("", "9999-12-31"), ("0001-01-01", "9999-12-31")} else 0
    assert sum(row.results.deliverables for row in response.context["comparison"].rows) == expected
