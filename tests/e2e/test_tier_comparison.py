"""In a real browser: the tier comparison, filtered by one campaign, with its charts drawn, and the
compare-two-tiers view."""

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.factories import (
    CampaignFactory,
    DeliverableFactory,
    InfluencerFactory,
    PartnershipFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db(transaction=True)


def deliver(partnership, impressions, likes, revenue="0"):
    return DeliverableFactory(
        partnership=partnership,
        status="published",
        published_on=date(2026, 3, 1),
        url="https://example.com/p",
        impressions=impressions,
        reach=impressions // 2,
        likes=likes,
        revenue=Decimal(revenue),
    )


@pytest.fixture
def data(tiers):
    spring = CampaignFactory(name="Spring")
    autumn = CampaignFactory(name="Autumn")
    micro = InfluencerFactory(name="Mia", audience=5_000)
    macro = InfluencerFactory(name="Max", audience=200_000)
    deliver(
        PartnershipFactory(influencer=micro, campaign=spring, fee=Decimal("1000"), status="active"),
        10_000,
        500,
    )
    deliver(
        PartnershipFactory(influencer=macro, campaign=spring, fee=Decimal("4000"), status="active"),
        100_000,
        2_000,
        "6000",
    )
    deliver(
        PartnershipFactory(influencer=micro, campaign=autumn, fee=Decimal("9000"), status="active"),
        1_000,
        10,
    )
    UserFactory(username="marta", is_staff=True, is_superuser=True)
    return {"spring": spring}


def test_tier_comparison_filtered_by_a_campaign_with_charts(page, live_server, login, data):
    errors = []
    page.on(
        "console",
        lambda message: (
            message.type == "error"
            and "favicon.ico" not in message.location.get("url", "")
            and errors.append(message.text)
        ),
    )
    page.on("pageerror", lambda error: errors.append(str(error)))
    login("marta", "correct-horse-battery")
    page.get_by_role("link", name="Tier comparison").click()
    expect(page.get_by_role("heading", name="Tier comparison")).to_be_visible()
    micro_row = page.locator("#tier-table tbody tr[data-tier='Micro']")
    expect(micro_row).to_contain_text("EUR 10,000.00")  # both campaigns: 1,000 + 9,000

    page.get_by_label("Campaign").select_option(label="Spring")
    page.get_by_role("button", name="Apply").click()
    page.wait_for_url("**campaign=*")
    expect(micro_row).to_contain_text("EUR 1,000.00")
    expect(micro_row.locator("td[data-column=cpm]")).to_have_text("100.00")  # 1,000 / 10,000 x 1000
    macro_row = page.locator("#tier-table tbody tr[data-tier='Macro']")
    expect(macro_row).to_contain_text("EUR 4,000.00")
    expect(macro_row.locator("td[data-column=roi]")).to_have_text("50.00%")  # (6,000-4,000) / 4,000

    for chart in ("chart-engagement", "chart-cost", "chart-spend", "chart-long-term"):
        canvas = page.locator(f"#{chart}")
        expect(canvas).to_have_attribute("data-chart-drawn", "1" if chart in (
            "chart-engagement", "chart-long-term") else "2")  # fmt: skip
    drawn = page.evaluate(
        "() => ['chart-engagement', 'chart-cost', 'chart-spend', 'chart-long-term']"
        ".map(id => Chart.getChart(document.getElementById(id)).data.labels.join(','))"
    )
    assert drawn == ["Nano,Micro,Macro,Mega"] * 4
    assert errors == []  # no script error, nothing refused by the Content Security Policy


def test_compare_two_tiers(page, live_server, login, data):
    login("marta", "correct-horse-battery")
    page.goto(f"{live_server.url}/reports/tiers/")
    page.get_by_role("link", name="Compare two tiers").click()
    page.get_by_label("First tier").select_option(label="Macro")
    page.get_by_label("Second tier").select_option(label="Micro")
    page.get_by_label("Campaign").select_option(label="Spring")
    page.get_by_role("button", name="Apply").click()
    table = page.locator("#compare-table")
    expect(table.locator("tr", has_text="CPM")).to_contain_text("40.00")  # 4,000 / 100,000
    expect(table.locator("tr", has_text="CPM")).to_contain_text("100.00")
    expect(page.locator("#readings")).to_contain_text("Too little data to tell")


def test_market_filter_narrows_the_comparison_and_the_export(page, live_server, login, data):
    """Max (Macro) is the only influencer in Germany: typed in lower case, the market keeps his
    deal alone, and the export link carries the filter."""
    InfluencerFactory._meta.model.objects.filter(name="Max").update(country="Germany")
    login("marta", "correct-horse-battery")
    page.goto(f"{live_server.url}/reports/tiers/")
    page.get_by_label("Market (country)").fill("germany")
    page.get_by_role("button", name="Apply").click()
    page.wait_for_url("**market=germany*")
    macro_row = page.locator("#tier-table tbody tr[data-tier='Macro']")
    micro_row = page.locator("#tier-table tbody tr[data-tier='Micro']")
    expect(macro_row).to_contain_text("EUR 4,000.00")
    expect(micro_row).not_to_contain_text("EUR 10,000.00")
    expect(micro_row.locator("td[data-column='influencers']")).to_have_text("0")  # none in Germany
    with page.expect_download() as download:
        page.get_by_role("link", name="Export CSV").click()
    lines = Path(download.value.path()).read_text(encoding="utf-8").splitlines()
    macro = next(line for line in lines if line.startswith("Macro,"))
    assert "4000.00" in macro
    assert next(line for line in lines if line.startswith("Micro,")).split(",")[1] == "0"
