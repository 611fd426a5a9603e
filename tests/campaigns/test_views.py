from datetime import timedelta

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from campaigns.models import Campaign
from tests.factories import CampaignFactory, UserFactory

pytestmark = pytest.mark.django_db


def detail_url(campaign):
    return reverse("campaigns:campaign-detail", args=[campaign.pk])


def user_with(*codenames):
    user = UserFactory(username="limited")
    user.user_permissions.set(Permission.objects.filter(codename__in=codenames))
    return user


def test_reader_without_permissions_gets_403_on_create_and_edit(client, tiers):
    campaign = CampaignFactory(name="Untouched")
    client.force_login(user_with("view_campaign"))
    data = {"name": "Hacked", "objective": "awareness", "status": "planning"}
    data |= {"start_date": "2026-01-01", "budget": "1"}
    assert client.get(reverse("campaigns:campaign-create")).status_code == 403
    assert client.post(reverse("campaigns:campaign-create"), data).status_code == 403
    update = reverse("campaigns:campaign-update", args=[campaign.pk])
    assert client.post(update, data).status_code == 403
    campaign.refresh_from_db()
    assert campaign.name == "Untouched"
    assert not Campaign.objects.filter(name="Hacked").exists()


def test_marketer_with_add_permission_can_create(client, tiers):
    client.force_login(user_with("add_campaign"))
    response = client.post(
        reverse("campaigns:campaign-create"),
        {
            "name": "Launch",
            "objective": "product_launch",
            "status": "planning",
            "start_date": "2026-03-01",
            "end_date": "2026-03-31",
            "budget": "2500",
        },
    )
    campaign = Campaign.objects.get(name="Launch")
    assert response.status_code == 302 and response.url == detail_url(campaign)
    assert campaign.end_date - campaign.start_date == timedelta(days=30)
