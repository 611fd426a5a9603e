"""Compare two tiers: each objective read on its own campaigns' deals, with difference and ratio.

Small (5,000 followers) and Big (50,000) each have a deal on an awareness campaign and one on a
conversions campaign. Overall, Small's CPM is 18.18 and its ROI 50%; on the awareness deals alone
its CPM is 10.00, on the conversions deals alone its ROI is 200%.
"""

from datetime import date
from decimal import Decimal as D

import pytest
from django.urls import reverse

from campaigns.models import Campaign
from influencers.models import Tier
from reports import selectors
from tests.factories import (
    CampaignFactory,
    DeliverableFactory,
    InfluencerFactory,
    PartnershipFactory,
)
from tests.pages import Page

pytestmark = pytest.mark.django_db


@pytest.fixture
def pair(db):
    Tier.objects.all().delete()
    small = Tier.objects.create(name="Small", min_followers=0)
    big = Tier.objects.create(name="Big", min_followers=10_000)
    awareness = CampaignFactory(objective=Campaign.Objective.AWARENESS)
    conversions = CampaignFactory(objective=Campaign.Objective.CONVERSIONS)
    deals = (  # (followers, campaign, fee, impressions, revenue)
        (5_000, awareness, D("1000"), 100_000, D("0")),  # CPM 10
        (5_000, conversions, D("1000"), 10_000, D("3000")),  # ROI 200%
        (50_000, awareness, D("4000"), 100_000, D("0")),  # CPM 40
        (50_000, conversions, D("2000"), 10_000, D("3000")),  # ROI 50%
    )
    influencers = {}
    for followers, campaign, fee, impressions, revenue in deals:
        influencer = influencers.setdefault(followers, InfluencerFactory(audience=followers))
        partnership = PartnershipFactory(
            influencer=influencer, campaign=campaign, fee=fee, status="active"
        )
        DeliverableFactory(
            partnership=partnership, impressions=impressions, likes=100, revenue=revenue
        )
    return {"small": small, "big": big}


def compare(client, pair, **filters):
    response = client.get(
        reverse("reports:tier-compare"), {"a": pair["small"].pk, "b": pair["big"].pk, **filters}
    )
    assert response.status_code == 200
    return response, Page(response.content.decode())


def columns(row):
    return {cell["attrs"].get("data-column"): cell["text"] for cell in row["cells"]}


def reading_rows(page):
    return {
        row["attrs"]["data-objective"]: columns(row)
        for row in page.rows
        if "data-objective" in row["attrs"]
    }


def test_each_objective_is_read_on_its_own_deals(admin_client, pair):
    _, page = compare(admin_client, pair)
    rows = reading_rows(page)
    # Awareness: the awareness campaign's deals only (not the overall 18.18 and 54.55).
    awareness = rows["Awareness"]
    assert (awareness["a"], awareness["b"]) == ("10.00", "40.00")
    assert (awareness["difference"], awareness["ratio"]) == ("-30.00", "0.25x")
    # Conversions: 200% against 50% on the conversions deals (overall 50% against -50%).
    conversions = rows["Conversions"]
    assert (conversions["a"], conversions["b"]) == ("200.00%", "50.00%")
    assert (conversions["difference"], conversions["ratio"]) == ("+150.00 pts", "4.00x")
    # No engagement campaign: nothing to read there.
    engagement = rows["Engagement"]
    assert (engagement["a"], engagement["b"], engagement["difference"]) == ("-", "-", "-")
    assert "Small has 0 deliverables" in engagement[None]


def test_an_objective_filter_reads_only_that_objective(admin_client, pair):
    _, page = compare(admin_client, pair, objective="conversions")
    assert list(reading_rows(page)) == ["Conversions"]


def test_the_metrics_table_shows_difference_and_ratio(admin_client, pair):
    response, page = compare(admin_client, pair)
    html = response.content.decode()
    assert "Difference (Small &minus; Big)" in html and "Ratio (Small / Big)" in html
    table = {
        row["cells"][0]["text"].split(" (")[0].strip(): columns(row)
        for row in page.rows
        if "difference" in columns(row) and "data-objective" not in row["attrs"]
    }
    assert table["Spend"]["difference"] == "EUR -4,000.00"  # 2,000 - 6,000
    assert table["Spend"]["ratio"] == "0.33x"
    assert table["ROI"]["difference"] == "+100.00 pts"  # 50% - (-50%)
    assert table["ROI"]["ratio"] == "-"  # a gain against a loss: no ratio
    headings = [row["cells"][0]["text"] for row in page.rows if row["cells"]]
    assert any(heading.startswith("Engagement rate (by followers)") for heading in headings)


def test_query_count_does_not_grow_with_data(admin_client, pair, count_queries, session_queries):
    compare(admin_client, pair)  # reads the tiers and niches into the cache
    _, before = count_queries(compare, admin_client, pair)
    for objective in Campaign.Objective.values:
        campaign = CampaignFactory(objective=objective)
        for followers in (2_000, 20_000, 200_000):
            partnership = PartnershipFactory(
                influencer=InfluencerFactory(audience=followers), campaign=campaign, status="active"
            )
            DeliverableFactory(partnership=partnership, impressions=1_000, likes=10)
    _, after = count_queries(compare, admin_client, pair)
    # session, user, the form's campaign choices, the overall report and the per-objective
    # report: the tiers and niches (choices, ranges) come from the cache (crm/cache.py).
    assert before == after == 4 + session_queries


@pytest.mark.parametrize(
    "filters",
    [
        {},
        {"objective": "awareness"},
        {"platform": "instagram"},
        {"published_after": date(2020, 1, 1), "published_before": date(2100, 1, 15)},
    ],
)
def test_objective_figures_equal_their_reference_reading(pair, filters):
    """The per-objective statement on the derived sums equals its reading of the base tables."""
    scope = {"basis": "current", **filters}
    derived = selectors.compare_by_objective(scope, pair["small"].pk, pair["big"].pk)
    reference = selectors.compare_by_objective(
        scope, pair["small"].pk, pair["big"].pk, reference=True
    )
    assert derived.keys() == reference.keys()
    for objective, rows in derived.items():
        assert [r.results for r in rows] == [r.results for r in reference[objective]], objective
    if "published_after" not in filters:  # (the fixture's deliverables are not published)
        awareness = derived[Campaign.Objective.AWARENESS]
        assert [r.results.cpm for r in awareness] == [D("10.00"), D("40.00")]
