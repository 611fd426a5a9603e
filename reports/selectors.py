"""Reads for the reports: the tier comparison (one SQL aggregate) and the dashboard blocks.

Scope of the tier comparison
- Partnerships: signed ones (contracted, active, completed) matching the campaign, objective,
  niche and collaboration-type filters. Prospects, declined and cancelled deals cost nothing.
- Deliverables: every deliverable of those partnerships, narrowed by platform and publish period.
- Spend: each partnership's contract value, counted once. When a platform or period filter keeps
  only some of a partnership's deliverables, the partnership's contract value is split evenly over
  all its deliverables and only the share of the kept ones counts (a partnership with none kept
  drops out). Without those filters a signed partnership with no deliverable yet still counts.
- Tier: the influencer's current tier (today's thresholds, a followers range computed in SQL on
  every load, so a threshold edit shows at once) or the tier recorded at signing.
"""

from calendar import monthrange
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db import connection, transaction
from django.db.models import Case, Count, Exists, F, OuterRef, Value, When
from django.db.models.functions import Coalesce
from django.utils import timezone

from campaigns.models import Campaign
from campaigns.selectors import with_totals
from crm.metrics import COUNT_FIELDS, Results, money_total, ratio, share
from influencers.models import Influencer
from influencers.tiers import tier_ranges
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
)
from partnerships.selectors import (
    RENEWAL_WINDOW_DAYS,
    contract_value_share,
    overdue_q,
    renewal_due_q,
)
from reports.forms import TierBasis

SIGNED_STATUSES = tuple(Partnership.SIGNED_STATUSES)
LONG_TERM = Partnership.CollaborationType.LONG_TERM
ONE_OFF = Partnership.CollaborationType.ONE_OFF
# The compare view refuses to call a winner on fewer deliverables than this per tier.
MIN_DELIVERABLES = 30
NO_TIER = -1
REPORT_WORK_MEM = "64MB"


@dataclass
class TierRow:
    """One tier (or one tier and collaboration type) of the comparison."""

    tier: object  # a TierRange, or None for influencers below every threshold
    collaboration_type: str | None = None
    influencers: int = 0
    influencer_followers: int = 0
    partnerships: int = 0
    long_term: int = 0
    results: Results = field(default_factory=Results)

    @property
    def name(self):
        return self.tier.tier.name if self.tier else "No tier"

    @property
    def tier_id(self):
        return self.tier.tier.pk if self.tier else None

    @property
    def type_label(self):
        if self.collaboration_type is None:
            return "All"
        return "Long-term" if self.collaboration_type == LONG_TERM else "One-off"

    @property
    def average_followers(self):
        return ratio(self.influencer_followers, self.influencers)

    @property
    def long_term_share(self):
        return share(self.long_term, self.partnerships)


@dataclass
class TierComparison:
    rows: list  # one TierRow per tier, lowest threshold first
    split_rows: list  # per tier: long-term then one-off
    filters: dict

    def row_for(self, tier_pk):
        for row in self.rows:
            if row.tier_id == tier_pk:
                return row
        return None


def _quote(name):
    return connection.ops.quote_name(name)


def _tier_key(basis, ranges):
    if basis == TierBasis.SIGNING:
        return Coalesce(F("tier_at_signing_id"), Value(NO_TIER))
    whens = [
        When(influencer__followers__gte=r.lower, then=Value(r.tier.pk)) for r in reversed(ranges)
    ]
    return Case(*whens, default=Value(NO_TIER))


def scoped_partnerships(filters, ranges):
    """Signed partnerships in the filters' scope, as values rows with their tier key."""
    # The condition of the partnership_signed_report index, which holds every column read here:
    # an index-only scan instead of reading whole partnership rows.
    queryset = Partnership.objects.filter(status__in=SIGNED_STATUSES)
    if filters.get("campaign"):
        queryset = queryset.filter(campaign=filters["campaign"])
    if filters.get("objective"):
        queryset = queryset.filter(campaign__objective=filters["objective"])
    if filters.get("collaboration_type"):
        queryset = queryset.filter(collaboration_type=filters["collaboration_type"])
    if filters.get("niche"):
        # EXISTS, not a join: no duplicate partnerships, no DISTINCT (see RECIPES.md).
        queryset = queryset.filter(
            Exists(
                Influencer.niches.through.objects.filter(
                    influencer_id=OuterRef("influencer_id"), niche=filters["niche"]
                )
            )
        )
    return (
        queryset.order_by()
        .values("id", "influencer_id", "collaboration_type", "contract_value")
        .annotate(
            tier_key=_tier_key(filters.get("basis"), ranges),
            audience=F("influencer__followers"),
        )
    )


RESULT_COLUMNS = RESULT_TOTAL_FIELDS


def _next_month(day):
    """The first day of the month after ``day``'s, or None after December 9999."""
    if (day.year, day.month) == (9999, 12):
        return None
    return (day.replace(day=28) + timedelta(days=4)).replace(day=1)


def _previous_month(day):
    """The first day of the month before ``day``'s, or None before January of year 1."""
    if (day.year, day.month) == (1, 1):
        return None
    return (day.replace(day=1) - timedelta(days=1)).replace(day=1)


def _full_months(after, before):
    """(first, last, fits): the first days of the first and last calendar months lying wholly
    inside [after, before] (None for an open end), and whether any month does. Dates at the ends
    of the calendar (year 1, year 9999) are valid input, so nothing here may overflow."""
    first = last = None
    fits = True
    if after is not None:
        first = after if after.day == 1 else _next_month(after)
        fits = first is not None
    if before is not None:
        ends_a_month = before.day == monthrange(before.year, before.month)[1]
        last = before.replace(day=1) if ends_a_month else _previous_month(before)
        fits = fits and last is not None
    if first is not None and last is not None and first > last:
        fits = False
    return first, last, fits


def _month_index(day):
    return day.year * 12 + day.month - 1


def _month_at(index):
    """The first day of the month at ``index`` (`_month_index`), or None outside the calendar."""
    year, month = divmod(index, 12)
    return date(year, month + 1, 1) if 1 <= year <= 9999 else None


def _whole_quarters(first, last):
    """(first, last, fits): the first days of the first and last calendar quarters lying wholly
    inside the months from ``first`` to ``last`` (first days of months; None: open), and whether
    any quarter does. Dates at the ends of the calendar are valid input: nothing overflows."""
    first_quarter = last_quarter = None
    if first is not None:
        index = _month_index(first)
        first_quarter = _month_at(-(-index // 3) * 3)  # the next quarter start, or this one
        if first_quarter is None:
            return None, None, False
    if last is not None:
        index = _month_index(last)
        # The quarter ``last`` ends, or the one before.
        last_quarter = _month_at(index - 2 if index % 3 == 2 else index // 3 * 3 - 3)
        if last_quarter is None:
            return None, None, False
    fits = first_quarter is None or last_quarter is None or first_quarter <= last_quarter
    return first_quarter, last_quarter, fits


# The columns of each row kept by a platform and/or period filter (`kept_results_sql`).
KEPT_COPIES = (
    "influencer_id",
    "campaign_id",
    "tier_at_signing_id",
    "collaboration_type",
    "followers",
)


def _partly_covered_months(after, before):
    """The days of [after, before] (None: open) outside its whole calendar months, split per
    month: [(first day of the month, last day of the month, first kept day, last kept day)].
    At most two months: the one ``after`` falls in and the one ``before`` falls in; never a
    whole month (that one is among the whole months), so some of each month's days are out."""
    first, last, whole_months = _full_months(after, before)
    spans = []
    if not whole_months:
        spans.append((after, before))
    else:
        if after is not None and after < first:
            spans.append((after, first - timedelta(days=1)))
        after_last = _next_month(last) if before is not None else None
        if after_last is not None and after_last <= before:
            spans.append((after_last, before))
    months = []
    for lowest, highest in spans:
        # An open end lies in the other end's month: no whole month fits in the period.
        lowest = lowest or highest.replace(day=1)
        highest = highest or lowest.replace(day=monthrange(lowest.year, lowest.month)[1])
        while lowest <= highest:
            start = lowest.replace(day=1)
            end = lowest.replace(day=monthrange(lowest.year, lowest.month)[1])
            months.append((start, end, lowest, min(highest, end)))
            if end >= highest:
                break
            lowest = end + timedelta(days=1)
    return months


def _date_param():
    """A placeholder for a date inside a CASE (PostgreSQL cannot type a bare text there; SQLite
    keeps dates as ISO text and would turn a CAST AS DATE into a number)."""
    return "CAST(%s AS DATE)" if connection.vendor == "postgresql" else "%s"


def kept_results_sql(*, platform=None, after=None, before=None):
    """`kept_results_branches` as one UNION ALL."""
    branches = kept_results_branches(platform=platform, after=after, before=before)
    return (
        " UNION ALL ".join(sql for sql, _ in branches),
        [value for _, params in branches for value in params],
    )


def kept_results_branches(*, platform=None, after=None, before=None, quarters=False):
    """[(SQL, params)], one per table read: the results of signed partnerships kept by a
    platform and/or publish-period filter, in rows of partnership_id, its influencer_id,
    campaign_id, tier_at_signing_id, collaboration_type, the influencer's followers, cost (the
    share of the contract value the row's deliverables carry: contract value x n / all the
    partnership's deliverables, stored), n (kept deliverables), the result sums and the row's
    previous days (PERIOD_GROUPS, read by `_period_rows_sql`). A partnership may have several
    rows (months, quarters, days, platforms), which the report sums into its tiers directly: the
    contract-value share is additive.

    Whole calendar months come from partnerships_partnershipmonthresults (one row per
    partnership, platform and month, ~3x fewer rows than deliverables); the days of a partly
    covered first or last month from partnerships_partnershipdayresults (one row per
    partnership, platform and day). Both carry copies of their partnership and influencer: no
    join. Without a period, the month rows hold every deliverable (month NULL: unpublished).

    A partly covered month still comes from its month rows when no deliverable at all was
    published on its days outside the period (a period ending today, say). The choice is made
    while the statement runs: each such month's bound is a CASE over an uncorrelated EXISTS,
    which PostgreSQL evaluates once before scanning, and a NULL bound keeps no row. So each
    table is read in one pass (its index ranges OR-ed), and a day is read from one table only.

    With ``quarters``, a period's whole calendar quarters come from
    partnerships_partnershipquarterresults (~1.5x fewer rows than their months), and only the
    whole months around them from the month rows. The tier comparison's general statement
    keeps to the months, so the tests can compare the two.
    """
    first, last, whole_months = _full_months(after, before)
    results = ", ".join(RESULT_COLUMNS)
    date = _date_param()
    days = _quote(PartnershipDayResults._meta.db_table)
    # Per table: OR-ed [(condition, params)].
    month_ranges, quarter_ranges, day_ranges = [], [], []

    def between(column, lowest, highest):
        kept = [(f"{column} >= %s", lowest), (f"{column} <= %s", highest)]
        kept = [(sql, day.isoformat()) for sql, day in kept if day is not None]
        return " AND ".join(sql for sql, _ in kept) or "TRUE", [value for _, value in kept]

    if whole_months:
        # Without a period, the month rows hold every deliverable, the unpublished ones too.
        use_quarters = quarters and (after, before) != (None, None)
        first_quarter, last_quarter, whole_quarters = (
            _whole_quarters(first, last) if use_quarters else (None, None, False)
        )
        if whole_quarters:
            quarter_ranges.append(between("quarter", first_quarter, last_quarter))
            if first is not None and first < first_quarter:
                month_ranges.append(
                    between("month", first, _month_at(_month_index(first_quarter) - 1))
                )
            if last is not None and _month_index(last) > _month_index(last_quarter) + 2:
                month_ranges.append(
                    between("month", _month_at(_month_index(last_quarter) + 3), last)
                )
        else:
            month_ranges.append(between("month", first, last))
    for month_start, month_end, lowest, highest in _partly_covered_months(after, before):
        outside, outside_params = [], []
        if lowest > month_start:
            outside.append("(day >= %s AND day < %s)")
            outside_params += [month_start.isoformat(), lowest.isoformat()]
        if highest < month_end:
            outside.append("(day > %s AND day <= %s)")
            outside_params += [highest.isoformat(), month_end.isoformat()]
        published_outside = f"EXISTS (SELECT 1 FROM {days} WHERE {' OR '.join(outside)})"  # noqa: S608
        month_ranges.append(
            (
                f"month = (SELECT CASE WHEN NOT {published_outside} THEN {date} END)",
                [*outside_params, month_start.isoformat()],
            )
        )
        # The constant lower bound repeats the CASE's: it keeps no other row, but lets the
        # planner estimate the rows (a bound it cannot see it guesses at 0.5% of them), so a
        # month of day rows (~50,000) is grouped in parallel like the other passes.
        day_ranges.append(
            (
                f"day >= (SELECT CASE WHEN {published_outside} THEN {date} END) "
                "AND day >= %s AND day <= %s",
                [*outside_params, lowest.isoformat(), lowest.isoformat(), highest.isoformat()],
            )
        )
    if not month_ranges and not quarter_ranges and not day_ranges:  # after > before: no row
        month_ranges.append(("1 = 0", []))
    branches = []
    for model, ranges in (
        (PartnershipMonthResults, month_ranges),
        (PartnershipQuarterResults, quarter_ranges),
        (PartnershipDayResults, day_ranges),
    ):
        if not ranges:
            continue
        conditions, branch_params = ["signed"], []
        if platform:
            conditions.append("platform = %s")
            branch_params.append(platform)
        conditions.append("(" + " OR ".join(f"({sql})" for sql, _ in ranges) + ")")
        branch_params += [value for _, values in ranges for value in values]
        sql = (
            f"SELECT partnership_id, {', '.join(KEPT_COPIES)}, cost, "  # noqa: S608
            f"deliverables AS n, {results}, {', '.join(PERIOD_GROUPS)} "
            f"FROM {_quote(model._meta.db_table)} WHERE {' AND '.join(conditions)}"
        )
        branches.append((sql, branch_params))
    return branches


def _comparison_sql(filters, ranges):
    """One statement. `s`: the partnerships in scope; `sp`: each with the cost it carries and the
    results counted for it; from `sp`, `dt` (spend and results per tier and type), `pp` (the
    partnerships per tier and type) and `pi` then `it` (distinct influencers per tier, and how
    many of them hold each type).

    Without a platform/period filter a partnership's results are its stored totals
    (partnerships_partnershipresults, kept in step with its deliverables), so the page reads
    ~partnerships, not a million deliverables. With one, `kept` holds what the filter keeps
    (`kept_results_sql`: the per-month totals, plus the per-day totals of partly covered
    months), possibly several rows per partnership; each row carries its share of the contract
    value (kept / all the partnership's deliverables); `pp` counts the partnerships once.

    The tier comparison reads partnerships.InfluencerResults instead (`_rollup_sql`) when no
    filter needs partnerships or dates, and the period's rows in one pass (`_period_rows_sql`)
    when a period comes only with a niche or collaboration type: this statement serves the
    campaign filter, and a period, platform or objective with another of those.
    """
    platform = filters.get("platform")
    after, before = filters.get("published_after"), filters.get("published_before")
    if platform or after or before:
        kept_sql, kept_params = kept_results_sql(platform=platform, after=after, before=before)
        conditions, condition_params = ["TRUE"], []
        if filters.get("campaign"):
            conditions.append("k.campaign_id = %s")
            condition_params.append(_pk(filters["campaign"]))
        if filters.get("objective"):
            campaigns = _quote(Campaign._meta.db_table)
            conditions.append(
                f"k.campaign_id IN (SELECT id FROM {campaigns} WHERE objective = %s)"  # noqa: S608
            )
            condition_params.append(filters["objective"])
        if filters.get("collaboration_type"):
            conditions.append("k.collaboration_type = %s")
            condition_params.append(filters["collaboration_type"])
        if filters.get("niche"):
            conditions.append(_niche_condition("k.influencer_id"))
            condition_params.append(_pk(filters["niche"]))
        tier_key = _tier_key_sql(filters, ranges, "k.followers", "k.tier_at_signing_id")
        sql = f"""
        WITH sp AS MATERIALIZED (
            SELECT {tier_key} AS tier_key, k.influencer_id, k.collaboration_type,
                   k.followers AS audience, k.partnership_id AS id, k.cost, k.n,
                   {", ".join(f"k.{name}" for name in RESULT_COLUMNS)}
            FROM ({kept_sql}) k
            WHERE {" AND ".join(conditions)}
        ),"""  # noqa: S608
        params = [*kept_params, *condition_params]
    else:
        scoped_sql, scoped_params = scoped_partnerships(filters, ranges).query.sql_with_params()
        totals = _quote(PartnershipResults._meta.db_table)
        sql = f"""
        WITH s AS NOT MATERIALIZED ({scoped_sql}),
        sp AS MATERIALIZED (
            SELECT s.tier_key, s.influencer_id, s.collaboration_type, s.audience, s.id,
                   s.contract_value AS cost, COALESCE(r.deliverables, 0) AS n,
                   {", ".join(f"COALESCE(r.{name}, 0) AS {name}" for name in RESULT_COLUMNS)}
            FROM s LEFT JOIN {totals} r ON r.partnership_id = s.id
        ),"""  # noqa: S608
        params = list(scoped_params)
    # `pp` counts each partnership once: with a platform or period filter it may have several
    # rows (months, days, platforms); hashed, where a COUNT(DISTINCT) in `dt` would sort them.
    # The influencer flags are MAX(CASE ...) rather than bool_or: SQLite runs this too.
    sql += f"""
        dt AS (
            SELECT tier_key, collaboration_type, SUM(cost) AS cost, SUM(n) AS deliverables,
                   {", ".join(f"SUM({name}) AS {name}" for name in RESULT_COLUMNS)},
                   SUM(audience * n) AS followers
            FROM sp
            GROUP BY tier_key, collaboration_type
        ),
        pp AS (
            SELECT tier_key, collaboration_type, COUNT(*) AS partnerships
            FROM (SELECT DISTINCT tier_key, collaboration_type, id FROM sp) p
            GROUP BY tier_key, collaboration_type
        ),
        pi AS (
            SELECT tier_key, influencer_id, MAX(audience) AS audience,
                   MAX(CASE WHEN collaboration_type = '{LONG_TERM}' THEN 1 ELSE 0 END) AS lt,
                   MAX(CASE WHEN collaboration_type = '{ONE_OFF}' THEN 1 ELSE 0 END) AS oo
            FROM sp
            GROUP BY tier_key, influencer_id
        ),
        it AS (
            SELECT tier_key, COUNT(*) AS influencers, SUM(audience) AS audience,
                   SUM(lt) AS lt_influencers, SUM(lt * audience) AS lt_audience,
                   SUM(oo) AS oo_influencers, SUM(oo * audience) AS oo_audience
            FROM pi
            GROUP BY tier_key
        )
        SELECT it.tier_key, it.influencers, it.audience, it.lt_influencers, it.lt_audience,
               it.oo_influencers, it.oo_audience,
               dt.collaboration_type, pp.partnerships, dt.cost, dt.deliverables,
               {", ".join(f"dt.{name}" for name in RESULT_COLUMNS)},
               dt.followers
        FROM it LEFT JOIN dt ON dt.tier_key = it.tier_key
        LEFT JOIN pp ON pp.tier_key = dt.tier_key
            AND pp.collaboration_type = dt.collaboration_type
    """  # noqa: S608
    return sql, params


def _pk(value):
    """A model instance's primary key, or the key itself (the filters may hold either)."""
    return getattr(value, "pk", value)


def _tier_key_sql(filters, ranges, followers, signing):
    """SQL of the tier key of a row from its ``followers`` and ``signing`` (tier at signing)
    columns: the tier at signing, or today's tier from today's thresholds (a CASE built on
    every load, so a threshold edit shows at once); NO_TIER below every threshold."""
    if filters.get("basis") == TierBasis.SIGNING:
        return f"COALESCE({signing}, {NO_TIER})"
    whens = " ".join(
        f"WHEN {followers} >= {int(r.lower)} THEN {int(r.tier.pk)}" for r in reversed(ranges)
    )
    return f"CASE {whens} ELSE {NO_TIER} END" if whens else str(NO_TIER)


def _niche_condition(influencer_column):
    """SQL: the influencer in ``influencer_column`` is in the niche given as its one param (an
    EXISTS, so no row is repeated)."""
    links = _quote(Influencer.niches.through._meta.db_table)
    return (
        f"EXISTS (SELECT 1 FROM {links} n WHERE n.influencer_id = {influencer_column} "  # noqa: S608
        "AND n.niche_id = %s)"
    )


# Filters the report rows of InfluencerResults can answer (they hold neither campaigns nor dates,
# and a row is for one platform or one objective, not both).
ROLLUP_FILTERS = {"basis", "platform", "objective", "niche", "collaboration_type"}


def _uses_rollup(filters):
    return all(key in ROLLUP_FILTERS for key, value in filters.items() if value) and not (
        filters.get("platform") and filters.get("objective")
    )


def _rollup_sql(filters, ranges):
    """One GROUP BY over InfluencerResults (rows per influencer, tier at signing, type and
    platform or objective, the ``counts_*`` flags marking each influencer once): per tier and
    type, the same sums as `_comparison_sql` and the distinct influencers, without joining
    partnerships, totals and influencers on every load."""
    table = _quote(InfluencerResults._meta.db_table)
    signing = filters.get("basis") == TierBasis.SIGNING
    tier_key = _tier_key_sql(filters, ranges, "followers", "tier_at_signing_id")
    # Each (influencer, tier at signing, type, platform, objective) is one row, so at signing an
    # influencer holds a type in a tier once per row.
    type_flag = "1" if signing else "counts_influencer_in_type"
    tier_flag = "counts_influencer_in_tier" if signing else "counts_influencer"
    conditions = ["platform = %s", "objective = %s"]
    params = [filters.get("platform") or "", filters.get("objective") or ""]
    if filters.get("collaboration_type"):
        # Only this type's rows are in scope: an influencer's first row may be of the other.
        tier_flag = type_flag
        conditions.append("collaboration_type = %s")
        params.append(filters["collaboration_type"])
    if filters.get("niche"):
        conditions.append(_niche_condition(f"{table}.influencer_id"))
        params.append(_pk(filters["niche"]))
    sums = ", ".join(f"SUM({name}) AS {name}" for name in RESULT_COLUMNS)
    sql = f"""
        SELECT {tier_key} AS tier_key, collaboration_type, SUM(partnerships) AS partnerships,
               SUM(cost) AS cost, SUM(deliverables) AS deliverables, {sums},
               SUM(followers * deliverables) AS followers,
               SUM({type_flag}) AS type_influencers, SUM({type_flag} * followers) AS type_audience,
               SUM({tier_flag}) AS tier_influencers, SUM({tier_flag} * followers) AS tier_audience
        FROM {table}
        WHERE {" AND ".join(conditions)}
        GROUP BY 1, 2
    """  # noqa: S608
    return sql, params


# Filters the period rows (month, quarter, day) answer in one grouping pass
# (`_period_rows_sql`): a period, with or without what keeps or drops an influencer's rows all
# together, or a partnership's.
PERIOD_ROW_FILTERS = {
    "basis",
    "published_after",
    "published_before",
    "niche",
    "collaboration_type",
}


def _uses_period_rows(filters):
    used = {key for key, value in filters.items() if value}
    return bool(used & {"published_after", "published_before"}) and used <= PERIOD_ROW_FILTERS


def _period_rows_sql(filters, ranges):
    """One grouping pass over the month, quarter and day rows a period keeps
    (`kept_results_branches`, each table grouped on its own, then their groups summed): per
    tier and type, the same sums as `_comparison_sql`, and the partnerships and distinct
    influencers counted from the rows that are their group's first in the period: those whose
    previous day (PERIOD_GROUPS) is NULL or before the period's start. No DISTINCT, no grouping
    per partnership or influencer. The rows come out in `_rollup_sql`'s shape.

    It serves a period with the niche and collaboration-type filters (they keep or drop an
    influencer's or a partnership's rows all together); a campaign, an objective or a platform
    drops some of a group's rows, maybe its first, so those go to `_comparison_sql`."""
    after, before = filters.get("published_after"), filters.get("published_before")
    signing = filters.get("basis") == TierBasis.SIGNING
    tier_key = _tier_key_sql(filters, ranges, "k.followers", "k.tier_at_signing_id")
    if signing:
        type_group, tier_group = "previous_day_influencer_tier_type", "previous_day_influencer_tier"
    else:
        type_group, tier_group = "previous_day_influencer_type", "previous_day_influencer"
    conditions, condition_params = ["TRUE"], []
    if filters.get("collaboration_type"):
        # Only this type's rows are kept: an influencer's first row may be of the other.
        tier_group = type_group
        conditions.append("k.collaboration_type = %s")
        condition_params.append(filters["collaboration_type"])
    if filters.get("niche"):
        conditions.append(_niche_condition("k.influencer_id"))
        condition_params.append(_pk(filters["niche"]))

    flags, flag_params = [], []
    for name, column in (
        ("partnerships", "previous_day"),
        ("type", type_group),
        ("tier", tier_group),
    ):
        if after is None:  # from the beginning: only a group's very first row counts
            first, params = f"k.{column} IS NULL", []
        else:
            first = f"(k.{column} IS NULL OR k.{column} < {_date_param()})"
            params = [after.isoformat()]
        # FILTER, not SUM(CASE ...): a row that is not its group's first costs no addition.
        if name == "partnerships":
            flags.append(f"COUNT(*) FILTER (WHERE {first}) AS partnerships")
            flag_params += params
        else:
            flags.append(f"COUNT(*) FILTER (WHERE {first}) AS {name}_influencers")
            flags.append(f"SUM(k.followers) FILTER (WHERE {first}) AS {name}_audience")
            flag_params += params * 2
    # Each table is grouped on its own, then their few groups are summed: PostgreSQL does not
    # push a grouping into the legs of a UNION ALL of filtered tables (it groups their rows in
    # one process), while each table grouped on its own can be grouped by parallel workers.
    legs, params = [], []
    for branch_sql, branch_params in kept_results_branches(
        after=after, before=before, quarters=True
    ):
        legs.append(
            f"""
            SELECT {tier_key} AS tier_key, k.collaboration_type,
                   SUM(k.cost) AS cost, SUM(k.n) AS deliverables,
                   {", ".join(f"SUM(k.{name}) AS {name}" for name in RESULT_COLUMNS)},
                   SUM(k.followers * k.n) AS followers, {", ".join(flags)}
            FROM ({branch_sql}) k
            WHERE {" AND ".join(conditions)}
            GROUP BY 1, 2
            """  # noqa: S608
        )
        params += [*flag_params, *branch_params, *condition_params]
    columns = ("cost", "deliverables", *RESULT_COLUMNS, "followers", *PERIOD_ROWS_COUNTS)
    sql = f"""
        SELECT tier_key, collaboration_type,
               {", ".join(f"SUM({name}) AS {name}" for name in columns)}
        FROM ({" UNION ALL ".join(legs)}) g
        GROUP BY 1, 2
    """  # noqa: S608
    return sql, params


# The counts `_period_rows_sql` gives besides the sums, as `_rollup_sql` names them.
PERIOD_ROWS_COUNTS = (
    "partnerships",
    "type_influencers",
    "type_audience",
    "tier_influencers",
    "tier_audience",
)


@dataclass
class Statement:
    """The statement the tier comparison runs for some filters."""

    sql: str
    params: list
    rollup: bool  # its rows are in `_rollup_sql`'s shape (they go through `_rollup_rows`)
    settings: str  # run first, in the statement's transaction (PostgreSQL)


def comparison_statement(filters, ranges):
    """The `Statement` the tier comparison runs for these filters."""
    if _uses_rollup(filters):
        return Statement(*_rollup_sql(filters, ranges), rollup=True, settings=GROUPING_SETTINGS)
    if _uses_period_rows(filters):
        return Statement(
            *_period_rows_sql(filters, ranges), rollup=True, settings=PERIOD_ROWS_SETTINGS
        )
    return Statement(*_comparison_sql(filters, ranges), rollup=False, settings=REPORT_SETTINGS)


def _rollup_rows(rows):
    """The rollup's rows in `_comparison_sql`'s shape: each (tier, type) row carries its tier's
    distinct influencers, their audience and those holding each type."""
    tiers = {}
    for row in rows:
        tier = tiers.setdefault(row["tier_key"], {"influencers": 0, "audience": 0})
        tier["influencers"] += _int(row["tier_influencers"])
        tier["audience"] += _int(row["tier_audience"])
        prefix = "lt" if row["collaboration_type"] == LONG_TERM else "oo"
        tier[f"{prefix}_influencers"] = _int(row["type_influencers"])
        tier[f"{prefix}_audience"] = _int(row["type_audience"])
    return [{**row, **tiers[row["tier_key"]]} for row in rows]


REPORT_SETTINGS = (
    # LOCAL: they end with the report's transaction. The reports group into a few rows, which a
    # hash aggregate does in one pass; without table statistics PostgreSQL may instead sort the
    # million joined rows (enable_sort only discourages sorting, a LIMIT still sorts).
    # random_page_cost comes with the connection (crm/settings.py).
    f"SET LOCAL jit = off; SET LOCAL enable_sort = off; SET LOCAL work_mem = '{REPORT_WORK_MEM}'"
)


# The single-table grouping passes (the rollup, a period's rows): they read up to 300,000 rows,
# which a leader and one worker group in 55-60% of the time (`docs/performance.md`), each
# grouping its share (a partial aggregate: migration partnerships 0014 tells the planner the
# tiers are few). No parallel index scans: the InitPlans' EXISTS over a few index entries would
# each start a worker.
GROUPING_SETTINGS = (
    f"{REPORT_SETTINGS}; SET LOCAL max_parallel_workers_per_gather = 1; "
    "SET LOCAL parallel_setup_cost = 0; SET LOCAL parallel_tuple_cost = 0; "
    "SET LOCAL min_parallel_index_scan_size = '1GB'"
)

# A period's pass reads runs of ~20,000-50,000 rows in period order. At the connection's
# random_page_cost (1.1, crm/settings.py) the planner reads a month of day rows by a plain index
# scan in one process; at the server default (4) by a parallel bitmap scan, grouped in both
# (last 90 days 112 -> 77 ms, year to date 152 -> 117 ms, docs/performance.md). The rollup keeps
# 1.1: its niche filter looks up the niche's members by index.
PERIOD_ROWS_SETTINGS = f"{GROUPING_SETTINGS}; SET LOCAL random_page_cost = 4"


def _run_report(sql, params, settings=REPORT_SETTINGS):
    """Run a report query; on PostgreSQL with ``settings``, in a transaction."""
    if connection.vendor != "postgresql":
        return _fetch(sql, params)
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute(settings)
        return _fetch(sql, params)


def _fetch(sql, params):
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        columns = [column[0] for column in cursor.description]
        return [dict(zip(columns, row, strict=True)) for row in cursor.fetchall()]


def _int(value):
    return int(value or 0)


def tier_comparison(*, filters):
    """Both tables of the tier comparison: per tier, and per tier split by collaboration type.

    Two queries whatever the data size: the tier list and one aggregate.
    """
    ranges = tier_ranges()
    statement = comparison_statement(filters, ranges)
    rows = _run_report(statement.sql, statement.params, statement.settings)
    if statement.rollup:
        rows = _rollup_rows(rows)
    by_tier = {}
    for row in rows:
        key = row["tier_key"]
        entry = by_tier.setdefault(key, {"row": row, "types": {}})
        if row["collaboration_type"]:
            entry["types"][row["collaboration_type"]] = row

    tiers = [(r.tier.pk, r) for r in ranges]
    if NO_TIER in by_tier:
        tiers.append((NO_TIER, None))

    table, split = [], []
    for key, tier_range in tiers:
        entry = by_tier.get(key)
        base = entry["row"] if entry else {}
        types = entry["types"] if entry else {}
        parts = {}
        for kind, prefix in ((LONG_TERM, "lt"), (ONE_OFF, "oo")):
            typed = types.get(kind, {})
            results = Results.from_row(
                {name: _int(typed.get(name)) for name in (*COUNT_FIELDS, "followers")},
                deliverables=_int(typed.get("deliverables")),
                revenue=money_total(typed.get("revenue")),
                cost=money_total(typed.get("cost")),
            )
            count = _int(typed.get("partnerships"))
            parts[kind] = TierRow(
                tier=tier_range,
                collaboration_type=kind,
                influencers=_int(base.get(f"{prefix}_influencers")),
                influencer_followers=_int(base.get(f"{prefix}_audience")),
                partnerships=count,
                long_term=count if kind == LONG_TERM else 0,
                results=results,
            )
        total = Results.from_row(
            {
                name: getattr(parts[LONG_TERM].results, name)
                + getattr(parts[ONE_OFF].results, name)
                for name in (*COUNT_FIELDS, "followers", "deliverables", "revenue", "cost")
            }
        )
        table.append(
            TierRow(
                tier=tier_range,
                influencers=_int(base.get("influencers")),
                influencer_followers=_int(base.get("audience")),
                partnerships=parts[LONG_TERM].partnerships + parts[ONE_OFF].partnerships,
                long_term=parts[LONG_TERM].partnerships,
                results=total,
            )
        )
        split += [parts[LONG_TERM], parts[ONE_OFF]]
    return TierComparison(rows=table, split_rows=split, filters=filters)


# --- Compare two tiers -------------------------------------------------------------------------

# Which number decides for each campaign objective, and whether lower or higher is better.
OBJECTIVE_RULES = {
    Campaign.Objective.AWARENESS: ("cpm", "lowest", "CPM"),
    Campaign.Objective.ENGAGEMENT: ("cpe", "lowest", "CPE"),
    Campaign.Objective.COMMUNITY: ("cpe", "lowest", "CPE"),
    Campaign.Objective.PRODUCT_REVIEWS: ("cpe", "lowest", "CPE"),
    Campaign.Objective.CONVERSIONS: ("roi", "highest", "ROI"),
    Campaign.Objective.PRODUCT_LAUNCH: ("roi", "highest", "ROI"),
}


@dataclass
class Reading:
    objective: str
    metric: str
    verdict: str
    winner: object = None  # the winning TierRow, None when there is too little data or a tie


def objective_readings(row_a, row_b, min_deliverables=MIN_DELIVERABLES):
    """A plain-language reading per campaign objective from two tiers' own numbers."""
    readings = []
    for objective, (attribute, direction, label) in OBJECTIVE_RULES.items():
        name = Campaign.Objective(objective).label
        short = [row for row in (row_a, row_b) if row.results.deliverables < min_deliverables]
        if short:
            detail = "; ".join(
                f"{row.name} has {row.results.deliverables} deliverable"
                f"{'' if row.results.deliverables == 1 else 's'}"
                for row in short
            )
            readings.append(
                Reading(
                    name,
                    label,
                    f"Too little data to tell: {detail} in scope "
                    f"(at least {min_deliverables} per tier are needed).",
                )
            )
            continue
        value_a = getattr(row_a.results, attribute)
        value_b = getattr(row_b.results, attribute)
        if value_a is None or value_b is None:
            missing = row_a.name if value_a is None else row_b.name
            readings.append(
                Reading(name, label, f"Too little data to tell: {missing} has no {label}.")
            )
            continue
        if value_a == value_b:
            readings.append(Reading(name, label, f"A tie: both have a {label} of {value_a}."))
            continue
        better_a = value_a < value_b if direction == "lowest" else value_a > value_b
        winner, loser = (row_a, row_b) if better_a else (row_b, row_a)
        win_value = value_a if better_a else value_b
        lose_value = value_b if better_a else value_a
        suffix = "%" if attribute == "roi" else ""
        readings.append(
            Reading(
                name,
                label,
                f"{winner.name}: {direction} {label} ({win_value}{suffix} against "
                f"{lose_value}{suffix} for {loser.name}).",
                winner=winner,
            )
        )
    return readings


# --- Dashboard ---------------------------------------------------------------------------------

DASHBOARD_LIST_SIZE = 5
DASHBOARD_CAMPAIGNS = 8
TOP_ROI_DAYS = 90


def pipeline_counts():
    """[(status value, label, count)] for every pipeline status, in pipeline order (one query)."""
    counts = dict(
        Partnership.objects.order_by()
        .values("status")
        .annotate(n=Count("pk"))
        .values_list("status", "n")
    )
    return [(value, label, counts.get(value, 0)) for value, label in Partnership.Status.choices]


def renewals_due(limit=DASHBOARD_LIST_SIZE, within=RENEWAL_WINDOW_DAYS, today=None):
    """The long-term partnerships whose renewal is due soonest, and how many there are (three
    queries: the count and the soonest ids on the partnership table alone, then their rows).

    Picking the ids joined to influencers and campaigns, PostgreSQL misjudged the date and
    status filter (1 row expected, 4,953 found at 200,000 partnerships) and looped over the
    campaigns for each: 150 ms instead of a few."""
    queryset = Partnership.objects.filter(renewal_due_q(within, today=today))
    total = queryset.order_by().aggregate(n=Count("pk"))["n"]
    ids = list(queryset.order_by("end_date", "id").values_list("pk", flat=True)[:limit])
    rows = list(
        Partnership.objects.filter(pk__in=ids)
        .select_related("influencer", "campaign")
        .order_by("end_date", "id")
    )
    return rows, total


def week_bounds(today=None):
    """Today and six days on: the week a marketer plans."""
    today = today or timezone.localdate()
    return today, today + timedelta(days=6)


def deliverable_counts(today=None):
    """Deliverables due this week (any status, as the list behind the link) and overdue.

    Two counts, each on its index (due_date; the partial index of pending deliverables): one
    aggregate with two FILTERs read all 1,000,000 deliverables (80 ms)."""
    start, end = week_bounds(today)
    return {
        "due_this_week": Deliverable.objects.filter(due_date__gte=start, due_date__lte=end)
        .order_by()
        .count(),
        "overdue": Deliverable.objects.filter(overdue_q(today)).order_by().count(),
    }


def active_campaign_budgets(limit=DASHBOARD_CAMPAIGNS):
    """Active campaigns ending soonest with `committed` and `left`, as the campaign list defines
    them (one query)."""
    active = Campaign.objects.filter(status=Campaign.Status.ACTIVE).order_by("end_date", "id")
    return list(with_totals(active)[:limit])


@dataclass
class InfluencerReturn:
    influencer: Influencer
    results: Results


def top_influencers_by_roi(days=TOP_ROI_DAYS, limit=DASHBOARD_LIST_SIZE, today=None):
    """Influencers with the best ROI on deliverables published in the last ``days`` days.

    Cost follows the tier comparison's rule: each partnership's contract value is split evenly
    over its deliverables, and the share of those published in the window counts. Two queries.
    """
    today = today or timezone.localdate()
    since = today - timedelta(days=days)
    deliverables = _quote(Deliverable._meta.db_table)
    partnerships = _quote(Partnership._meta.db_table)
    totals = _quote(PartnershipResults._meta.db_table)
    statuses = ", ".join(["%s"] * len(SIGNED_STATUSES))
    sql = f"""
        WITH kept AS (
            SELECT d.partnership_id, COUNT(*) AS n, SUM(d.revenue) AS revenue
            FROM {deliverables} d
            WHERE d.published_on >= %s AND d.published_on <= %s
            GROUP BY d.partnership_id
        ),
        pk AS MATERIALIZED (
            SELECT p.influencer_id, k.revenue,
                   {contract_value_share("p.contract_value", "k.n", "r.deliverables")} AS cost
            FROM kept k
            JOIN {partnerships} p ON p.id = k.partnership_id
            JOIN {totals} r ON r.partnership_id = k.partnership_id
            WHERE p.status IN ({statuses}) AND p.contract_value > 0
        ),
        pc AS (
            SELECT influencer_id, SUM(cost) AS cost, SUM(revenue) AS revenue
            FROM pk
            GROUP BY influencer_id
        )
        SELECT influencer_id, cost, revenue FROM pc
        ORDER BY (revenue - cost) / cost DESC, influencer_id
        LIMIT %s
    """  # noqa: S608
    params = [since.isoformat(), today.isoformat(), *SIGNED_STATUSES, limit]
    rows = _run_report(sql, params)
    influencers = Influencer.objects.with_tier().in_bulk([row["influencer_id"] for row in rows])
    return [
        InfluencerReturn(
            influencer=influencers[row["influencer_id"]],
            results=Results(cost=money_total(row["cost"]), revenue=money_total(row["revenue"])),
        )
        for row in rows
        if row["influencer_id"] in influencers
    ]
