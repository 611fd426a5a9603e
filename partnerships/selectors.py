"""Reads on partnerships and deliverables: list querysets, the board, a partnership's results."""

from datetime import timedelta
from decimal import Decimal

from django.db.models import Count, IntegerField, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from crm.metrics import Results, deliverable_sums, engagements_expression, follower_basis
from influencers.models import Influencer
from influencers.tiers import annotate_tier
from partnerships.models import (
    Deliverable,
    Partnership,
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
    """The partnership's results (one aggregate query): cost = its contract value once signed
    (before that no cost and every ratio "-"), the influencer's followers once per deliverable
    for the engagement rate by followers."""
    row = Deliverable.objects.filter(partnership=partnership).aggregate(
        **deliverable_sums(), deliverables=Count("pk")
    )
    signed = partnership.is_signed
    return Results.from_row(
        row,
        cost=partnership.contract_value if signed else Decimal("0"),
        followers=follower_basis(partnership.influencer.followers, row["deliverables"]),
        signed=signed,
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
