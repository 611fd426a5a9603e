"""The niche members (niche, influencer, followers) the roster's per-tier counts read when the
niche is its only filter: in step with the niche links and followers whichever way they were
written, and counting exactly what the general query counts."""

import io

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from influencers import selectors
from influencers.filters import RosterFilterSet
from influencers.models import Influencer, NicheMember
from influencers.services import (
    influencer_create,
    influencer_delete,
    influencer_update,
    niche_members_refresh,
    social_account_create,
)
from tests.factories import InfluencerFactory, NicheFactory
from tests.form_data import form_post_data

pytestmark = pytest.mark.django_db


def members():
    return set(NicheMember.objects.values_list("niche__slug", "influencer__name", "followers"))


def account(handle, followers):
    return {"platform": "instagram", "handle": handle, "followers": followers}


def test_members_follow_the_services(tiers):
    beauty = NicheFactory(name="Beauty", slug="beauty")
    gaming = NicheFactory(name="Gaming", slug="gaming")
    ada = influencer_create(name="Ada", niches=[beauty], accounts=[account("ada", 2_000)])
    assert members() == {("beauty", "Ada", 2_000)}

    social_account_create(influencer=ada, platform="tiktok", handle="ada_tt", followers=500)
    assert members() == {("beauty", "Ada", 2_500)}

    ada.refresh_from_db()
    influencer_update(influencer=ada, niches=[gaming, beauty])
    assert members() == {("beauty", "Ada", 2_500), ("gaming", "Ada", 2_500)}

    ada.refresh_from_db()
    influencer_update(influencer=ada, niches=[gaming], accounts=[account("ada", 90_000)])
    assert members() == {("gaming", "Ada", 90_000)}

    influencer_delete(influencer=Influencer.objects.get(pk=ada.pk))
    assert members() == set()


def test_members_follow_an_admin_save(admin_client, tiers):
    beauty = NicheFactory(name="Beauty", slug="beauty")
    influencer = InfluencerFactory(name="Bo", audience=3_000)
    url = reverse("admin:influencers_influencer_change", args=[influencer.pk])
    response = admin_client.get(url)
    inlines = [inline.formset for inline in response.context["inline_admin_formsets"]]
    data = form_post_data(response.context["adminform"].form, *inlines)
    data["niches"] = [str(beauty.pk)]
    assert admin_client.post(url, data).status_code == 302
    assert members() == {("beauty", "Bo", 3_000)}


def test_full_refresh_rebuilds_every_member(tiers):
    beauty = NicheFactory(name="Beauty", slug="beauty")
    InfluencerFactory(name="Cy", audience=700, niches=[beauty])
    NicheMember.objects.update(followers=1)
    niche_members_refresh()
    assert members() == {("beauty", "Cy", 700)}


@pytest.mark.parametrize("pick", [["beauty"], ["beauty", "gaming"]])
@pytest.mark.parametrize("tier_names", [[], ["Micro"], ["Micro", "Macro"]])
def test_niche_counts_equal_the_general_query(tiers, pick, tier_names):
    beauty = NicheFactory(name="Beauty", slug="beauty")
    gaming = NicheFactory(name="Gaming", slug="gaming")
    food = NicheFactory(name="Food", slug="food")
    for followers, niches in [
        (0, [beauty]),
        (999, [beauty, gaming]),
        (1_000, [gaming]),
        (50_000, [beauty, gaming]),
        (99_999, [beauty]),
        (100_000, [gaming]),
        (2_000_000, [beauty, gaming]),
        (5_000, [food]),
        (6_000, []),
    ]:
        InfluencerFactory(audience=followers or None, niches=niches)
    niches = [n for n in (beauty, gaming) if n.slug in pick]
    selected = [tiers[name] for name in tier_names]
    data = {"niche": [n.pk for n in niches], "tier": [t.pk for t in selected]}
    filterset = RosterFilterSet(data, queryset=selectors.roster_base())
    assert filterset.is_valid()
    assert filterset.niches_alone() == niches
    general = selectors.roster_tier_counts(
        filterset.filter_queryset_without_tier(selectors.roster_base()), selected
    )
    fast = selectors.niche_tier_counts(niches, selected)
    as_numbers = [(c.tier.name, c.count, c.selected) for c in fast[0]]
    assert as_numbers == [(c.tier.name, c.count, c.selected) for c in general[0]]
    assert fast[1] == general[1]
    assert sum(c.count for c in fast[0]) == (7 if len(niches) == 2 else 5)  # each counted once


def test_niches_alone_only_when_nothing_else_filters(tiers):
    beauty = NicheFactory(name="Beauty", slug="beauty")
    for extra, alone in [
        ({}, True),
        ({"per_page": 50, "sort": "followers"}, True),
        ({"country": "France"}, False),
        ({"q": "ada"}, False),
        ({"platform": ["tiktok"]}, False),
        ({"followers_min": 0}, False),
    ]:
        filterset = RosterFilterSet(
            {"niche": [beauty.pk], **extra}, queryset=Influencer.objects.all()
        )
        assert filterset.is_valid()
        assert (filterset.niches_alone() is not None) is alone, extra
    filterset = RosterFilterSet({"country": "France"}, queryset=Influencer.objects.all())
    assert filterset.is_valid() and filterset.niches_alone() is None


def test_roster_page_counts_from_members_with_a_constant_query_count(
    admin_client, tiers, count_queries
):
    beauty = NicheFactory(name="Beauty", slug="beauty")
    url = reverse("influencers:influencer-list")
    params = {"niche": beauty.pk, "tier": tiers["Micro"].pk, "per_page": 50}
    for index in range(5):
        InfluencerFactory(audience=2_000 + index, niches=[beauty])
    response, five = count_queries(admin_client.get, url, params)
    assert response.context["total"] == 5
    for index in range(45):
        InfluencerFactory(audience=3_000 + index, niches=[beauty])
    InfluencerFactory(audience=500, niches=[beauty])
    response, fifty = count_queries(admin_client.get, url, params)
    assert five == fifty
    assert len(response.context["rows"]) == 50
    counts = {item.tier.name: item.count for item in response.context["tier_counts"]}
    assert counts == {"Nano": 1, "Micro": 50, "Macro": 0, "Mega": 0}


def test_check_finds_members_out_of_step_and_the_rebuild_mends_them(tiers):
    beauty = NicheFactory(name="Beauty", slug="beauty")
    gaming = NicheFactory(name="Gaming", slug="gaming")
    ada = InfluencerFactory(name="Ada", audience=1_500, niches=[beauty])
    call_command("refresh_niche_members", "--check", stdout=io.StringIO())

    ada.niches.add(gaming)  # around the services: no member for Gaming
    NicheMember.objects.filter(influencer=ada, niche=beauty).update(followers=1)
    bo = InfluencerFactory(name="Bo", audience=10)
    NicheMember.objects.create(niche=gaming, influencer=bo, followers=10)  # no such link
    with pytest.raises(CommandError, match=f"{ada.pk}, {bo.pk}"):
        call_command("refresh_niche_members", "--check", stdout=io.StringIO())

    call_command("refresh_niche_members", stdout=io.StringIO())
    call_command("refresh_niche_members", "--check", stdout=io.StringIO())
    assert members() == {("beauty", "Ada", 1_500), ("gaming", "Ada", 1_500)}
