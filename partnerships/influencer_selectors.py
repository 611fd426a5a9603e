"""Reads for the influencer page that span partnerships: the influencer's partnerships with their
deliverable totals, and the results over all of them. They live here, above influencers (which
may not import partnerships)."""

from decimal import Decimal

from django.db.models import Count, DecimalField, Sum, Value
from django.db.models.functions import Coalesce

from crm.metrics import Results, deliverable_sums, follower_basis
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
    """crm.metrics.Results of one annotated partnership: cost = its contract value once signed
    (before that no cost and every ratio "-"), ``followers`` once per deliverable."""
    row = {
        key.removeprefix("sum_"): value
        for key, value in vars(partnership).items()
        if key.startswith("sum_")
    }
    signed = partnership.is_signed
    return Results.from_row(
        row,
        cost=partnership.contract_value if signed else Decimal("0"),
        deliverables=partnership.deliverable_count,
        followers=follower_basis(followers, partnership.deliverable_count),
        signed=signed,
    )


def influencer_results(influencer):
    """Results over the deliverables of the influencer's signed partnerships, costed by their
    contract values (the tier comparison's scope): one aggregate query over the per-partnership
    sums."""
    money = DecimalField(max_digits=16, decimal_places=2)
    signed = influencer_partnerships(influencer).filter(status__in=Partnership.SIGNED_STATUSES)
    totals = {
        name: Coalesce(Sum(f"sum_{name}"), Value(0))
        for name in deliverable_sums("deliverables__")
        if name != "revenue"
    }
    row = signed.order_by().aggregate(
        cost=Coalesce(Sum("contract_value"), Value(0), output_field=money),
        revenue=Coalesce(Sum("sum_revenue"), Value(0), output_field=money),
        deliverables=Coalesce(Sum("deliverable_count"), Value(0)),
        **totals,
    )
    return Results.from_row(
        row, followers=follower_basis(influencer.followers, row["deliverables"])
    )
