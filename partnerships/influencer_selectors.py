"""Reads for the influencer page that span partnerships: the influencer's partnerships with their
deliverable totals, and the results over all of them. They live here, above influencers (which
may not import partnerships)."""

from django.db.models import Case, Count, DecimalField, Sum, Value, When
from django.db.models.functions import Coalesce

from crm.metrics import Results, deliverable_sums
from partnerships.models import Partnership


def influencer_partnerships(influencer):
    """The influencer's partnerships with their campaign and deliverable totals summed in SQL."""
    sums = deliverable_sums("deliverables__")
    sums = {f"sum_{name}": expression for name, expression in sums.items()}
    return (
        Partnership.objects.filter(influencer=influencer)
        .select_related("campaign", "tier_at_signing")
        .annotate(deliverable_count=Count("deliverables"), **sums)
        .order_by("-created_at", "-id")
    )


def partnership_results(partnership, followers=0):
    """crm.metrics.Results of one annotated partnership (cost = its contract value)."""
    row = {
        key.removeprefix("sum_"): value
        for key, value in vars(partnership).items()
        if key.startswith("sum_")
    }
    return Results.from_row(
        row,
        cost=partnership.contract_value,
        deliverables=partnership.deliverable_count,
        followers=followers,
    )


def influencer_results(influencer):
    """Results over every deliverable of the influencer, costed by the signed partnerships'
    contract values: one aggregate query over the per-partnership sums."""
    money = DecimalField(max_digits=16, decimal_places=2)
    signed_cost = Case(
        When(status__in=Partnership.SIGNED_STATUSES, then="contract_value"),
        default=Value(0),
        output_field=money,
    )
    per_partnership = influencer_partnerships(influencer).annotate(signed_cost=signed_cost)
    totals = {
        name: Coalesce(Sum(f"sum_{name}"), Value(0))
        for name in deliverable_sums("deliverables__")
        if name != "revenue"
    }
    row = per_partnership.order_by().aggregate(
        cost=Coalesce(Sum("signed_cost"), Value(0), output_field=money),
        revenue=Coalesce(Sum("sum_revenue"), Value(0), output_field=money),
        deliverables=Coalesce(Sum("deliverable_count"), Value(0)),
        **totals,
    )
    return Results.from_row(row, followers=influencer.followers)
