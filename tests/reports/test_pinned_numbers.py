"""The report numbers on the demo data are the same as before the reporting rewrite.

`pinned_numbers.json` was computed by the code before the rewrite (commit b72cf59, on SQLite):
`seed_demo --influencers 200 --seed 42` with today fixed at 2026-12-01, then the tier comparison
for each scenario below (every row, per tier and per tier x collaboration type) and the dashboard
blocks. Campaigns and niches are named by name and slug there, not by pk. The tests rebuild the
same data the same way and recompute everything through the public selectors.

One intended change since: the dashboard's active campaigns' "committed" counts signed
partnerships only (issue #17, as the tier comparison's spend does), so Smart money basics moved
from 737,284.00 committed (left -38,284.00) to 719,699.00 (left -20,699.00). And the dashboard's
renewals follow the renewals list (issue #17): each deal from its own reminder, and overdue terms
stay until renewed or completed, so 12 due in 30 days became 30 (18 active terms that already
ended, the most overdue listed first).
"""

import io
import json
from datetime import UTC, date, datetime
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import pytest
from django.core.management import call_command
from django.utils import timezone

from campaigns.models import Campaign
from influencers.models import Niche
from reports import selectors

PINNED = json.loads(Path(__file__).with_name("pinned_numbers.json").read_text())
TODAY = date.fromisoformat(PINNED["today"])
NOW = datetime(TODAY.year, TODAY.month, TODAY.day, 12, 0, tzinfo=UTC)
CENT = Decimal("0.01")
# Money sums on SQLite go through floats, so a total may come out a cent off after a rewrite of
# the SQL that sums it: money fields (cost, revenue, committed, left) may differ by at most 0.01.
# Every other number must be equal exactly.
MONEY_TOLERANCE = Decimal("0.01")
MONEY_FIELDS = ("cost", "revenue")
INT_FIELDS = (
    "influencers",
    "influencer_followers",
    "partnerships",
    "long_term",
    "deliverables",
    "impressions",
    "reach",
    "likes",
    "comments",
    "shares",
    "saves",
    "clicks",
    "conversions",
    "followers",
)
DERIVED_FIELDS = (
    "cpm",
    "cpe",
    "cpc",
    "cpa",
    "roas",
    "roi",
    "engagement_rate",
    "engagement_rate_by_reach",
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_data(tiers, monkeypatch):
    """The demo data as pinned: today is PINNED["today"] for the seed and for the reports."""
    real_localdate = timezone.localdate

    def localdate(value=None, timezone=None):
        return TODAY if value is None else real_localdate(value, timezone)

    monkeypatch.setattr("django.utils.timezone.localdate", localdate)
    monkeypatch.setattr("django.utils.timezone.now", lambda: NOW)
    call_command("seed_demo", *PINNED["seed_demo_args"], stdout=io.StringIO())


def money(value):
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


def money_differs(expected, actual):
    return abs(money(expected) - money(actual)) > MONEY_TOLERANCE


def ratio(numerator, denominator, scale=1):
    """crm.metrics.ratio as it was: numerator / denominator x scale, in cents; None on 0."""
    if numerator is None or not denominator:
        return None
    value = Decimal(numerator) * Decimal(scale) / Decimal(denominator)
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def money_ratios(pinned, cost, revenue):
    """The money-based ratios from the pinned counts and the given cost and revenue."""
    engagements = pinned["likes"] + pinned["comments"] + pinned["shares"] + pinned["saves"]
    return {
        "cpm": ratio(cost, pinned["impressions"], 1000),
        "cpe": ratio(cost, engagements),
        "cpc": ratio(cost, pinned["clicks"]),
        "cpa": ratio(cost, pinned["conversions"]),
        "roas": ratio(revenue, cost),
        "roi": ratio(revenue - cost, cost, 100) if cost else None,
    }


def filters_for(spec):
    """What TierComparisonFilterForm.filters() gives for the pinned scenario's filters."""
    return {
        "campaign": Campaign.objects.get(name=spec["campaign"]) if "campaign" in spec else None,
        "objective": spec.get("objective"),
        "published_after": date.fromisoformat(spec["published_after"])
        if "published_after" in spec
        else None,
        "published_before": date.fromisoformat(spec["published_before"])
        if "published_before" in spec
        else None,
        "platform": spec.get("platform"),
        "niche": Niche.objects.get(slug=spec["niche"]) if "niche" in spec else None,
        "collaboration_type": spec.get("collaboration_type"),
        "basis": spec.get("basis") or "current",
    }


def text(value):
    return None if value is None else str(value)


def row_problems(where, pinned, row):
    """Differences between a pinned row and a TierRow, one readable line each."""
    problems = []
    results = row.results
    actual = {
        "tier": row.name,
        "collaboration_type": row.collaboration_type,
        "influencers": row.influencers,
        "influencer_followers": row.influencer_followers,
        "partnerships": row.partnerships,
        "long_term": row.long_term,
    }
    for name in INT_FIELDS[4:]:
        actual[name] = getattr(results, name)
    for name in ("tier", "collaboration_type", *INT_FIELDS):
        if pinned[name] != actual[name]:
            problems.append(f"{where} {name}: pinned {pinned[name]!r}, now {actual[name]!r}")
    cost, revenue = money(results.cost), money(results.revenue)
    money_exact = True
    for name, value in (("cost", cost), ("revenue", revenue)):
        if money_differs(pinned[name], value):
            problems.append(f"{where} {name}: pinned {pinned[name]}, now {value}")
        money_exact = money_exact and money(pinned[name]) == value
    # The ratios are compared exactly; where cost or revenue moved by the tolerated cent, the
    # money ratios may move with it: they must then be the ratios of the new cost and revenue.
    recomputed = {} if money_exact else money_ratios(pinned, cost, revenue)
    for name in DERIVED_FIELDS:
        value = text(getattr(results, name))
        if value != pinned[name] and (name not in recomputed or value != text(recomputed[name])):
            problems.append(f"{where} {name}: pinned {pinned[name]!r}, now {value!r}")
    return problems


def table_problems(where, pinned_rows, rows):
    rows = list(rows)
    if len(rows) != len(pinned_rows):
        return [
            f"{where}: pinned {len(pinned_rows)} rows "
            f"{[(r['tier'], r['collaboration_type']) for r in pinned_rows]}, now {len(rows)} "
            f"{[(r.name, r.collaboration_type) for r in rows]}"
        ]
    problems = []
    for pinned, row in zip(pinned_rows, rows, strict=True):
        label = pinned["tier"] + (
            f" x {pinned['collaboration_type']}" if pinned["collaboration_type"] else ""
        )
        problems += row_problems(f"{where} [{label}]", pinned, row)
    return problems


def test_tier_comparison_numbers_are_as_pinned(demo_data):
    problems = []
    for scenario, pinned in sorted(PINNED["tier_comparison"].items()):
        comparison = selectors.tier_comparison(filters=filters_for(pinned["filters"]))
        problems += table_problems(f"{scenario} / rows", pinned["rows"], comparison.rows)
        problems += table_problems(
            f"{scenario} / split_rows", pinned["split_rows"], comparison.split_rows
        )
    assert not problems, (
        f"{len(problems)} tier comparison numbers differ from before the rewrite "
        "(scenario / table [tier x type] field):\n  " + "\n  ".join(problems)
    )


def test_dashboard_numbers_are_as_pinned(demo_data):
    pinned = PINNED["dashboard"]
    problems = []

    def check(name, expected, actual):
        if expected != actual:
            problems.append(f"{name}: pinned {expected!r}, now {actual!r}")

    def check_money(name, expected, actual):
        if money_differs(expected, actual):
            problems.append(f"{name}: pinned {expected}, now {money(actual)}")

    check(
        "pipeline_counts",
        pinned["pipeline_counts"],
        [[value, count] for value, _, count in selectors.pipeline_counts()],
    )

    rows, total = selectors.renewals_due()
    check("renewals_due count", pinned["renewals_due"]["count"], total)
    check(
        "renewals_due listed",
        pinned["renewals_due"]["listed"],
        [
            [p.influencer.name, p.campaign.name if p.campaign else None, p.end_date.isoformat()]
            for p in rows
        ],
    )

    check("deliverable_counts", pinned["deliverable_counts"], dict(selectors.deliverable_counts()))

    budgets = selectors.active_campaign_budgets()
    check(
        "active_campaign_budgets names",
        [c["name"] for c in pinned["active_campaign_budgets"]],
        [c.name for c in budgets],
    )
    for expected, campaign in zip(pinned["active_campaign_budgets"], budgets, strict=False):
        check_money(
            f"active_campaign_budgets [{campaign.name}] committed",
            expected["committed"],
            campaign.committed,
        )
        check_money(
            f"active_campaign_budgets [{campaign.name}] left", expected["left"], campaign.left
        )

    top = selectors.top_influencers_by_roi()
    check(
        "top_influencers_by_roi names",
        [item["name"] for item in pinned["top_influencers_by_roi"]],
        [item.influencer.name for item in top],
    )
    for expected, item in zip(pinned["top_influencers_by_roi"], top, strict=False):
        name = item.influencer.name
        check_money(f"top_influencers_by_roi [{name}] cost", expected["cost"], item.results.cost)
        check_money(
            f"top_influencers_by_roi [{name}] revenue", expected["revenue"], item.results.revenue
        )

    assert not problems, (
        f"{len(problems)} dashboard numbers differ from before the rewrite:\n  "
        + "\n  ".join(problems)
    )
