"""Reads on partnerships and deliverables: list querysets, the board, a partnership's results."""

from datetime import timedelta

from django.db import connection
from django.db.models import Count, F, IntegerField, Max, Min, OuterRef, Q, Subquery, Sum
from django.db.models.functions import Coalesce, TruncMonth, TruncQuarter
from django.utils import timezone

from campaigns.models import Campaign
from crm.metrics import Results, deliverable_sums, engagements_expression
from influencers.models import Influencer
from influencers.tiers import annotate_tier
from partnerships.models import (
    PERIOD_GROUPS,
    RESULT_TOTAL_FIELDS,
    Deliverable,
    InfluencerResults,
    Partnership,
    PartnershipDayResults,
    PartnershipMonthResults,
    PartnershipQuarterResults,
    PartnershipResults,
    PartnershipStatusChange,
)

Status = Partnership.Status

RENEWAL_WINDOW_DAYS = 30
BOARD_CARDS_PER_COLUMN = 12
# Deliverables that can still be published: past their due date they are overdue.
PENDING_DELIVERABLE_STATUSES = (
    Deliverable.Status.PLANNED,
    Deliverable.Status.IN_REVIEW,
    Deliverable.Status.APPROVED,
)


def renewal_due_q(within=RENEWAL_WINDOW_DAYS, today=None):
    """Long-term partnerships still running whose term ends in the next ``within`` days and
    that have not been renewed yet (index: partnership_type_end)."""
    today = today or timezone.localdate()
    return Q(
        collaboration_type=Partnership.CollaborationType.LONG_TERM,
        status__in=(Status.CONTRACTED, Status.ACTIVE),
        end_date__gte=today,
        end_date__lte=today + timedelta(days=within),
        renewal__isnull=True,
    )


def _deliverable_count():
    return Coalesce(
        Subquery(
            Deliverable.objects.filter(partnership=OuterRef("pk"))
            .order_by()
            .values("partnership")
            .annotate(n=Count("pk"))
            .values("n")[:1],
            output_field=IntegerField(),
        ),
        0,
    )


LIST_ORDER = ("-created_at", "-id")


def partnership_list_rows(page_queryset):
    """The rows of one list page, with what a row shows: influencer and current tier, campaign,
    owner, tier at signing, number of deliverables.

    ``page_queryset`` is the page already cut from the filtered list (``values("pk")[a:b]``): the
    filter, sort and LIMIT run on the partnership table alone, the joins and per-row subqueries
    only for the page's rows."""
    queryset = (
        Partnership.objects.filter(pk__in=page_queryset)
        .select_related("influencer", "campaign", "owner", "tier_at_signing")
        .annotate(deliverable_count=_deliverable_count())
        .order_by(*LIST_ORDER)
    )
    return annotate_tier(queryset, "influencer__followers")


BOARD_COUNT_CAP = 1_000


def board_columns(queryset, per_column=BOARD_CARDS_PER_COLUMN, count_cap=BOARD_COUNT_CAP):
    """[(status, label, cards, total)] for every pipeline status: the newest ``per_column`` cards
    of each and the column's count up to ``count_cap`` + 1, two small index-backed queries per
    status (partnership_status_newest): counting a whole column costs a scan of the table."""
    cards = annotate_tier(
        queryset.select_related("influencer", "campaign"), "influencer__followers"
    ).order_by("-created_at", "-id")
    columns = []
    for status in Status:
        in_column = queryset.filter(status=status).order_by()
        total = in_column.values("pk")[: count_cap + 1].count()
        columns.append(
            (status, status.label, list(cards.filter(status=status)[:per_column]), total)
        )
    return columns


RENEWAL_ORDER = ("end_date", "id")


def renewal_list(within=RENEWAL_WINDOW_DAYS):
    """Long-term partnerships due for renewal, soonest first (bare: decorate a page with
    ``renewal_rows``)."""
    return Partnership.objects.filter(renewal_due_q(within)).order_by(*RENEWAL_ORDER)


def renewal_rows(page_queryset):
    return (
        Partnership.objects.filter(pk__in=page_queryset)
        .select_related("influencer", "campaign", "owner")
        .order_by(*RENEWAL_ORDER)
    )


def partnership_detail_queryset():
    return Partnership.objects.select_related(
        "influencer", "campaign", "owner", "tier_at_signing", "renewed_from", "renewal"
    )


def partnership_history(partnership):
    return PartnershipStatusChange.objects.filter(partnership=partnership).select_related(
        "changed_by"
    )


def partnership_deliverables(partnership):
    return (
        Deliverable.objects.filter(partnership=partnership)
        .annotate(engagements=engagements_expression())
        .order_by("due_date", "id")
    )


def partnership_results(partnership):
    """The partnership's results (one aggregate query) with cost = its contract value and the
    influencer's followers for the engagement rate."""
    row = Deliverable.objects.filter(partnership=partnership).aggregate(
        **deliverable_sums(), deliverables=Count("pk")
    )
    return Results.from_row(
        row, cost=partnership.contract_value, followers=partnership.influencer.followers
    )


DELIVERABLE_ORDER = ("due_date", "id")


def deliverable_list():
    """Deliverables, soonest due first (bare: decorate a page with ``deliverable_rows``)."""
    return Deliverable.objects.order_by(*DELIVERABLE_ORDER)


def deliverable_rows(page_queryset):
    return (
        Deliverable.objects.filter(pk__in=page_queryset)
        .select_related("partnership__influencer", "partnership__campaign")
        .order_by(*DELIVERABLE_ORDER)
    )


def overdue_q(today=None):
    return Q(
        due_date__lt=today or timezone.localdate(),
        status__in=PENDING_DELIVERABLE_STATUSES,
    )


def influencer_search(term, limit=20):
    """Influencers whose name contains ``term``, for the partnership form's picker."""
    term = (term or "").strip()
    if not term:
        return Influencer.objects.none()
    return Influencer.objects.filter(name__icontains=term).order_by("name", "id")[:limit]


def partnership_results_out_of_step(limit=100):
    """Ids of partnerships whose stored result totals differ from their deliverables' sums (a
    missing row counts as zeros), at most ``limit``; empty when all are in step. One statement,
    computed in the database."""
    quote = connection.ops.quote_name
    deliverables = quote(Deliverable._meta.db_table)
    totals = quote(PartnershipResults._meta.db_table)
    sums = ", ".join(f"SUM({name}) AS {name}" for name in RESULT_TOTAL_FIELDS)
    differs = " OR ".join(
        f"r.{name} <> c.{name}" for name in ("deliverables", *RESULT_TOTAL_FIELDS)
    )
    sql = f"""
        SELECT c.partnership_id FROM (
            SELECT partnership_id, COUNT(*) AS deliverables, {sums}
            FROM {deliverables} GROUP BY partnership_id
        ) c
        LEFT JOIN {totals} r ON r.partnership_id = c.partnership_id
        WHERE r.partnership_id IS NULL OR {differs}
        UNION
        SELECT r.partnership_id FROM {totals} r
        WHERE NOT EXISTS (SELECT 1 FROM {deliverables} d WHERE d.partnership_id = r.partnership_id)
        ORDER BY 1
        LIMIT %s
    """  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(sql, [limit])
        return [row[0] for row in cursor.fetchall()]


def deliverable_month_sums(deliverables):
    """These deliverables grouped per partnership, platform and publish month (its first day;
    NULL when not published): partnership_id, platform, month, n and total_<result> sums. The
    rows PartnershipMonthResults stores."""
    return _deliverable_period_sums(
        deliverables.annotate(month=TruncMonth("published_on")), "month"
    )


def deliverable_quarter_sums(deliverables):
    """These deliverables, when published, grouped per partnership, platform and publish quarter
    (its first day): partnership_id, platform, quarter, n and total_<result> sums. The rows
    PartnershipQuarterResults stores."""
    return _deliverable_period_sums(
        deliverables.filter(published_on__isnull=False).annotate(
            quarter=TruncQuarter("published_on")
        ),
        "quarter",
    )


def deliverable_day_sums(deliverables):
    """These deliverables, when published, grouped per partnership, platform and publish day:
    partnership_id, platform, day, n and total_<result> sums. The rows PartnershipDayResults
    stores."""
    return _deliverable_period_sums(
        deliverables.filter(published_on__isnull=False).annotate(day=F("published_on")), "day"
    )


def _deliverable_period_sums(deliverables, period):
    return (
        deliverables.order_by()
        .values("partnership_id", "platform", period)
        .annotate(
            n=Count("pk"),
            **{f"total_{name}": Sum(name) for name in RESULT_TOTAL_FIELDS},
            first_day=Min("published_on"),
            last_day=Max("published_on"),
        )
    )


# Each table of per-period sums: (model, its period column, the grouping that gives its rows).
PERIOD_RESULTS = (
    (PartnershipMonthResults, "month", deliverable_month_sums),
    (PartnershipQuarterResults, "quarter", deliverable_quarter_sums),
    (PartnershipDayResults, "day", deliverable_day_sums),
)


def period_results_copies():
    """{column: SQL}: the columns of the per-period sums (PERIOD_RESULTS) that copy their
    partnership (``p``) and that partnership's influencer (``i``), with the expression that
    gives each."""
    signed = ", ".join(f"'{status}'" for status in Partnership.SIGNED_STATUSES)
    return {
        "influencer_id": "p.influencer_id",
        "campaign_id": "p.campaign_id",
        "tier_at_signing_id": "p.tier_at_signing_id",
        "collaboration_type": "p.collaboration_type",
        "signed": f"p.status IN ({signed})",
        "contract_value": "p.contract_value",
        "followers": "i.followers",
    }


def period_results_previous_days(model, period, scope_sql=""):
    """SQL: the PERIOD_GROUPS days of the rows of ``model`` (its period column ``period``) as
    they should be, in rows of id and one column per group, for the rows of the partnerships
    matching ``scope_sql`` (a condition on ``p``, the partnership, as in
    influencer_results_select: it must keep all of an influencer's partnerships or none).

    A group's published rows are ordered by period, first day, platform and partnership. A row
    that is the group's first of its period (month, quarter or day) gets the group's last
    publish day before it (NULL: none): in a period that keeps that month, quarter or day
    whole, the row is the group's first kept row exactly when that day is NULL or before the
    period's start, since every publish day in between is kept too. Any other row of the same
    period gets its own first day, never before the start of a period that keeps it, so it
    never counts. Unsigned and unpublished rows get NULL (the report reads neither). Window
    functions only: SQLite runs this too."""
    columns, windows = previous_day_columns(period)
    quote = connection.ops.quote_name
    # Through the partnerships (indexed per influencer), then each one's rows (indexed per
    # partnership): the rows have no index per influencer.
    scope = ""
    if scope_sql:
        scope = (
            f" AND p.partnership_id IN (SELECT p.id FROM {quote(Partnership._meta.db_table)} p "  # noqa: S608
            f"WHERE TRUE{scope_sql})"
        )
    return f"""
        SELECT p.id, {columns}
        FROM {quote(model._meta.db_table)} p
        WHERE p.{period} IS NOT NULL{scope}
        WINDOW {windows}
    """  # noqa: S608


def previous_day_columns(period):
    """(columns, windows): SQL of the PERIOD_GROUPS columns of a row ``p`` among the rows of
    the query (`period_results_previous_days` tells what they mean), and of the WINDOW clause
    they use."""
    order = f"ORDER BY p.{period}, p.first_day, p.platform, p.partnership_id"
    windows, columns = [], []
    for index, (column, group) in enumerate(PERIOD_GROUPS.items()):
        name = f"w{index}"
        windows.append(
            f"{name} AS (PARTITION BY p.signed, {', '.join(f'p.{g}' for g in group)} {order})"
        )
        # An unpublished row has no last day, so it changes no other row's MAX.
        columns.append(
            f"CASE WHEN NOT p.signed OR p.{period} IS NULL THEN NULL "
            f"WHEN LAG(p.{period}) OVER {name} = p.{period} THEN p.first_day "
            f"ELSE MAX(p.last_day) OVER ({name} ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) "
            f"END AS {column}"
        )
    return ", ".join(columns), ", ".join(windows)


def contract_value_share(contract_value, deliverables, partnership_deliverables):
    """SQL: the share of a contract value that ``deliverables`` of a partnership's
    ``partnership_deliverables`` carry (* 1.0: SQLite would divide whole numbers as integers)."""
    return f"{contract_value} * {deliverables} / ({partnership_deliverables} * 1.0)"


def period_results_previous_days_differ(row="m", source="w"):
    """SQL, true when a period row's previous days differ from those computed by
    `period_results_previous_days` (NULL-safe)."""
    return " OR ".join(f"{row}.{name} IS DISTINCT FROM {source}.{name}" for name in PERIOD_GROUPS)


def period_results_copies_differ(row="m", source="c"):
    """SQL, true when a period row's copies differ from `period_results_copies` (NULL-safe)."""
    return " OR ".join(
        f"{row}.{name} IS DISTINCT FROM {source}.{name}" for name in period_results_copies()
    )


def partnership_period_results_out_of_step(limit=100):
    """Ids of partnerships whose stored per-platform-and-month or per-platform-and-day sums
    differ from their deliverables' (a row missing, extra or with other numbers) or whose rows'
    copies differ from the partnership and its influencer, at most ``limit``. One statement per
    table, computed in the database."""
    found = set()
    for model, period, grouping in PERIOD_RESULTS:
        found.update(_period_results_out_of_step(model, period, grouping, limit))
    return sorted(found)[:limit]


def _period_results_out_of_step(model, period, grouping, limit):
    quote = connection.ops.quote_name
    copies = ", ".join(f"{sql} AS {name}" for name, sql in period_results_copies().items())
    rows = quote(model._meta.db_table)
    grouped_sql, params = grouping(Deliverable.objects.all()).query.sql_with_params()
    differs = " OR ".join(
        [
            "m.deliverables <> c.n",
            "m.partnership_deliverables <> t.n",
            *(f"m.{name} <> c.total_{name}" for name in RESULT_TOTAL_FIELDS),
            "m.first_day IS DISTINCT FROM c.first_day",
            "m.last_day IS DISTINCT FROM c.last_day",
        ]
    )
    cost = contract_value_share("c.contract_value", "m.deliverables", "m.partnership_deliverables")
    # t.n: the partnership's deliverables, published or not (the day rows hold only the
    # published ones, and each repeats the count of all).
    sql = f"""
        WITH c AS ({grouped_sql}),
        t AS (
            SELECT partnership_id, COUNT(*) AS n FROM {quote(Deliverable._meta.db_table)}
            GROUP BY partnership_id
        ),
        g AS (SELECT partnership_id, COUNT(*) AS groups FROM c GROUP BY partnership_id),
        s AS (SELECT partnership_id, COUNT(*) AS groups FROM {rows} GROUP BY partnership_id)
        SELECT c.partnership_id FROM c
        JOIN t ON t.partnership_id = c.partnership_id
        LEFT JOIN {rows} m ON m.partnership_id = c.partnership_id
            AND m.platform = c.platform
            AND (m.{period} = c.{period} OR (m.{period} IS NULL AND c.{period} IS NULL))
        WHERE m.id IS NULL OR {differs}
        UNION
        SELECT s.partnership_id FROM s LEFT JOIN g ON g.partnership_id = s.partnership_id
        WHERE g.partnership_id IS NULL OR g.groups <> s.groups
        UNION
        SELECT m.partnership_id FROM {rows} m
        JOIN (
            SELECT p.id, {copies}
            FROM {quote(Partnership._meta.db_table)} p
            JOIN {quote(Influencer._meta.db_table)} i ON i.id = p.influencer_id
        ) c ON c.id = m.partnership_id
        WHERE {period_results_copies_differ()} OR ABS(m.cost - {cost}) > 0.000001
        UNION
        SELECT m.partnership_id FROM {rows} m
        LEFT JOIN ({period_results_previous_days(model, period)}) w ON w.id = m.id
        WHERE {period_results_previous_days_differ()}
        ORDER BY 1
        LIMIT %s
    """  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, limit])
        return [row[0] for row in cursor.fetchall()]


# The columns of partnerships.InfluencerResults that influencer_results_select fills, in order.
INFLUENCER_RESULTS_COLUMNS = (
    "influencer_id",
    "tier_at_signing_id",
    "collaboration_type",
    "platform",
    "objective",
    "partnerships",
    "cost",
    "deliverables",
    *RESULT_TOTAL_FIELDS,
    "followers",
    "counts_influencer",
    "counts_influencer_in_type",
    "counts_influencer_in_tier",
)


def influencer_results_select(scope_sql=""):
    """(sql, params, columns): the rows of partnerships.InfluencerResults as they should be,
    computed from the signed partnerships matching ``scope_sql`` (a condition on ``p``, a
    partnership, starting with AND; empty for all), their totals and month totals, their
    campaigns' objectives and their influencers' followers. The scope's own params follow
    ``params``.

    Three kinds of rows: all platforms and objectives (``platform`` and ``objective`` empty), one
    platform, and one objective (the partnerships of campaigns with that objective)."""
    quote = connection.ops.quote_name
    month_sums = ", ".join(f"SUM(m.{name}) AS {name}" for name in RESULT_TOTAL_FIELDS)
    totals = ", ".join(f"SUM(COALESCE(r.{name}, 0)) AS {name}" for name in RESULT_TOTAL_FIELDS)
    kept = ", ".join(f"SUM(k.{name})" for name in RESULT_TOTAL_FIELDS)
    group = "p.influencer_id, p.tier_at_signing_id, p.collaboration_type"
    partitions = {
        "counts_influencer": "g.influencer_id, g.platform, g.objective",
        "counts_influencer_in_type": "g.influencer_id, g.platform, g.objective, "
        "g.collaboration_type",
        "counts_influencer_in_tier": "g.influencer_id, g.platform, g.objective, "
        "g.tier_at_signing_id",
    }
    first = ", ".join(
        f"CASE WHEN ROW_NUMBER() OVER (PARTITION BY {partition} "
        f"ORDER BY g.tier_at_signing_id, g.collaboration_type) = 1 THEN 1 ELSE 0 END AS {name}"
        for name, partition in partitions.items()
    )
    statuses = list(Partnership.SIGNED_STATUSES)
    results_table = quote(PartnershipResults._meta.db_table)
    # A partnership's share of its contract value on a platform: the share of its deliverables
    # there.
    platform_cost = contract_value_share("p.contract_value", "k.n", "k.total")
    sql = f"""
        WITH p AS (
            SELECT p.id, p.influencer_id, p.tier_at_signing_id, p.collaboration_type,
                   p.contract_value, p.campaign_id
            FROM {quote(Partnership._meta.db_table)} p
            WHERE p.status IN ({", ".join(["%s"] * len(statuses))}){scope_sql}
        ),
        k AS (
            SELECT m.partnership_id, m.platform, SUM(m.deliverables) AS n,
                   MAX(m.partnership_deliverables) AS total, {month_sums}
            FROM {quote(PartnershipMonthResults._meta.db_table)} m
            JOIN p ON p.id = m.partnership_id
            GROUP BY m.partnership_id, m.platform
        ),
        g AS (
            SELECT {group}, '' AS platform, '' AS objective, COUNT(*) AS partnerships,
                   SUM(p.contract_value) AS cost,
                   SUM(COALESCE(r.deliverables, 0)) AS deliverables, {totals}
            FROM p LEFT JOIN {results_table} r ON r.partnership_id = p.id
            GROUP BY {group}
            UNION ALL
            SELECT {group}, k.platform, '', COUNT(*),
                   SUM({platform_cost}), SUM(k.n), {kept}
            FROM k JOIN p ON p.id = k.partnership_id
            GROUP BY {group}, k.platform
            UNION ALL
            SELECT {group}, '', c.objective, COUNT(*), SUM(p.contract_value),
                   SUM(COALESCE(r.deliverables, 0)), {totals}
            FROM p JOIN {quote(Campaign._meta.db_table)} c ON c.id = p.campaign_id
            LEFT JOIN {results_table} r ON r.partnership_id = p.id
            GROUP BY {group}, c.objective
        )
        SELECT g.*, i.followers, {first}
        FROM g JOIN {quote(Influencer._meta.db_table)} i ON i.id = g.influencer_id
    """  # noqa: S608
    return sql, statuses, INFLUENCER_RESULTS_COLUMNS


def influencer_results_out_of_step(limit=100):
    """Ids of influencers whose stored report rows (partnerships.InfluencerResults) differ from
    what their partnerships and followers give (a row missing, extra or with other numbers), at
    most ``limit``. One statement; costs compared to 6 decimal places."""
    quote = connection.ops.quote_name
    expected_sql, params, columns = influencer_results_select()
    compared = ", ".join(
        "ROUND(cost, 6) AS cost" if name == "cost" else quote(name) for name in columns
    )
    stored = quote(InfluencerResults._meta.db_table)
    sql = f"""
        WITH expected AS ({expected_sql}),
        missing AS (SELECT {compared} FROM expected EXCEPT SELECT {compared} FROM {stored}),
        extra AS (SELECT {compared} FROM {stored} EXCEPT SELECT {compared} FROM expected)
        SELECT influencer_id FROM missing
        UNION
        SELECT influencer_id FROM extra
        ORDER BY 1
        LIMIT %s
    """  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, limit])
        return [row[0] for row in cursor.fetchall()]
