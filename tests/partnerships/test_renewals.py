"""Renewing long-term partnerships: the next term's length, the confirmation page, undo, the
renewals list (each deal's own reminder, overdue terms, auto-renew) and the daily auto-renewal."""

from datetime import date, timedelta
from decimal import Decimal
from io import StringIO

from django.core.management import call_command
from django.urls import reverse
from hypothesis import given, settings
from hypothesis import strategies as st

from partnerships.models import Partnership
from partnerships.services import add_months, months_in_term, next_term, partnership_renew
from tests.factories import (
    CampaignFactory,
    DeliverableFactory,
    InfluencerFactory,
    PartnershipFactory,
)

Status = Partnership.Status
RENEWALS = reverse("partnerships:renewal-list")


def renew_url(partnership):
    return reverse("partnerships:partnership-renew", args=[partnership.pk])


def undo_url(partnership):
    return reverse("partnerships:partnership-renewal-undo", args=[partnership.pk])


def retainer(name="Rita Retainer", *, ends_in=10, **kwargs):
    today = date.today()
    kwargs.setdefault("start_date", today - timedelta(days=300))
    return PartnershipFactory(
        influencer=InfluencerFactory(name=name, audience=5_000),
        collaboration_type="long_term",
        campaign=kwargs.pop("campaign", None),
        status=kwargs.pop("status", Status.ACTIVE),
        monthly_retainer=kwargs.pop("monthly_retainer", Decimal("500")),
        end_date=today + timedelta(days=ends_in),
        **kwargs,
    )


# --- the next term's length ---------------------------------------------------------------


@settings(max_examples=300, deadline=None)
@given(
    start=st.dates(min_value=date(2000, 1, 1), max_value=date(2090, 12, 31)),
    days=st.one_of(st.integers(0, 800), st.sampled_from([27, 28, 29, 30, 364, 365, 366])),
)
def test_the_next_term_bills_as_many_months_as_the_current_one(start, days):
    """Any term (month ends and leap days included) is followed by one billing as many months;
    a term of whole months by as many whole months."""
    end = start + timedelta(days=days)
    new_start, new_end = next_term(Partnership(start_date=start, end_date=end))
    months = months_in_term(start, end)
    assert new_start == end + timedelta(days=1)
    assert new_end >= new_start
    assert months_in_term(new_start, new_end) == months
    if add_months(start, months) == new_start:
        assert add_months(new_start, months) - timedelta(days=1) == new_end


def test_a_leap_day_term_renews_for_twelve_months_not_thirteen(tiers):
    current = retainer(start_date=date(2024, 2, 29), ends_in=0)
    Partnership.objects.filter(pk=current.pk).update(end_date=date(2025, 2, 28))
    current.refresh_from_db()
    renewal = partnership_renew(partnership=current)
    assert (renewal.start_date, renewal.end_date) == (date(2025, 3, 1), date(2026, 2, 28))
    assert renewal.contract_value == Decimal("6000")  # 12 x 500, as the current term


# --- confirmation page and undo -----------------------------------------------------------


def test_renew_asks_for_confirmation_and_shows_the_new_term(admin_client, tiers):
    current = retainer(start_date=date(2026, 1, 1), ends_in=0, fee=Decimal("250"))
    Partnership.objects.filter(pk=current.pk).update(end_date=date(2026, 6, 30))
    response = admin_client.get(renew_url(current), {"next": RENEWALS})
    html = response.content.decode()
    assert response.status_code == 200
    assert "01 Jul 2026 - 31 Dec 2026" in html  # the new term, from the renewing service
    assert "EUR 3,000.00" in html  # 6 months x 500, the one-time fee not repeated
    assert f'name="next" value="{RENEWALS}"' in html
    assert not Partnership.objects.filter(renewed_from=current).exists()  # a GET changes nothing
    current.refresh_from_db()
    assert current.status == Status.ACTIVE

    response = admin_client.post(renew_url(current), {"next": RENEWALS})
    renewal = Partnership.objects.get(renewed_from=current)
    assert response.url == renewal.get_absolute_url()
    assert (renewal.start_date, renewal.end_date) == (date(2026, 7, 1), date(2026, 12, 31))


def test_the_renew_page_explains_a_refusal(admin_client, tiers):
    prospect = retainer(status=Status.NEGOTIATING)
    html = admin_client.get(renew_url(prospect)).content.decode()
    assert "Only an active long-term partnership can be renewed." in html
    assert "Renew for" not in html  # no button


def test_undo_renewal_puts_the_previous_term_back(admin_client, admin_user, tiers):
    current = retainer(campaign=CampaignFactory())
    renewal = partnership_renew(partnership=current, by=admin_user)
    page = admin_client.get(renewal.get_absolute_url()).content.decode()
    assert "Undo renewal" in page and undo_url(renewal) in page

    response = admin_client.post(undo_url(renewal))
    assert response.url == current.get_absolute_url()
    current.refresh_from_db()
    assert current.status == Status.ACTIVE
    assert not Partnership.objects.filter(pk=renewal.pk).exists()
    change = current.status_changes.first()
    assert (change.from_status, change.to_status, change.note) == (
        "completed",
        "active",
        "Renewal undone",
    )
    assert change.changed_by == admin_user
    # The audit trail keeps the deleted term and the previous term's way back to active.
    history = Partnership.history.model
    assert history.objects.filter(id=renewal.pk, history_type="-").exists()
    assert list(
        history.objects.filter(id=current.pk)
        .order_by("-history_date")
        .values_list("status", flat=True)[:2]
    ) == ["active", "completed"]
    # It can be renewed again, and shows on the renewals list again.
    assert current.influencer.name in admin_client.get(RENEWALS).content.decode()


def test_each_term_links_the_other_in_as_many_queries_as_any_partnership_page(
    admin_client, admin_user, tiers, count_queries, session_queries
):
    current = retainer(campaign=CampaignFactory())
    renewal = partnership_renew(partnership=current, by=admin_user)
    admin_client.get(current.get_absolute_url())  # fills the cached users and tiers
    for term, other, label in (
        (current, renewal, "Next term"),
        (renewal, current, "Previous term"),
    ):
        response, queries = count_queries(admin_client.get, term.get_absolute_url())
        html = response.content.decode()
        dates = f"{other.start_date:%d %b %Y} - {other.end_date:%d %b %Y}"
        assert (
            f'{label}</dt><dd class="col-6"><a href="{other.get_absolute_url()}">{dates}</a>'
            in html
        )
        # session, user, the partnership, its totals, status history and deliverables
        assert queries == 5 + session_queries, label
    assert undo_url(renewal) in admin_client.get(renewal.get_absolute_url()).content.decode()


def test_undo_is_refused_once_the_new_term_has_deliverables(admin_client, tiers):
    current = retainer()
    renewal = partnership_renew(partnership=current)
    DeliverableFactory(partnership=renewal)
    page = admin_client.get(renewal.get_absolute_url()).content.decode()
    assert undo_url(renewal) not in page and "can no longer be undone" in page
    response = admin_client.post(undo_url(renewal), follow=True)
    assert "already has deliverables, so its renewal can no longer be undone" in (
        response.content.decode()
    )
    assert Partnership.objects.filter(pk=renewal.pk).exists()
    current.refresh_from_db()
    assert current.status == Status.COMPLETED


def test_undo_of_a_partnership_that_is_no_renewal_is_refused(admin_client, tiers):
    current = retainer()
    response = admin_client.post(undo_url(current), follow=True)
    assert "This partnership is not a renewal." in response.content.decode()
    current.refresh_from_db()
    assert current.status == Status.ACTIVE


def test_a_viewer_can_neither_open_the_renew_page_nor_undo(client, role_user, tiers):
    current = retainer()
    renewal = partnership_renew(partnership=current)
    client.force_login(role_user("Viewer", username="vera"))
    assert client.get(renew_url(renewal)).status_code == 403
    assert client.post(undo_url(renewal)).status_code == 403
    assert "Undo renewal" not in client.get(renewal.get_absolute_url()).content.decode()
    assert Partnership.objects.filter(pk=renewal.pk).exists()


# --- renewals list ------------------------------------------------------------------------


def names(response):
    return {row.influencer.name for row in response.context["page_obj"].object_list}


def test_the_renewals_list_follows_each_deals_reminder_and_keeps_overdue_terms(admin_client, tiers):
    retainer("Due by its 30 days", ends_in=20)
    retainer("Not yet (30 days)", ends_in=40)
    retainer("Due by its 60 days", ends_in=50, renewal_reminder_days=60)
    retainer("Not yet (7 days)", ends_in=10, renewal_reminder_days=7)
    retainer("Overdue", ends_in=-40)
    retainer("Overdue contracted", ends_in=-3, status=Status.CONTRACTED)
    retainer("Closed", ends_in=-5, status=Status.COMPLETED)
    retainer("Cancelled", ends_in=5, status=Status.CANCELLED)
    renewed = retainer("Renewed", ends_in=5)
    partnership_renew(partnership=renewed)  # the new term ends far ahead: not listed
    PartnershipFactory(influencer=InfluencerFactory(name="One-off"), status=Status.ACTIVE)

    response = admin_client.get(RENEWALS)
    assert names(response) == {
        "Due by its 30 days",
        "Due by its 60 days",
        "Overdue",
        "Overdue contracted",
    }
    rows = response.context["page_obj"].object_list
    assert [row.influencer.name for row in rows][:2] == ["Overdue", "Overdue contracted"]
    html = response.content.decode()
    assert html.count("overdue</span>") == 2
    assert names(admin_client.get(RENEWALS, {"within": 45})) == names(response) | {
        "Not yet (30 days)",
        "Not yet (7 days)",
    }
    assert names(admin_client.get(RENEWALS, {"within": "junk"})) == names(response)


def test_auto_renew_says_when_it_renews_the_others_when_to_decide(admin_client, tiers):
    today = date.today()
    retainer("Auto", ends_in=10, auto_renew=True)
    retainer("Manual", ends_in=12)
    manual_late = retainer("Manual late", ends_in=-2)
    html = admin_client.get(RENEWALS).content.decode()
    assert f"Renews automatically on {today + timedelta(days=11):%d %b %Y}" in html
    assert f"Needs a decision by {today + timedelta(days=12):%d %b %Y}" in html
    assert f"Overdue: the term ended on {today - timedelta(days=2):%d %b %Y}" in html
    page = admin_client.get(manual_late.get_absolute_url()).content.decode()
    assert "Overdue: the term ended on" in page


def test_the_renewals_list_is_query_bounded(admin_client, tiers, django_assert_max_num_queries):
    """Session, user, the capped count, the page: four queries with 5 rows or with 50."""
    for index in range(5):
        retainer(f"R{index}", ends_in=index - 2)
    with django_assert_max_num_queries(4):
        admin_client.get(RENEWALS, {"per_page": 50})
    for index in range(45):
        retainer(f"S{index}", ends_in=index % 20 - 5, renewal_reminder_days=25)
    with django_assert_max_num_queries(4):
        response = admin_client.get(RENEWALS, {"per_page": 50})
    assert len(response.context["page_obj"]) == 50


def test_renew_automatic_renews_ended_auto_renew_terms_only(tiers):
    ended_auto = retainer("Ended auto", ends_in=-1, auto_renew=True)
    retainer("Running auto", ends_in=3, auto_renew=True)
    retainer("Ended manual", ends_in=-1)
    call_command("renew_automatic", stdout=StringIO())
    renewed = Partnership.objects.filter(renewed_from__isnull=False)
    assert [p.renewed_from_id for p in renewed] == [ended_auto.pk]
    assert renewed.get().start_date == ended_auto.end_date + timedelta(days=1)
