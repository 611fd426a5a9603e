"""Hostile text typed into names, handles, notes, niche and tier names, campaign names and
deliverable URLs is shown as text everywhere: no script runs, no dialog opens."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from crm import roles
from crm.roles import user_assign_role
from influencers.models import Niche, Tier
from influencers.services import social_account_create
from partnerships.models import Partnership
from tests.factories import (
    CampaignFactory,
    DeliverableFactory,
    InfluencerFactory,
    PartnershipFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db(transaction=True)

SCRIPT = "<script>alert('xss-script')</script>"
IMG = '"><img src=x onerror=alert("xss-img")>'


def hostile(label):
    return f"{label} {SCRIPT}{IMG}"


# Tier names are varchar(50) and niche names varchar(60): too narrow for both payloads at once,
# so each gets two records, one per payload.
def hostile_script(label):
    return f"{label} {SCRIPT}"


def hostile_img(label):
    return f"{label} {IMG}"


@pytest.fixture
def hostile_data(tiers):
    tier = Tier.objects.create(
        name=hostile_script("Tier"), min_followers=5_000_000, color="#aa0000"
    )
    Tier.objects.create(name=hostile_img("Tier2"), min_followers=8_000_000, color="#00aa00")
    niche = Niche.objects.create(name=hostile_script("Niche"), slug="hostile-niche")
    niche_img = Niche.objects.create(name=hostile_img("Niche2"), slug="hostile-niche-img")
    influencer = InfluencerFactory(
        name=hostile("Influencer"),
        notes=hostile("Notes"),
        city=hostile("City"),
        niches=[niche, niche_img],
    )
    social_account_create(
        influencer=influencer,
        platform="instagram",
        handle=hostile("handle"),
        followers=6_000_000,
    )
    campaign = CampaignFactory(name=hostile("Campaign"), description=hostile("Brief"))
    partnership = PartnershipFactory(
        influencer=influencer,
        campaign=campaign,
        status=Partnership.Status.ACTIVE,
        terms=hostile("Terms"),
    )
    DeliverableFactory(partnership=partnership, impressions=1000, reach=500, likes=50)
    return {
        "tier": tier,
        "influencer": influencer,
        "campaign": campaign,
        "partnership": partnership,
    }


def test_hostile_names_are_shown_as_text_and_no_dialog_fires(
    page, live_server, login, hostile_data
):
    user_assign_role(
        user=UserFactory(username="ada", is_superuser=True, is_staff=True), role=roles.ADMIN
    )
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    login("ada", "correct-horse-battery")

    influencer = hostile_data["influencer"]
    campaign = hostile_data["campaign"]
    partnership = hostile_data["partnership"]
    pages = {
        reverse("home"): "Campaign",
        reverse("influencers:influencer-list"): "Influencer",
        reverse("influencers:influencer-detail", args=[influencer.pk]): "Notes",
        reverse("campaigns:campaign-list"): "Campaign",
        reverse("campaigns:campaign-detail", args=[campaign.pk]): "Campaign",
        reverse("partnerships:partnership-list"): "Influencer",
        reverse("partnerships:partnership-board"): "Influencer",
        reverse("partnerships:partnership-detail", args=[partnership.pk]): "Terms",
        reverse("reports:tier-comparison"): "Tier",
        reverse("admin:influencers_influencer_changelist"): "Influencer",
        reverse("admin:influencers_tier_changelist"): "Tier",
        reverse("admin:influencers_niche_changelist"): "Niche",
        reverse("admin:campaigns_campaign_changelist"): "Campaign",
    }
    # Where the second tier or niche (the attribute-breakout payload) shows as well.
    img_labels = {
        reverse("influencers:influencer-detail", args=[influencer.pk]): "Niche2",
        reverse("reports:tier-comparison"): "Tier2",
        reverse("admin:influencers_tier_changelist"): "Tier2",
        reverse("admin:influencers_niche_changelist"): "Niche2",
    }
    for path, label in pages.items():
        page.goto(f"{live_server.url}{path}")
        # The payload is on the page as visible text, i.e. escaped, not parsed as markup.
        expect(page.locator("body")).to_contain_text(f"{label} <script>alert('xss-script')")
        if path in img_labels:
            expect(page.locator("body")).to_contain_text(f"{img_labels[path]} {IMG}")
        assert page.locator("img[src='x']").count() == 0, path
    # The chart labels are user-typed tier names: drawn as text on the canvas, never markup.
    page.goto(f"{live_server.url}{reverse('reports:tier-comparison')}")
    page.wait_for_timeout(300)
    assert dialogs == []
