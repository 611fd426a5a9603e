"""The roster page: rows, per-tier counts, sorting, paging, htmx partial, constant queries."""

import re

import pytest
from django.urls import reverse

from tests.factories import InfluencerFactory, NicheFactory, UserFactory

pytestmark = pytest.mark.django_db

URL = reverse("influencers:influencer-list")


def row_names(response):
    return [row["influencer"].name for row in response.context["rows"]]


def counts(response):
    return {item.tier.name: item.count for item in response.context["tier_counts"]}


def test_login_required(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_row_shows_name_handle_tier_followers_niches_platforms(admin_client, tiers):
    beauty = NicheFactory(name="Beauty", slug="beauty")
    owner = UserFactory(username="mia", first_name="Mia", last_name="Owner")
    InfluencerFactory(
        name="Zoe Glow",
        audience=12_345,
        audience__handle="zoeglow",
        audience__platform="tiktok",
        niches=[beauty],
        owner=owner,
        city="Lyon",
        country="France",
    )
    html = admin_client.get(URL).content.decode()
    assert "Zoe Glow" in html
    assert "@zoeglow" in html
    assert f'tier-badge tier-{tiers["Micro"].pk}">Micro<' in html
    assert "12.3K" in html
    assert "Beauty" in html and "TikTok" in html
    assert "Lyon, France" in html and "Mia Owner" in html


def test_tier_counts_cover_the_result_without_the_tier_filter(admin_client, tiers):
    beauty = NicheFactory(name="Beauty", slug="beauty")
    InfluencerFactory(audience=500, niches=[beauty])
    InfluencerFactory(audience=5_000, niches=[beauty])
    InfluencerFactory(audience=6_000, niches=[beauty])
    InfluencerFactory(audience=7_000)  # not in the niche: counted nowhere
    response = admin_client.get(URL, {"niche": beauty.pk, "tier": tiers["Micro"].pk})
    assert counts(response) == {"Nano": 1, "Micro": 2, "Macro": 0, "Mega": 0}
    assert response.context["total"] == 2
    assert len(response.context["rows"]) == 2
    html = response.content.decode()
    assert re.search(rf'id="tier-count-{tiers["Micro"].pk}"[^>]*>2<', html)


def test_sorts(admin_client, tiers):
    InfluencerFactory(name="Bravo", audience=300, audience__engagement_rate=9)
    InfluencerFactory(name="Alpha", audience=200, audience__engagement_rate=1)
    InfluencerFactory(name="Charlie", audience=100, audience__engagement_rate=5)
    assert row_names(admin_client.get(URL)) == ["Alpha", "Bravo", "Charlie"]
    assert row_names(admin_client.get(URL, {"sort": "followers"})) == ["Bravo", "Alpha", "Charlie"]
    assert row_names(admin_client.get(URL, {"sort": "engagement"})) == [
        "Bravo",
        "Charlie",
        "Alpha",
    ]
    assert row_names(admin_client.get(URL, {"sort": "newest"})) == ["Charlie", "Alpha", "Bravo"]
    # An unknown sort falls back to the name order rather than failing.
    assert row_names(admin_client.get(URL, {"sort": "bogus"})) == ["Alpha", "Bravo", "Charlie"]


def test_page_size_and_pages_keep_the_filters(admin_client, tiers):
    for index in range(30):
        InfluencerFactory(name=f"Person {index:02d}", audience=5_000)
    InfluencerFactory(name="Outsider", audience=10)
    micro = tiers["Micro"].pk
    first = admin_client.get(URL, {"tier": micro})
    assert len(first.context["rows"]) == 25
    assert first.context["paginator"].num_pages == 2
    html = first.content.decode()
    assert f"?tier={micro}&amp;page=2" in html
    second = admin_client.get(URL, {"tier": micro, "page": 2})
    assert row_names(second) == [f"Person {index}" for index in range(25, 30)]
    fifty = admin_client.get(URL, {"tier": micro, "per_page": 50})
    assert len(fifty.context["rows"]) == 30
    # Past the end shows the last page, not an error.
    assert row_names(admin_client.get(URL, {"tier": micro, "page": 99})) == row_names(second)


def test_htmx_request_gets_only_the_results_and_the_tier_counts(admin_client, tiers):
    InfluencerFactory(name="Only One", audience=5_000)
    response = admin_client.get(URL, {"q": "only"}, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert "Only One" in html
    assert "<html" not in html and 'id="roster-filters"' not in html
    assert 'id="roster-results"' in html
    assert f'id="tier-count-{tiers["Micro"].pk}" ' in html and 'hx-swap-oob="true"' in html


def test_full_page_has_a_plain_get_form_for_browsers_without_javascript(admin_client, tiers):
    html = admin_client.get(URL).content.decode()
    form = re.search(r'<form id="roster-filters" method="get" action="([^"]+)"', html)
    assert form and form.group(1) == URL
    assert 'type="submit"' in html
    assert 'hx-get="' in html


def test_the_form_shows_the_chosen_filters(admin_client, tiers):
    beauty = NicheFactory(name="Beauty", slug="beauty")
    NicheFactory(name="Gaming", slug="gaming")
    html = admin_client.get(
        URL,
        {
            "niche": beauty.pk,
            "tier": tiers["Macro"].pk,
            "sort": "followers",
            "per_page": 50,
            "platform": "tiktok",
            "q": "glow",
            "active_partnership": "true",
        },
    ).content.decode()
    # Niche and platform are checkbox lists (no Ctrl-click), under the same parameter names.
    assert f'name="niche" value="{beauty.pk}" id="niche-{beauty.pk}" checked>' in html
    assert 'name="platform" value="tiktok" id="platform-tiktok" checked>' in html
    assert 'name="platform" value="instagram" id="platform-instagram">' in html
    assert '<option value="followers" selected>' in html
    assert '<option value="50" selected>50</option>' in html
    assert '<option value="true" selected>Yes</option>' in html
    assert f'id="tier-{tiers["Macro"].pk}" checked' in html
    assert f'id="tier-{tiers["Micro"].pk}" checked' not in html
    assert 'value="glow"' in html


def test_bad_filter_values_show_an_error_not_a_500(admin_client, tiers):
    InfluencerFactory(audience=5_000)
    response = admin_client.get(
        URL, {"followers_min": "lots", "tier": "12345", "niche": "9" * 30, "owner": "9" * 30}
    )
    assert response.status_code == 200
    assert response.context["rows"] == []
    assert "Some filters are not valid" in response.content.decode()


def test_one_request_s_filters_and_errors_never_reach_the_next(admin_client, tiers):
    """The roster's form class is built once per process: each request's choices, values and
    errors must stay its own."""
    InfluencerFactory(name="Small", audience=5_000)
    InfluencerFactory(name="Big", audience=500_000)
    bad = admin_client.get(URL, {"followers_min": "lots", "tier": tiers["Macro"].pk})
    assert "Some filters are not valid" in bad.content.decode()

    html = admin_client.get(URL).content.decode()
    assert "Some filters are not valid" not in html and "lots" not in html
    assert f'id="tier-{tiers["Macro"].pk}" checked' not in html
    assert "Small" in html and "Big" in html


def test_export_link_carries_the_filters(admin_client, tiers):
    response = admin_client.get(URL, {"q": "ann", "tier": tiers["Micro"].pk})
    export = reverse("influencers:influencer-export")
    assert f"{export}?q=ann&amp;tier={tiers['Micro'].pk}" in response.content.decode()


def test_add_button_only_for_users_who_may_add(client, tiers):
    viewer = UserFactory(username="viewer")
    client.force_login(viewer)
    html = client.get(URL).content.decode()
    assert reverse("influencers:influencer-create") not in html


@pytest.mark.parametrize("sort", ["name", "followers"])
def test_query_count_is_the_same_for_5_and_50_rows(
    admin_client, tiers, count_queries, sort, session_queries
):
    beauty = NicheFactory(name="Beauty", slug="beauty")
    gaming = NicheFactory(name="Gaming", slug="gaming")

    def page():
        response = admin_client.get(URL, {"per_page": 50, "sort": sort})
        assert response.status_code == 200
        return response

    for index in range(5):
        InfluencerFactory(audience=1_000 + index, niches=[beauty, gaming])
    page()  # the new owners dropped the cached choices: read them again
    response, five = count_queries(page)
    assert len(response.context["rows"]) == 5
    for index in range(45):
        InfluencerFactory(audience=2_000 + index, niches=[beauty])
    page()
    response, fifty = count_queries(page)
    assert len(response.context["rows"]) == 50
    # session, user, the tier counts, the page's ids, its rows, their niches and accounts; the
    # filter choices and tier ranges come from the cache (crm/cache.py).
    assert five == fifty == 6 + session_queries


def test_query_count_with_every_filter_is_constant(
    admin_client, tiers, count_queries, session_queries
):
    beauty = NicheFactory(name="Beauty", slug="beauty")
    params = {
        "tier": tiers["Micro"].pk,
        "niche": beauty.pk,
        "q": "person",
        "platform": "instagram",
        "followers_min": 1,
        "active_partnership": "false",
        "per_page": 50,
    }
    for index in range(5):
        InfluencerFactory(name=f"Person {index}", audience=5_000, niches=[beauty])
    admin_client.get(URL, params)  # the new owners dropped the cached choices
    response, five = count_queries(admin_client.get, URL, params)
    assert len(response.context["rows"]) == 5
    for index in range(45):
        InfluencerFactory(name=f"Person x{index}", audience=5_000, niches=[beauty])
    admin_client.get(URL, params)
    response, fifty = count_queries(admin_client.get, URL, params)
    assert len(response.context["rows"]) == 50
    assert five == fifty == 6 + session_queries


@pytest.mark.parametrize("sort", ["name", "followers", "engagement", "newest"])
def test_pages_read_from_either_end_join_up_in_order(admin_client, tiers, sort):
    # Back-half pages are read in reverse order from the end; together the pages must still be
    # the whole result, each influencer once, in the chosen order.
    for index in range(60):
        InfluencerFactory(
            name=f"P{(index * 7) % 23:02d}",
            audience=1_000 + (index * 5) % 11,
            audience__engagement_rate=(index * 3) % 7,
        )
    everyone = row_names(admin_client.get(URL, {"sort": sort, "per_page": 100}))
    assert len(everyone) == 60
    paged = []
    page = 1
    while True:
        response = admin_client.get(URL, {"sort": sort, "per_page": 25, "page": page})
        paged += row_names(response)
        if not response.context["page_obj"].has_next():
            break
        page += 1
    assert paged == everyone
