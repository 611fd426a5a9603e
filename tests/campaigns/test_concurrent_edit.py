"""Two people edit the same campaign (web form or admin): the second save is refused (409), shows
what the first saved, and the database keeps the first user's data; saving again after seeing it
replaces it on purpose."""

from decimal import Decimal

import pytest
from django.urls import reverse

from campaigns.models import Campaign
from campaigns.services import campaign_update
from crm.concurrency import EditConflict
from tests.factories import CampaignFactory, NicheFactory
from tests.form_data import admin_form_post_data, form_post_data

pytestmark = pytest.mark.django_db


def edit_url(campaign):
    return reverse("campaigns:campaign-update", args=[campaign.pk])


def admin_url(campaign):
    return reverse("admin:campaigns_campaign_change", args=[campaign.pk])


def load(client, campaign):
    response = client.get(edit_url(campaign))
    assert response.status_code == 200
    assert 'name="version"' in response.content.decode()
    return form_post_data(response.context["form"])


def admin_load(client, campaign):
    response = client.get(admin_url(campaign))
    assert response.status_code == 200
    assert 'name="version"' in response.content.decode()
    return admin_form_post_data(response)


def test_the_second_tab_is_refused_and_shown_the_first_users_values(admin_client, tiers):
    campaign = CampaignFactory(name="Spring launch", budget=Decimal("10000"))
    beauty = NicheFactory(name="Beauty", slug="beauty")
    first_tab, second_tab = load(admin_client, campaign), load(admin_client, campaign)
    assert first_tab["version"] == "1"

    first_tab.update(budget="12000.00", target_niches=[str(beauty.pk)])
    assert admin_client.post(edit_url(campaign), first_tab).status_code == 302

    response = admin_client.post(edit_url(campaign), {**second_tab, "name": "Spring relaunch"})
    assert response.status_code == 409
    page = response.content.decode()
    assert "Someone else saved this record after you opened it" in page
    assert 'id="edit-conflict"' in page and "Saved by someone else" in page
    assert dict(response.context["conflict_rows"]) == {
        "Name": "Spring launch",
        "Budget": Decimal("12000.00"),
        "Target niches": "Beauty",
    }
    assert response.context["form"]["name"].value() == "Spring relaunch"  # their typing stays

    campaign.refresh_from_db()
    assert (campaign.name, campaign.budget, campaign.version) == (
        "Spring launch",
        Decimal("12000.00"),
        2,
    )
    assert list(campaign.target_niches.all()) == [beauty]


def test_saving_again_after_the_refusal_replaces_their_values_on_purpose(admin_client, tiers):
    campaign = CampaignFactory(budget=Decimal("10000"))
    first_tab, second_tab = load(admin_client, campaign), load(admin_client, campaign)
    admin_client.post(edit_url(campaign), {**first_tab, "budget": "12000"})
    refused = admin_client.post(edit_url(campaign), {**second_tab, "budget": "9000"})
    assert refused.status_code == 409
    again = form_post_data(refused.context["form"])
    assert again["version"] == "2"
    assert admin_client.post(edit_url(campaign), again).status_code == 302
    campaign.refresh_from_db()
    assert (campaign.budget, campaign.version) == (Decimal("9000"), 3)


def test_the_service_refuses_a_stale_version_and_writes_nothing(tiers):
    campaign = CampaignFactory(budget=Decimal("10000"))
    stale = Campaign.objects.get(pk=campaign.pk)
    campaign_update(campaign=campaign, version=1, budget=Decimal("12000"))
    with pytest.raises(EditConflict) as refused:
        campaign_update(campaign=stale, version=1, budget=Decimal("9000"), target_niches=[])
    assert refused.value.current.budget == Decimal("12000")
    campaign.refresh_from_db()
    assert (campaign.budget, campaign.version) == (Decimal("12000"), 2)


def test_a_stale_admin_form_is_refused_with_the_web_users_values(admin_client, tiers):
    campaign = CampaignFactory(name="Spring launch", budget=Decimal("10000"))
    admin_tab = admin_load(admin_client, campaign)
    admin_client.post(edit_url(campaign), {**load(admin_client, campaign), "budget": "12000"})

    response = admin_client.post(admin_url(campaign), {**admin_tab, "name": "Spring relaunch"})
    assert response.status_code == 409
    page = response.content.decode()
    assert "Someone else saved this record after you opened it" in page
    assert 'id="edit-conflict"' in page
    assert dict(response.context["conflict_rows"]) == {
        "Name": "Spring launch",
        "Budget": Decimal("12000.00"),
    }
    campaign.refresh_from_db()
    assert (campaign.name, campaign.budget, campaign.version) == (
        "Spring launch",
        Decimal("12000.00"),
        2,
    )

    again = admin_form_post_data(response)
    assert admin_client.post(admin_url(campaign), again).status_code == 302
    campaign.refresh_from_db()
    assert (campaign.name, campaign.budget, campaign.version) == (
        "Spring relaunch",
        Decimal("10000"),
        3,
    )


def test_an_admin_save_refuses_an_open_web_tab(admin_client, tiers):
    campaign = CampaignFactory(budget=Decimal("10000"))
    web_tab = load(admin_client, campaign)
    admin_tab = admin_load(admin_client, campaign)
    assert admin_client.post(admin_url(campaign), {**admin_tab, "budget": "500"}).status_code == 302
    campaign.refresh_from_db()
    assert (campaign.budget, campaign.version) == (Decimal("500"), 2)
    assert admin_client.post(edit_url(campaign), {**web_tab, "budget": "9"}).status_code == 409
