"""The SQL of the tier comparison: one statement, in two readings of the same definition.

Scope
- Partnerships: signed ones (contracted, active, completed) matching the campaign, objective,
  niche, market (the influencer's country) and collaboration-type filters. Prospects, declined
  and cancelled deals cost nothing.
- Deliverables: every deliverable of those partnerships, narrowed by platform and publish period.
- Spend: each partnership's contract value, counted once. When a platform or period filter keeps
  only some of a partnership's deliverables, its contract value is split evenly over all its
  deliverables and only the kept ones' share counts (a partnership with none kept drops out).
  Without those filters a signed partnership with no deliverable yet still counts.
- Tier: the influencer's current tier (today's thresholds, a CASE over followers built on every
  load, so a threshold edit shows at once) or the tier recorded at signing.

`comparison_sql(..., reference=True)` reads the deliverables themselves: a plain GROUP BY over
the base tables, the definition of every number. Without ``reference`` the same statement reads
the per-partnership sums of `reports.models` instead (whole months from the month rows, the
days of a partly covered month from the deliverables' publish-date index), and
`influencer_rows_sql` answers the filters that need no campaign, platform or date from the
per-influencer rows. `objective_sql` (the two-tier compare's reading per campaign objective)
shares the scope and both readings. The tests compare both with the reference after random
writes.
"""

from calendar import monthrange
from datetime import timedelta

from django.db import connection

from campaigns.models import Campaign
from influencers.models import Influencer
from partnerships.models import RESULT_TOTAL_FIELDS, Deliverable, Partnership
from reports.models import InfluencerResults, PartnershipMonthResults, PartnershipResults

SIGNED_STATUSES = tuple(Partnership.SIGNED_STATUSES)
LONG_TERM = Partnership.CollaborationType.LONG_TERM
ONE_OFF = Partnership.CollaborationType.ONE_OFF
NO_TIER = -1
SIGNING = "signing"


def quote(name):
    return connection.ops.quote_name(name)


def table(model):
    return quote(model._meta.db_table)


def sums(prefix=""):
    return ", ".join(f"SUM({prefix}{name}) AS {name}" for name in RESULT_TOTAL_FIELDS)


def contract_value_share(contract_value, deliverables, partnership_deliverables):
    """SQL: the share of a contract value that ``deliverables`` of a partnership's
    ``partnership_deliverables`` carry (* 1.0: SQLite would divide whole numbers as integers)."""
    return f"{contract_value} * {deliverables} / ({partnership_deliverables} * 1.0)"


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


def _month_end(day):
    return day.replace(day=monthrange(day.year, day.month)[1])


def period_split(after, before):
    """How a publish period [after, before] (None: open) is read: ((first, last) first days of
    its whole calendar months, or None if none fits; [(first day, last day)] of the days outside
    them). Dates at the ends of the calendar are valid input: nothing overflows."""
    first = after if after is None or after.day == 1 else _next_month(after)
    if before is None or before == _month_end(before):
        last = None if before is None else before.replace(day=1)
    else:
        last = _previous_month(before)
    fits = (after is None or first is not None) and (before is None or last is not None)
    if fits and first is not None and last is not None and first > last:
        fits = False
    if not fits:
        return None, [(after, before)]
    days = []
    if after is not None and after < first:
        days.append((after, first - timedelta(days=1)))
    if before is not None and before > _month_end(last):
        days.append((_month_end(last) + timedelta(days=1), before))
    return (first, last), days


def widened_period(after, before):
    """(after, before), each moved to its month's edge when no deliverable was published on the
    days in between: the same deliverables, but a partly covered month (typically the current
    one, for a period ending today) is then read from its month rows, not deliverable by
    deliverable. One indexed EXISTS per partly covered end."""
    published = Deliverable.objects.order_by()
    if after is not None and after.day != 1:
        start = after.replace(day=1)
        if not published.filter(published_on__gte=start, published_on__lt=after).exists():
            after = start
    if before is not None and before != _month_end(before):
        end = _month_end(before)
        if not published.filter(published_on__gt=before, published_on__lte=end).exists():
            before = end
    return after, before


def _between(column, lowest, highest):
    """(SQL, params): ``column`` within [lowest, highest] (None: open)."""
    kept = [(f"{column} >= %s", lowest), (f"{column} <= %s", highest)]
    kept = [(sql, day.isoformat()) for sql, day in kept if day is not None]
    return " AND ".join(sql for sql, _ in kept) or f"{column} IS NOT NULL", [v for _, v in kept]


def _kept_deliverables(platform, after, before, *, reference):
    """(SQL, params): the deliverables a platform and/or period filter keeps, as rows of
    partnership_id, n and the result sums: one row per deliverable (the reference), or per
    partnership for the whole months and per deliverable of a partly covered month. A
    partnership may have several rows; the statement sums them. The branches are not summed
    together here: PostgreSQL cannot estimate the groups of a UNION (it guessed 200 for
    83,000 and joined them by nested loops)."""
    deliverables = table(Deliverable)
    one_each = f"partnership_id, 1 AS n, {', '.join(RESULT_TOTAL_FIELDS)}"
    platform_sql, platform_params = ("platform = %s", [platform]) if platform else ("1 = 1", [])
    if reference:
        dated, params = ("1 = 1", [])
        if after is not None or before is not None:
            dated, params = _between("published_on", after, before)
        sql = f"SELECT {one_each} FROM {deliverables} WHERE {platform_sql} AND {dated}"  # noqa: S608
        return sql, [*platform_params, *params]
    if after is None and before is None:
        months, days = ("1 = 1", []), []
    else:
        whole, spans = period_split(*widened_period(after, before))
        months = _between("month", *whole) if whole else None
        days = [_between("published_on", lowest, highest) for lowest, highest in spans]
    branches, params = [], []
    if months:
        # Summed per partnership here, in one table: the planner estimates these groups from
        # the table's statistics, and the join reads ~1 row per partnership, not per month.
        branches.append(
            f"SELECT partnership_id, SUM(deliverables) AS n, {sums()} "  # noqa: S608
            f"FROM {table(PartnershipMonthResults)} WHERE {platform_sql} AND {months[0]} "
            "GROUP BY partnership_id"
        )
        params += [*platform_params, *months[1]]
    for dated, dated_params in days:
        branches.append(
            f"SELECT {one_each} FROM {deliverables} WHERE {platform_sql} AND {dated}"  # noqa: S608
        )
        params += [*platform_params, *dated_params]
    return " UNION ALL ".join(branches), params


def _totals(reference):
    """SQL: per partnership, all its deliverables (partnership_id, n, the result sums)."""
    if reference:
        return (
            f"SELECT partnership_id, COUNT(*) AS n, {sums()} "  # noqa: S608
            f"FROM {table(Deliverable)} GROUP BY partnership_id"
        )
    columns = ", ".join(RESULT_TOTAL_FIELDS)
    return f"SELECT partnership_id, deliverables AS n, {columns} FROM {table(PartnershipResults)}"  # noqa: S608


def tier_key_sql(basis, ranges, followers, signing):
    """SQL of a row's tier key from its ``followers`` and ``signing`` (tier at signing)
    columns: the tier at signing, or today's tier from today's thresholds; NO_TIER below every
    threshold."""
    if basis == SIGNING:
        return f"COALESCE({signing}, {NO_TIER})"
    whens = " ".join(
        f"WHEN {followers} >= {int(r.lower)} THEN {int(r.tier.pk)}" for r in reversed(ranges)
    )
    return f"CASE {whens} ELSE {NO_TIER} END" if whens else str(NO_TIER)


def planned_apart(basis):
    """The end of a subquery grouped by the tier key it computes: " OFFSET 0" on PostgreSQL when
    the key is today's tier, so PostgreSQL plans the subquery on its own (its standard way to
    keep a subquery from being merged into the query around it). Merged, PostgreSQL takes that
    key's distinct values for those of the followers column it is computed from (~55,000 at
    100,000 influencers, for four tiers), expects a group per row and sorts every row, on disk,
    before summing; planned apart, it expects a few hundred groups and hashes them. Not a
    planner setting: nothing else about the plan is fixed. The tier at signing is a column whose
    statistics give the right estimate, so it needs none; SQLite has no such estimate and
    refuses OFFSET without LIMIT."""
    if basis == SIGNING or connection.vendor != "postgresql":
        return ""
    return " OFFSET 0"


def _pk(value):
    """A model instance's primary key, or the key itself (the filters may hold either)."""
    return getattr(value, "pk", value)


def scope_conditions(filters, rows="p"):
    """(SQL conditions, params): the partnerships in the filters' scope, on the partnerships
    ``p`` and their influencer ``i``; with ``rows`` = "x", on the per-influencer rows ``x``
    instead (signed partnerships only, no campaign: `uses_influencer_rows`). A new report
    filter on partnerships or influencers is one entry here."""
    conditions, params = [], []
    if rows == "p":
        conditions.append(f"p.status IN ({', '.join(['%s'] * len(SIGNED_STATUSES))})")
        params += SIGNED_STATUSES
    if filters.get("campaign"):
        conditions.append("p.campaign_id = %s")
        params.append(_pk(filters["campaign"]))
    if filters.get("objective"):
        conditions.append(
            f"p.campaign_id IN (SELECT id FROM {table(Campaign)} WHERE objective = %s)"  # noqa: S608
        )
        params.append(filters["objective"])
    if filters.get("collaboration_type"):
        conditions.append(f"{rows}.collaboration_type = %s")
        params.append(filters["collaboration_type"])
    if filters.get("niche"):
        links = table(Influencer.niches.through)
        conditions.append(
            f"EXISTS (SELECT 1 FROM {links} n WHERE n.influencer_id = {rows}.influencer_id "  # noqa: S608
            "AND n.niche_id = %s)"
        )
        params.append(_pk(filters["niche"]))
    if filters.get("market"):
        # The roster's country filter ignores case too (its index is on UPPER(country)).
        conditions.append("UPPER(i.country) = UPPER(%s)")
        params.append(filters["market"])
    return conditions or ["1 = 1"], params


# Filters the per-influencer rows answer: they hold neither campaigns nor platforms nor dates.
INFLUENCER_ROW_FILTERS = {"basis", "collaboration_type", "niche", "market"}


def uses_influencer_rows(filters):
    return all(key in INFLUENCER_ROW_FILTERS for key, value in filters.items() if value)


def influencer_rows_sql(filters, ranges):
    """(SQL, params): per tier and collaboration type, the same sums as `comparison_sql` from
    reports_influencerresults (one row per influencer, tier at signing and type), with the
    distinct influencers and their audience per type (``type_*``) and per tier (``tier_*``)
    as sums of the rows' first-of flags: no join to the partnerships, no grouping per
    influencer."""
    signing = filters.get("basis") == SIGNING
    tier_key = tier_key_sql(filters.get("basis"), ranges, "i.followers", "x.tier_at_signing_id")
    # At signing a row is the only one of its influencer, tier and type.
    type_flag = "1" if signing else "x.first_of_influencer_type"
    tier_flag = "x.first_of_influencer_tier" if signing else "x.first_of_influencer"
    if filters.get("collaboration_type"):
        tier_flag = type_flag  # only this type's rows are in scope
    conditions, params = scope_conditions(filters, rows="x")
    columns = ", ".join(f"x.{name}" for name in RESULT_TOTAL_FIELDS)
    sql = f"""
        SELECT tier_key, collaboration_type,
               SUM(partnerships) AS partnerships, SUM(contract_value) AS cost,
               SUM(deliverables) AS deliverables, {sums()},
               SUM(deliverables * followers) AS followers,
               SUM(type_flag) AS type_influencers,
               SUM(type_flag * followers) AS type_audience,
               SUM(tier_flag) AS tier_influencers,
               SUM(tier_flag * followers) AS tier_audience
        FROM (
            SELECT {tier_key} AS tier_key, x.collaboration_type, i.followers,
                   x.partnerships, x.contract_value, x.deliverables, {columns},
                   {type_flag} AS type_flag, {tier_flag} AS tier_flag
            FROM {table(InfluencerResults)} x
            JOIN {table(Influencer)} i ON i.id = x.influencer_id
            WHERE {" AND ".join(conditions)}{planned_apart(filters.get("basis"))}
        ) AS scoped
        GROUP BY tier_key, collaboration_type
    """  # noqa: S608
    return sql, params


def _scope_sql(filters, ranges, *, reference, objective=False):
    """(SQL, params, narrowed): `sp`, the partnerships in scope with what they carry: one row
    each without a platform or period filter; with one (``narrowed``), a row per kept month row
    or deliverable, each carrying its share of the contract value (kept / all the partnership's
    deliverables, additive). With ``objective``, only partnerships of a campaign, each row with
    its campaign's objective."""
    platform = filters.get("platform")
    after, before = filters.get("published_after"), filters.get("published_before")
    narrowed = bool(platform or after or before)
    conditions, params = scope_conditions(filters)
    tier_key = tier_key_sql(filters.get("basis"), ranges, "i.followers", "p.tier_at_signing_id")
    results = ", ".join(f"COALESCE(k.{name}, 0) AS {name}" for name in RESULT_TOTAL_FIELDS)
    if narrowed:
        kept_sql, kept_params = _kept_deliverables(platform, after, before, reference=reference)
        source = f"""({kept_sql}) k
            JOIN {table(Partnership)} p ON p.id = k.partnership_id
            JOIN ({_totals(reference)}) t ON t.partnership_id = p.id"""  # noqa: S608
        cost = contract_value_share("p.contract_value", "k.n", "t.n")
        params = [*kept_params, *params]
    else:
        # A signed partnership with no deliverable yet still counts (its sums are NULL).
        source = f"""{table(Partnership)} p
            LEFT JOIN ({_totals(reference)}) k ON k.partnership_id = p.id"""  # noqa: S608
        cost = "p.contract_value"
    objective_column, campaign_join = "", ""
    if objective:
        objective_column = ", c.objective"
        campaign_join = f"JOIN {table(Campaign)} c ON c.id = p.campaign_id"
    sql = f"""
            SELECT {tier_key} AS tier_key, p.influencer_id, p.collaboration_type, p.id,
                   i.followers AS audience, {cost} AS cost, COALESCE(k.n, 0) AS n,
                   {results}{objective_column}
            FROM {source}
            JOIN {table(Influencer)} i ON i.id = p.influencer_id
            {campaign_join}
            WHERE {" AND ".join(conditions)}
    """  # noqa: S608
    return sql, params, narrowed


def objective_sql(filters, ranges, *, reference=False):
    """(SQL, params): per campaign objective and tier, the spend, deliverables, result sums and
    followers x deliverables of the partnerships in scope (those of a campaign): what the
    two-tier compare reads each objective on, in one statement. The same scope and the same
    two readings as `comparison_sql`."""
    scope, params, _ = _scope_sql(filters, ranges, reference=reference, objective=True)
    sql = f"""
        WITH sp AS ({scope}{planned_apart(filters.get("basis"))})
        SELECT objective, tier_key, SUM(cost) AS cost, SUM(n) AS deliverables, {sums()},
               SUM(audience * n) AS followers
        FROM sp
        GROUP BY objective, tier_key
    """  # noqa: S608
    return sql, params


def comparison_sql(filters, ranges, *, reference=False):
    """(SQL, params): per tier and collaboration type, the spend, deliverables, result sums and
    followers x deliverables (`dt`) and the partnerships (`pp`), and per tier the distinct
    influencers, their audience and those holding each type (`pi`, `it`). One row per (tier,
    type) present.

    `sp` (`_scope_sql`) holds the partnerships in scope with what they carry; with a platform
    or period filter a partnership may have several rows, so `pp` counts each once."""
    scope, params, narrowed = _scope_sql(filters, ranges, reference=reference)
    if narrowed:
        partnerships = """pp AS (
            SELECT tier_key, collaboration_type, COUNT(*) AS partnerships
            FROM (SELECT DISTINCT tier_key, collaboration_type, id FROM sp) x
            GROUP BY tier_key, collaboration_type
        ),"""
        joined = """JOIN pp ON pp.tier_key = dt.tier_key
            AND pp.collaboration_type = dt.collaboration_type"""
    else:
        partnerships, joined = "", ""
    counted = "pp.partnerships" if narrowed else "dt.rows AS partnerships"
    sql = f"""
        WITH sp AS ({scope}),
        dt AS (
            SELECT tier_key, collaboration_type, COUNT(*) AS rows, SUM(cost) AS cost,
                   SUM(n) AS deliverables, {sums()}, SUM(audience * n) AS followers
            FROM sp
            GROUP BY tier_key, collaboration_type
        ),
        {partnerships}
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
               it.oo_influencers, it.oo_audience, dt.collaboration_type, {counted},
               dt.cost, dt.deliverables, {", ".join(f"dt.{n}" for n in RESULT_TOTAL_FIELDS)},
               dt.followers
        FROM it JOIN dt ON dt.tier_key = it.tier_key
        {joined}
    """  # noqa: S608
    return sql, params


def top_roi_sql(since, until, limit, *, reference=False):
    """(SQL, params): influencers with the best ROI on deliverables published in [since, until]
    (signed partnerships with a contract value; cost split as in the tier comparison)."""
    statuses = ", ".join(["%s"] * len(SIGNED_STATUSES))
    sql = f"""
        WITH kept AS (
            SELECT partnership_id, COUNT(*) AS n, SUM(revenue) AS revenue
            FROM {table(Deliverable)}
            WHERE published_on >= %s AND published_on <= %s
            GROUP BY partnership_id
        ),
        pc AS (
            SELECT p.influencer_id, SUM(k.revenue) AS revenue,
                   SUM({contract_value_share("p.contract_value", "k.n", "t.n")}) AS cost
            FROM kept k
            JOIN {table(Partnership)} p ON p.id = k.partnership_id
            JOIN ({_totals(reference)}) t ON t.partnership_id = k.partnership_id
            WHERE p.status IN ({statuses}) AND p.contract_value > 0
            GROUP BY p.influencer_id
        )
        SELECT influencer_id, cost, revenue FROM pc
        ORDER BY (revenue - cost) / cost DESC, influencer_id
        LIMIT %s
    """  # noqa: S608
    return sql, [since.isoformat(), until.isoformat(), *SIGNED_STATUSES, limit]
