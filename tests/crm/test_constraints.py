"""Every rule that can be a database constraint is one: a raw .create() cannot break it."""

from datetime import date
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from campaigns.models import Campaign
from influencers.models import Influencer, Niche, SocialAccount, Tier
from partnerships.models import Deliverable, Partnership
from tests.factories import CampaignFactory, InfluencerFactory, PartnershipFactory

pytestmark = pytest.mark.django_db


def refused(model, **fields):
    with pytest.raises(IntegrityError), transaction.atomic():
        model.objects.create(**fields)


def test_influencer_followers_and_engagement_rate_are_bounded():
    refused(Influencer, name="Neg", followers=-1)
    refused(Influencer, name="High ER", engagement_rate=Decimal("100.01"))
    refused(Influencer, name="Low ER", engagement_rate=Decimal("-0.01"))
    refused(Influencer, name="Bad status", status="vip")


def test_social_account_rules():
    influencer = InfluencerFactory()
    other = InfluencerFactory()
    base = {"platform": "instagram", "followers": 10}
    SocialAccount.objects.create(influencer=influencer, handle="Sunny", **base)
    # One handle per platform, whatever the case.
    refused(SocialAccount, influencer=other, handle="sunny", **base)
    # The same handle on another platform is someone's right.
    SocialAccount.objects.create(influencer=other, handle="sunny", platform="tiktok")
    refused(SocialAccount, influencer=other, handle="neg", platform="x", followers=-5)
    refused(
        SocialAccount, influencer=other, handle="er", platform="x", engagement_rate=Decimal("101")
    )
    refused(SocialAccount, influencer=other, handle="p", platform="myspace")
    refused(SocialAccount, influencer=other, handle="", platform="youtube")


def test_one_primary_account_per_influencer():
    influencer = InfluencerFactory()
    SocialAccount.objects.create(influencer=influencer, platform="x", handle="a", is_primary=True)
    refused(SocialAccount, influencer=influencer, platform="tiktok", handle="b", is_primary=True)


def test_tier_thresholds_and_names_are_unique():
    Tier.objects.create(name="Mid-tier", min_followers=50_000)
    refused(Tier, name="Another", min_followers=50_000)
    refused(Tier, name="mid-TIER", min_followers=60_000)
    refused(Tier, name="Below zero", min_followers=-1)
    refused(Tier, name="Bad colour", min_followers=70_000, color="red")


def test_niche_names_unique_case_insensitive():
    Niche.objects.create(name="Pets", slug="pets")
    refused(Niche, name="PETS", slug="pets-2")


def test_campaign_money_and_dates():
    refused(
        Campaign, name="C", objective="awareness", start_date=date(2026, 1, 1), budget=Decimal("-1")
    )
    refused(
        Campaign,
        name="C",
        objective="awareness",
        start_date=date(2026, 2, 1),
        end_date=date(2026, 1, 1),
    )
    refused(Campaign, name="C", objective="fame", start_date=date(2026, 1, 1))


def test_partnership_type_rules():
    influencer = InfluencerFactory()
    campaign = CampaignFactory()
    # A one-off needs a campaign and a fee.
    refused(Partnership, influencer=influencer, campaign=campaign, collaboration_type="one_off")
    refused(Partnership, influencer=influencer, collaboration_type="one_off", fee=Decimal("10"))
    # A long-term needs a retainer and a term.
    refused(
        Partnership,
        influencer=influencer,
        collaboration_type="long_term",
        start_date=date(2026, 1, 1),
        end_date=date(2026, 6, 30),
    )
    refused(
        Partnership,
        influencer=influencer,
        collaboration_type="long_term",
        monthly_retainer=Decimal("100"),
        start_date=date(2026, 1, 1),
    )
    # End before start.
    refused(
        Partnership,
        influencer=influencer,
        collaboration_type="long_term",
        monthly_retainer=Decimal("100"),
        start_date=date(2026, 6, 1),
        end_date=date(2026, 1, 1),
    )
    # Money is never negative.
    refused(
        Partnership,
        influencer=influencer,
        campaign=campaign,
        collaboration_type="one_off",
        fee=Decimal("-1"),
    )
    refused(
        Partnership,
        influencer=influencer,
        collaboration_type="long_term",
        monthly_retainer=Decimal("-1"),
        start_date=date(2026, 1, 1),
        end_date=date(2026, 2, 1),
    )
    refused(
        Partnership,
        influencer=influencer,
        campaign=campaign,
        collaboration_type="barter",
        fee=Decimal("1"),
    )


def test_one_open_partnership_per_influencer_and_campaign():
    first = PartnershipFactory()
    refused(
        Partnership,
        influencer=first.influencer,
        campaign=first.campaign,
        collaboration_type="one_off",
        fee=Decimal("5"),
    )
    # Once the first is closed, a new deal is allowed.
    Partnership.objects.filter(pk=first.pk).update(status="completed")
    Partnership.objects.create(
        influencer=first.influencer,
        campaign=first.campaign,
        collaboration_type="one_off",
        fee=Decimal("5"),
    )


def test_deliverable_rules():
    partnership = PartnershipFactory()
    base = {"partnership": partnership, "platform": "instagram"}
    refused(Deliverable, likes=-1, **base)
    refused(Deliverable, revenue=Decimal("-0.01"), **base)
    refused(Deliverable, impressions=10, reach=11, **base)
    refused(Deliverable, status="published", url="https://x.example/p", **base)
    refused(Deliverable, status="published", published_on=date(2026, 1, 1), **base)
    refused(Deliverable, kind="tweetstorm", **base)
    Deliverable.objects.create(
        status="published",
        published_on=date(2026, 1, 1),
        url="https://x.example/p",
        impressions=10,
        reach=10,
        **base,
    )
