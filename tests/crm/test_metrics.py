from decimal import Decimal

from crm.metrics import Results, ratio


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
