from decimal import Decimal

import pytest

from campaigns.models import Campaign
from campaigns.selectors import campaign_list
from influencers.tiers import range_for, tier_ranges
from partnerships.campaign_selectors import (
    campaign_partnerships,
    campaign_summary,
    campaign_totals,
    with_totals,
)
from partnerships.models import Partnership
from tests.factories import CampaignFactory, TierFactory

pytestmark = pytest.mark.django_db
ONE_OFF = Partnership.CollaborationType.ONE_OFF
LONG_TERM = Partnership.CollaborationType.LONG_TERM


def test_committed_counts_signed_deals_and_count_leaves_out_declined_and_cancelled(spring):
    empty = CampaignFactory(name="Nothing yet", budget=Decimal("500"))
    totals = campaign_totals([spring["campaign"].pk, empty.pk])
    # 1,000 + 500 x 6: not the 2,000 still in negotiation, nor the declined 9,000.
    assert totals[spring["campaign"].pk].committed == Decimal("4000")
    assert totals[spring["campaign"].pk].partnership_count == 3  # not the declined 9,000 deal
    assert totals[empty.pk].committed == Decimal("0")
    assert totals[empty.pk].partnership_count == 0
    assert totals[empty.pk].tier_mix == []


def test_sortable_totals_agree_with_the_page_totals(spring):
    empty = CampaignFactory(name="Nothing yet", budget=Decimal("500"))
    rows = {c.pk: c for c in with_totals(campaign_list())}
    spring_row = rows[spring["campaign"].pk]
    assert (spring_row.committed, spring_row.left, spring_row.partnership_count) == (
        Decimal("4000"),
        Decimal("6000"),
        3,
    )
    assert (rows[empty.pk].committed, rows[empty.pk].left) == (Decimal("0"), Decimal("500"))


def test_left_goes_negative_when_over_budget(spring):
    Campaign.objects.filter(pk=spring["campaign"].pk).update(budget=Decimal("3000"))
    row = with_totals(campaign_list()).get(pk=spring["campaign"].pk)
    assert row.left == Decimal("-1000")


def test_tier_mix_counts_current_tiers_of_live_partnerships(spring, tiers):
    mix = campaign_totals([spring["campaign"].pk])[spring["campaign"].pk].tier_mix
    assert [(item.tier.name, item.count) for item in mix] == [("Nano", 1), ("Macro", 2)]


def test_tier_mix_follows_a_threshold_edit(spring, tiers):
    TierFactory(name="Mid-tier", min_followers=300_000)
    mix = campaign_totals([spring["campaign"].pk])[spring["campaign"].pk].tier_mix
    assert [(item.tier.name, item.count) for item in mix] == [
        ("Nano", 1),
        ("Macro", 1),
        ("Mid-tier", 1),
    ]


def test_summary_results_are_the_hand_computed_metrics(spring):
    summary = campaign_summary(spring["campaign"])
    results = summary.results
    assert summary.committed == Decimal("4000")  # signed: 1,000 + 3,000
    assert summary.pipeline == Decimal("2000")  # in negotiation: not cost
    assert summary.partnership_count == 3
    # Only signed deals' deliverables: not the negotiation's nor the declined deal's.
    assert results.deliverables == 2
    assert results.impressions == 70_000
    assert results.engagements == 3_400  # 400 + 3,000
    assert results.followers == 400_500  # 500 + 400,000: followers once per deliverable
    assert results.engagement_rate == Decimal("0.85")  # 3,400 / 400,500 x 100
    assert results.cpm == Decimal("57.14")  # 4000 / 70000 x 1000
    assert results.cpe == Decimal("1.18")  # 4000 / 3400
    assert results.cpc == Decimal("5.71")  # 4000 / 700 clicks
    assert results.cpa == Decimal("210.53")  # 4000 / 19 conversions
    assert results.roas == Decimal("1.65")  # 6600 / 4000
    assert results.roi == Decimal("65.00")  # (6600 - 4000) / 4000 x 100


def test_summary_splits_long_term_and_one_off(spring):
    summary = campaign_summary(spring["campaign"])
    one_off, long_term = summary.by_type[ONE_OFF], summary.by_type[LONG_TERM]
    assert summary.type_counts == {ONE_OFF: 2, LONG_TERM: 1}
    assert one_off.cost == Decimal("1000")  # the signed one-off only
    assert one_off.engagements == 400
    assert one_off.cpe == Decimal("2.50")  # 1000 / 400
    assert one_off.roi == Decimal("-40.00")  # (600 - 1000) / 1000 x 100
    assert long_term.cost == Decimal("3000")
    assert long_term.cpe == Decimal("1.00")  # 3000 / 3000
    assert long_term.roi == Decimal("100.00")  # (6000 - 3000) / 3000 x 100


def test_summary_of_a_campaign_without_deliverables_shows_dashes(tiers):
    summary = campaign_summary(CampaignFactory())
    assert summary.committed == 0
    assert summary.results.cpe is None and summary.results.roi is None
    assert summary.by_type[LONG_TERM].cpm is None
    assert summary.tiers == []


def test_summary_groups_partnerships_by_tier(spring):
    summary = campaign_summary(spring["campaign"])
    assert [(g.tier.name, g.count, g.committed) for g in summary.tiers] == [
        ("Nano", 1, Decimal("1000")),
        ("Macro", 2, Decimal("3000")),  # two live deals, one signed
    ]


def test_partnership_rows_come_grouped_by_tier_biggest_first(spring, tiers):
    rows = list(campaign_partnerships(spring["campaign"]))
    assert [(p.influencer.name, p.tier_name) for p in rows] == [
        ("Mo Mega", "Mega"),
        ("Mia Macro", "Macro"),
        ("Max Macro", "Macro"),
        ("Nina Nano", "Nano"),
    ]
    macro = range_for(tiers["Macro"], tier_ranges())
    only_macro = campaign_partnerships(spring["campaign"], tier_range=macro)
    assert [p.influencer.name for p in only_macro] == ["Mia Macro", "Max Macro"]
