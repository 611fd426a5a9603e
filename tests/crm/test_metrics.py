from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from crm.metrics import Results, ratio
from crm.templatetags.crm_tags import compact


def test_every_metric_from_hand_computed_totals():
    results = Results(
        cost=Decimal("500"),
        impressions=20_000,
        reach=10_000,
        likes=800,
        comments=100,
        shares=50,
        saves=50,
        clicks=250,
        conversions=10,
        revenue=Decimal("1250"),
        followers=25_000,
        deliverables=4,
    )
    assert results.engagements == 1_000
    assert results.engagement_rate == Decimal("4.00")  # 1000 / 25000 x 100
    assert results.engagement_rate_by_reach == Decimal("10.00")  # 1000 / 10000 x 100
    assert results.cpm == Decimal("25.00")  # 500 / 20000 x 1000
    assert results.cpe == Decimal("0.50")
    assert results.cpc == Decimal("2.00")
    assert results.cpa == Decimal("50.00")
    assert results.roas == Decimal("2.50")
    assert results.roi == Decimal("150.00")  # (1250 - 500) / 500 x 100
    assert results.cost_per_deliverable == Decimal("125.00")


def test_zero_denominators_are_none_not_zero():
    results = Results(cost=Decimal("0"))
    for name in (
        "engagement_rate",
        "engagement_rate_by_reach",
        "cpm",
        "cpe",
        "cpc",
        "cpa",
        "roas",
        "roi",
        "cost_per_deliverable",
    ):
        assert getattr(results, name) is None, name
    assert ratio(5, 0) is None and ratio(None, 5) is None


def test_negative_roi_when_revenue_is_below_cost():
    assert Results(cost=Decimal("200"), revenue=Decimal("50")).roi == Decimal("-75.00")


# --- Follower counts at a glance (crm_tags.compact) ---------------------------------------------

DEFAULT_THRESHOLDS = (1_000, 100_000, 1_000_000)  # Micro, Macro, Mega (Nano starts at 0)
SUFFIXES = {"K": 10**3, "M": 10**6, "B": 10**9}


def shown(text):
    """The number a reader takes from an abbreviation: "99.9K" -> 99,900."""
    if text[-1] in SUFFIXES:
        return Decimal(text[:-1]) * SUFFIXES[text[-1]]
    return Decimal(text)


@pytest.mark.parametrize(
    ("followers", "text"),
    [
        (0, "0"),
        (999, "999"),
        (1_000, "1K"),
        (12_345, "12.3K"),
        (99_999, "99.9K"),  # was "100K" beside a Micro badge
        (100_000, "100K"),
        (999_999, "999.9K"),  # was "1000K"
        (1_000_000, "1M"),
        (1_234_567, "1.2M"),
        (1_999_999_999, "1.9B"),
    ],
)
def test_compact_abbreviates_without_rounding_up(followers, text):
    assert compact(followers) == text


@given(st.integers(min_value=0, max_value=10**12))
def test_compact_never_shows_more_than_the_count(followers):
    assert shown(compact(followers)) <= followers


@given(st.integers(min_value=0, max_value=10**8), st.sampled_from(DEFAULT_THRESHOLDS))
def test_compact_never_crosses_a_default_tier_boundary(followers, threshold):
    """Below a threshold, the abbreviation reads below the threshold's own abbreviation."""
    if followers < threshold:
        assert shown(compact(followers)) < shown(compact(threshold))
    else:
        assert shown(compact(followers)) >= shown(compact(threshold))
