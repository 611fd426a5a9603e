"""One partnership, the same figures on every page that shows it (issue #17).

The partnership, influencer, campaign, dashboard and tier comparison pages are rendered with the
test client for one signed partnership with known deliverables, beside a bigger deal still at
"Contacted" in the same campaign (which must count nowhere as cost). Each page's engagement rate
must carry its basis and agree, and so must cost and ROI. A deal not signed shows "-".
"""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from campaigns.models import Campaign
from partnerships.models import Partnership
from tests.factories import (
    CampaignFactory,
    DeliverableFactory,
    InfluencerFactory,
    PartnershipFactory,
)
from tests.pages import Page

pytestmark = pytest.mark.django_db
Status = Partnership.Status
BY_FOLLOWERS = "Engagement rate (by followers)"
BY_REACH = "Engagement rate (by reach)"

# Two deliverables to 20,000 followers: 1,000 engagements, reach 12,000; cost 2,000, revenue 2,500.
EXPECTED = {
    BY_FOLLOWERS: "2.50%",  # 1,000 / (20,000 followers x 2 deliverables) x 100
    BY_REACH: "8.33%",  # 1,000 / 12,000 x 100
    "cost": "EUR 2,000.00",
    "ROI": "25.00%",  # (2,500 - 2,000) / 2,000 x 100
}


def page(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return Page(response.content.decode())


def publish(partnership, day, **counts):
    DeliverableFactory(
        partnership=partnership,
        status="published",
        published_on=day,
        due_date=day,
        url="https://example.com/post",
        **counts,
    )


@pytest.fixture
def deal(tiers):
    today = timezone.localdate()
    campaign = CampaignFactory(
        name="Autumn launch", objective=Campaign.Objective.CONVERSIONS, budget=Decimal("10000")
    )
    ivy = InfluencerFactory(name="Ivy Micro", audience=20_000)
    signed = PartnershipFactory(
        influencer=ivy, campaign=campaign, fee=Decimal("2000"), status=Status.ACTIVE
    )
    publish(
        signed,
        today - timedelta(days=5),
        impressions=10_000,
        reach=8_000,
        likes=500,
        comments=100,
        shares=50,
        saves=50,
        clicks=200,
        conversions=10,
        revenue=Decimal("1500"),
    )
    publish(
        signed,
        today - timedelta(days=10),
        impressions=6_000,
        reach=4_000,
        likes=250,
        comments=30,
        shares=10,
        saves=10,
        clicks=50,
        conversions=5,
        revenue=Decimal("1000"),
    )
    # fmt: skip
    contacted = PartnershipFactory(
        influencer=InfluencerFactory(name="Max Macro", audience=150_000),
        campaign=campaign,
        fee=Decimal("95639"),
        status=Status.CONTACTED,
    )
    return {"signed": signed, "contacted": contacted, "campaign": campaign, "influencer": ivy}


def test_one_partnership_shows_the_same_figures_on_every_page(admin_client, deal):
    signed, campaign = deal["signed"], deal["campaign"]

    partnership = page(admin_client, reverse("partnerships:partnership-detail", args=[signed.pk]))
    assert {
        BY_FOLLOWERS: partnership.after(BY_FOLLOWERS),
        BY_REACH: partnership.after(BY_REACH),
        "cost": partnership.after("Cost (contract value, signed)"),
        "ROI": partnership.after("ROI"),
    } == EXPECTED

    influencer = page(
        admin_client, reverse("influencers:influencer-detail", args=[signed.influencer_id])
    )
    assert {
        BY_FOLLOWERS: influencer.after(BY_FOLLOWERS),
        BY_REACH: influencer.after(BY_REACH),
        "cost": influencer.after("Cost (signed)"),
        "ROI": influencer.after("ROI"),
    } == EXPECTED
    row = next(r for r in influencer.rows if any(c["attrs"].get("data-metric") for c in r["cells"]))
    cells = {
        c["attrs"]["data-metric"]: c["text"] for c in row["cells"] if "data-metric" in c["attrs"]
    }
    assert (cells["engagement_rate"], cells["roi"]) == (EXPECTED[BY_FOLLOWERS], EXPECTED["ROI"])

    # The campaign also holds a EUR 95,639 deal still at "Contacted": pipeline, not cost.
    campaign_page = page(admin_client, reverse("campaigns:campaign-detail", args=[campaign.pk]))
    assert {
        BY_FOLLOWERS: campaign_page.after(BY_FOLLOWERS),
        BY_REACH: campaign_page.after(BY_REACH),
        "cost": campaign_page.after("Committed (signed)"),
        "ROI": campaign_page.after("ROI"),
    } == EXPECTED
    assert campaign_page.after("In negotiation (not counted)") == "EUR 95,639.00"

    dashboard = page(admin_client, reverse("home"))
    assert "EUR 2,000.00 of EUR 10,000.00" in dashboard.text  # committed vs budget
    top = next(r for r in dashboard.rows if r["cells"] and r["cells"][0]["text"] == "Ivy Micro")
    assert [c["text"] for c in top["cells"][2:]] == ["EUR 2,000.00", "EUR 2,500.00", "25.00%"]

    tiers_page = admin_client.get(reverse("reports:tier-comparison"))
    headings = [column["heading"] for column in tiers_page.context["columns"]]
    micro = next(
        r
        for r in Page(tiers_page.content.decode()).rows
        if r["attrs"].get("data-tier") == "Micro" and "data-type" not in r["attrs"]
    )
    figures = dict(zip(headings, [c["text"] for c in micro["cells"][1:]], strict=True))
    assert {
        BY_FOLLOWERS: figures[BY_FOLLOWERS],
        "cost": figures["Spend"],
        "ROI": figures["ROI"],
    } == {key: EXPECTED[key] for key in (BY_FOLLOWERS, "cost", "ROI")}
    by_reach = admin_client.get(reverse("reports:tier-comparison"), {"er_basis": "reach"})
    assert BY_REACH in [column["heading"] for column in by_reach.context["columns"]]
    micro_by_reach = next(r for r in by_reach.context["table"] if r["row"].name == "Micro")
    rate = next(c for c in micro_by_reach["cells"] if c["attribute"] == "engagement_rate")
    assert f"{rate['value']}%" == EXPECTED[BY_REACH]


def test_a_deal_not_signed_shows_dashes_not_minus_100_percent(admin_client, deal):
    contacted = deal["contacted"]
    DeliverableFactory(partnership=contacted, impressions=5_000, reach=4_000, likes=300)

    partnership = page(
        admin_client, reverse("partnerships:partnership-detail", args=[contacted.pk])
    )
    assert partnership.after("Cost (contract value, signed)") == "-"
    assert partnership.after("ROI") == "-"  # was -100.00%
    assert partnership.after(BY_FOLLOWERS) == "-"  # was 0.00% with no deliverable
    assert partnership.after(BY_REACH) == "-"
    assert "is pipeline (not counted as cost)" in partnership.text

    influencer = page(
        admin_client, reverse("influencers:influencer-detail", args=[contacted.influencer_id])
    )
    assert influencer.after("Cost (signed)") == "EUR 0.00"
    assert influencer.after("ROI") == "-"
    assert influencer.after(BY_FOLLOWERS) == "-"
    row = next(r for r in influencer.rows if any(c["attrs"].get("data-metric") for c in r["cells"]))
    cells = {
        c["attrs"]["data-metric"]: c["text"] for c in row["cells"] if "data-metric" in c["attrs"]
    }
    assert cells == {"engagement_rate": "-", "cpe": "-", "roi": "-"}


def test_a_signed_deal_without_deliverables_has_no_engagement_rate(admin_client, tiers):
    fresh = PartnershipFactory(status=Status.CONTRACTED, fee=Decimal("800"))
    partnership = page(admin_client, reverse("partnerships:partnership-detail", args=[fresh.pk]))
    assert partnership.after("Cost (contract value, signed)") == "EUR 800.00"
    assert partnership.after(BY_FOLLOWERS) == "-"  # no deliverable: nothing to divide by
