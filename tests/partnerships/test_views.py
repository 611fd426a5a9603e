"""Partnership pages: list filters, board moves, detail metrics, renewals, deliverables, query
counts pinned with 5 and with 50 rows, and permissions."""

import re
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from partnerships.models import Partnership
from tests.factories import (
    CampaignFactory,
    DeliverableFactory,
    InfluencerFactory,
    PartnershipFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db
Status = Partnership.Status
LIST = reverse("partnerships:partnership-list")
BOARD = reverse("partnerships:partnership-board")
RENEWALS = reverse("partnerships:renewal-list")
DELIVERABLES = reverse("partnerships:deliverable-list")


def detail_url(partnership):
    return reverse("partnerships:partnership-detail", args=[partnership.pk])


def names(response):
    return {row.influencer.name for row in response.context["page_obj"].object_list}


def make_partnerships(count, **kwargs):
    campaign = kwargs.pop("campaign", None) or CampaignFactory()
    return [
        PartnershipFactory(
            influencer=InfluencerFactory(audience=5_000 + index), campaign=campaign, **kwargs
        )
        for index in range(count)
    ]


# --- list ---------------------------------------------------------------------------------


def test_list_filters(admin_client, tiers):
    spring, autumn = CampaignFactory(name="Spring"), CampaignFactory(name="Autumn")
    marketer = UserFactory(username="mara")
    PartnershipFactory(
        influencer=InfluencerFactory(name="Nano one", audience=500),
        campaign=spring,
        status=Status.CONTACTED,
    )
    PartnershipFactory(
        influencer=InfluencerFactory(name="Macro one", audience=300_000),
        campaign=autumn,
        status=Status.ACTIVE,
        owner=marketer,
    )
    PartnershipFactory(
        influencer=InfluencerFactory(name="Micro retainer", audience=8_000),
        collaboration_type="long_term",
        campaign=None,
        status=Status.ACTIVE,
        end_date=date.today() + timedelta(days=20),
    )
    PartnershipFactory(
        influencer=InfluencerFactory(name="Micro later", audience=9_000),
        collaboration_type="long_term",
        campaign=None,
        status=Status.ACTIVE,
        end_date=date.today() + timedelta(days=90),
    )
    everyone = {"Nano one", "Macro one", "Micro retainer", "Micro later"}
    assert names(admin_client.get(LIST)) == everyone
    assert names(admin_client.get(LIST, {"collaboration_type": "one_off"})) == {
        "Nano one",
        "Macro one",
    }
    assert names(admin_client.get(LIST, {"status": ["contacted", "active"]})) == everyone
    assert names(admin_client.get(LIST, {"status": "contacted"})) == {"Nano one"}
    micro, macro = tiers["Micro"].pk, tiers["Macro"].pk
    assert names(admin_client.get(LIST, {"tier": micro})) == {"Micro retainer", "Micro later"}
    assert names(admin_client.get(LIST, {"tier": [micro, macro]})) == everyone - {"Nano one"}
    assert names(admin_client.get(LIST, {"campaign": spring.pk})) == {"Nano one"}
    assert names(admin_client.get(LIST, {"owner": marketer.pk})) == {"Macro one"}
    assert names(admin_client.get(LIST, {"renewal_due_within": 30})) == {"Micro retainer"}
    assert names(admin_client.get(LIST, {"renewal_due_within": 120})) == {
        "Micro retainer",
        "Micro later",
    }


def test_list_tier_is_the_current_one(admin_client, tiers):
    PartnershipFactory(influencer=InfluencerFactory(name="Riser", audience=150_000))
    html = admin_client.get(LIST).content.decode()
    assert f'tier-badge tier-{tiers["Macro"].pk}">Macro<' in html


@pytest.mark.parametrize(
    "query",
    [
        {"status": "nonsense"},
        {"tier": "abc"},
        {"campaign": "999999"},
        {"renewal_due_within": "-3"},
        {"renewal_due_within": "x"},
        {"page": "9999"},
    ],
)
def test_list_bad_input_never_500(admin_client, tiers, query):
    response = admin_client.get(LIST, query)
    assert response.status_code in (200, 404)


def test_list_query_count_is_constant(
    admin_client, tiers, django_assert_num_queries, session_queries
):
    make_partnerships(5)
    # session, user, count, page, 3 filter choices
    with django_assert_num_queries(6 + session_queries) as five:
        assert len(admin_client.get(LIST, {"per_page": 50}).context["page_obj"]) == 5
    make_partnerships(45)
    with django_assert_num_queries(6 + session_queries):
        assert len(admin_client.get(LIST, {"per_page": 50}).context["page_obj"]) == 50
    assert len(five.captured_queries) == 6 + session_queries


def test_list_with_filters_query_count_is_constant(admin_client, tiers, count_queries):
    campaign = CampaignFactory()
    query = {
        "tier": tiers["Micro"].pk,
        "status": "prospect",
        "campaign": campaign.pk,
        "per_page": 50,
    }
    make_partnerships(5, campaign=campaign)
    admin_client.get(LIST, query)  # the new owners and niches dropped the cached reads
    _, five = count_queries(admin_client.get, LIST, query)
    make_partnerships(45, campaign=campaign)
    admin_client.get(LIST, query)
    response, fifty = count_queries(admin_client.get, LIST, query)
    assert len(response.context["page_obj"]) == 50
    assert five == fifty


# --- board --------------------------------------------------------------------------------


def test_board_shows_a_column_per_status_with_cards(admin_client, tiers):
    PartnershipFactory(influencer=InfluencerFactory(name="Nego"), status=Status.NEGOTIATING)
    response = admin_client.get(BOARD)
    columns = {status: cards for status, _label, cards, _total in response.context["columns"]}
    assert list(columns) == list(Status)
    assert [card.influencer.name for card in columns[Status.NEGOTIATING]] == ["Nego"]
    html = response.content.decode()
    assert 'aria-label="Move Nego to Contracted"' in html
    assert 'aria-label="Move Nego to Completed"' not in html  # no skipping


def test_board_is_bounded_with_a_see_all_link(admin_client, tiers):
    make_partnerships(14, status=Status.CONTACTED)
    response = admin_client.get(BOARD)
    column = {s: (cards, total) for s, _l, cards, total in response.context["columns"]}
    cards, total = column[Status.CONTACTED]
    assert (len(cards), total) == (12, 14)
    assert f'href="{LIST}?status=contacted">See all 14</a>' in response.content.decode()


def test_board_column_counts_are_capped(admin_client, tiers, monkeypatch):
    monkeypatch.setattr("partnerships.selectors.BOARD_COUNT_CAP", 3)
    monkeypatch.setattr("partnerships.selectors.BOARD_CARDS_PER_COLUMN", 2)
    make_partnerships(5, status=Status.CONTACTED)
    html = admin_client.get(BOARD).content.decode()
    assert f'href="{LIST}?status=contacted">See all 3+</a>' in html


def test_board_query_count_is_constant(admin_client, tiers, count_queries, session_queries):
    for status in (Status.PROSPECT, Status.NEGOTIATING, Status.ACTIVE, Status.DECLINED):
        make_partnerships(2, status=status)
    _, few = count_queries(admin_client.get, BOARD)
    for status in Status:
        make_partnerships(6, status=status)
    response, many = count_queries(admin_client.get, BOARD)
    assert sum(len(cards) for _s, _l, cards, _t in response.context["columns"]) == 56
    # session, user, 8 x (capped count + cards), campaign and owner choices
    assert few == many == 19 + session_queries


def test_board_move_with_htmx_swaps_the_board(admin_client, tiers):
    partnership = PartnershipFactory(status=Status.NEGOTIATING)
    url = reverse("partnerships:partnership-move", args=[partnership.pk])
    response = admin_client.post(
        url,
        {"status": "contracted", "next": f"{BOARD}?collaboration_type=one_off"},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    assert response.templates[0].name == "partnerships/_board.html"
    html = response.content.decode()
    assert html.lstrip().startswith('<div id="board"')
    assert "moved to Contracted" in html
    contracted = re.search(r'data-status="contracted".*?</section>', html, re.S).group(0)
    assert f'id="card-{partnership.pk}"' in contracted
    partnership.refresh_from_db()
    assert partnership.status == Status.CONTRACTED
    assert partnership.tier_at_signing == tiers["Micro"]


def test_board_move_without_javascript_redirects_back(admin_client, tiers):
    partnership = PartnershipFactory(status=Status.PROSPECT)
    url = reverse("partnerships:partnership-move", args=[partnership.pk])
    response = admin_client.post(url, {"status": "contacted", "next": BOARD})
    assert response.status_code == 302 and response.url == BOARD
    page = admin_client.get(BOARD)
    assert page.content.decode().count("moved to Contacted") == 1


def test_refused_move_says_why_and_changes_nothing(admin_client, tiers):
    partnership = PartnershipFactory(status=Status.PROSPECT)
    url = reverse("partnerships:partnership-move", args=[partnership.pk])
    response = admin_client.post(url, {"status": "completed"}, follow=True)
    assert "cannot move from Prospect to Completed" in response.content.decode()
    partnership.refresh_from_db()
    assert partnership.status == Status.PROSPECT
    response = admin_client.post(url, {"status": "bogus"}, follow=True)
    assert "Choose a pipeline stage" in response.content.decode()


def test_move_refuses_an_outside_next_url(admin_client, tiers):
    partnership = PartnershipFactory(status=Status.PROSPECT)
    url = reverse("partnerships:partnership-move", args=[partnership.pk])
    response = admin_client.post(url, {"status": "contacted", "next": "https://evil.example/"})
    assert response.url == detail_url(partnership)


# --- detail -------------------------------------------------------------------------------


def metric_cells(response):
    html = response.content.decode()
    return dict(re.findall(r'id="metric-([a-z-]+)">([^<]*)<', html))


def test_detail_metrics_from_hand_computed_results(admin_client, tiers):
    partnership = PartnershipFactory(status=Status.ACTIVE, fee=Decimal("1000"))  # 5,000 followers
    DeliverableFactory(
        partnership=partnership,
        impressions=10_000,
        reach=8_000,
        likes=300,
        comments=50,
        shares=100,
        saves=50,
        clicks=200,
        conversions=10,
        revenue=Decimal("1500"),
    )
    DeliverableFactory(
        partnership=partnership,
        impressions=10_000,
        reach=2_000,
        likes=100,
        clicks=50,
        revenue=Decimal("500"),
    )
    response = admin_client.get(detail_url(partnership))
    results = response.context["results"]
    assert (results.impressions, results.engagements, results.deliverables) == (20_000, 600, 2)
    assert metric_cells(response) == {
        "cost": "EUR 1,000.00",
        "engagement-rate": "6.00%",  # 600 / (5,000 followers x 2 deliverables) x 100
        "engagement-rate-by-reach": "6.00%",  # 600 / 10,000 x 100
        "cpm": "50.00",  # 1,000 / 20,000 x 1,000
        "cpe": "1.67",  # 1,000 / 600
        "cpc": "4.00",  # 1,000 / 250
        "cpa": "100.00",  # 1,000 / 10
        "roas": "2.00",  # 2,000 / 1,000
        "roi": "100.00%",  # (2,000 - 1,000) / 1,000 x 100
    }


def test_detail_zero_denominators_show_a_dash(admin_client, tiers):
    no_results = PartnershipFactory(status=Status.ACTIVE, fee=Decimal("800"))
    cells = metric_cells(admin_client.get(detail_url(no_results)))
    assert cells == {
        "cost": "EUR 800.00",
        "engagement-rate": "-",  # no deliverable yet: no audience to divide by
        "engagement-rate-by-reach": "-",
        "cpm": "-",
        "cpe": "-",
        "cpc": "-",
        "cpa": "-",
        "roas": "0.00",
        "roi": "-100.00%",
    }
    free = PartnershipFactory(status=Status.ACTIVE, fee=Decimal("0"))
    DeliverableFactory(partnership=free, impressions=100, likes=5, revenue=Decimal("10"))
    cells = metric_cells(admin_client.get(detail_url(free)))
    assert cells["roas"] == "-" and cells["roi"] == "-"
    assert cells["cpe"] == "0.00" and cells["cpc"] == "-"


def test_detail_shows_terms_and_status_history(admin_client, tiers):
    partnership = PartnershipFactory(status=Status.NEGOTIATING)
    admin_client.post(
        reverse("partnerships:partnership-move", args=[partnership.pk]), {"status": "contracted"}
    )
    html = admin_client.get(detail_url(partnership)).content.decode()
    history = re.search(r'id="status-history".*?</ul>', html, re.S).group(0)
    assert "Negotiating &rarr; <strong>Contracted</strong> by boss" in history
    assert "EUR 1,000.00" in html  # contract value


def test_detail_names_the_owner_and_the_tier_at_signing_as_edited(admin_client, tiers):
    def terms(partnership):
        html = admin_client.get(detail_url(partnership)).content.decode()
        owner = re.search(r"<dt[^>]*>Owner</dt><dd[^>]*>(.*?)</dd>", html).group(1)
        badge = re.search(
            r'tier at signing</span> <span class="badge tier-badge tier-(\d+)">(.*?)<', html
        )
        return owner, badge and (int(badge.group(1)), badge.group(2))

    owner = UserFactory(username="odile", first_name="Odile", last_name="Marsh")
    signed = PartnershipFactory(status=Status.ACTIVE, owner=owner)  # 5,000 followers: Micro
    micro = tiers["Micro"]
    assert terms(signed) == ("Odile Marsh", (micro.pk, "Micro"))
    assert terms(PartnershipFactory(owner=None)) == ("-", None)  # a prospect: no tier yet

    # The admin renames the tier and the user: the next load says so.
    micro.name = "Small"
    micro.save()
    owner.first_name = owner.last_name = ""
    owner.save()
    assert terms(signed) == ("odile", (micro.pk, "Small"))


def test_detail_query_count_is_constant(admin_client, tiers, count_queries, session_queries):
    partnership = PartnershipFactory(status=Status.ACTIVE)
    for _ in range(5):
        DeliverableFactory(partnership=partnership, impressions=10, likes=1)
    admin_client.get(detail_url(partnership))  # fills the cached users and tiers
    _, five = count_queries(admin_client.get, detail_url(partnership))
    for _ in range(45):
        DeliverableFactory(partnership=partnership, impressions=10, likes=1)
    response, fifty = count_queries(admin_client.get, detail_url(partnership))
    assert response.context["results"].deliverables == 50
    # session, user, the partnership, its totals, status history and deliverables; the owner
    # and the tier at signing come from the cache (crm/cache.py).
    assert five == fifty == 5 + session_queries


# --- renewals -----------------------------------------------------------------------------


def retainer(name, days_left, **kwargs):
    return PartnershipFactory(
        influencer=InfluencerFactory(name=name, audience=5_000),
        collaboration_type="long_term",
        campaign=kwargs.pop("campaign", None),
        status=kwargs.pop("status", Status.ACTIVE),
        start_date=date.today() - timedelta(days=300),
        end_date=date.today() + timedelta(days=days_left),
        **kwargs,
    )


def test_renew_from_the_renewal_list(admin_client, tiers):
    current = retainer("Soon", 10, campaign=CampaignFactory())
    response = admin_client.post(
        reverse("partnerships:partnership-renew", args=[current.pk]), {"next": RENEWALS}
    )
    renewal = Partnership.objects.get(renewed_from=current)
    assert response.url == detail_url(renewal)
    assert renewal.start_date == current.end_date + timedelta(days=1)
    page = admin_client.get(detail_url(renewal)).content.decode()
    assert "Previous term" in page and "Renewed: the next term runs" in page
    assert names(admin_client.get(RENEWALS)) == set()  # renewed: no longer due


def test_renewal_list_query_count_is_constant(admin_client, tiers, count_queries):
    for index in range(5):
        retainer(f"R{index}", 5)
    _, five = count_queries(admin_client.get, RENEWALS, {"per_page": 50})
    for index in range(45):
        retainer(f"S{index}", 5)
    response, fifty = count_queries(admin_client.get, RENEWALS, {"per_page": 50})
    assert len(response.context["page_obj"]) == 50
    assert five == fifty


# --- deliverables -------------------------------------------------------------------------


def test_deliverable_list_filters(admin_client, tiers):
    today = date.today()
    partnership = PartnershipFactory(status=Status.ACTIVE)
    late = DeliverableFactory(partnership=partnership, due_date=today - timedelta(days=3))
    DeliverableFactory(
        partnership=partnership,
        due_date=today - timedelta(days=5),
        status="published",
        published_on=today - timedelta(days=5),
        url="https://x.example/p",
    )
    upcoming = DeliverableFactory(partnership=partnership, due_date=today + timedelta(days=4))

    def ids(query):
        response = admin_client.get(DELIVERABLES, query)
        return {d.pk for d in response.context["page_obj"].object_list}

    assert ids({"overdue": "1"}) == {late.pk}
    assert ids({"due_after": today.isoformat()}) == {upcoming.pk}
    assert ids({"due_before": today.isoformat(), "status": "planned"}) == {late.pk}
    assert len(ids({})) == 3
    assert admin_client.get(DELIVERABLES, {"due_after": "31/31/2026"}).status_code == 200


def test_deliverable_list_query_count_is_constant(admin_client, tiers, count_queries):
    partnership = PartnershipFactory(status=Status.ACTIVE)
    for _ in range(5):
        DeliverableFactory(partnership=partnership)
    _, five = count_queries(admin_client.get, DELIVERABLES, {"per_page": 50})
    others = make_partnerships(45, status=Status.ACTIVE)
    for other in others:
        DeliverableFactory(partnership=other)
    response, fifty = count_queries(admin_client.get, DELIVERABLES, {"per_page": 50})
    assert len(response.context["page_obj"]) == 50
    assert five == fifty


# --- permissions --------------------------------------------------------------------------


def test_a_reader_sees_pages_but_cannot_write(client, tiers):
    partnership = PartnershipFactory(status=Status.NEGOTIATING)
    reader = UserFactory(username="reader")
    client.force_login(reader)
    assert client.get(LIST).status_code == 200
    board = client.get(BOARD).content.decode()
    assert "move-button" not in board and "Log a partnership" not in board
    detail = client.get(detail_url(partnership)).content.decode()
    assert "Edit terms" not in detail and "Add a deliverable" not in detail
    for url in (
        reverse("partnerships:partnership-create"),
        reverse("partnerships:partnership-update", args=[partnership.pk]),
        reverse("partnerships:deliverable-create", args=[partnership.pk]),
    ):
        assert client.get(url).status_code == 403
    move = reverse("partnerships:partnership-move", args=[partnership.pk])
    assert client.post(move, {"status": "contracted"}).status_code == 403
    renew = reverse("partnerships:partnership-renew", args=[partnership.pk])
    assert client.post(renew).status_code == 403
    partnership.refresh_from_db()
    assert partnership.status == Status.NEGOTIATING


def test_a_user_with_change_permission_can_move(client, tiers):
    partnership = PartnershipFactory(status=Status.NEGOTIATING)
    mover = UserFactory(username="mover")
    mover.user_permissions.add(Permission.objects.get(codename="change_partnership"))
    client.force_login(mover)
    move = reverse("partnerships:partnership-move", args=[partnership.pk])
    assert client.post(move, {"status": "contracted"}).status_code == 302
    partnership.refresh_from_db()
    assert partnership.status == Status.CONTRACTED


def test_anonymous_visitors_are_sent_to_login(client):
    assert client.get(LIST).status_code == 302


def test_list_count_is_capped(admin_client, tiers, monkeypatch):
    monkeypatch.setattr("partnerships.paginators.CappedCountPaginator.cap", 3)
    make_partnerships(5)
    response = admin_client.get(LIST)
    assert "3+ partnerships" in response.content.decode()
    assert len(response.context["page_obj"]) == 4  # the cap + 1 rows counted, all on page 1
    make_partnerships(1)
    assert (
        admin_client.get(LIST, {"campaign": CampaignFactory().pk}).context["paginator"].count == 0
    )


def test_page_size_choice_and_bad_sizes(admin_client, tiers):
    make_partnerships(30)
    assert len(admin_client.get(LIST).context["page_obj"]) == 25
    assert len(admin_client.get(LIST, {"per_page": 50}).context["page_obj"]) == 30
    assert len(admin_client.get(LIST, {"per_page": 7}).context["page_obj"]) == 25
    html = admin_client.get(LIST, {"status": "prospect"}).content.decode()
    assert 'href="?status=prospect&amp;per_page=50">50</a>' in html


def test_renewing_needs_both_add_and_change(client, tiers):
    current = retainer("Soon", 10)
    user = UserFactory(username="adder")
    user.user_permissions.add(Permission.objects.get(codename="add_partnership"))
    client.force_login(user)
    page = client.get(RENEWALS).content.decode()
    assert "Soon" in page and 'aria-label="Renew Soon"' not in page
    renew = reverse("partnerships:partnership-renew", args=[current.pk])
    assert client.post(renew).status_code == 403
    user.user_permissions.add(Permission.objects.get(codename="change_partnership"))
    user = type(user).objects.get(pk=user.pk)  # fresh permission cache
    client.force_login(user)
    assert client.post(renew).status_code == 302
    assert Partnership.objects.filter(renewed_from=current).exists()
