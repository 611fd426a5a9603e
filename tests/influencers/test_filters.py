"""The roster's FilterSet: each filter alone, and combined, against hand-built influencers."""

import pytest

from influencers.filters import RosterFilterSet
from influencers.models import Influencer
from tests.factories import InfluencerFactory

pytestmark = pytest.mark.django_db


def names(data):
    filterset = RosterFilterSet(data, queryset=Influencer.objects.all())
    assert filterset.is_valid(), filterset.errors
    return sorted(filterset.qs.values_list("name", flat=True))


def test_no_filter_lists_everyone(roster):
    assert len(names({})) == 5


def test_tier_alone(roster):
    micro = roster["tiers"]["Micro"]
    assert names({"tier": [micro.pk]}) == ["Ben Micro Beauty", "Cleo Micro Gaming"]


def test_several_tiers(roster):
    tiers = roster["tiers"]
    assert names({"tier": [tiers["Nano"].pk, tiers["Mega"].pk]}) == ["Ana Nano", "Eve Mega"]


def test_niche_alone(roster):
    assert names({"niche": [roster["gaming"].pk]}) == ["Cleo Micro Gaming", "Dan Macro"]


def test_several_niches_list_each_influencer_once(roster):
    result = names({"niche": [roster["beauty"].pk, roster["gaming"].pk]})
    assert result == ["Ana Nano", "Ben Micro Beauty", "Cleo Micro Gaming", "Dan Macro"]


def test_niche_filter_is_an_exists_subquery_not_a_distinct_join(roster):
    filterset = RosterFilterSet({"niche": [roster["beauty"].pk]}, queryset=Influencer.objects.all())
    sql = str(filterset.qs.query).upper()
    assert "EXISTS" in sql
    assert "DISTINCT" not in sql


def test_text_matches_name_handle_or_email_case_insensitively(roster):
    assert names({"q": "MICRO"}) == ["Ben Micro Beauty", "Cleo Micro Gaming"]
    assert names({"q": "@BenBeauty"}) == ["Ben Micro Beauty"]
    assert names({"q": "studio.EXAMPLE"}) == ["Cleo Micro Gaming"]
    assert names({"q": "nobody-has-this"}) == []


def test_platform(roster):
    assert names({"platform": ["twitch", "youtube"]}) == ["Cleo Micro Gaming", "Dan Macro"]


def test_followers_range(roster):
    assert names({"followers_min": 5_000, "followers_max": 250_000}) == [
        "Ben Micro Beauty",
        "Cleo Micro Gaming",
        "Dan Macro",
    ]


def test_engagement_range(roster):
    assert names({"engagement_min": "5", "engagement_max": "10"}) == ["Ben Micro Beauty"]


def test_country_ignores_case(roster):
    assert names({"country": "FRANCE"}) == ["Ben Micro Beauty", "Eve Mega"]


def test_status(roster):
    assert names({"status": "paused"}) == ["Dan Macro"]


def test_owner(roster):
    assert names({"owner": roster["owner"].pk}) == ["Ben Micro Beauty"]


def test_tier_niche_and_text_combined(roster):
    micro = roster["tiers"]["Micro"]
    InfluencerFactory(name="Bea Micro Beauty", audience=9_000, niches=[roster["beauty"]])
    data = {"tier": [micro.pk], "niche": [roster["beauty"].pk]}
    assert names(data) == ["Bea Micro Beauty", "Ben Micro Beauty"]
    assert names({**data, "q": "ben"}) == ["Ben Micro Beauty"]


def test_tier_follows_an_admin_threshold_change(roster):
    micro = roster["tiers"]["Micro"]
    micro.min_followers = 10_000
    micro.save()
    assert names({"tier": [micro.pk]}) == ["Cleo Micro Gaming"]


@pytest.mark.parametrize(
    "data",
    [
        {"tier": ["999999"]},
        {"followers_min": "lots"},
        {"owner": "abc"},
        {"niche": ["x"]},
        {"niche": ["9" * 30]},
        {"tier": ["-" + "9" * 30]},
        {"owner": "9" * 30},
    ],
)
def test_bad_values_are_form_errors(roster, data):
    filterset = RosterFilterSet(data, queryset=Influencer.objects.all())
    assert not filterset.is_valid()


def test_text_search_is_a_union_of_per_column_lookups(roster):
    filterset = RosterFilterSet({"q": "ben"}, queryset=Influencer.objects.all())
    sql = str(filterset.qs.query).upper()
    assert sql.count("UNION ALL") == 2
    assert " OR " not in sql


def test_text_search_has_trigram_indexes_on_postgresql(db):
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("trigram indexes exist on PostgreSQL only")
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexname FROM pg_indexes WHERE indexname LIKE '%%_trgm'")
        names = {row[0] for row in cursor.fetchall()}
    assert names == {"influencer_name_trgm", "influencer_email_trgm", "account_handle_trgm"}
