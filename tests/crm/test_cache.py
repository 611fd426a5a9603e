"""Cached reads (crm/cache.py) follow admin edits on the very next request.

These tests commit for real (transaction=True): the cache is dropped when a write commits, which
a test inside one rolled-back transaction never does."""

import re

import pytest
from django.contrib.auth.models import Group
from django.core.cache import cache
from django.db import connection, transaction
from django.test import Client
from django.urls import reverse

from crm.cache import GENERATION_KEY
from crm.roles import MARKETER
from influencers.models import Tier
from influencers.tiers import tier_ranges
from tests.factories import InfluencerFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)

ROSTER = reverse("influencers:influencer-list")


def tier_counts(client, tiers):
    html = client.get(ROSTER).content.decode()
    return {
        name: int(re.search(rf'id="tier-count-{tier.pk}"[^>]*>([\d,]+)<', html).group(1))
        for name, tier in tiers.items()
    }


@pytest.fixture
def marketer_client(role_user):
    client = Client()
    client.force_login(role_user(MARKETER, username="mara"))
    return client


def test_a_tier_edit_in_the_admin_moves_the_roster_on_the_next_request(
    marketer_client, tiers, django_assert_num_queries, session_queries
):
    InfluencerFactory(audience=5_000)
    InfluencerFactory(audience=50_000)
    assert tier_counts(marketer_client, tiers)["Micro"] == 2
    # Served from the cache now: session, user, tier counts, ids, rows, niches, accounts.
    with django_assert_num_queries(6 + session_queries):
        assert tier_counts(marketer_client, tiers)["Micro"] == 2

    admin = Client()
    admin.force_login(UserFactory(username="root", is_staff=True, is_superuser=True))
    micro = tiers["Micro"]
    response = admin.post(
        reverse("admin:influencers_tier_change", args=[micro.pk]),
        {"name": "Micro", "min_followers": "10000", "color": micro.color},
    )
    assert response.status_code == 302

    counts = tier_counts(marketer_client, tiers)
    assert counts["Micro"] == 1 and counts["Nano"] == 1


def test_a_bulk_update_of_thresholds_shows_at_once(marketer_client, tiers):
    InfluencerFactory(audience=5_000)
    assert tier_counts(marketer_client, tiers)["Micro"] == 1
    Tier.objects.filter(pk=tiers["Micro"].pk).update(min_followers=10_000)
    counts = tier_counts(marketer_client, tiers)
    assert counts["Micro"] == 0 and counts["Nano"] == 1


def test_removing_a_user_from_the_marketer_group_takes_effect_at_once(role_user, tiers):
    user = role_user(MARKETER, username="mara")
    client = Client()
    client.force_login(user)
    create = reverse("influencers:influencer-create")
    assert client.get(create).status_code == 200
    assert client.get(create).status_code == 200  # the permissions are cached now

    user.groups.remove(Group.objects.get(name=MARKETER))

    assert client.get(create).status_code == 403
    assert reverse("influencers:influencer-create") not in client.get(ROSTER).content.decode()


def test_a_rolled_back_tier_never_reaches_the_cache(tiers):
    before = [r.tier.name for r in tier_ranges()]
    with pytest.raises(RuntimeError), transaction.atomic():
        Tier.objects.create(name="Ghost", min_followers=5_000)
        assert "Ghost" in [r.tier.name for r in tier_ranges()]  # the writer sees its own write
        raise RuntimeError("roll back")
    assert [r.tier.name for r in tier_ranges()] == before


def test_an_edit_committed_by_another_app_server_shows_on_the_next_request(marketer_client, tiers):
    """Each process keeps the values it has read; another server's commit (seen here as a new
    generation in the shared cache and a change this process sent no signal for) must still
    reach this process's next request."""
    InfluencerFactory(audience=5_000)
    assert tier_counts(marketer_client, tiers)["Micro"] == 1
    assert tier_counts(marketer_client, tiers)["Micro"] == 1  # from this process's memory now

    with connection.cursor() as cursor:  # the other server's write: no signal reaches us
        cursor.execute(
            "UPDATE influencers_tier SET min_followers = %s WHERE id = %s",
            [10_000, tiers["Micro"].pk],
        )
    assert tier_counts(marketer_client, tiers)["Micro"] == 1  # nobody said it changed yet
    cache.set(GENERATION_KEY, "committed-elsewhere", None)  # what its invalidate() leaves

    counts = tier_counts(marketer_client, tiers)
    assert counts["Micro"] == 0 and counts["Nano"] == 1
