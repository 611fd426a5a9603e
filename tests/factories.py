"""Shared factories. Writes go through the services, so derived fields (audience totals, contract
value, tier at signing) are what the app itself would store."""

from datetime import date, timedelta
from decimal import Decimal

import factory
from django.contrib.auth import get_user_model
from factory.django import DjangoModelFactory

from campaigns.models import Campaign
from influencers.models import Influencer, Niche, Tier
from influencers.services import social_account_create
from partnerships.models import Deliverable, Partnership
from partnerships.services import partnership_create


class UserFactory(DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.com")
    password = factory.PostGenerationMethodCall("set_password", "correct-horse-battery")

    @factory.post_generation
    def save_password(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class TierFactory(DjangoModelFactory):
    class Meta:
        model = Tier
        django_get_or_create = ("min_followers",)

    name = factory.Sequence(lambda n: f"Tier {n}")
    min_followers = factory.Sequence(lambda n: 10_000_000 + n)


class NicheFactory(DjangoModelFactory):
    class Meta:
        model = Niche
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Niche {n}")
    slug = factory.Sequence(lambda n: f"niche-{n}")


class InfluencerFactory(DjangoModelFactory):
    """``InfluencerFactory(audience=5000)`` adds one primary account with 5,000 followers."""

    class Meta:
        model = Influencer
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Influencer {n}")
    email = factory.Sequence(lambda n: f"influencer{n}@example.com")
    country = "United Kingdom"
    city = "London"

    @factory.post_generation
    def audience(obj, create, extracted, **kwargs):
        if create and extracted is not None:
            social_account_create(
                influencer=obj,
                platform=kwargs.get("platform", "instagram"),
                handle=kwargs.get("handle", f"handle{obj.pk}"),
                followers=extracted,
                engagement_rate=kwargs.get("engagement_rate", Decimal("3")),
            )

    @factory.post_generation
    def niches(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.niches.set(extracted)


class CampaignFactory(DjangoModelFactory):
    class Meta:
        model = Campaign
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Campaign {n}")
    objective = Campaign.Objective.AWARENESS
    status = Campaign.Status.ACTIVE
    start_date = factory.LazyFunction(lambda: date.today() - timedelta(days=30))
    end_date = factory.LazyFunction(lambda: date.today() + timedelta(days=60))
    budget = Decimal("10000")


class PartnershipFactory(DjangoModelFactory):
    """One-off by default; pass collaboration_type="long_term" with its terms for a retainer."""

    class Meta:
        model = Partnership

    influencer = factory.SubFactory(InfluencerFactory, audience=5000)
    campaign = factory.SubFactory(CampaignFactory)
    collaboration_type = Partnership.CollaborationType.ONE_OFF
    status = Partnership.Status.PROSPECT
    fee = Decimal("1000")

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        if kwargs.get("collaboration_type") == Partnership.CollaborationType.LONG_TERM:
            kwargs.setdefault("monthly_retainer", Decimal("500"))
            kwargs.setdefault("start_date", date.today() - timedelta(days=30))
            kwargs.setdefault("end_date", date.today() + timedelta(days=150))
            if kwargs.get("fee") == Decimal("1000"):
                kwargs["fee"] = None
        return partnership_create(**kwargs)


class DeliverableFactory(DjangoModelFactory):
    class Meta:
        model = Deliverable

    partnership = factory.SubFactory(PartnershipFactory, status=Partnership.Status.ACTIVE)
    kind = Deliverable.Kind.POST
    platform = "instagram"
    due_date = factory.LazyFunction(date.today)


def published_deliverable(partnership, platform, published_on, **results):
    """A deliverable published on ``published_on`` with the given results."""
    return DeliverableFactory(
        partnership=partnership,
        platform=platform,
        status="published",
        published_on=published_on,
        due_date=published_on,
        url="https://example.com/post",
        **results,
    )
