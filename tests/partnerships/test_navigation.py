"""Getting around: the partnership page links its influencer and campaign, the influencer page
leads back to the roster with its filters, deliverables list newest first, owner pickers."""

from datetime import date, timedelta
from urllib.parse import quote

import pytest
from django.urls import reverse

from partnerships.models import Partnership
from tests.factories import (
    CampaignFactory,
    DeliverableFactory,
    InfluencerFactory,
    PartnershipFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db
ROSTER = reverse("influencers:influencer-list")
TODAY = date.today()


def test_the_partnership_page_links_its_influencer_and_campaign(admin_client, tiers):
    partnership = PartnershipFactory(
        influencer=InfluencerFactory(name="Ada Lovelace"), campaign=CampaignFactory(name="Spring")
    )
    html = admin_client.get(partnership.get_absolute_url()).content.decode()
    influencer = reverse("influencers:influencer-detail", args=[partnership.influencer_id])
    campaign = reverse("campaigns:campaign-detail", args=[partnership.campaign_id])
    assert f'<a href="{influencer}">Ada Lovelace</a>' in html
    assert f'<a href="{campaign}">Spring</a>' in html


def test_the_influencer_page_leads_back_to_the_filtered_roster(admin_client, tiers):
    ada = InfluencerFactory(name="Ada Lovelace", audience=20_000)
    query = "tier=2&q=ada&sort=-followers"
    roster = admin_client.get(f"{ROSTER}?{query}").content.decode()
    back = quote(f"{ROSTER}?{query}", safe="")
    link = reverse("influencers:influencer-detail", args=[ada.pk]) + f"?back={back}"
    assert f'href="{link}"' in roster.replace("&amp;", "&")

    page = admin_client.get(link).content.decode()
    assert f'href="{ROSTER}?tier=2&amp;q=ada&amp;sort=-followers" id="back-to-roster"' in page


@pytest.mark.parametrize(
    "back",
    ["https://evil.example/influencers/", "//evil.example/influencers/", "/partnerships/?x=1"],
)
def test_a_foreign_back_link_falls_back_to_the_plain_roster(admin_client, tiers, back):
    ada = InfluencerFactory(name="Ada Lovelace")
    url = reverse("influencers:influencer-detail", args=[ada.pk])
    page = admin_client.get(url, {"back": back}).content.decode()
    assert f'href="{ROSTER}" id="back-to-roster"' in page


def test_deliverables_list_newest_first(admin_client, tiers):
    partnership = PartnershipFactory(status=Partnership.Status.ACTIVE)
    old, new, middle = (
        DeliverableFactory(partnership=partnership, due_date=TODAY - timedelta(days=days))
        for days in (300, 1, 30)
    )
    listed = admin_client.get(reverse("partnerships:deliverable-list")).context["page_obj"]
    assert [d.pk for d in listed] == [new.pk, middle.pk, old.pk]
    page = admin_client.get(partnership.get_absolute_url())
    assert [d.pk for d in page.context["deliverables"]] == [new.pk, middle.pk, old.pk]


@pytest.mark.parametrize(
    ("url_name", "needs_pk"),
    [
        ("partnerships:partnership-create", False),
        ("campaigns:campaign-create", False),
        ("influencers:influencer-create", False),
    ],
)
def test_owner_pickers_offer_editors_by_name_and_default_to_me(
    client, role_user, tiers, url_name, needs_pk
):
    me = role_user("Marketer", username="mara", first_name="Mara", last_name="Marketer")
    role_user("Admin", username="ad", first_name="Ada", last_name="Admin")
    role_user("Marketer", username="nofullname")
    role_user("Viewer", username="vic", first_name="Vic", last_name="Viewer")
    UserFactory(username="nobody")  # no role at all
    client.force_login(me)
    form = client.get(reverse(url_name)).context["form"]
    labels = [label for _value, label in form.fields["owner"].choices if _value != ""]
    assert labels == ["nofullname", "Ada Admin", "Mara Marketer"]
    assert str(form["owner"].value()) == str(me.pk)
    html = client.get(reverse(url_name)).content.decode()
    assert f'<option value="{me.pk}" selected>Mara Marketer</option>' in html


def test_editing_keeps_an_owner_who_can_no_longer_edit(admin_client, role_user, tiers):
    viewer = role_user("Viewer", username="vic", first_name="Vic", last_name="Viewer")
    campaign = CampaignFactory(owner=viewer)
    form = admin_client.get(reverse("campaigns:campaign-update", args=[campaign.pk])).context[
        "form"
    ]
    assert "Vic Viewer" in [label for _value, label in form.fields["owner"].choices]


def test_owner_filters_show_full_names(admin_client, tiers):
    UserFactory(username="mmk", first_name="Mara", last_name="Marketer")
    for url in (reverse("partnerships:partnership-list"), ROSTER):
        html = admin_client.get(url).content.decode()
        assert ">Mara Marketer</option>" in html and ">mmk</option>" not in html
