import pytest
from django.urls import reverse

from tests.factories import DeliverableFactory, PartnershipFactory

pytestmark = pytest.mark.django_db


def test_every_partnership_page_renders(admin_client, tiers):
    deliverable = DeliverableFactory()
    partnership = deliverable.partnership
    PartnershipFactory(collaboration_type="long_term", status="active")
    for url in (
        reverse("partnerships:partnership-list"),
        reverse("partnerships:partnership-board"),
        reverse("partnerships:renewal-list"),
        reverse("partnerships:deliverable-list"),
        reverse("partnerships:partnership-create"),
        reverse("partnerships:partnership-detail", args=[partnership.pk]),
        reverse("partnerships:partnership-update", args=[partnership.pk]),
        reverse("partnerships:deliverable-create", args=[partnership.pk]),
        reverse("partnerships:deliverable-update", args=[deliverable.pk]),
        reverse("partnerships:influencer-search") + "?influencer_q=Infl",
    ):
        response = admin_client.get(url)
        assert response.status_code == 200, url


def test_admin_shows_the_status_history_read_only(admin_client, tiers):
    partnership = PartnershipFactory(status="negotiating")
    url = reverse("admin:partnerships_partnership_change", args=[partnership.pk])
    response = admin_client.get(url)
    assert response.status_code == 200
    assert "Partnership status changes" in response.content.decode()
    assert "Logged" in response.content.decode()
