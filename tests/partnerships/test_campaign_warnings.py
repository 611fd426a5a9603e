"""Warnings, not walls: a deal going into a cancelled, ended or over-budget campaign is saved
only once "Save anyway" is ticked; the campaign picker says each campaign's status."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse

from campaigns.models import Campaign
from partnerships.models import Partnership
from tests.factories import CampaignFactory, InfluencerFactory, PartnershipFactory

pytestmark = pytest.mark.django_db
CREATE = reverse("partnerships:partnership-create")
TODAY = date.today()


def one_off(influencer, campaign, **extra):
    return {
        "collaboration_type": "one_off",
        "influencer": influencer.pk,
        "campaign": campaign.pk,
        "status": "contracted",
        "fee": "1500",
        "due_date": (TODAY + timedelta(days=20)).isoformat(),
        "renewal_reminder_days": "30",
        **extra,
    }


@pytest.fixture
def ada(tiers):
    return InfluencerFactory(name="Ada Lovelace", audience=20_000)


@pytest.mark.parametrize(
    ("campaign_kwargs", "warning"),
    [
        ({"status": Campaign.Status.CANCELLED}, "Old spring is cancelled."),
        (
            {"start_date": date(2026, 1, 1), "end_date": date(2026, 3, 3)},
            "Old spring ended on 3 Mar 2026.",
        ),
        (
            {"budget": Decimal("2000")},
            "Signed spend EUR 1,000.00 plus this deal at EUR 1,500.00 comes to EUR 2,500.00, over "
            "the budget of EUR 2,000.00 (125% of it).",
        ),
    ],
)
def test_a_risky_campaign_warns_and_saves_only_when_confirmed(
    admin_client, ada, campaign_kwargs, warning
):
    if "end_date" in campaign_kwargs and campaign_kwargs["end_date"] >= TODAY:
        pytest.skip("the machine's clock is before the ended campaign's end")
    campaign = CampaignFactory(name="Old spring", **campaign_kwargs)
    PartnershipFactory(campaign=campaign, fee=Decimal("1000"), status="active")
    response = admin_client.post(CREATE, one_off(ada, campaign))
    html = response.content.decode()
    assert response.status_code == 200
    assert warning in html and "Save anyway" in html
    assert not Partnership.objects.filter(influencer=ada).exists()

    response = admin_client.post(CREATE, one_off(ada, campaign, confirm_campaign="on"))
    assert response.status_code == 302
    assert Partnership.objects.get(influencer=ada).campaign == campaign
    # A healthy campaign takes the same deal at once.
    grace = InfluencerFactory(name="Grace Hopper")
    assert admin_client.post(CREATE, one_off(grace, CampaignFactory())).status_code == 302


def test_an_edit_warns_when_it_moves_the_deal_or_makes_it_dearer(admin_client, ada):
    cancelled = CampaignFactory(name="Gone", status=Campaign.Status.CANCELLED, budget=5000)
    deal = PartnershipFactory(influencer=ada, campaign=cancelled, fee=Decimal("1000"))
    edit = reverse("partnerships:partnership-update", args=[deal.pk])
    data = {
        "collaboration_type": "one_off",
        "campaign": cancelled.pk,
        "fee": "1200",
        "due_date": (TODAY + timedelta(days=20)).isoformat(),
        "renewal_reminder_days": "30",
        "version": deal.version,
    }
    # Staying in the campaign, under budget: no repeat of the "cancelled" warning.
    assert admin_client.post(edit, data).status_code == 302
    deal.refresh_from_db()
    other = CampaignFactory(name="Tight", budget=Decimal("1000"))
    response = admin_client.post(edit, {**data, "campaign": other.pk, "version": deal.version})
    assert "over the budget of EUR 1,000.00" in response.content.decode()
    deal.refresh_from_db()
    assert deal.campaign == cancelled


def test_the_campaign_picker_shows_status_and_when_it_ended(admin_client, ada):
    CampaignFactory(name="Live one")
    CampaignFactory(name="Called off", status=Campaign.Status.CANCELLED)
    ended = CampaignFactory(
        name="Past one",
        start_date=TODAY - timedelta(days=90),
        end_date=TODAY - timedelta(days=10),
    )
    html = admin_client.get(CREATE).content.decode()
    assert "Live one (Active)</option>" in html
    assert "Called off (Cancelled)</option>" in html
    end = ended.end_date
    assert f"Past one (Active, ended {end.day} {end:%b %Y})</option>" in html


def test_renewing_into_a_cancelled_campaign_warns_on_the_confirmation(admin_client, tiers):
    campaign = CampaignFactory(name="Called off", status=Campaign.Status.CANCELLED)
    current = PartnershipFactory(
        collaboration_type="long_term", campaign=campaign, status=Partnership.Status.ACTIVE
    )
    html = admin_client.get(
        reverse("partnerships:partnership-renew", args=[current.pk])
    ).content.decode()
    assert "Called off is cancelled." in html and "Renew anyway" in html
