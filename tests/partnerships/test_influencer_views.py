"""The influencer page: profile, accounts, tier and distance to the next, partnerships with their
results, the results summary, and the interaction log with its form."""

from datetime import date
from decimal import Decimal

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from influencers.models import Interaction
from influencers.services import social_account_create
from partnerships.models import Partnership
from tests.factories import (
    DeliverableFactory,
    InfluencerFactory,
    NicheFactory,
    PartnershipFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def url(influencer):
    return reverse("influencers:influencer-detail", args=[influencer.pk])


@pytest.fixture
def influencer(tiers):
    person = InfluencerFactory(
        name="Lea Ray",
        audience=80_000,
        audience__handle="learay",
        niches=[NicheFactory(name="Travel", slug="travel")],
    )
    social_account_create(
        influencer=person,
        platform="youtube",
        handle="LeaRayTV",
        url="https://youtube.com/@LeaRayTV",
        followers=5_000,
    )
    return person


def add_results(influencer, campaign_name="Spring", fee="1000", **results):
    partnership = PartnershipFactory(
        influencer=influencer,
        campaign__name=campaign_name,
        fee=Decimal(fee),
        status=Partnership.Status.ACTIVE,
    )
    DeliverableFactory(partnership=partnership, **results)
    return partnership


def test_profile_accounts_tier_and_next_tier(admin_client, influencer, tiers):
    html = admin_client.get(url(influencer)).content.decode()
    assert "Lea Ray" in html and "Travel" in html
    assert f'tier-badge tier-{tiers["Micro"].pk}">Micro<' in html
    # 85,000 followers: 15,000 more to reach Macro.
    assert "15,000 followers to" in html
    assert f'tier-badge tier-{tiers["Macro"].pk}">Macro<' in html
    assert '<a href="https://youtube.com/@LeaRayTV"' in html and "@learay" in html
    # The accounts' own rate is labelled with its basis, apart from the deals' rates.
    assert "Profile engagement rate (by followers)" in html


def test_top_tier_says_so(admin_client, tiers):
    mega = InfluencerFactory(audience=3_000_000)
    assert "Top tier" in admin_client.get(url(mega)).content.decode()


def test_partnerships_with_their_results_and_the_summary(admin_client, influencer):
    add_results(
        influencer,
        "Spring",
        "1000",
        impressions=100_000,
        reach=50_000,
        likes=900,
        comments=100,
        clicks=50,
        conversions=10,
        revenue=Decimal("3000"),
    )
    add_results(influencer, "Autumn", "3000", impressions=300_000, reach=100_000, likes=1_000)
    PartnershipFactory(influencer=influencer, campaign__name="Maybe", fee=Decimal("5000"))
    response = admin_client.get(url(influencer))
    rows = {p.campaign.name: result for p, result in response.context["partnerships"]}
    assert rows["Spring"].cpe == Decimal("1.00")  # 1000 / 1000 engagements
    assert rows["Autumn"].cpm == Decimal("10.00")  # 3000 / 300000 x 1000
    assert rows["Maybe"].cpe is None  # no engagements yet: shown as "-"
    summary = response.context["results"]
    # Cost counts the signed partnerships only (the prospect's 5,000 is not spent).
    assert summary.cost == Decimal("4000")
    assert summary.impressions == 400_000
    assert summary.engagements == 2_000
    assert summary.deliverables == 2
    assert summary.cpe == Decimal("2.00")
    assert summary.roi == Decimal("-25.00")  # (3000 - 4000) / 4000 x 100
    html = response.content.decode()
    assert "Spring" in html and "Autumn" in html
    assert reverse("partnerships:partnership-create") + f"?influencer={influencer.pk}" in html


def test_query_count_does_not_grow_with_partnerships(admin_client, influencer, count_queries):
    add_results(influencer, "One", impressions=10)
    Interaction.objects.create(influencer=influencer, occurred_on=date.today(), summary="Hi")
    response, few = count_queries(admin_client.get, url(influencer))
    assert response.status_code == 200
    for index in range(6):
        add_results(influencer, f"More {index}", impressions=10)
        Interaction.objects.create(
            influencer=influencer,
            occurred_on=date.today(),
            summary=f"Note {index}",
            author=UserFactory(),
        )
    response, many = count_queries(admin_client.get, url(influencer))
    assert len(response.context["partnerships"]) == 7
    assert few == many


def test_log_an_interaction(admin_client, admin_user, influencer):
    partnership = add_results(influencer, "Spring", impressions=1)
    response = admin_client.post(
        reverse("influencers:interaction-create", args=[influencer.pk]),
        {
            "kind": "call",
            "occurred_on": "2026-03-02",
            "summary": "Agreed the brief",
            "partnership": partnership.pk,
        },
    )
    assert response.status_code == 302
    entry = Interaction.objects.get(influencer=influencer)
    assert (entry.kind, entry.occurred_on, entry.author) == ("call", date(2026, 3, 2), admin_user)
    assert entry.partnership == partnership
    html = admin_client.get(url(influencer)).content.decode()
    assert "Agreed the brief" in html and "2 Mar 2026" in html


def test_interaction_errors_answer_beside_the_field(admin_client, influencer):
    other = PartnershipFactory()
    response = admin_client.post(
        reverse("influencers:interaction-create", args=[influencer.pk]),
        {"kind": "shout", "occurred_on": "yesterday", "summary": "", "partnership": other.pk},
    )
    assert response.status_code == 400
    form = response.context["interaction_form"]
    assert set(form.errors) == {"kind", "occurred_on", "summary", "partnership"}
    assert not Interaction.objects.exists()


def test_interaction_form_needs_the_permission(client, influencer):
    viewer = UserFactory(username="viewer")
    client.force_login(viewer)
    page = client.get(url(influencer)).content.decode()
    assert 'id="interaction-form"' not in page
    assert reverse("influencers:influencer-update", args=[influencer.pk]) not in page
    response = client.post(
        reverse("influencers:interaction-create", args=[influencer.pk]),
        {"kind": "call", "occurred_on": "2026-03-02", "summary": "x"},
    )
    assert response.status_code == 403
    viewer.user_permissions.add(Permission.objects.get(codename="add_interaction"))
    client.force_login(viewer)
    assert 'id="interaction-form"' in client.get(url(influencer)).content.decode()


def test_unknown_influencer_is_a_404(admin_client, tiers):
    assert admin_client.get(reverse("influencers:influencer-detail", args=[999])).status_code == 404
