"""The tier comparison's one-pass answer to a period filter (`_period_rows_sql`): it counts each
partnership and influencer on the month or day row that is its group's first in the period
(the rows' stored previous days), so it must give exactly what the general query gives, for
any period, and the previous days must follow every write."""

import io
import itertools
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from influencers.models import Tier
from influencers.services import social_account_update
from partnerships.models import (
    PartnershipDayResults,
    PartnershipMonthResults,
    PartnershipQuarterResults,
)
from partnerships.selectors import partnership_period_results_out_of_step
from partnerships.services import (
    deliverable_create,
    deliverable_update,
    partnership_move,
    partnership_update,
)
from reports import selectors
from reports.forms import TierBasis
from tests.factories import (
    InfluencerFactory,
    NicheFactory,
    PartnershipFactory,
    published_deliverable,
)
from tests.reports.test_influencer_results import Status, table

pytestmark = pytest.mark.django_db

LONG_TERM = "long_term"
ONE_OFF = "one_off"


@pytest.fixture
def spread(db):
    """Deliverables over three months: the same influencer on several platforms and
    partnerships on one day, on both sides of month ends, of both types, in two tiers at
    signing; an unsigned partnership with results; an unpublished deliverable."""
    Tier.objects.all().delete()
    Tier.objects.create(name="Small", min_followers=100, color="#198754")
    Tier.objects.create(name="Mid", min_followers=10_000, color="#0d6efd")
    beauty = NicheFactory(name="Beauty", slug="beauty")
    ada = InfluencerFactory(name="Ada", audience=2_000, niches=[beauty])
    ben = InfluencerFactory(name="Ben", audience=50_000)
    a1 = PartnershipFactory(influencer=ada, status=Status.ACTIVE, fee=Decimal("900"))
    a2 = PartnershipFactory(
        influencer=ada, status=Status.COMPLETED, collaboration_type=LONG_TERM, fee=Decimal("10")
    )
    social_account_update(account=ada.accounts.get(), followers=40_000)  # Mid from now on
    a3 = PartnershipFactory(influencer=ada, status=Status.ACTIVE, fee=Decimal("333.33"))
    b1 = PartnershipFactory(influencer=ben, status=Status.CONTRACTED, fee=Decimal("1234.56"))
    b2 = PartnershipFactory(influencer=ben, status=Status.NEGOTIATING, fee=Decimal("5000"))
    plan = [
        (a1, "instagram", date(2026, 8, 31)),
        (a1, "tiktok", date(2026, 8, 31)),  # same partnership, same day, another platform
        (a1, "instagram", date(2026, 9, 1)),
        (a1, "instagram", date(2026, 9, 1)),  # two on one day and platform
        (a2, "youtube", date(2026, 8, 31)),  # same influencer, same day, another partnership
        (a2, "youtube", date(2026, 9, 15)),
        (a2, "instagram", date(2026, 10, 2)),
        (a3, "tiktok", date(2026, 9, 15)),  # a second tier at signing, same day as a2
        (a3, "tiktok", date(2026, 10, 31)),
        (b1, "instagram", date(2026, 8, 10)),
        (b1, "instagram", date(2026, 10, 1)),
        (b2, "instagram", date(2026, 9, 20)),  # not signed: no spend, no count
    ]
    for i, (partnership, platform, day) in enumerate(plan):
        published_deliverable(
            partnership,
            platform,
            day,
            impressions=1000 * (i + 1),
            reach=600 + i,
            likes=20 + i,
            comments=3,
            clicks=7 * i,
            conversions=i % 3,
            revenue=Decimal("10.25") * (i + 1),
        )
    deliverable_create(partnership=b1, kind="post", platform="x", due_date=date(2026, 12, 1))
    return {"beauty": beauty, "ada": ada, "ben": ben, "a1": a1, "a2": a2, "a3": a3, "b1": b1}


def general(filters, monkeypatch):
    with monkeypatch.context() as patch:
        patch.setattr(selectors, "_uses_period_rows", lambda filters: False)
        return table(selectors.tier_comparison(filters=filters))


def one_pass(filters):
    assert selectors._uses_period_rows(filters), filters
    return table(selectors.tier_comparison(filters=filters))


# Days around every publish day and month end of the fixture, the ends of its two quarters (July
# to September, October to December: read from the quarter rows when whole), and the open ends.
DAYS = [
    None,
    date(2026, 7, 1),
    date(2026, 8, 1),
    date(2026, 8, 10),
    date(2026, 8, 31),
    date(2026, 9, 1),
    date(2026, 9, 2),
    date(2026, 9, 15),
    date(2026, 9, 16),
    date(2026, 9, 30),
    date(2026, 10, 1),
    date(2026, 10, 2),
    date(2026, 10, 31),
    date(2026, 11, 30),
    date(2026, 12, 31),
]


def periods():
    for after, before in itertools.product(DAYS, DAYS):
        if (after or before) and not (after and before and after > before):
            yield after, before


def test_one_pass_gives_what_the_general_query_gives_for_every_period(spread, monkeypatch):
    checked = 0
    for after, before in periods():
        for basis in (TierBasis.CURRENT, TierBasis.SIGNING):
            filters = {"basis": basis, "published_after": after, "published_before": before}
            assert one_pass(filters) == general(filters, monkeypatch), filters
            checked += 1
    days = len(DAYS) - 1
    empty = days * (days - 1) // 2  # after > before
    assert checked == 2 * (len(DAYS) ** 2 - 1 - empty)  # minus no period and the empty ones


@pytest.mark.parametrize(
    ("after", "before"),
    [
        (date(2026, 9, 1), date(2026, 9, 30)),
        (date(2026, 8, 31), date(2026, 10, 1)),
        (date(2026, 9, 15), None),
        (None, date(2026, 9, 15)),
    ],
)
def test_one_pass_with_niche_and_collaboration_type(spread, monkeypatch, after, before):
    for basis, niche, kind in itertools.product(
        (TierBasis.CURRENT, TierBasis.SIGNING), (None, spread["beauty"]), (None, LONG_TERM, ONE_OFF)
    ):
        filters = {
            "basis": basis,
            "published_after": after,
            "published_before": before,
            "niche": niche,
            "collaboration_type": kind,
        }
        assert one_pass(filters) == general(filters, monkeypatch), filters


def test_counts_each_partnership_and_influencer_once_in_a_period(spread):
    # 31 Aug - 1 Sep: Ada has a1 on two platforms and two days, and a2 the same day as a1.
    comparison = selectors.tier_comparison(
        filters={
            "basis": TierBasis.CURRENT,
            "published_after": date(2026, 8, 31),
            "published_before": date(2026, 9, 1),
        }
    )
    mid = comparison.row_for(Tier.objects.get(name="Mid").pk)
    assert (mid.influencers, mid.partnerships, mid.long_term) == (1, 2, 1)
    assert mid.results.deliverables == 5
    assert mid.influencer_followers == 40_000
    long_term, one_off = (row for row in comparison.split_rows if row.name == "Mid")
    assert (long_term.influencers, long_term.partnerships) == (1, 1)
    assert (one_off.influencers, one_off.partnerships) == (1, 1)


def test_other_filters_with_a_period_use_the_general_query(spread):
    period = {"basis": TierBasis.CURRENT, "published_after": date(2026, 9, 1)}
    for extra in ({"campaign": 1}, {"objective": "awareness"}, {"platform": "tiktok"}):
        assert not selectors._uses_period_rows({**period, **extra})
    assert not selectors._uses_period_rows({"basis": TierBasis.CURRENT, "niche": 1})


def in_step():
    return partnership_period_results_out_of_step() == []


def test_previous_days_follow_every_write(spread, monkeypatch, admin_client):
    """Each write that adds, moves or drops a group's rows (or changes the group: type, tier at
    signing, influencer, signed or not), admin deletes included, leaves every previous day as a
    rebuild would, and the one pass still agrees with the general query."""
    a1, a2, a3, b1 = spread["a1"], spread["a2"], spread["a3"], spread["b1"]
    # Days of September and whole October; then two whole quarters.
    periods = [(date(2026, 9, 2), date(2026, 10, 31)), (date(2026, 7, 1), date(2026, 12, 31))]
    assert in_step()
    writes = [
        # An earlier deliverable makes another row the group's first.
        lambda: published_deliverable(a3, "youtube", date(2026, 9, 10), impressions=5),
        lambda: deliverable_create(
            partnership=b1,
            kind="post",
            platform="tiktok",
            status="published",
            published_on=date(2026, 10, 1),
            url="https://example.com/p/9",
        ),
        lambda: deliverable_update(
            deliverable=a1.deliverables.filter(published_on=date(2026, 9, 1)).first(),
            published_on=date(2026, 9, 20),
        ),
        lambda: partnership_update(
            partnership=a3,
            collaboration_type=LONG_TERM,
            monthly_retainer=Decimal("100"),
            start_date=date(2026, 9, 1),
            end_date=date(2026, 12, 31),
        ),
        lambda: partnership_update(partnership=a2, influencer=spread["ben"]),
        lambda: partnership_move(partnership=a1, status=Status.CANCELLED),
        lambda: social_account_update(account=spread["ben"].accounts.get(), followers=500),
        # Admin deletes: a deliverable (a3's first), then a whole partnership.
        lambda: admin_client.post(
            reverse(
                "admin:partnerships_deliverable_delete",
                args=[a3.deliverables.order_by("published_on").first().pk],
            ),
            {"post": "yes"},
        ),
        lambda: admin_client.post(
            reverse("admin:partnerships_partnership_delete", args=[b1.pk]), {"post": "yes"}
        ),
    ]
    for write in writes:
        response = write()
        assert getattr(response, "status_code", 302) == 302
        assert in_step()
        for (after, before), basis in itertools.product(
            periods, (TierBasis.CURRENT, TierBasis.SIGNING)
        ):
            filters = {"basis": basis, "published_after": after, "published_before": before}
            assert one_pass(filters) == general(filters, monkeypatch), (write, filters)


@pytest.mark.parametrize(
    "model", [PartnershipMonthResults, PartnershipQuarterResults, PartnershipDayResults]
)
def test_check_finds_a_stale_previous_day_and_the_rebuild_mends_it(spread, model):
    rows = model.objects.filter(partnership=spread["a2"], previous_day_influencer__isnull=False)
    expected = sorted(rows.values_list("previous_day_influencer", flat=True))
    assert expected
    rows.update(previous_day_influencer=date(2000, 1, 1))
    with pytest.raises(CommandError, match=str(spread["a2"].pk)):
        call_command("refresh_result_totals", "--check", stdout=io.StringIO())

    call_command("refresh_result_totals", stdout=io.StringIO())
    call_command("refresh_result_totals", "--check", stdout=io.StringIO())
    assert sorted(rows.values_list("previous_day_influencer", flat=True)) == expected


def test_stored_cost_is_the_contract_value_share(spread):
    rows = PartnershipDayResults.objects.filter(partnership=spread["a1"])
    rows = rows.order_by("day", "platform")
    # a1: 900 over 4 deliverables, 225 each.
    assert [(row.day, row.platform, row.cost) for row in rows] == [
        (date(2026, 8, 31), "instagram", Decimal("225")),
        (date(2026, 8, 31), "tiktok", Decimal("225")),
        (date(2026, 9, 1), "instagram", Decimal("450")),
    ]
    partnership_update(partnership=spread["a1"], fee=Decimal("1000"))
    assert sorted(rows.values_list("cost", flat=True)) == [250, 250, 500]


def test_every_start_day_over_three_months(spread, monkeypatch):
    """Each start from 1 Aug to 31 Oct, to 30 Nov: whole months, days of partly covered months,
    and partly covered months read whole because nothing was published on their other days
    (a start on 2-10 Aug: the first publish day in August is the 10th)."""
    base = {"basis": TierBasis.CURRENT, "published_before": date(2026, 11, 30)}
    previous = None
    for offset in range(92):
        filters = {**base, "published_after": date(2026, 8, 1) + timedelta(days=offset)}
        current = one_pass(filters)
        assert current == general(filters, monkeypatch), filters
        if previous is not None:  # a later start never adds deliverables
            assert sum(row[6] for row in current) <= sum(row[6] for row in previous)
        previous = current


def tables_read(after, before):
    branches = selectors.kept_results_branches(after=after, before=before, quarters=True)
    tables = {
        model._meta.db_table: model
        for model in (PartnershipMonthResults, PartnershipQuarterResults, PartnershipDayResults)
    }
    return {
        model.__name__
        for sql, _params in branches
        for table, model in tables.items()
        if f'FROM "{table}"' in sql or f"FROM {table} " in sql
    }


@pytest.mark.parametrize(
    ("after", "before", "tables"),
    [
        # Two whole quarters and nothing else.
        (date(2026, 7, 1), date(2026, 12, 31), {"PartnershipQuarterResults"}),
        # A whole quarter with whole months on both sides.
        (
            date(2026, 6, 1),
            date(2026, 10, 31),
            {"PartnershipQuarterResults", "PartnershipMonthResults"},
        ),
        # Whole months but no whole quarter.
        (date(2026, 8, 1), date(2026, 11, 30), {"PartnershipMonthResults"}),
        # Open ends: every quarter up to June, then July; from October on.
        (None, date(2026, 7, 31), {"PartnershipQuarterResults", "PartnershipMonthResults"}),
        (date(2026, 10, 1), None, {"PartnershipQuarterResults"}),
    ],
)
def test_whole_quarters_are_read_from_the_quarter_rows(db, after, before, tables):
    assert tables_read(after, before) == tables


def test_whole_quarters_at_the_ends_of_the_calendar():
    whole = selectors._whole_quarters
    assert whole(date(2026, 7, 1), date(2026, 12, 1)) == (date(2026, 7, 1), date(2026, 10, 1), True)
    assert whole(date(2026, 8, 1), date(2026, 11, 1)) == (
        date(2026, 10, 1),
        date(2026, 7, 1),
        False,
    )
    assert whole(date(2026, 2, 1), None) == (date(2026, 4, 1), None, True)
    assert whole(None, date(2026, 5, 1)) == (None, date(2026, 1, 1), True)
    assert whole(date(9999, 11, 1), None)[2] is False  # no quarter starts after it
    assert whole(None, date(1, 2, 1))[2] is False  # no quarter ends before it
    assert whole(date(9999, 10, 1), date(9999, 12, 1)) == (
        date(9999, 10, 1),
        date(9999, 10, 1),
        True,
    )
