"""The tier comparison's report rows per influencer (partnerships.InfluencerResults): the page
reads them for every filter they hold (tier basis, platform or objective, niche, collaboration
type), so they must give exactly what the general query gives from partnerships and deliverables,
and follow every write."""

import itertools
from datetime import date
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from campaigns.models import Campaign
from campaigns.services import campaign_update
from influencers.models import Tier
from influencers.services import social_account_update
from partnerships.models import InfluencerResults, Partnership
from partnerships.selectors import influencer_results_out_of_step
from partnerships.services import (
    deliverable_create,
    deliverable_update,
    partnership_move,
    partnership_renew,
    partnership_update,
)
from reports import selectors
from reports.forms import TierBasis
from tests.factories import (
    CampaignFactory,
    InfluencerFactory,
    NicheFactory,
    PartnershipFactory,
    published_deliverable,
)
from tests.form_data import form_post_data

pytestmark = pytest.mark.django_db

Status = Partnership.Status
LONG_TERM = Partnership.CollaborationType.LONG_TERM


deliver = published_deliverable


@pytest.fixture
def mixed(db):
    """Three tiers; influencers with both types, several platforms, a partnership without
    deliverables, a prospect, one influencer signed in two tiers and one below every threshold."""
    Tier.objects.all().delete()
    Tier.objects.create(name="Small", min_followers=100, color="#198754")
    Tier.objects.create(name="Mid", min_followers=10_000, color="#0d6efd")
    Tier.objects.create(name="Big", min_followers=200_000, color="#6f42c1")
    beauty = NicheFactory(name="Beauty", slug="beauty")
    ada = InfluencerFactory(name="Ada", audience=2_000, niches=[beauty])
    ben = InfluencerFactory(name="Ben", audience=50_000)
    cleo = InfluencerFactory(name="Cleo", audience=300_000, niches=[beauty])
    dot = InfluencerFactory(name="Dot", audience=20)  # below every threshold
    day = date(2026, 10, 5)
    sales = CampaignFactory(name="Sales", objective=Campaign.Objective.CONVERSIONS)
    a1 = PartnershipFactory(influencer=ada, status=Status.ACTIVE, fee=Decimal("900"))
    a2 = PartnershipFactory(  # no campaign: in no objective's rows
        influencer=ada, status=Status.COMPLETED, collaboration_type=LONG_TERM, campaign=None
    )
    b1 = PartnershipFactory(
        influencer=ben, status=Status.CONTRACTED, fee=Decimal("1234.56"), campaign=sales
    )
    PartnershipFactory(influencer=ben, status=Status.ACTIVE, fee=Decimal("700"))  # nothing yet
    PartnershipFactory(influencer=cleo, status=Status.PROSPECT, fee=Decimal("99999"))
    c1 = PartnershipFactory(
        influencer=cleo, status=Status.ACTIVE, collaboration_type=LONG_TERM, campaign=sales
    )
    d1 = PartnershipFactory(influencer=dot, status=Status.ACTIVE, fee=Decimal("50"))
    # Ada grows past Mid, then signs again: two tiers at signing for one influencer.
    social_account_update(account=ada.accounts.get(), followers=40_000)
    a3 = PartnershipFactory(influencer=ada, status=Status.ACTIVE, fee=Decimal("333.33"))
    for partnership, platform, n in [
        (a1, "instagram", 3),
        (a1, "tiktok", 1),
        (a2, "youtube", 2),
        (a3, "tiktok", 1),
        (b1, "instagram", 1),
        (b1, "tiktok", 2),
        (c1, "instagram", 4),
        (d1, "x", 1),
    ]:
        for i in range(n):
            deliver(
                partnership,
                platform,
                day,
                impressions=1000 * (i + 1),
                reach=700 + i,
                likes=30 + i,
                comments=4,
                shares=2,
                saves=1,
                clicks=11 * i,
                conversions=i,
                revenue=Decimal("12.34") * (i + 1),
            )
    return {"beauty": beauty, "ada": ada, "ben": ben, "cleo": cleo, "sales": sales}


def table(comparison):
    """Every number both tables show, by tier and type; money to the cent."""
    cells = []
    for row in [*comparison.rows, *comparison.split_rows]:
        results = row.results
        cells.append(
            (
                row.name,
                row.type_label,
                row.influencers,
                row.influencer_followers,
                row.partnerships,
                row.long_term,
                results.deliverables,
                results.impressions,
                results.reach,
                results.engagements,
                results.clicks,
                results.conversions,
                results.followers,
                round(Decimal(results.revenue), 2),
                round(Decimal(results.cost), 2),
            )
        )
    return cells


def general(filters, monkeypatch):
    with monkeypatch.context() as patch:
        patch.setattr(selectors, "_uses_rollup", lambda filters: False)
        return table(selectors.tier_comparison(filters=filters))


FILTER_VALUES = {
    "basis": [TierBasis.CURRENT, TierBasis.SIGNING],
    "platform": [None, "instagram", "tiktok", "facebook"],
    "objective": [None, Campaign.Objective.AWARENESS, Campaign.Objective.CONVERSIONS],
    "niche": [None, "beauty"],
    "collaboration_type": [None, LONG_TERM, Partnership.CollaborationType.ONE_OFF],
}


def test_report_rows_give_what_the_general_query_gives_for_every_filter(mixed, monkeypatch):
    combinations = list(itertools.product(*FILTER_VALUES.values()))
    assert len(combinations) == 144
    for values in combinations:
        filters = dict(zip(FILTER_VALUES, values, strict=True))
        if filters["niche"]:
            filters["niche"] = mixed["beauty"]
        # A platform and an objective together: no report row holds both.
        assert selectors._uses_rollup(filters) == (
            not (filters["platform"] and filters["objective"])
        )
        assert table(selectors.tier_comparison(filters=filters)) == general(filters, monkeypatch), (
            filters
        )


def test_the_two_tiers_at_signing_and_the_influencers_counted_once(mixed):
    comparison = selectors.tier_comparison(filters={"basis": TierBasis.SIGNING})
    by_name = {row.name: row for row in comparison.rows}
    # Ada signed twice in Small (2,000 followers then), once in Mid (40,000): one influencer in
    # each tier at signing; Ben in Mid; Cleo in Big; Dot in no tier.
    assert (by_name["Small"].influencers, by_name["Small"].partnerships) == (1, 2)
    assert (by_name["Mid"].influencers, by_name["Mid"].partnerships) == (2, 3)
    assert (by_name["No tier"].influencers, by_name["No tier"].partnerships) == (1, 1)
    current = selectors.tier_comparison(filters={"basis": TierBasis.CURRENT})
    mid = current.row_for(Tier.objects.get(name="Mid").pk)
    # Today Ada (40,000) and Ben (50,000) are both Mid: two influencers, five partnerships.
    assert (mid.influencers, mid.partnerships, mid.influencer_followers) == (2, 5, 90_000)


def test_other_filters_still_use_the_general_query(mixed):
    for extra in (
        {"campaign": 1},
        {"objective": "awareness", "platform": "tiktok"},
        {"published_after": date.today()},
    ):
        assert not selectors._uses_rollup({"basis": TierBasis.CURRENT, **extra})


def in_step():
    return influencer_results_out_of_step() == []


def test_report_rows_follow_every_write(mixed, tiers, admin_client):
    ada, ben = mixed["ada"], mixed["ben"]
    assert in_step()
    prospect = PartnershipFactory(influencer=ben, status=Status.NEGOTIATING)
    prospect = partnership_move(partnership=prospect, status=Status.CONTRACTED)
    assert in_step()
    deliverable = deliverable_create(
        partnership=prospect, kind="post", platform="youtube", impressions=500
    )
    assert in_step()
    deliverable_update(deliverable=deliverable, platform="instagram", impressions=800)
    assert in_step()
    partnership_update(partnership=prospect, influencer=ada, fee=Decimal("2500"))
    assert in_step()
    assert not InfluencerResults.objects.filter(influencer=ben, partnerships=3).exists()
    social_account_update(account=ben.accounts.get(), followers=250_000)
    assert in_step()
    long_term = Partnership.objects.get(influencer=mixed["cleo"], status=Status.ACTIVE)
    partnership_renew(partnership=long_term)
    assert in_step()
    partnership_move(partnership=prospect, status=Status.CANCELLED)
    assert in_step()
    campaign_update(campaign=mixed["sales"], objective=Campaign.Objective.COMMUNITY)
    assert in_step()
    assert InfluencerResults.objects.filter(objective=Campaign.Objective.COMMUNITY).exists()
    assert not InfluencerResults.objects.filter(objective=Campaign.Objective.CONVERSIONS).exists()

    # The admin: a campaign's objective edited there.
    url = reverse("admin:campaigns_campaign_change", args=[mixed["sales"].pk])
    page = admin_client.get(url)
    data = form_post_data(page.context["adminform"].form)
    data["objective"] = Campaign.Objective.PRODUCT_LAUNCH
    response = admin_client.post(url, data)
    assert response.status_code == 302, response.context["errors"] if response.context else ""
    assert in_step()
    assert InfluencerResults.objects.filter(objective=Campaign.Objective.PRODUCT_LAUNCH).exists()

    # The admin: an edit moving a partnership to another influencer, then a delete.
    partnership = Partnership.objects.filter(influencer=ben, status=Status.ACTIVE).first()
    url = reverse("admin:partnerships_partnership_change", args=[partnership.pk])
    page = admin_client.get(url)
    formsets = [inline.formset for inline in page.context["inline_admin_formsets"]]
    data = form_post_data(page.context["adminform"].form, *formsets)
    data["influencer"] = ada.pk
    response = admin_client.post(url, data)
    assert response.status_code == 302, response.context["errors"] if response.context else ""
    partnership.refresh_from_db()
    assert partnership.influencer == ada
    assert in_step()
    delete_url = reverse("admin:partnerships_partnership_delete", args=[partnership.pk])
    assert admin_client.post(delete_url, {"post": "yes"}).status_code == 302
    assert in_step()


def test_check_command_finds_rows_written_around_the_app_and_the_rebuild_mends_them(mixed):
    call_command("refresh_influencer_results", "--check")
    ben = mixed["ben"]
    InfluencerResults.objects.filter(influencer=ben, platform="").update(partnerships=9)
    InfluencerResults.objects.filter(influencer=mixed["cleo"], platform="instagram").delete()
    with pytest.raises(CommandError, match=r"influencer\(s\) .*\d"):
        call_command("refresh_influencer_results", "--check")
    assert set(influencer_results_out_of_step()) == {ben.pk, mixed["cleo"].pk}
    call_command("refresh_influencer_results")
    call_command("refresh_influencer_results", "--check")
    # refresh_result_totals rebuilds them too.
    InfluencerResults.objects.filter(influencer=ben).delete()
    call_command("refresh_result_totals")
    assert in_step()
