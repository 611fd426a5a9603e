"""The audit trail is reachable where people look for it: a History button on the detail pages
and in the admin of every audited model, through the project's real URLs."""

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from crm import roles
from tests.factories import (
    DeliverableFactory,
    PartnershipFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def history_url(obj):
    opts = obj._meta
    return reverse("audit:object-history", args=[opts.app_label, opts.model_name, obj.pk])


def test_an_admins_threshold_change_is_on_the_tier_history_from_the_admin_button(
    client, role_user, tiers
):
    ada = role_user(roles.ADMIN, username="ada", first_name="Ada", last_name="Lovelace")
    client.force_login(ada)
    micro = tiers["Micro"]
    change = reverse("admin:influencers_tier_change", args=[micro.pk])
    response = client.post(change, {"name": "Micro", "min_followers": "7500", "color": micro.color})
    assert response.status_code == 302

    # The admin's own History button leads to the audit trail.
    response = client.get(reverse("admin:influencers_tier_history", args=[micro.pk]), follow=True)
    assert response.redirect_chain == [(history_url(micro), 302)]
    page = response.content.decode()
    assert "Ada Lovelace" in page
    assert "<del>1000</del>" in page and "<ins>7500</ins>" in page


def records(tiers):
    partnership = PartnershipFactory()
    deliverable = DeliverableFactory(partnership=partnership)
    influencer = partnership.influencer
    return {
        "influencers_tier": tiers["Macro"],
        "influencers_influencer": influencer,
        "influencers_socialaccount": influencer.accounts.get(),
        "campaigns_campaign": partnership.campaign,
        "partnerships_partnership": partnership,
        "partnerships_deliverable": deliverable,
    }


def test_every_audited_models_admin_history_button_opens_the_audit_trail(admin_client, tiers):
    for admin_name, obj in records(tiers).items():
        response = admin_client.get(reverse(f"admin:{admin_name}_history", args=[obj.pk]))
        assert response.status_code == 302, admin_name
        assert response["Location"] == history_url(obj), admin_name
        assert admin_client.get(response["Location"]).status_code == 200, admin_name


def detail_pages(tiers):
    partnership = PartnershipFactory()
    return [
        (
            reverse("influencers:influencer-detail", args=[partnership.influencer_id]),
            partnership.influencer,
        ),
        (
            reverse("campaigns:campaign-detail", args=[partnership.campaign_id]),
            partnership.campaign,
        ),
        (reverse("partnerships:partnership-detail", args=[partnership.pk]), partnership),
    ]


def test_detail_pages_link_to_their_history(client, role_user, tiers):
    client.force_login(role_user(roles.VIEWER, username="vera"))
    for url, obj in detail_pages(tiers):
        page = client.get(url).content.decode()
        assert f'href="{history_url(obj)}"' in page, url
        assert client.get(history_url(obj)).status_code == 200, url


def test_no_history_link_for_a_user_who_may_not_view_that_history(client, tiers):
    # Sees the pages (any logged-in user may) but holds no view permission on the models.
    user = UserFactory(username="nobody")
    user.user_permissions.add(Permission.objects.get(codename="view_tier"))
    client.force_login(user)
    for url, obj in detail_pages(tiers):
        response = client.get(url)
        assert response.status_code == 200, url
        assert history_url(obj) not in response.content.decode(), url
        assert ">History<" not in response.content.decode(), url
