from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from influencers.models import Influencer
from influencers.services import (
    influencers_recompute_audience,
    social_account_create,
    social_account_delete,
    social_account_update,
)
from tests.factories import InfluencerFactory

pytestmark = pytest.mark.django_db


def test_adding_accounts_sums_followers_and_weights_engagement():
    influencer = InfluencerFactory()
    social_account_create(
        influencer=influencer,
        platform="instagram",
        handle="a",
        followers=1_000,
        engagement_rate=Decimal("10"),
    )
    social_account_create(
        influencer=influencer,
        platform="tiktok",
        handle="b",
        followers=3_000,
        engagement_rate=Decimal("2"),
    )
    influencer.refresh_from_db()
    assert influencer.followers == 4_000
    # (1000 x 10 + 3000 x 2) / 4000 = 4.00
    assert influencer.engagement_rate == Decimal("4.00")


def test_changing_and_removing_accounts_keeps_totals_in_step():
    influencer = InfluencerFactory()
    first = social_account_create(
        influencer=influencer,
        platform="instagram",
        handle="a",
        followers=1_000,
        engagement_rate=Decimal("10"),
    )
    second = social_account_create(
        influencer=influencer,
        platform="youtube",
        handle="b",
        followers=1_000,
        engagement_rate=Decimal("0"),
    )
    social_account_update(account=second, followers=9_000)
    influencer.refresh_from_db()
    assert (influencer.followers, influencer.engagement_rate) == (10_000, Decimal("1.00"))
    social_account_delete(account=second)
    influencer.refresh_from_db()
    assert (influencer.followers, influencer.engagement_rate) == (1_000, Decimal("10.00"))
    social_account_delete(account=first)
    influencer.refresh_from_db()
    assert (influencer.followers, influencer.engagement_rate) == (0, Decimal("0"))


def test_accounts_with_zero_followers_give_zero_rate_not_an_error():
    influencer = InfluencerFactory()
    social_account_create(
        influencer=influencer, platform="x", handle="z", followers=0, engagement_rate=Decimal("5")
    )
    influencer.refresh_from_db()
    assert (influencer.followers, influencer.engagement_rate) == (0, Decimal("0"))


def test_first_account_becomes_primary_and_handles_lose_their_at_sign():
    influencer = InfluencerFactory()
    account = social_account_create(influencer=influencer, platform="x", handle="@Sunny ")
    assert account.is_primary and account.handle == "Sunny"


def test_duplicate_handle_is_a_validation_error_not_a_crash():
    social_account_create(influencer=InfluencerFactory(), platform="x", handle="taken")
    with pytest.raises(ValidationError):
        social_account_create(influencer=InfluencerFactory(), platform="x", handle="TAKEN")


def test_bulk_recompute_is_a_fixed_number_of_statements(count_queries):
    influencers = [InfluencerFactory(audience=100 * (i + 1)) for i in range(5)]
    Influencer.objects.update(followers=0)
    _, queries = count_queries(influencers_recompute_audience)
    assert sorted(Influencer.objects.values_list("followers", flat=True)) == [
        100 * (i + 1) for i in range(len(influencers))
    ]
    # The UPDATE, then the niche members' and the report rows' rewrites and the month, quarter
    # and day rows' copies and previous days: whatever the number of influencers.
    influencers += [InfluencerFactory(audience=7) for _ in range(15)]
    Influencer.objects.update(followers=0)
    _, more = count_queries(influencers_recompute_audience)
    assert more == queries <= 16
    assert Influencer.objects.filter(followers=7).count() == 15
