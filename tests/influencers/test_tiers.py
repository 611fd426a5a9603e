import pytest

from influencers.models import Influencer, SocialAccount, Tier
from influencers.tiers import count_by_tier, range_of, tier_for_followers, tier_ranges
from tests.factories import InfluencerFactory

pytestmark = pytest.mark.django_db


def tier_names(queryset=None):
    queryset = Influencer.objects.all() if queryset is None else queryset
    return dict(queryset.with_tier().values_list("name", "tier_name"))


def test_boundaries_exactly_at_and_one_below_a_threshold(tiers):
    InfluencerFactory(name="at-micro", audience=1_000)
    InfluencerFactory(name="below-micro", audience=999)
    InfluencerFactory(name="at-mega", audience=1_000_000)
    InfluencerFactory(name="below-mega", audience=999_999)
    assert tier_names() == {
        "at-micro": "Micro",
        "below-micro": "Nano",
        "at-mega": "Mega",
        "below-mega": "Macro",
    }
    assert tier_for_followers(1_000) == tiers["Micro"]
    assert tier_for_followers(999) == tiers["Nano"]


def test_the_cached_ranges_give_each_count_the_tier_the_database_gives(tiers):
    """Pages that hold follower counts read the tier from the cached ranges; it must be the
    database's answer at every threshold, one below it, and below the lowest tier."""
    Tier.objects.filter(pk=tiers["Nano"].pk).update(min_followers=10)  # room below the lowest
    for followers in (0, 9, 10, 11, 999, 1_000, 1_001, 99_999, 100_000, 999_999, 1_000_000, 10**12):
        found = range_of(followers)
        assert (found.tier if found else None) == tier_for_followers(followers), followers


def test_filter_by_tier_is_a_followers_range(tiers):
    InfluencerFactory(name="a", audience=999)
    InfluencerFactory(name="b", audience=1_000)
    InfluencerFactory(name="c", audience=99_999)
    InfluencerFactory(name="d", audience=100_000)
    micro = Influencer.objects.in_tier(tiers["Micro"])
    assert sorted(micro.values_list("name", flat=True)) == ["b", "c"]
    sql = str(micro.query)
    assert '"followers" >= 1000' in sql and '"followers" < 100000' in sql


def test_admin_edit_of_a_threshold_retiers_everyone_at_once(tiers):
    InfluencerFactory(name="small", audience=3_000)
    InfluencerFactory(name="smaller", audience=1_500)
    assert set(tier_names().values()) == {"Micro"}
    micro = tiers["Micro"]
    micro.min_followers = 2_000
    micro.save()
    assert tier_names() == {"small": "Micro", "smaller": "Nano"}
    assert [n for _, n in count_by_tier(Influencer.objects.all())[0]] == [1, 1, 0, 0]


def test_influencer_without_accounts_is_in_the_lowest_tier(tiers):
    InfluencerFactory(name="nobody")
    assert tier_names() == {"nobody": "Nano"}


def test_below_every_tier_has_no_tier(tiers):
    Tier.objects.filter(min_followers=0).delete()
    InfluencerFactory(name="tiny", audience=10)
    assert tier_names() == {"tiny": None}


def test_custom_extra_tier_takes_its_band(tiers):
    Tier.objects.create(name="Mid-tier", min_followers=50_000)
    InfluencerFactory(name="mid", audience=60_000)
    InfluencerFactory(name="micro", audience=40_000)
    assert tier_names() == {"mid": "Mid-tier", "micro": "Micro"}
    labels = {r.tier.name: r.label for r in tier_ranges()}
    assert labels["Micro"] == "1,000 - 49,999"
    assert labels["Mid-tier"] == "50,000 - 99,999"
    assert labels["Mega"] == "1,000,000+"


def test_count_by_tier_uses_two_queries(tiers, count_queries):
    for followers in (10, 2_000, 3_000, 200_000):
        InfluencerFactory(audience=followers)
    (result, total), queries = count_queries(lambda: count_by_tier(Influencer.objects.all()))
    assert [(r.tier.name, n) for r, n in result] == [
        ("Nano", 1),
        ("Micro", 2),
        ("Macro", 1),
        ("Mega", 0),
    ]
    assert total == 4
    assert queries == 2


def test_counts_of_a_filtered_queryset_by_a_related_count(tiers):
    """Below the lowest tier counts in the total only; any follower field can be counted."""
    Tier.objects.filter(pk=tiers["Nano"].pk).update(min_followers=100)
    InfluencerFactory(name="tiny", audience=10)
    InfluencerFactory(name="micro", audience=5_000)
    InfluencerFactory(name="mega", audience=2_000_000)
    pairs, total = count_by_tier(Influencer.objects.exclude(name="mega"))
    assert [n for _, n in pairs] == [0, 1, 0, 0] and total == 2
    accounts = SocialAccount.objects.filter(influencer__name__in=["micro", "mega"])
    pairs, total = count_by_tier(accounts, field="influencer__followers")
    assert [n for _, n in pairs] == [0, 1, 0, 1] and total == 2
