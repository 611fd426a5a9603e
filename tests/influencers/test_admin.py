import pytest
from django.urls import reverse

from influencers.models import Tier
from tests.factories import InfluencerFactory

pytestmark = pytest.mark.django_db


def changelist_queries(admin_client, count_queries, url):
    response, queries = count_queries(admin_client.get, url)
    assert response.status_code == 200
    return response, queries


def test_tier_changelist_shows_ranges_and_counts(admin_client, tiers):
    for followers in (10, 2_000, 3_000, 5_000_000):
        InfluencerFactory(audience=followers)
    response = admin_client.get(reverse("admin:influencers_tier_changelist"))
    rows = {
        r["name"]: r
        for r in response.context["cl"].result_list.values("name", "next_min", "influencer_total")
    }
    assert rows["Micro"]["next_min"] == 100_000
    assert [rows[n]["influencer_total"] for n in ("Nano", "Micro", "Macro", "Mega")] == [1, 2, 0, 1]
    assert b"1,000 - 99,999" in response.content
    assert b"1,000,000+" in response.content


def test_tier_changelist_queries_do_not_grow_with_tiers(admin_client, tiers, count_queries):
    url = reverse("admin:influencers_tier_changelist")
    _, few = changelist_queries(admin_client, count_queries, url)
    for index in range(46):
        Tier.objects.create(name=f"Extra {index}", min_followers=2_000_000 + index * 1000)
    _, many = changelist_queries(admin_client, count_queries, url)
    assert Tier.objects.count() == 50
    assert few == many


def test_influencer_changelist_queries_do_not_grow_with_rows(admin_client, count_queries, tiers):
    url = reverse("admin:influencers_influencer_changelist")
    for _ in range(5):
        InfluencerFactory(audience=100, owner=None)
    _, five = changelist_queries(admin_client, count_queries, url)
    for _ in range(45):
        InfluencerFactory(audience=100)
    response, fifty = changelist_queries(admin_client, count_queries, url)
    assert len(response.context["cl"].result_list) == 50
    assert five == fifty


def test_tier_admin_refuses_a_duplicate_threshold_with_a_message(admin_client, tiers):
    response = admin_client.post(
        reverse("admin:influencers_tier_add"),
        {"name": "Clone", "min_followers": "1000", "color": "#123456"},
    )
    assert response.status_code == 200
    assert "Another tier already starts at this follower count" in response.content.decode()
    assert not Tier.objects.filter(name="Clone").exists()


def test_tier_admin_refuses_a_duplicate_name(admin_client, tiers):
    response = admin_client.post(
        reverse("admin:influencers_tier_add"),
        {"name": "micro", "min_followers": "5000", "color": "#123456"},
    )
    assert response.status_code == 200
    assert "A tier with this name already exists." in response.content.decode()


def test_saving_accounts_inline_in_admin_updates_the_totals(admin_client, tiers):
    influencer = InfluencerFactory(name="Inline")
    url = reverse("admin:influencers_influencer_change", args=[influencer.pk])
    data = {
        "name": "Inline",
        "email": "",
        "phone": "",
        "country": "",
        "city": "",
        "status": "active",
        "notes": "",
        "owner": "",
        "accounts-TOTAL_FORMS": "2",
        "accounts-INITIAL_FORMS": "0",
        "accounts-MIN_NUM_FORMS": "0",
        "accounts-MAX_NUM_FORMS": "1000",
        "accounts-0-platform": "instagram",
        "accounts-0-handle": "in1",
        "accounts-0-followers": "1500",
        "accounts-0-engagement_rate": "4",
        "accounts-0-is_primary": "on",
        "accounts-1-platform": "tiktok",
        "accounts-1-handle": "in2",
        "accounts-1-followers": "500",
        "accounts-1-engagement_rate": "8",
    }
    response = admin_client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    influencer.refresh_from_db()
    assert influencer.followers == 2_000
    assert str(influencer.engagement_rate) == "5.00"
