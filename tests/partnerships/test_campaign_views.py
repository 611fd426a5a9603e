from datetime import date
from decimal import Decimal

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from campaigns.models import Campaign
from partnerships.models import Partnership
from tests.factories import (
    CampaignFactory,
    DeliverableFactory,
    InfluencerFactory,
    PartnershipFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db
LIST_URL = reverse("campaigns:campaign-list")


def names(response):
    return [campaign.name for campaign in response.context["campaigns"]]


def test_list_shows_budget_committed_left_count_and_tier_mix(admin_client, spring):
    response = admin_client.get(LIST_URL)
    assert response.status_code == 200
    html = response.content.decode()
    row = response.context["campaigns"][0]
    # Committed: the signed 1,000 + 3,000 (the 2,000 in negotiation is pipeline); three live.
    assert (row.totals.committed, row.left, row.totals.partnership_count) == (
        Decimal("4000"),
        Decimal("6000"),
        3,
    )
    assert "EUR 10,000.00" in html and "EUR 4,000.00" in html and "EUR 6,000.00" in html
    mix = [(item.tier.name, item.count) for item in row.totals.tier_mix]
    assert mix == [("Nano", 1), ("Macro", 2)]
    assert "tier-badge" in html


def test_list_filters_by_status_objective_owner_and_period(admin_client, tiers):
    marta = UserFactory(username="marta")
    CampaignFactory(
        name="Summer awareness",
        status=Campaign.Status.ACTIVE,
        objective=Campaign.Objective.AWARENESS,
        start_date=date(2026, 6, 1),
        end_date=date(2026, 8, 31),
        owner=marta,
    )
    CampaignFactory(
        name="Autumn sales",
        status=Campaign.Status.PLANNING,
        objective=Campaign.Objective.CONVERSIONS,
        start_date=date(2026, 9, 1),
        end_date=date(2026, 11, 30),
    )
    CampaignFactory(
        name="Winter reviews",
        status=Campaign.Status.COMPLETED,
        objective=Campaign.Objective.PRODUCT_REVIEWS,
        start_date=date(2025, 12, 1),
        end_date=date(2026, 2, 1),
    )
    assert names(admin_client.get(LIST_URL, {"status": "planning"})) == ["Autumn sales"]
    assert names(admin_client.get(LIST_URL, {"objective": "product_reviews"})) == ["Winter reviews"]
    assert names(admin_client.get(LIST_URL, {"owner": marta.pk})) == ["Summer awareness"]
    period = {"start_after": "2026-01-01", "start_before": "2026-06-30"}
    assert names(admin_client.get(LIST_URL, period)) == ["Summer awareness"]
    assert names(admin_client.get(LIST_URL, {"start_after": "2026-05-01"})) == [
        "Autumn sales",
        "Summer awareness",
    ]
    assert names(admin_client.get(LIST_URL, {"q": "autumn"})) == ["Autumn sales"]


def test_list_sorts_by_money_left_and_committed(admin_client, tiers):
    small = CampaignFactory(name="Small", budget=Decimal("100"))
    CampaignFactory(name="Big", budget=Decimal("9000"))
    PartnershipFactory(campaign=small, fee=Decimal("50"), status=Partnership.Status.ACTIVE)
    assert names(admin_client.get(LIST_URL, {"sort": "-left"})) == ["Big", "Small"]
    assert names(admin_client.get(LIST_URL, {"sort": "left"})) == ["Small", "Big"]
    assert names(admin_client.get(LIST_URL, {"sort": "-committed"})) == ["Small", "Big"]
    assert names(admin_client.get(LIST_URL, {"sort": "name"})) == ["Big", "Small"]


def test_list_bad_filter_input_shows_an_error_not_a_500(admin_client, tiers):
    CampaignFactory(name="Still listed")
    response = admin_client.get(LIST_URL, {"start_after": "not-a-date", "status": "bogus"})
    assert response.status_code == 200
    assert "Enter a valid date." in response.content.decode()
    assert names(response) == ["Still listed"]


def make_campaigns(count):
    influencers = [InfluencerFactory(audience=audience) for audience in (500, 5_000, 200_000)]
    for index in range(count):
        campaign = CampaignFactory()
        for influencer in influencers[: 1 + index % 3]:
            PartnershipFactory(campaign=campaign, influencer=influencer)


@pytest.mark.parametrize("query", [{}, {"sort": "-left"}, {"status": "active", "sort": "name"}])
def test_list_query_count_is_the_same_for_5_and_50_rows(
    admin_client, tiers, count_queries, query, session_queries
):
    make_campaigns(5)
    admin_client.get(LIST_URL, query)  # reads the tier ranges into the cache
    response, five = count_queries(admin_client.get, LIST_URL, query)
    assert len(response.context["campaigns"]) == 5
    make_campaigns(45)
    admin_client.get(LIST_URL, query)
    response, fifty = count_queries(admin_client.get, LIST_URL, query)
    assert len(response.context["campaigns"]) == 50
    assert five == fifty <= 5 + session_queries


def detail_url(campaign):
    return reverse("campaigns:campaign-detail", args=[campaign.pk])


def test_detail_shows_budget_bar_results_split_and_tier_groups(admin_client, spring):
    campaign = spring["campaign"]
    response = admin_client.get(detail_url(campaign))
    assert response.status_code == 200
    html = response.content.decode()
    assert '<meter class="budget-bar' in html and 'value="4000' in html and 'high="10000' in html
    assert "40.00% of the budget committed" in html
    assert 'id="campaign-pipeline">EUR 2,000.00<' in html  # the deal in negotiation
    assert "In negotiation (not counted)" in html
    assert 'id="metric-cpe">1.18<' in html  # 4,000 / 3,400
    assert 'id="metric-roi">65.00%<' in html  # (6,600 - 4,000) / 4,000 x 100
    split = {label: (count, r.cost) for label, count, r in response.context["type_split"]}
    assert split == {"Long-term": (1, Decimal("3000")), "One-off": (2, Decimal("1000"))}
    assert [(g.tier.name, g.count) for g in response.context["summary"].tiers] == [
        ("Nano", 1),
        ("Macro", 2),
    ]
    # Every partnership is listed (the declined one too, greyed), grouped under its tier.
    assert html.count('class="tier-group"') == 3  # Mega, Macro, Nano
    retainer = spring["retainer"]
    assert reverse("partnerships:partnership-detail", args=[retainer.pk]) in html
    assert reverse("influencers:influencer-detail", args=[retainer.influencer_id]) in html
    assert f"{reverse('partnerships:partnership-create')}?campaign={campaign.pk}" in html
    assert reverse("campaigns:campaign-update", args=[campaign.pk]) in html


def test_detail_tier_filter_shows_one_tier(admin_client, spring, tiers):
    response = admin_client.get(detail_url(spring["campaign"]), {"tier": tiers["Macro"].pk})
    assert [p.influencer.name for p in response.context["partnerships"]] == [
        "Mia Macro",
        "Max Macro",
    ]
    response = admin_client.get(detail_url(spring["campaign"]), {"tier": "nonsense"})
    assert len(response.context["partnerships"]) == 4


def test_detail_over_budget_says_so(admin_client, spring):
    Campaign.objects.filter(pk=spring["campaign"].pk).update(budget=Decimal("3000"))
    html = admin_client.get(detail_url(spring["campaign"])).content.decode()
    assert "over budget" in html
    assert "EUR -1,000.00" in html


def add_partnerships(campaign, count):
    for index in range(count):
        partnership = PartnershipFactory(
            campaign=campaign,
            influencer=InfluencerFactory(audience=(500, 5_000, 200_000)[index % 3]),
            status=Partnership.Status.ACTIVE,
            collaboration_type=("one_off", "long_term")[index % 2],
        )
        DeliverableFactory(partnership=partnership, impressions=1000, likes=10)


def test_detail_query_count_is_the_same_for_5_and_50_partnerships(
    admin_client, tiers, count_queries, session_queries
):
    campaign = CampaignFactory()
    add_partnerships(campaign, 5)
    admin_client.get(detail_url(campaign))  # reads the tier ranges into the cache
    response, five = count_queries(admin_client.get, detail_url(campaign))
    assert len(response.context["partnerships"]) == 5
    add_partnerships(campaign, 45)
    admin_client.get(detail_url(campaign))
    response, fifty = count_queries(admin_client.get, detail_url(campaign))
    assert len(response.context["partnerships"]) == 50
    assert response.context["summary"].results.deliverables == 50
    assert five == fifty <= 7 + session_queries


def test_unknown_campaign_is_a_404(admin_client, tiers):
    assert admin_client.get(reverse("campaigns:campaign-detail", args=[999999])).status_code == 404


def test_pages_need_a_login(client, tiers):
    response = client.get(LIST_URL)
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


def user_with(*codenames):
    user = UserFactory(username="limited")
    user.user_permissions.set(Permission.objects.filter(codename__in=codenames))
    return user


def test_reader_sees_no_create_or_edit_buttons(client, spring):
    client.force_login(user_with("view_campaign"))
    assert "New campaign" not in client.get(LIST_URL).content.decode()
    html = client.get(detail_url(spring["campaign"])).content.decode()
    assert reverse("campaigns:campaign-update", args=[spring["campaign"].pk]) not in html
    assert "Log a partnership" not in html


def test_detail_of_a_campaign_without_budget_or_partnerships(admin_client, tiers):
    campaign = CampaignFactory(budget=Decimal("0"))
    response = admin_client.get(detail_url(campaign))
    html = response.content.decode()
    assert response.status_code == 200
    assert "No budget set." in html
    assert "No partnership in this campaign yet." in html
    assert 'id="metric-cpe">-<' in html and 'id="metric-roi">-<' in html
