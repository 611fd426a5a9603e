"""Reads on partnerships and deliverables: list querysets, the board, a partnership's results."""

from dataclasses import dataclass, fields
from datetime import date, timedelta
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db.models import (
    Count,
    DateField,
    DecimalField,
    F,
    Func,
    IntegerField,
    OuterRef,
    Q,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from campaigns.models import Campaign
from crm.fields import user_display_name, users_by_id
from crm.metrics import Results, deliverable_sums, engagements, follower_basis
from crm.templatetags.crm_tags import money
from influencers.models import Influencer, Platform
from influencers.tiers import all_tiers, annotate_tier
from partnerships.models import (
    Deliverable,
    Partnership,
    PartnershipStatusChange,
)

Status = Partnership.Status

RENEWAL_WINDOW_DAYS = 30
# The form's limit on renewal_reminder_days: how far ahead the renewals list looks at most.
RENEWAL_REMINDER_MAX_DAYS = 365
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


class AddDays(Func):
    """A date plus a whole number of days (another column), as a date, on both databases."""

    output_field = DateField()
    arity = 2

    def as_sqlite(self, compiler, connection, **extra_context):
        return self.as_sql(
            compiler,
            connection,
            template="date(%(expressions)s || ' days')",
            arg_joiner=", '+' || ",
            **extra_context,
        )

    def as_postgresql(self, compiler, connection, **extra_context):
        return self.as_sql(
            compiler, connection, template="(%(expressions)s)", arg_joiner=" + ", **extra_context
        )


def renewal_reminder_q(within=None, today=None):
    """Running long-term partnerships not renewed yet whose renewal reminder is due: from each
    deal's own ``renewal_reminder_days`` before the end of its term (or, with ``within``, any
    ending in the next ``within`` days), and still after the term has ended (overdue) until it
    is renewed or closed. The range on end_date bounds the scan (index partnership_type_end);
    the per-deal reminder is checked on those rows only."""
    today = today or timezone.localdate()
    horizon = max(RENEWAL_REMINDER_MAX_DAYS, within or 0)
    due = Q(
        end_date__lte=AddDays(Value(today, output_field=DateField()), F("renewal_reminder_days"))
    )
    if within is not None:
        due |= Q(end_date__lte=today + timedelta(days=within))
    return (
        Q(
            collaboration_type=Partnership.CollaborationType.LONG_TERM,
            status__in=(Status.CONTRACTED, Status.ACTIVE),
            end_date__lte=today + timedelta(days=horizon),
            renewal__isnull=True,
        )
        & due
    )


def renewal_list(within=None, today=None):
    """Long-term partnerships whose renewal reminder is due or overdue, the most overdue first
    (bare: decorate a page with ``renewal_rows``)."""
    return Partnership.objects.filter(renewal_reminder_q(within, today=today)).order_by(
        *RENEWAL_ORDER
    )


def renewal_rows(page_queryset):
    return (
        Partnership.objects.filter(pk__in=page_queryset)
        .select_related("influencer", "campaign", "owner")
        .order_by(*RENEWAL_ORDER)
    )


@dataclass(frozen=True)
class RenewalState:
    """What the renewals list and the partnership page say about a running term's renewal."""

    overdue: bool
    automatic: bool
    on: date  # the day it renews automatically, or the last day to decide
    text: str


def renewal_state(partnership, today=None):
    """A running long-term term's renewal, in words: auto-renew terms renew automatically the
    day after they end (``manage.py renew_automatic``); the others need a decision by their
    last day. Past that, it is overdue. None for anything else."""
    if not (
        partnership.is_long_term
        and partnership.status in (Status.CONTRACTED, Status.ACTIVE)
        and partnership.end_date
    ):
        return None
    today = today or timezone.localdate()
    end = partnership.end_date
    overdue = end < today
    if partnership.auto_renew:
        on = end + timedelta(days=1)
        text = (
            f"{'Overdue: was due to renew' if overdue else 'Renews'} automatically on {on:%d %b %Y}"
        )
    else:
        on = end
        text = (
            f"Overdue: the term ended on {on:%d %b %Y}; renew or complete it"
            if overdue
            else f"Needs a decision by {on:%d %b %Y}"
        )
    return RenewalState(overdue=overdue, automatic=partnership.auto_renew, on=on, text=text)


def campaign_signed_spend(campaign, *, exclude=None):
    """What a campaign has signed for (contract values of its contracted, active and completed
    partnerships), leaving out the partnership ``exclude`` (the one being edited)."""
    rows = Partnership.objects.filter(campaign=campaign, status__in=Partnership.SIGNED_STATUSES)
    if exclude is not None and exclude.pk:
        rows = rows.exclude(pk=exclude.pk)
    total = rows.order_by().aggregate(
        total=Coalesce(Sum("contract_value"), Value(Decimal("0")), output_field=DecimalField())
    )["total"]
    return total or Decimal("0")


def campaign_warnings(campaign, *, value, partnership=None, status=True, budget=True, today=None):
    """What a marketer should know before putting a deal worth ``value`` into ``campaign``:
    that it is cancelled, has ended (completed, or its end date is past), or that its signed
    spend plus this deal goes over its budget. ``status``/``budget`` pick which to check (an
    edit that leaves the deal in its campaign does not repeat the status warning)."""
    today = today or timezone.localdate()
    warnings = []
    if status:
        if campaign.status == Campaign.Status.CANCELLED:
            warnings.append(f"{campaign.name} is cancelled.")
        elif campaign.end_date is not None and campaign.end_date < today:
            warnings.append(
                f"{campaign.name} ended on {campaign.end_date.day} {campaign.end_date:%b %Y}."
            )
        elif campaign.status == Campaign.Status.COMPLETED:
            warnings.append(f"{campaign.name} is completed.")
    if budget:
        spend = campaign_signed_spend(campaign, exclude=partnership)
        total = spend + (value or Decimal("0"))
        if total > campaign.budget:
            share = f" ({total / campaign.budget:.0%} of it)" if campaign.budget else ""
            warnings.append(
                f"Signed spend {money(spend)} plus this deal at {money(value)} comes to "
                f"{money(total)}, over the budget of {money(campaign.budget)}{share}."
            )
    return warnings


def partnership_detail_queryset():
    return Partnership.objects.select_related(
        "influencer", "campaign", "owner", "tier_at_signing", "renewed_from", "renewal"
    )


# What the partnership page shows of the partnerships it joins (the renewal links: their term,
# and the previous one's status for "Undo renewal").
PAGE_RELATED_FIELDS = (
    *("influencer__name", "influencer__followers", "campaign__name", "campaign__status"),
    *("renewed_from__start_date", "renewed_from__end_date", "renewed_from__status"),
    *("renewal__start_date", "renewal__end_date"),
)


def partnership_page_queryset():
    """The partnership page's partnership with what it shows of its influencer, campaign and
    renewal links joined; the owner and the tier at signing come from the cached reads
    (``partnership_people``). Each join and column costs the ORM and the planner a share of
    the page."""
    own = [field.name for field in Partnership._meta.concrete_fields]
    return Partnership.objects.select_related(
        "influencer", "campaign", "renewed_from", "renewal"
    ).only(*own, *PAGE_RELATED_FIELDS)


def partnership_people(partnership, users=None):
    """{"owner_name", "tier_at_signing"} of a partnership from the cached users (``users``, or
    ``users_by_id()``) and tiers, which an admin's edit drops (crm/cache.py); read from the
    database if the cache lacks them."""
    users = users_by_id() if users is None else users
    owner_name = ""
    if partnership.owner_id:
        owner = users.get(partnership.owner_id) or partnership.owner
        owner_name = user_display_name(owner)
    tier = None
    if partnership.tier_at_signing_id:
        tiers = {tier.pk: tier for tier in all_tiers()}
        tier = tiers.get(partnership.tier_at_signing_id) or partnership.tier_at_signing
    return {"owner_name": owner_name, "tier_at_signing": tier}


# Newest first: the latest due date on top. A backward walk of the due_date indexes (plain
# DESC, so PostgreSQL lists undated deliverables first and SQLite last).
DELIVERABLE_ORDER = ("-due_date", "-id")

STATUS_LABELS = dict(Status.choices)


@dataclass(frozen=True, slots=True)
class StatusChangeRow:
    changed_at: object
    from_label: str
    to_label: str
    by: str  # the login name of who moved it, "" if unknown
    note: str


def partnership_history(partnership, users=None):
    """The partnership's status changes, newest first, as plain rows (who moved it from the
    cached users: ``users``, or ``users_by_id()``)."""
    rows = list(
        PartnershipStatusChange.objects.filter(partnership=partnership)
        .order_by("-changed_at", "-id")
        .values_list("changed_at", "from_status", "to_status", "changed_by_id", "note")
    )
    users = users_by_id() if users is None else users
    missing = {row[3] for row in rows if row[3] and row[3] not in users}
    if missing:
        users = {**users, **get_user_model().objects.in_bulk(missing)}
    return [
        StatusChangeRow(
            changed_at=changed_at,
            from_label=STATUS_LABELS.get(from_status, from_status),
            to_label=STATUS_LABELS.get(to_status, to_status),
            by=users[by_id].get_username() if by_id in users else "",
            note=note,
        )
        for changed_at, from_status, to_status, by_id, note in rows
    ]


KIND_LABELS = dict(Deliverable.Kind.choices)
PLATFORM_LABELS = dict(Platform.choices)
DELIVERABLE_STATUS_LABELS = dict(Deliverable.Status.choices)


@dataclass(frozen=True, slots=True)
class DeliverableRow:
    """What the partnership page shows of a deliverable, read as plain values."""

    pk: int
    kind: str
    platform: str
    due_date: date | None
    status: str
    url: str
    impressions: int
    reach: int
    likes: int
    comments: int
    shares: int
    saves: int
    clicks: int
    conversions: int
    revenue: Decimal

    @property
    def engagements(self):
        return engagements(
            likes=self.likes, comments=self.comments, shares=self.shares, saves=self.saves
        )

    def get_kind_display(self):
        return KIND_LABELS.get(self.kind, self.kind)

    def get_platform_display(self):
        return PLATFORM_LABELS.get(self.platform, self.platform)

    def get_status_display(self):
        return DELIVERABLE_STATUS_LABELS.get(self.status, self.status)


DELIVERABLE_ROW_FIELDS = tuple(field.name for field in fields(DeliverableRow))


def partnership_deliverables(partnership):
    """The partnership's deliverables, newest first, as plain rows: the page lists every one."""
    rows = (
        Deliverable.objects.filter(partnership=partnership)
        .order_by(*DELIVERABLE_ORDER)
        .values_list(*DELIVERABLE_ROW_FIELDS)
    )
    return [DeliverableRow(*row) for row in rows]


def partnership_results(partnership):
    """The partnership's results (one aggregate query): cost = its contract value once signed
    (before that no cost and every ratio "-"), the influencer's followers once per deliverable
    for the engagement rate by followers."""
    row = Deliverable.objects.filter(partnership=partnership).aggregate(
        **deliverable_sums(coalesce=False), deliverables=Count("pk")
    )
    signed = partnership.is_signed
    return Results.from_row(
        row,
        cost=partnership.contract_value if signed else Decimal("0"),
        followers=follower_basis(partnership.influencer.followers, row["deliverables"]),
        signed=signed,
    )


def deliverable_list():
    """Deliverables, the latest due first (bare: decorate a page with ``deliverable_rows``)."""
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
