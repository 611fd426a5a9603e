"""Writes on partnerships: contract value, the pipeline's allowed moves, tier at signing."""

from calendar import monthrange
from datetime import timedelta
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import Count, OuterRef, Subquery, Sum
from django.utils import timezone

from crm.concurrency import version_bump
from influencers.models import Influencer
from influencers.tiers import tier_for_followers, tier_subquery
from partnerships.models import (
    PERIOD_GROUPS,
    RESULT_TOTAL_FIELDS,
    Deliverable,
    InfluencerResults,
    Partnership,
    PartnershipResults,
    PartnershipStatusChange,
)
from partnerships.selectors import (
    PERIOD_RESULTS,
    contract_value_share,
    influencer_results_select,
    period_results_copies,
    period_results_copies_differ,
    period_results_previous_days,
    period_results_previous_days_differ,
    previous_day_columns,
)

Status = Partnership.Status

# Allowed pipeline moves. Declined and cancelled are final unless reopened on purpose.
TRANSITIONS = {
    Status.PROSPECT: {Status.CONTACTED, Status.NEGOTIATING, Status.DECLINED, Status.CANCELLED},
    Status.CONTACTED: {Status.PROSPECT, Status.NEGOTIATING, Status.DECLINED, Status.CANCELLED},
    Status.NEGOTIATING: {Status.CONTACTED, Status.CONTRACTED, Status.DECLINED, Status.CANCELLED},
    Status.CONTRACTED: {Status.ACTIVE, Status.CANCELLED},
    Status.ACTIVE: {Status.COMPLETED, Status.CANCELLED},
    Status.COMPLETED: set(),
    Status.DECLINED: set(),
    Status.CANCELLED: set(),
}
REOPEN_TO = {Status.PROSPECT, Status.NEGOTIATING}

ONE_OFF_FIELDS = ("due_date", "expected_deliverables")
LONG_TERM_FIELDS = (
    "start_date",
    "end_date",
    "monthly_retainer",
    "deliverables_per_month",
    "auto_renew",
    "exclusivity",
)


def months_in_term(start, end):
    """Started months from start to end, both days included (1 Jan - 31 Dec is 12)."""
    if start is None or end is None or end < start:
        return 0
    months = (end.year - start.year) * 12 + (end.month - start.month)
    if end.day >= start.day:
        months += 1
    return max(months, 1)


def contract_value(
    *, collaboration_type, fee=None, monthly_retainer=None, start_date=None, end_date=None
):
    """One-off: the fee. Long-term: retainer x months in the term + any one-time fee."""
    fee = fee or Decimal("0")
    if collaboration_type == Partnership.CollaborationType.ONE_OFF:
        return fee
    return (monthly_retainer or Decimal("0")) * months_in_term(start_date, end_date) + fee


def allowed_moves(partnership):
    """The statuses a partnership may move to next (without reopening)."""
    return TRANSITIONS[Status(partnership.status)]


def move_targets(status):
    """(statuses a partnership in ``status`` can be moved to, in pipeline order; whether those
    moves reopen it): its allowed moves, or reopening when it was declined or cancelled."""
    status = Status(status)
    targets, reopen = TRANSITIONS[status], False
    if not targets and status in (Status.DECLINED, Status.CANCELLED):
        targets, reopen = REOPEN_TO, True
    order = list(Status)
    return sorted(targets, key=order.index), reopen


def _clear_other_type(partnership):
    if partnership.collaboration_type == Partnership.CollaborationType.ONE_OFF:
        partnership.monthly_retainer = None
        partnership.deliverables_per_month = None
        partnership.auto_renew = False
        partnership.exclusivity = False
    else:
        partnership.due_date = None
        partnership.expected_deliverables = None


def partnership_apply_terms(partnership):
    """Clear the other type's fields, compute the contract value, record the signing tier."""
    _clear_other_type(partnership)
    partnership.contract_value = contract_value(
        collaboration_type=partnership.collaboration_type,
        fee=partnership.fee,
        monthly_retainer=partnership.monthly_retainer,
        start_date=partnership.start_date,
        end_date=partnership.end_date,
    )
    if partnership.status in Partnership.SIGNED_STATUSES:
        _record_signing(partnership)


def _record_signing(partnership):
    """Keep the tier the influencer had when signed; recorded once, never moved after."""
    if partnership.tier_at_signing_id is None:
        partnership.tier_at_signing = tier_for_followers(partnership.influencer.followers)
        partnership.signed_on = partnership.signed_on or timezone.localdate()


def _record_change(partnership, from_status, *, by=None, note=""):
    PartnershipStatusChange.objects.create(
        partnership=partnership,
        from_status=from_status or "",
        to_status=partnership.status,
        changed_by=by,
        note=note,
    )


@transaction.atomic
def partnership_create(*, influencer, collaboration_type, campaign=None, by=None, **fields):
    """Create a partnership; the other type's fields are cleared and the value computed."""
    partnership = Partnership(
        influencer=influencer, campaign=campaign, collaboration_type=collaboration_type, **fields
    )
    partnership_apply_terms(partnership)
    partnership.full_clean()
    partnership.save()
    _record_change(partnership, "", by=by, note="Logged")
    influencer_results_refresh(influencer_ids=[partnership.influencer_id])
    return partnership


@transaction.atomic
def partnership_update(*, partnership, version=None, **fields):
    """Change a partnership's terms (not its status: see partnership_move); the other type's
    fields are cleared and the contract value recomputed.

    ``version`` is the version the edit form was loaded with: if someone saved the partnership
    since, crm.concurrency.EditConflict is raised and nothing is written. Every update moves the
    partnership to its next version (pipeline moves do not: the edit form does not show the
    status, so a move on the board never refuses someone's terms edit)."""
    version_bump(partnership, expected=version)
    before = partnership.influencer_id
    for name, value in fields.items():
        setattr(partnership, name, value)
    partnership_apply_terms(partnership)
    partnership.full_clean()
    partnership.save()
    influencer_results_refresh(influencer_ids=[before, partnership.influencer_id])
    return partnership


@transaction.atomic
def partnership_move(*, partnership, status, reopen=False, by=None, note=""):
    """Move a partnership along the pipeline, refusing moves the pipeline does not allow, and
    record the step in its status history."""
    partnership = (
        Partnership.objects.select_for_update(of=("self",))
        .select_related("influencer")
        .get(pk=partnership.pk)
    )
    current = Status(partnership.status)
    target = Status(status)
    allowed = TRANSITIONS[current]
    if reopen and current in (Status.DECLINED, Status.CANCELLED):
        allowed = REOPEN_TO
    if target not in allowed:
        raise ValidationError(
            {
                "status": f"A partnership cannot move from {current.label} to {target.label}."
                + (
                    " Reopen it on purpose first."
                    if not TRANSITIONS[current] and current != Status.COMPLETED
                    else ""
                )
            }
        )
    partnership.status = target
    if target in Partnership.SIGNED_STATUSES:
        _record_signing(partnership)
    partnership.full_clean()
    partnership.save()
    _record_change(partnership, current, by=by, note=note or ("Reopened" if reopen else ""))
    influencer_results_refresh(influencer_ids=[partnership.influencer_id])
    return partnership


def add_months(day, months):
    """The same day ``months`` later, clamped to the month's end (31 Jan + 1 month = 28 Feb)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return day.replace(year=year, month=month, day=min(day.day, monthrange(year, month)[1]))


def next_term(partnership):
    """(start, end) of the term following a long-term partnership's: it starts the day after the
    current one ends and lasts as long (as many months when the term was whole months)."""
    start, end = partnership.start_date, partnership.end_date
    new_start = end + timedelta(days=1)
    months = months_in_term(start, end)
    if add_months(start, months) - timedelta(days=1) == end:
        return new_start, add_months(new_start, months) - timedelta(days=1)
    return new_start, new_start + (end - start)


@transaction.atomic
def partnership_renew(*, partnership, by=None):
    """Renew a running long-term partnership: the next term, with the same retainer and cadence,
    is created as contracted and linked to this one, which is completed in the same transaction
    (one open partnership per influencer and campaign). A one-time fee is not repeated."""
    current = Partnership.objects.select_for_update(of=("self",)).get(pk=partnership.pk)
    errors = []
    if not current.is_long_term:
        errors.append("Only a long-term partnership can be renewed.")
    elif current.status != Status.ACTIVE:
        errors.append("Only an active long-term partnership can be renewed.")
    elif Partnership.objects.filter(renewed_from=current).exists():
        errors.append("This term has already been renewed.")
    if errors:
        raise ValidationError(errors)
    start, end = next_term(current)
    partnership_move(partnership=current, status=Status.COMPLETED, by=by, note="Renewed")
    return partnership_create(
        influencer=current.influencer,
        campaign=current.campaign,
        collaboration_type=current.collaboration_type,
        status=Status.CONTRACTED,
        owner=current.owner,
        terms=current.terms,
        start_date=start,
        end_date=end,
        monthly_retainer=current.monthly_retainer,
        deliverables_per_month=current.deliverables_per_month,
        auto_renew=current.auto_renew,
        exclusivity=current.exclusivity,
        renewal_reminder_days=current.renewal_reminder_days,
        renewed_from=current,
        by=by,
    )


DELIVERABLE_FIELDS = (
    "kind",
    "platform",
    "due_date",
    "published_on",
    "status",
    "url",
    "impressions",
    "reach",
    "likes",
    "comments",
    "shares",
    "saves",
    "clicks",
    "conversions",
    "revenue",
)


@transaction.atomic
def deliverable_create(*, partnership, **fields):
    """Add a deliverable (and its results, if any) to a partnership."""
    deliverable = Deliverable(partnership=partnership, **fields)
    deliverable.full_clean()
    deliverable.save()
    partnership_results_refresh(partnership_ids=[deliverable.partnership_id])
    return deliverable


@transaction.atomic
def deliverable_update(*, deliverable, **fields):
    """Change a deliverable's plan or record its measured results."""
    before = deliverable.partnership_id
    for name, value in fields.items():
        setattr(deliverable, name, value)
    deliverable.full_clean()
    deliverable.save()
    partnership_results_refresh(partnership_ids={before, deliverable.partnership_id})
    return deliverable


@transaction.atomic
def partnership_results_refresh(*, partnership_ids=None):
    """Rewrite the result totals of these partnerships (all of them when None) from their
    deliverables, inside the database: one DELETE and one INSERT ... SELECT ... GROUP BY.

    Every write of deliverables calls it (the services above, the admin, bulk loaders), so the
    reports can sum partnerships instead of deliverables."""
    table = connection.ops.quote_name(PartnershipResults._meta.db_table)
    if partnership_ids is not None:
        partnership_ids = sorted({pk for pk in partnership_ids if pk is not None})
        if not partnership_ids:
            return
        # Two writers on one partnership: the second waits here for the first to commit, then
        # deletes the row the first wrote and sums both deliverables. Without the lock its
        # DELETE missed that row and its INSERT hit the primary key. Locked in id order.
        list(
            Partnership.objects.select_for_update()
            .filter(pk__in=partnership_ids)
            .order_by("pk")
            .values_list("pk", flat=True)
        )
    elif connection.vendor == "postgresql":
        # A full rebuild waits for, and holds off, every per-partnership refresh.
        with connection.cursor() as cursor:
            cursor.execute(f"LOCK TABLE {table} IN EXCLUSIVE MODE")
    stale = PartnershipResults.objects.all()
    deliverables = Deliverable.objects.order_by()
    if partnership_ids is not None:
        stale = stale.filter(partnership_id__in=partnership_ids)
        deliverables = deliverables.filter(partnership_id__in=partnership_ids)
    stale.delete()  # one DELETE: nothing refers to these rows and no signal listens
    totals = deliverables.values("partnership_id").annotate(
        n=Count("pk"), **{f"total_{name}": Sum(name) for name in RESULT_TOTAL_FIELDS}
    )
    select_sql, params = totals.query.sql_with_params()
    columns = ", ".join(
        connection.ops.quote_name(name)
        for name in ("partnership_id", "deliverables", *RESULT_TOTAL_FIELDS)
    )
    with connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO {table} ({columns}) {select_sql}", params)  # noqa: S608
    _period_results_rewrite(deliverables, partnership_ids)
    influencer_results_refresh(
        influencer_ids=None
        if partnership_ids is None
        else Partnership.objects.filter(pk__in=partnership_ids).values("influencer_id")
    )


def _period_results_rewrite(deliverables, partnership_ids):
    """The same partnerships' sums per platform and publish month, quarter and day
    (PERIOD_RESULTS), after their totals (which give each row its partnership's deliverable
    count)."""
    quote = connection.ops.quote_name
    copies = period_results_copies()
    names = ("deliverables", *RESULT_TOTAL_FIELDS, "first_day", "last_day")
    values = ", ".join(
        f"g.{name}"
        for name in ("n", *(f"total_{n}" for n in RESULT_TOTAL_FIELDS), "first_day", "last_day")
    )
    for model, period, grouping in PERIOD_RESULTS:
        stale = model.objects.all()
        if partnership_ids is not None:
            stale = stale.filter(partnership_id__in=partnership_ids)
        stale.delete()
        select_sql, params = grouping(deliverables).query.sql_with_params()
        columns = ", ".join(
            quote(name) for name in ("partnership_id", "platform", period, *names, *copies)
        )
        rows = f"""
            SELECT g.partnership_id, g.platform, g.{period}, {values},
                   {", ".join(f"{sql} AS {name}" for name, sql in copies.items())},
                   r.deliverables AS partnership_deliverables,
                   {contract_value_share("p.contract_value", "g.n", "r.deliverables")} AS cost
            FROM ({select_sql}) g
            JOIN {quote(PartnershipResults._meta.db_table)} r
                ON r.partnership_id = g.partnership_id
            JOIN {quote(Partnership._meta.db_table)} p ON p.id = g.partnership_id
            JOIN {quote(Influencer._meta.db_table)} i ON i.id = p.influencer_id
        """  # noqa: S608
        columns += ", partnership_deliverables, cost"
        if partnership_ids is not None:
            # Their influencers' previous days follow in `_period_results_stamp`.
            sql = f"INSERT INTO {quote(model._meta.db_table)} ({columns}) {rows}"  # noqa: S608
        else:
            # A rebuild: every row's previous days at once (the stamp then finds nothing to
            # rewrite), and the rows laid out in period order, so a period's rows share pages.
            days, windows = previous_day_columns(period)
            sql = f"""
                INSERT INTO {quote(model._meta.db_table)}
                    ({columns}, {", ".join(quote(name) for name in PERIOD_GROUPS)})
                SELECT p.*, {days} FROM ({rows}) p
                WINDOW {windows}
                ORDER BY p.{period}
            """  # noqa: S608
        with connection.cursor() as cursor:
            cursor.execute(sql, params)


@transaction.atomic
def partnerships_record_signing_tiers(*, queryset):
    """Bulk twin of the signing rule, in one UPDATE: signed partnerships without a tier get the
    tier their influencer is in now (used after bulk creation)."""
    followers = Subquery(
        Influencer.objects.filter(pk=OuterRef(OuterRef("influencer_id"))).values("followers")[:1]
    )
    unsigned = queryset.filter(
        status__in=Partnership.SIGNED_STATUSES, tier_at_signing__isnull=True
    ).order_by()
    influencer_ids = list(unsigned.values_list("influencer_id", flat=True).distinct())
    updated = unsigned.update(tier_at_signing=tier_subquery(followers))
    influencer_results_refresh(influencer_ids=influencer_ids)
    return updated


def _influencer_scope(influencer_ids):
    """A subquery of influencer ids from a list, a set or a values() queryset of them."""
    if hasattr(influencer_ids, "query"):
        return influencer_ids
    return Influencer.objects.filter(pk__in={pk for pk in influencer_ids if pk is not None}).values(
        "pk"
    )


@transaction.atomic
def influencer_results_refresh(*, influencer_ids=None):
    """Rewrite these influencers' rows of InfluencerResults (all of them when None) from their
    signed partnerships, those partnerships' totals and month totals, and their followers: one
    DELETE and one INSERT ... SELECT. Then the copies of those influencers' partnerships on the
    per-period rows (PERIOD_RESULTS, `_period_results_stamp`), which depend on the same writes.

    It runs after every write that changes one of those: the partnership services and admin,
    partnership_results_refresh (every deliverable write) and influencers_recompute_audience
    (followers). Call it with the influencers on both sides when a partnership changes hands."""
    table = connection.ops.quote_name(InfluencerResults._meta.db_table)
    stale = InfluencerResults.objects.all()
    scope_sql, scope_params = "", ()
    if influencer_ids is not None:
        scope = _influencer_scope(influencer_ids)
        # Two refreshes of one influencer: the second waits here for the first to commit (as in
        # partnership_results_refresh). NO KEY UPDATE does not hold off new partnerships' rows.
        locked = list(
            Influencer.objects.select_for_update(no_key=True)
            .filter(pk__in=scope)
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        if not locked:
            return
        stale = stale.filter(influencer_id__in=scope)
        subquery_sql, scope_params = scope.query.sql_with_params()
        scope_sql = f" AND p.influencer_id IN ({subquery_sql})"
    elif connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"LOCK TABLE {table} IN EXCLUSIVE MODE")
    stale.delete()  # one DELETE: nothing refers to these rows and no signal listens
    select_sql, params, columns = influencer_results_select(scope_sql)
    names = ", ".join(connection.ops.quote_name(name) for name in columns)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} ({names}) {select_sql}",  # noqa: S608
            [*params, *scope_params],
        )
    _period_results_stamp(scope_sql, scope_params)


def _period_results_stamp(scope_sql, scope_params):
    """Bring the copies on the month, quarter and day rows of the partnerships matching
    ``scope_sql`` (as in influencer_results_select) in step with those partnerships and their
    influencers, then those influencers' rows' previous days (`period_results_previous_days`),
    which depend on the copies and on all of the influencer's rows: two UPDATEs per table,
    writing only the rows that differ."""
    quote = connection.ops.quote_name
    copies = period_results_copies()
    cost = contract_value_share("c.contract_value", "m.deliverables", "m.partnership_deliverables")
    for model, period, _grouping in PERIOD_RESULTS:
        sql = f"""
            UPDATE {quote(model._meta.db_table)} AS m
            SET {", ".join(f"{quote(name)} = c.{name}" for name in copies)},
                cost = {cost}
            FROM (
                SELECT p.id, {", ".join(f"{sql} AS {name}" for name, sql in copies.items())}
                FROM {quote(Partnership._meta.db_table)} p
                JOIN {quote(Influencer._meta.db_table)} i ON i.id = p.influencer_id
                WHERE TRUE{scope_sql}
            ) c
            WHERE m.partnership_id = c.id AND ({period_results_copies_differ()})
        """  # noqa: S608
        days = period_results_previous_days(model, period, scope_sql)
        previous_sql = f"""
            UPDATE {quote(model._meta.db_table)} AS m
            SET {", ".join(f"{quote(name)} = w.{name}" for name in PERIOD_GROUPS)}
            FROM ({days}) w
            WHERE m.id = w.id AND ({period_results_previous_days_differ()})
        """  # noqa: S608
        with connection.cursor() as cursor:
            cursor.execute(sql, list(scope_params))
            cursor.execute(previous_sql, list(scope_params))
