"""A partnership's stored result totals (what the tier comparison and the dashboard read) always
equal the sums over its deliverables, whichever way the deliverables were written."""

import io
import threading
import time
from datetime import date
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, transaction
from django.db.models import Count, Sum
from django.urls import reverse

from influencers.services import social_account_create
from partnerships.models import (
    Deliverable,
    Partnership,
    PartnershipDayResults,
    PartnershipMonthResults,
    PartnershipQuarterResults,
    PartnershipResults,
)
from partnerships.services import (
    RESULT_TOTAL_FIELDS,
    deliverable_create,
    deliverable_update,
    partnership_move,
    partnership_results_refresh,
    partnership_update,
)
from tests.factories import (
    CampaignFactory,
    DeliverableFactory,
    InfluencerFactory,
    PartnershipFactory,
)
from tests.form_data import form_post_data

pytestmark = pytest.mark.django_db


def stored(partnership):
    """The stored totals, or zeros when the partnership has no row."""
    row = PartnershipResults.objects.filter(partnership=partnership).first()
    if row is None:
        return {"deliverables": 0, **dict.fromkeys(RESULT_TOTAL_FIELDS, 0)}
    return {
        "deliverables": row.deliverables,
        **{name: getattr(row, name) for name in RESULT_TOTAL_FIELDS},
    }


def summed(partnership):
    """The same numbers summed from the deliverables right now."""
    row = Deliverable.objects.filter(partnership=partnership).aggregate(
        deliverables=Count("pk"), **{name: Sum(name) for name in RESULT_TOTAL_FIELDS}
    )
    return {name: value or 0 for name, value in row.items()}


def published(**results):
    return {
        "kind": Deliverable.Kind.POST,
        "platform": "instagram",
        "status": Deliverable.Status.PUBLISHED,
        "published_on": date(2026, 5, 1),
        "url": "https://example.com/p/1",
        **results,
    }


def test_creating_and_updating_deliverables_keeps_the_totals(tiers):
    partnership = PartnershipFactory(status=Partnership.Status.ACTIVE)
    assert stored(partnership)["deliverables"] == 0

    first = deliverable_create(
        partnership=partnership,
        **published(impressions=1000, reach=800, likes=50, clicks=10, revenue=Decimal("99.50")),
    )
    deliverable_create(partnership=partnership, **published(impressions=500, reach=400))
    totals = stored(partnership)
    assert totals["deliverables"] == 2
    assert totals["impressions"] == 1500
    assert totals["revenue"] == Decimal("99.50")

    deliverable_update(deliverable=first, likes=70, revenue=Decimal("120"))
    assert stored(partnership) == summed(partnership)
    assert stored(partnership)["likes"] == 70


def test_moving_a_deliverable_updates_both_partnerships(tiers):
    old, new = PartnershipFactory.create_batch(2, status=Partnership.Status.ACTIVE)
    deliverable = deliverable_create(partnership=old, **published(impressions=900, reach=100))

    deliverable_update(deliverable=deliverable, partnership=new)

    assert stored(old)["deliverables"] == 0
    assert stored(new)["impressions"] == 900


def test_refresh_of_everything_matches_the_deliverables(tiers):
    partnerships = PartnershipFactory.create_batch(3, status=Partnership.Status.ACTIVE)
    for number, partnership in enumerate(partnerships):
        DeliverableFactory.create_batch(number + 1, partnership=partnership, impressions=10)
    PartnershipResults.objects.all().delete()

    partnership_results_refresh()

    for partnership in partnerships:
        assert stored(partnership) == summed(partnership)
        assert stored(partnership)["deliverables"] > 0


def test_admin_delete_action_and_delete_page_keep_the_totals(admin_client, tiers):
    partnership = PartnershipFactory(status=Partnership.Status.ACTIVE)
    keep, drop = DeliverableFactory.create_batch(
        2, partnership=partnership, impressions=100, reach=50
    )
    assert stored(partnership)["impressions"] == 200

    response = admin_client.post(
        reverse("admin:partnerships_deliverable_changelist"),
        {"action": "delete_selected", "_selected_action": [drop.pk], "post": "yes"},
    )
    assert response.status_code == 302
    assert stored(partnership) == summed(partnership)
    assert stored(partnership)["deliverables"] == 1

    admin_client.post(
        reverse("admin:partnerships_deliverable_delete", args=[keep.pk]), {"post": "yes"}
    )
    assert stored(partnership)["deliverables"] == 0


def test_seed_demo_stores_totals_equal_to_the_deliverables(tiers):
    call_command("seed_demo", "--influencers", "40", stdout=io.StringIO())

    with_deliverables = Partnership.objects.filter(deliverables__isnull=False).distinct()
    assert with_deliverables.exists()
    for partnership in with_deliverables[:25]:
        assert stored(partnership) == summed(partnership)
    assert PartnershipResults.objects.count() == with_deliverables.count()


def test_admin_partnership_page_deliverables_inline_keeps_the_totals(admin_client, tiers):
    partnership = PartnershipFactory(status=Partnership.Status.ACTIVE)
    DeliverableFactory(partnership=partnership, impressions=100, reach=50)
    url = reverse("admin:partnerships_partnership_change", args=[partnership.pk])
    page = admin_client.get(url)
    formsets = [inline.formset for inline in page.context["inline_admin_formsets"]]
    data = form_post_data(page.context["adminform"].form, *formsets)
    deliverables = next(f for f in formsets if f.model is Deliverable)
    prefix = deliverables.prefix
    data[f"{prefix}-0-impressions"] = "400"  # an edit of the existing row
    data[f"{prefix}-TOTAL_FORMS"] = "2"  # and a new row
    data.update(
        {
            f"{prefix}-1-kind": Deliverable.Kind.STORY,
            f"{prefix}-1-platform": "instagram",
            f"{prefix}-1-status": Deliverable.Status.PLANNED,
            f"{prefix}-1-impressions": "30",
            f"{prefix}-1-reach": "0",
            **{
                f"{prefix}-1-{name}": "0"
                for name in ("likes", "comments", "shares", "saves", "clicks", "conversions")
            },
            f"{prefix}-1-revenue": "0",
        }
    )

    response = admin_client.post(url, data)

    assert response.status_code == 302, response.context["errors"] if response.context else ""
    assert stored(partnership) == summed(partnership)
    assert stored(partnership)["deliverables"] == 2
    assert stored(partnership)["impressions"] == 430


def test_refresh_command_finds_and_repairs_totals_written_around_the_services(tiers):
    partnership, other = PartnershipFactory.create_batch(2, status=Partnership.Status.ACTIVE)
    deliverable = DeliverableFactory(partnership=partnership, impressions=100, reach=50)
    DeliverableFactory(partnership=other, impressions=10)
    call_command("refresh_result_totals", "--check", stdout=io.StringIO())  # in step: no error

    # A write that bypasses the services (raw update), and a stale row with no deliverables left.
    Deliverable.objects.filter(pk=deliverable.pk).update(impressions=700)
    Deliverable.objects.filter(partnership=other).delete()
    with pytest.raises(CommandError, match=rf"partnership\(s\) {partnership.pk}, {other.pk}\."):
        call_command("refresh_result_totals", "--check", stdout=io.StringIO())

    out = io.StringIO()
    call_command("refresh_result_totals", stdout=out)
    assert "2 partnership(s) were out of step" in out.getvalue()
    assert stored(partnership)["impressions"] == 700
    assert not PartnershipResults.objects.filter(partnership=other).exists()
    call_command("refresh_result_totals", "--check", stdout=io.StringIO())


@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_deliverable_writes_on_one_partnership_both_count(tiers):
    """Each refresh locks its partnership first: the second waits for the first to commit, then
    recomputes from both deliverables (without the lock it collided on the totals row)."""
    if connection.vendor != "postgresql":
        pytest.skip("row locks between two connections: PostgreSQL only")
    partnership = PartnershipFactory(status=Partnership.Status.ACTIVE)
    first_wrote, first_may_commit = threading.Event(), threading.Event()
    outcome = {}

    def first():
        try:
            with transaction.atomic():
                deliverable_create(partnership=partnership, **published(impressions=100))
                first_wrote.set()
                first_may_commit.wait(10)
        finally:
            connection.close()

    def second():
        first_wrote.wait(10)
        try:
            deliverable_create(partnership=partnership, **published(impressions=20))
            outcome["second"] = "saved"
        except Exception as error:  # noqa: BLE001 - the failure is what the test reports
            outcome["second"] = repr(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for thread in threads:
        thread.start()
    first_wrote.wait(10)
    time.sleep(0.5)
    assert "second" not in outcome  # waiting on the first write's lock
    first_may_commit.set()
    for thread in threads:
        thread.join(20)
    assert outcome == {"second": "saved"}
    assert stored(partnership)["deliverables"] == 2
    assert stored(partnership)["impressions"] == 120


def period_rows(partnership, model=PartnershipMonthResults, period="month"):
    """{(platform, month or day): (deliverables, partnership_deliverables, impressions,
    revenue)}."""
    return {
        (row.platform, getattr(row, period)): (
            row.deliverables,
            row.partnership_deliverables,
            row.impressions,
            row.revenue,
        )
        for row in model.objects.filter(partnership=partnership)
    }


def month_rows(partnership):
    return period_rows(partnership)


def day_rows(partnership):
    return period_rows(partnership, PartnershipDayResults, "day")


def quarter_rows(partnership):
    return period_rows(partnership, PartnershipQuarterResults, "quarter")


def test_month_and_day_rows_follow_every_deliverable_write(tiers):
    partnership = PartnershipFactory(status=Partnership.Status.ACTIVE)
    may = deliverable_create(
        partnership=partnership, **published(impressions=100, revenue=Decimal("10"))
    )
    deliverable_create(
        partnership=partnership,
        **published(impressions=50, published_on=date(2026, 5, 31), revenue=Decimal("5.50")),
    )
    deliverable_create(
        partnership=partnership,
        **published(impressions=7, platform="tiktok", published_on=date(2026, 6, 2)),
    )
    planned = deliverable_create(
        partnership=partnership,
        kind=Deliverable.Kind.STORY,
        platform="instagram",
        status=Deliverable.Status.PLANNED,
        due_date=date(2026, 7, 1),
    )
    assert month_rows(partnership) == {
        ("instagram", date(2026, 5, 1)): (2, 4, 150, Decimal("15.50")),
        ("tiktok", date(2026, 6, 1)): (1, 4, 7, Decimal("0")),
        ("instagram", None): (1, 4, 0, Decimal("0")),
    }
    # Per day: only published deliverables, each row repeating all four of the partnership's.
    assert day_rows(partnership) == {
        ("instagram", date(2026, 5, 1)): (1, 4, 100, Decimal("10")),
        ("instagram", date(2026, 5, 31)): (1, 4, 50, Decimal("5.50")),
        ("tiktok", date(2026, 6, 2)): (1, 4, 7, Decimal("0")),
    }
    # Per quarter (its first day): only published deliverables too.
    assert quarter_rows(partnership) == {
        ("instagram", date(2026, 4, 1)): (2, 4, 150, Decimal("15.50")),
        ("tiktok", date(2026, 4, 1)): (1, 4, 7, Decimal("0")),
    }

    # Published in June instead: May keeps one deliverable, June on Instagram gets a row.
    deliverable_update(deliverable=may, published_on=date(2026, 6, 20))
    deliverable_update(deliverable=planned, platform="youtube")
    assert month_rows(partnership) == {
        ("instagram", date(2026, 5, 1)): (1, 4, 50, Decimal("5.50")),
        ("instagram", date(2026, 6, 1)): (1, 4, 100, Decimal("10")),
        ("tiktok", date(2026, 6, 1)): (1, 4, 7, Decimal("0")),
        ("youtube", None): (1, 4, 0, Decimal("0")),
    }
    assert day_rows(partnership) == {
        ("instagram", date(2026, 5, 31)): (1, 4, 50, Decimal("5.50")),
        ("instagram", date(2026, 6, 20)): (1, 4, 100, Decimal("10")),
        ("tiktok", date(2026, 6, 2)): (1, 4, 7, Decimal("0")),
    }

    # Two on one day and platform share a row; the planned one, published, gets its own.
    deliverable_create(
        partnership=partnership,
        **published(impressions=3, published_on=date(2026, 5, 31), revenue=Decimal("1")),
    )
    deliverable_update(
        deliverable=planned,
        status=Deliverable.Status.PUBLISHED,
        published_on=date(2026, 7, 2),
        url="https://example.com/p/2",
        impressions=9,
    )
    assert day_rows(partnership) == {
        ("instagram", date(2026, 5, 31)): (2, 5, 53, Decimal("6.50")),
        ("instagram", date(2026, 6, 20)): (1, 5, 100, Decimal("10")),
        ("tiktok", date(2026, 6, 2)): (1, 5, 7, Decimal("0")),
        ("youtube", date(2026, 7, 2)): (1, 5, 9, Decimal("0")),
    }
    call_command("refresh_result_totals", "--check", stdout=io.StringIO())


@pytest.mark.parametrize(
    ("model", "period", "first_day"),
    [
        (PartnershipMonthResults, "month", date(2026, 5, 1)),
        (PartnershipQuarterResults, "quarter", date(2026, 4, 1)),
        (PartnershipDayResults, "day", date(2026, 5, 1)),
    ],
)
def test_check_finds_period_rows_out_of_step_and_the_rebuild_mends_them(
    tiers, model, period, first_day
):
    partnership = PartnershipFactory(status=Partnership.Status.ACTIVE)
    deliverable_create(partnership=partnership, **published(impressions=100))
    expected = period_rows(partnership, model, period)
    model.objects.filter(partnership=partnership).update(impressions=1)

    with pytest.raises(CommandError, match=str(partnership.pk)):
        call_command("refresh_result_totals", "--check", stdout=io.StringIO())

    call_command("refresh_result_totals", stdout=io.StringIO())
    call_command("refresh_result_totals", "--check", stdout=io.StringIO())
    assert period_rows(partnership, model, period) == expected
    assert expected == {("instagram", first_day): (1, 1, 100, Decimal("0"))}

    # A stray row for a platform the partnership never used is found too.
    model.objects.create(
        partnership=partnership,
        platform="x",
        deliverables=1,
        partnership_deliverables=1,
        influencer=partnership.influencer,
        collaboration_type=partnership.collaboration_type,
        signed=True,
        **{period: date(2026, 5, 1)},
    )
    with pytest.raises(CommandError, match=str(partnership.pk)):
        call_command("refresh_result_totals", "--check", stdout=io.StringIO())

    # So is a missing one.
    call_command("refresh_result_totals", stdout=io.StringIO())
    model.objects.filter(partnership=partnership).delete()
    with pytest.raises(CommandError, match=str(partnership.pk)):
        call_command("refresh_result_totals", "--check", stdout=io.StringIO())


def month_copies(partnership):
    """The copies on the partnership's month rows, after checking its quarter and day rows hold
    the same."""
    copies = period_copies(partnership, PartnershipMonthResults)
    assert period_copies(partnership, PartnershipQuarterResults) == copies
    assert period_copies(partnership, PartnershipDayResults) == copies
    return copies


def period_copies(partnership, model):
    return list(
        model.objects.filter(partnership=partnership).values_list(
            "influencer_id",
            "campaign_id",
            "tier_at_signing_id",
            "collaboration_type",
            "signed",
            "contract_value",
            "followers",
        )
    )


def test_month_and_day_rows_copy_their_partnership_and_follow_its_changes(tiers):
    """The period filter reads the partnership's scope and tier from its month and day rows:
    every service write that changes one of those brings the copies along."""
    partnership = PartnershipFactory(status=Partnership.Status.NEGOTIATING)
    deliverable_create(partnership=partnership, **published(impressions=100))
    influencer = partnership.influencer
    assert month_copies(partnership) == [
        (
            influencer.pk,
            partnership.campaign_id,
            None,
            partnership.collaboration_type,
            False,
            partnership.contract_value,
            5_000,
        )
    ]

    partnership_move(partnership=partnership, status=Partnership.Status.CONTRACTED)
    partnership.refresh_from_db()
    assert partnership.tier_at_signing_id is not None
    ((_, _, tier, _, signed, _, _),) = month_copies(partnership)
    assert (tier, signed) == (partnership.tier_at_signing_id, True)

    other = CampaignFactory()
    partnership_update(partnership=partnership, campaign=other, fee=Decimal("750.00"))
    ((_, campaign, _, _, _, value, _),) = month_copies(partnership)
    assert (campaign, value) == (other.pk, Decimal("750.00"))

    newcomer = InfluencerFactory(audience=80_000)
    partnership_update(partnership=partnership, influencer=newcomer)
    ((influencer_id, *_, followers),) = month_copies(partnership)
    assert (influencer_id, followers) == (newcomer.pk, 80_000)

    social_account_create(influencer=newcomer, platform="tiktok", handle="second", followers=20_000)
    newcomer.refresh_from_db()
    assert newcomer.followers != 80_000
    ((*_, followers),) = month_copies(partnership)
    assert followers == newcomer.followers

    partnership_move(partnership=partnership, status=Partnership.Status.CANCELLED)
    ((_, _, _, _, signed, _, _),) = month_copies(partnership)
    assert signed is False
    call_command("refresh_result_totals", "--check", stdout=io.StringIO())


@pytest.mark.parametrize(
    "model", [PartnershipMonthResults, PartnershipQuarterResults, PartnershipDayResults]
)
def test_check_finds_stale_period_row_copies_and_the_rebuild_mends_them(tiers, model):
    partnership = PartnershipFactory(status=Partnership.Status.ACTIVE)
    deliverable_create(partnership=partnership, **published(impressions=100))
    expected = month_copies(partnership)
    # A save that bypasses the services leaves the copies behind.
    model.objects.filter(partnership=partnership).update(followers=1)

    with pytest.raises(CommandError, match=str(partnership.pk)):
        call_command("refresh_result_totals", "--check", stdout=io.StringIO())

    call_command("refresh_result_totals", stdout=io.StringIO())
    assert month_copies(partnership) == expected
    call_command("refresh_result_totals", "--check", stdout=io.StringIO())
