"""The dashboard (home page): each block's numbers, its link to the list behind it, and a fixed
number of queries whatever the data size."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from campaigns.models import Campaign
from partnerships.models import Partnership
from reports import selectors
from tests.factories import (
    CampaignFactory,
    DeliverableFactory,
    InfluencerFactory,
    PartnershipFactory,
)

pytestmark = pytest.mark.django_db

D = Decimal
Status = Partnership.Status


def today():
    return timezone.localdate()


def days(n):
    return today() + timedelta(days=n)


def long_term(end, status=Status.ACTIVE, **kwargs):
    return PartnershipFactory(
        collaboration_type="long_term",
        start_date=days(-100),
        end_date=end,
        status=status,
        **kwargs,
    )


def published(partnership, on, revenue):
    return DeliverableFactory(
        partnership=partnership,
        status="published",
        published_on=on,
        due_date=on,
        url="https://example.com/p",
        revenue=revenue,
    )


@pytest.fixture
def home(admin_client):
    def get():
        response = admin_client.get(reverse("home"))
        assert response.status_code == 200
        return response

    return get


def test_pipeline_counts_link_to_the_filtered_list(home, tiers):
    for status, count in ((Status.PROSPECT, 2), (Status.NEGOTIATING, 1), (Status.DECLINED, 1)):
        for _ in range(count):
            PartnershipFactory(status=status)
    response = home()
    counts = {value: count for value, _, count in response.context["pipeline"]}
    assert counts == {
        "prospect": 2,
        "contacted": 0,
        "negotiating": 1,
        "contracted": 0,
        "active": 0,
        "completed": 0,
        "declined": 1,
        "cancelled": 0,
    }
    html = response.content.decode()
    list_url = reverse("partnerships:partnership-list")
    assert f'href="{list_url}?status=prospect">Prospect <span class="badge' in html
    assert ">2</span>" in html


def test_renewals_due_follow_each_deals_reminder_and_keep_overdue_terms(home, tiers):
    soon = long_term(days(10), influencer=InfluencerFactory(name="Renew Soon", audience=4000))
    long_term(days(60), influencer=InfluencerFactory(name="Renew Later", audience=4000))
    early = long_term(days(60), influencer=InfluencerFactory(name="Asks Early", audience=4000))
    Partnership.objects.filter(pk=early.pk).update(renewal_reminder_days=90)
    overdue = long_term(days(-5), influencer=InfluencerFactory(name="Ran Out", audience=4000))
    long_term(days(5), status=Status.COMPLETED, influencer=InfluencerFactory(name="Done"))
    PartnershipFactory(due_date=days(3), influencer=InfluencerFactory(name="One Off"))
    response = home()
    # The same deals, in the same order, as the renewals list behind the link.
    assert response.context["renewal_count"] == 3
    assert response.context["renewals"] == [overdue, soon, early]
    listed = home_client_renewals(response)
    assert listed == ["Ran Out", "Renew Soon", "Asks Early"]
    html = response.content.decode()
    assert "Renew Later" not in html and "One Off" not in html and "Done" not in html
    assert "overdue" in html
    assert reverse("partnerships:partnership-detail", args=[soon.pk]) in html
    assert f'href="{reverse("partnerships:renewal-list")}"' in html


def home_client_renewals(response):
    """The names on the renewals list page behind the dashboard's link, in page order."""
    html = response.client.get(reverse("partnerships:renewal-list")).content.decode()
    names = ["Ran Out", "Renew Soon", "Asks Early", "Renew Later", "Done", "One Off"]
    return sorted((name for name in names if name in html), key=html.index)


def test_deliverables_due_this_week_and_overdue(home, tiers):
    partnership = PartnershipFactory(status=Status.ACTIVE)
    DeliverableFactory(partnership=partnership, due_date=today())
    DeliverableFactory(partnership=partnership, due_date=days(6), status="approved")
    DeliverableFactory(partnership=partnership, due_date=days(7))  # next week
    DeliverableFactory(partnership=partnership, due_date=days(-5))  # overdue
    DeliverableFactory(partnership=partnership, due_date=days(-2), status="in_review")  # overdue
    published(partnership, days(-5), D("0"))  # published late: not overdue
    response = home()
    assert response.context["deliverables"] == {"due_this_week": 2, "overdue": 2}
    html = response.content.decode()
    deliverables = reverse("partnerships:deliverable-list")
    week = f"?due_after={today():%Y-%m-%d}&amp;due_before={days(6):%Y-%m-%d}"
    assert f'href="{deliverables}{week}" id="due-this-week">2 due this week' in html
    assert f'href="{deliverables}?overdue=1" id="overdue" class="text-danger">2 overdue' in html


def test_active_campaigns_committed_vs_budget(home, tiers):
    campaign = CampaignFactory(name="Spring launch", budget=D("10000"))
    CampaignFactory(name="Still planning", status=Campaign.Status.PLANNING)
    PartnershipFactory(campaign=campaign, fee=D("3000"), status=Status.ACTIVE)
    PartnershipFactory(campaign=campaign, fee=D("2000"), status=Status.NEGOTIATING)
    PartnershipFactory(campaign=campaign, fee=D("1000"), status=Status.DECLINED)
    response = home()
    campaigns = list(response.context["campaigns"])
    assert [c.name for c in campaigns] == ["Spring launch"]
    # As the campaign pages count it: signed partnerships only (the negotiation is pipeline).
    assert campaigns[0].committed == D("3000.00")
    html = response.content.decode()
    assert "EUR 3,000.00 of EUR 10,000.00" in html
    assert "<progress" in html and "Still planning" not in html
    assert f'href="{reverse("campaigns:campaign-list")}?status=active"' in html


def test_top_influencers_by_roi_in_the_last_90_days(home, tiers):
    ema = PartnershipFactory(
        influencer=InfluencerFactory(name="Ema", audience=3000), fee=D("1000"), status="active"
    )
    published(ema, days(-10), D("3000"))
    published(ema, days(-200), D("0"))  # outside the window: takes half the fee with it
    fay = PartnershipFactory(
        influencer=InfluencerFactory(name="Fay", audience=3000), fee=D("1000"), status="active"
    )
    published(fay, days(-5), D("1500"))
    old = PartnershipFactory(
        influencer=InfluencerFactory(name="Old", audience=3000), fee=D("10"), status="completed"
    )
    published(old, days(-120), D("9999"))
    prospect = PartnershipFactory(influencer=InfluencerFactory(name="Pro", audience=3000))
    published(prospect, days(-1), D("9999"))
    response = home()
    top = response.context["top_roi"]
    assert [(t.influencer.name, t.results.cost, t.results.roi) for t in top] == [
        ("Ema", D("500.00"), D("500.00")),  # (3,000 - 500) / 500
        ("Fay", D("1000.00"), D("50.00")),
    ]
    html = response.content.decode()
    assert reverse("influencers:influencer-detail", args=[top[0].influencer.pk]) in html
    assert "500.00%" in html


def test_empty_dashboard_says_so(home, tiers):
    html = home().content.decode()
    assert "No long-term partnership needs a renewal decision." in html
    assert "No active campaign." in html
    assert "0 due this week" in html


def make_rows(n):
    campaign = CampaignFactory()
    for index in range(n):
        influencer = InfluencerFactory(audience=1000 + index)
        partnership = long_term(days(3 + index % 20), influencer=influencer)
        published(partnership, days(-1 - index % 30), D("100"))
        DeliverableFactory(partnership=partnership, due_date=days(index % 7 - 3))
        PartnershipFactory(campaign=campaign, influencer=influencer, status=Status.ACTIVE)
        CampaignFactory(name=f"Active {index}")


def test_query_count_is_fixed(admin_client, tiers, django_assert_num_queries, session_queries):
    def count():
        with CaptureQueriesContext(connection) as context:
            admin_client.get(reverse("home"))
        return len(context.captured_queries)

    make_rows(5)
    five = count()
    make_rows(45)
    assert count() == five
    # session, user, pipeline, renewals (count, ids, rows), deliverables (due this week,
    # overdue), campaigns, top ROI (report + influencers).
    with django_assert_num_queries(10 + session_queries):
        admin_client.get(reverse("home"))


def test_selectors_take_a_date(tiers):
    long_term(days(20))
    assert selectors.renewals_due(today=days(15))[1] == 1
    assert selectors.renewals_due(today=days(-20))[1] == 0
