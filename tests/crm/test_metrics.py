from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from crm.metrics import LABELS, Results, difference, follower_basis, ratio, times
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


def test_results_of_a_deal_not_signed_show_dashes_everywhere():
    """Measured deliverables of a deal still in the pipeline: no cost, and no ratio at all."""
    pipeline = Results(
        impressions=10_000, reach=8_000, likes=500, revenue=Decimal("900"), followers=5_000,
        deliverables=1, signed=False,
    )  # fmt: skip
    for name in ("engagement_rate", "engagement_rate_by_reach", "cpm", "cpe", "roas", "roi"):
        assert getattr(pipeline, name) is None, name
    assert pipeline.engagements == 500  # the counts themselves stay


def test_engagement_rate_by_followers_counts_followers_once_per_deliverable():
    # Three posts to 10,000 followers with 600 engagements in all: 2% a post, not 6%.
    results = Results(likes=600, followers=follower_basis(10_000, 3), deliverables=3)
    assert results.engagement_rate == Decimal("2.00")
    assert follower_basis(10_000, 0) == 0
    assert Results(likes=0, followers=follower_basis(10_000, 0)).engagement_rate is None


def test_every_engagement_rate_label_names_its_basis():
    assert LABELS["engagement_rate"] == "Engagement rate (by followers)"
    assert LABELS["engagement_rate_by_reach"] == "Engagement rate (by reach)"


def test_difference_and_ratio_between_two_figures():
    assert difference(Decimal("12.50"), Decimal("10")) == Decimal("2.50")
    assert difference(None, Decimal("1")) is None
    assert times(Decimal("15"), Decimal("10")) == Decimal("1.50")
    assert times(Decimal("5"), 0) is None  # nothing to divide by
    assert times(Decimal("-20"), Decimal("10")) is None  # a loss against a gain reads nothing
    assert times(None, Decimal("10")) is None


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


@given(st.integers(min_value=-(10**13), max_value=10**13))
def test_compact_reads_the_same_whatever_the_number_type(count):
    """A count from the ORM is an int, a sum from raw SQL may be a Decimal or a float."""
    assert compact(count) == compact(Decimal(count)) == compact(float(count))
