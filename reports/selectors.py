"""Reads for the reports: the tier comparison, two tiers compared, and the dashboard blocks.

The tier comparison's SQL, its scope and its reference reading are in `reports.statements`.
"""

from dataclasses import dataclass, field
from datetime import timedelta

from django.db import connection
from django.db.models import Count
from django.utils import timezone

from campaigns.models import Campaign
from crm.metrics import COUNT_FIELDS, Results, difference, money_total, ratio, share, times
from influencers.models import Influencer
from influencers.tiers import tier_ranges
from partnerships.campaign_selectors import with_totals
from partnerships.models import Deliverable, Partnership
from partnerships.selectors import RENEWAL_ORDER, overdue_q, renewal_reminder_q
from reports.statements import (
    LONG_TERM,
    NO_TIER,
    ONE_OFF,
    comparison_sql,
    influencer_rows_sql,
    objective_sql,
    top_roi_sql,
    uses_influencer_rows,
)

# The compare view refuses to call a winner on fewer deliverables than this per tier.
MIN_DELIVERABLES = 30


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


def _fetch(sql, params):
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        columns = [column[0] for column in cursor.description]
        return [dict(zip(columns, row, strict=True)) for row in cursor.fetchall()]


def _int(value):
    return int(value or 0)


def _tier_totals(rows):
    """`influencer_rows_sql`'s rows in `comparison_sql`'s shape: each (tier, type) row also
    carries its tier's distinct influencers, their audience and those holding each type."""
    tiers = {}
    for row in rows:
        tier = tiers.setdefault(row["tier_key"], {"influencers": 0, "audience": 0})
        tier["influencers"] += _int(row["tier_influencers"])
        tier["audience"] += _int(row["tier_audience"])
        prefix = "lt" if row["collaboration_type"] == LONG_TERM else "oo"
        tier[f"{prefix}_influencers"] = _int(row["type_influencers"])
        tier[f"{prefix}_audience"] = _int(row["type_audience"])
    return [{**row, **tiers[row["tier_key"]]} for row in rows]


def tier_comparison(*, filters, reference=False, ranges=None):
    """Both tables of the tier comparison: per tier, and per tier split by collaboration type.
    With ``reference``, from the base tables alone (`reports.statements`).

    Two queries whatever the data size: the tier list (unless ``ranges`` are given) and one
    aggregate.
    """
    ranges = tier_ranges() if ranges is None else ranges
    if not reference and uses_influencer_rows(filters):
        rows = _tier_totals(_fetch(*influencer_rows_sql(filters, ranges)))
    else:
        rows = _fetch(*comparison_sql(filters, ranges, reference=reference))
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
    attribute: str = ""
    kind: str = "metric"  # how the values show: "percent" (ROI) or "metric"
    row_a: object = None  # the two tiers' rows on this objective's partnerships
    row_b: object = None

    @property
    def value_a(self):
        return getattr(self.row_a.results, self.attribute) if self.row_a else None

    @property
    def value_b(self):
        return getattr(self.row_b.results, self.attribute) if self.row_b else None

    @property
    def difference(self):
        return difference(self.value_a, self.value_b)

    @property
    def ratio(self):
        return times(self.value_a, self.value_b)


def compare_by_objective(filters, tier_a, tier_b, ranges=None, *, reference=False):
    """{objective: (TierRow of tier_a, TierRow of tier_b)}: each campaign objective's results
    per tier on the partnerships of that objective's campaigns (only the filtered objective
    when the filters name one). One statement (`objective_sql`) whatever the data."""
    ranges = tier_ranges() if ranges is None else ranges
    by_key = {r.tier.pk: r for r in ranges}
    found = {}
    for row in _fetch(*objective_sql(filters, ranges, reference=reference)):
        found[(row["objective"], row["tier_key"])] = Results.from_row(
            {name: _int(row[name]) for name in (*COUNT_FIELDS, "followers", "deliverables")},
            revenue=money_total(row["revenue"]),
            cost=money_total(row["cost"]),
        )
    wanted = filters.get("objective")
    return {
        objective: tuple(
            TierRow(tier=by_key.get(pk), results=found.get((objective, pk), Results()))
            for pk in (tier_a, tier_b)
        )
        for objective in OBJECTIVE_RULES
        if not wanted or objective == wanted
    }


def objective_readings(pairs, min_deliverables=MIN_DELIVERABLES):
    """A plain-language reading per campaign objective, each from the two tiers' numbers on that
    objective's own partnerships (``pairs``: {objective: (row_a, row_b)}, as
    `compare_by_objective` gives them)."""
    readings = []
    for objective, (row_a, row_b) in pairs.items():
        attribute, direction, label = OBJECTIVE_RULES[objective]
        name = Campaign.Objective(objective).label
        kind = "percent" if attribute == "roi" else "metric"
        reading = {"attribute": attribute, "kind": kind, "row_a": row_a, "row_b": row_b}
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
                    **reading,
                )
            )
            continue
        value_a = getattr(row_a.results, attribute)
        value_b = getattr(row_b.results, attribute)
        if value_a is None or value_b is None:
            missing = row_a.name if value_a is None else row_b.name
            readings.append(
                Reading(
                    name, label, f"Too little data to tell: {missing} has no {label}.", **reading
                )
            )
            continue
        if value_a == value_b:
            readings.append(
                Reading(name, label, f"A tie: both have a {label} of {value_a}.", **reading)
            )
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
                **reading,
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


def renewals_due(limit=DASHBOARD_LIST_SIZE, today=None):
    """The long-term partnerships whose renewal reminder is due (each deal's own
    ``renewal_reminder_days``) or overdue, the same rule and order as the renewals list, most
    overdue first, and how many there are (three queries: the count and the first ids on the
    partnership table alone, then their rows).

    Picking the ids joined to influencers and campaigns, PostgreSQL misjudged the date and
    status filter (1 row expected, 4,953 found at 200,000 partnerships) and looped over the
    campaigns for each: 150 ms instead of a few."""
    queryset = Partnership.objects.filter(renewal_reminder_q(today=today))
    total = queryset.order_by().aggregate(n=Count("pk"))["n"]
    ids = list(queryset.order_by(*RENEWAL_ORDER).values_list("pk", flat=True)[:limit])
    rows = list(
        Partnership.objects.filter(pk__in=ids)
        .select_related("influencer", "campaign")
        .order_by(*RENEWAL_ORDER)
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


def top_influencers_by_roi(
    days=TOP_ROI_DAYS, limit=DASHBOARD_LIST_SIZE, today=None, *, reference=False
):
    """Influencers with the best ROI on deliverables published in the last ``days`` days.

    Cost follows the tier comparison's rule: each partnership's contract value is split evenly
    over its deliverables, and the share of those published in the window counts. Two queries.
    """
    today = today or timezone.localdate()
    rows = _fetch(*top_roi_sql(today - timedelta(days=days), today, limit, reference=reference))
    influencers = Influencer.objects.with_tier().in_bulk([row["influencer_id"] for row in rows])
    return [
        InfluencerReturn(
            influencer=influencers[row["influencer_id"]],
            results=Results(cost=money_total(row["cost"]), revenue=money_total(row["revenue"])),
        )
        for row in rows
        if row["influencer_id"] in influencers
    ]
