"""Reads for the campaign pages: budgets, commitments, tier mix and results, summed in SQL.

They read partnerships, so they live here, above campaigns (which may not import partnerships).

"Live" partnerships are every partnership of a campaign except declined and cancelled ones: they
make up the partnership count and the tier mix. Money follows crm.metrics' rule: the committed
amount (the cost of the results, ROI) and the results count signed partnerships only
(`Partnership.SIGNED_STATUSES`, as the tier comparison does); the value of deals still in the
pipeline (prospect, contacted, negotiating) is summed apart as ``pipeline``, never as cost. Tier
mix uses each influencer's *current* tier from the tier engine (a followers range), so it follows
an admin's threshold edit.
"""

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import (
    Count,
    DecimalField,
    ExpressionWrapper,
    F,
    IntegerField,
    OuterRef,
    Q,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce

from crm.metrics import Results, deliverable_sums
from influencers.tiers import range_q, tier_ranges, tier_subquery
from partnerships.models import Deliverable, Partnership

DEAD_STATUSES = (Partnership.Status.DECLINED, Partnership.Status.CANCELLED)
SIGNED = Q(status__in=Partnership.SIGNED_STATUSES)
PIPELINE = Q(status__in=Partnership.PIPELINE_STATUSES)
MONEY = DecimalField(max_digits=16, decimal_places=2)


def live_partnerships():
    """Partnerships that count towards a campaign's commitment (not declined, not cancelled)."""
    return Partnership.objects.exclude(status__in=DEAD_STATUSES)


def with_totals(queryset):
    """Annotate `committed` (signed partnerships), `partnership_count` (live ones) and `left` as
    correlated subqueries (each served by the partnership campaign index), for sorting the whole
    list by them."""
    live = live_partnerships().filter(campaign=OuterRef("pk")).order_by().values("campaign")
    signed = live.filter(SIGNED)
    committed = Subquery(
        signed.annotate(total=Sum("contract_value")).values("total")[:1], output_field=MONEY
    )
    count = Subquery(live.annotate(n=Count("*")).values("n")[:1], output_field=IntegerField())
    return queryset.annotate(
        committed=Coalesce(committed, Value(Decimal("0")), output_field=MONEY),
        partnership_count=Coalesce(count, Value(0)),
    ).annotate(left=ExpressionWrapper(F("budget") - F("committed"), output_field=MONEY))


@dataclass
class TierCount:
    tier_range: object
    count: int

    @property
    def tier(self):
        return self.tier_range.tier


@dataclass
class CampaignTotals:
    """What a campaign's partnerships add up to: signed ones' value, live ones' count and tier
    mix (see the module docstring)."""

    committed: Decimal = Decimal("0")
    partnership_count: int = 0
    tier_mix: list = field(default_factory=list)  # [TierCount] for tiers with partnerships


def campaign_totals(campaign_ids, ranges=None):
    """{campaign id: CampaignTotals} in one grouped query whatever the number of campaigns."""
    ranges = tier_ranges() if ranges is None else ranges
    totals = {pk: CampaignTotals() for pk in campaign_ids}
    if not totals:
        return totals
    rows = (
        live_partnerships()
        .filter(campaign_id__in=totals)
        .order_by()
        .values("campaign_id")
        .annotate(
            n=Count("*"),
            committed=Sum("contract_value", filter=SIGNED),
            **{
                f"t{index}": Count("influencer", filter=range_q(r, "influencer__followers"))
                for index, r in enumerate(ranges)
            },
        )
    )
    for row in rows:
        totals[row["campaign_id"]] = CampaignTotals(
            committed=row["committed"] or Decimal("0"),
            partnership_count=row["n"],
            tier_mix=[
                TierCount(r, row[f"t{index}"]) for index, r in enumerate(ranges) if row[f"t{index}"]
            ],
        )
    return totals


@dataclass
class TierGroup:
    """A tier's share of one campaign: live partnerships and what the signed ones commit."""

    tier_range: object
    count: int = 0
    committed: Decimal = Decimal("0")

    @property
    def tier(self):
        return self.tier_range.tier


@dataclass
class CampaignSummary:
    """Everything the campaign page shows above its partnership table."""

    committed: Decimal = Decimal("0")  # signed partnerships' contract values
    pipeline: Decimal = Decimal("0")  # prospects and deals in negotiation: not counted as cost
    partnership_count: int = 0
    results: Results = field(default_factory=Results)
    # collaboration type value -> Results (cost = that type's committed amount)
    by_type: dict = field(default_factory=dict)
    type_counts: dict = field(default_factory=dict)
    tiers: list = field(default_factory=list)


def campaign_summary(campaign, ranges=None):
    """Committed amount, pipeline, tier groups, results and the long-term vs one-off split of a
    campaign. Results are those of the signed partnerships' deliverables, costed by their
    contract values (the tier comparison filtered by this campaign reads the same).

    Two grouped queries (partnerships by type and tier; deliverables by type), whatever the
    number of partnerships or deliverables. The campaign's results are the sum of the per-type
    rows, so every figure on the page adds up.
    """
    ranges = tier_ranges() if ranges is None else ranges
    tier_aggregates = {}
    for index, r in enumerate(ranges):
        in_tier = range_q(r, "influencer__followers")
        tier_aggregates[f"n{index}"] = Count("influencer", filter=in_tier)
        tier_aggregates[f"c{index}"] = Sum("contract_value", filter=in_tier & SIGNED)
    partnership_rows = (
        live_partnerships()
        .filter(campaign=campaign)
        .order_by()
        .values("collaboration_type")
        .annotate(
            n=Count("*"),
            committed=Sum("contract_value", filter=SIGNED),
            pipeline=Sum("contract_value", filter=PIPELINE),
            **tier_aggregates,
        )
    )
    deliverable_rows = (
        Deliverable.objects.filter(
            partnership__campaign=campaign,
            partnership__status__in=Partnership.SIGNED_STATUSES,
        )
        .order_by()
        .values(collaboration_type=F("partnership__collaboration_type"))
        .annotate(
            deliverables=Count("*"),
            # follower_basis per deliverable, summed: each one counts its influencer's followers.
            followers=Sum("partnership__influencer__followers"),
            **deliverable_sums(),
        )
    )

    summary = CampaignSummary()
    groups = [TierGroup(r) for r in ranges]
    costs = {}
    for row in partnership_rows:
        kind = row["collaboration_type"]
        costs[kind] = row["committed"] or Decimal("0")
        summary.type_counts[kind] = row["n"]
        summary.partnership_count += row["n"]
        summary.committed += costs[kind]
        summary.pipeline += row["pipeline"] or Decimal("0")
        for index, group in enumerate(groups):
            group.count += row[f"n{index}"]
            group.committed += row[f"c{index}"] or Decimal("0")
    summary.tiers = [group for group in groups if group.count]

    totals = {}
    for row in deliverable_rows:
        kind = row.pop("collaboration_type")
        summary.by_type[kind] = Results.from_row(row, cost=costs.get(kind, Decimal("0")))
        for key, value in row.items():
            totals[key] = totals.get(key, 0) + (value or 0)
    for kind in Partnership.CollaborationType.values:
        summary.by_type.setdefault(kind, Results(cost=costs.get(kind, Decimal("0"))))
        summary.type_counts.setdefault(kind, 0)
    summary.results = Results.from_row(totals, cost=summary.committed)
    return summary


def campaign_partnerships(campaign, *, tier_range=None):
    """The campaign's partnerships, biggest audience first, so they come grouped by tier (tiers
    are follower bands); each annotated with its influencer's current tier."""
    queryset = (
        Partnership.objects.filter(campaign=campaign)
        .select_related("influencer", "owner")
        .annotate(
            tier_id=tier_subquery("influencer__followers", "pk"),
            tier_name=tier_subquery("influencer__followers", "name"),
        )
        .order_by("-influencer__followers", "influencer__name", "pk")
    )
    if tier_range is not None:
        queryset = queryset.filter(range_q(tier_range, "influencer__followers"))
    return queryset
