"""Writes on partnerships: contract value, the pipeline's allowed moves, tier at signing."""

from calendar import monthrange
from datetime import timedelta
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import OuterRef, Subquery
from django.utils import timezone

from crm.concurrency import version_bump
from influencers.models import Influencer
from influencers.tiers import tier_for_followers, tier_subquery
from partnerships.models import Deliverable, Partnership, PartnershipStatusChange

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
    for name, value in fields.items():
        setattr(partnership, name, value)
    partnership_apply_terms(partnership)
    partnership.full_clean()
    partnership.save()
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
    return partnership


def add_months(day, months):
    """The same day ``months`` later, clamped to the month's end (31 Jan + 1 month = 28 Feb)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return day.replace(year=year, month=month, day=min(day.day, monthrange(year, month)[1]))


def next_term(partnership):
    """(start, end) of the term following a long-term partnership's: it starts the day after the
    current one ends and bills as many months (so the retainer total is the same). A term of
    whole months is followed by as many whole months; a shorter or ragged one lasts as many days
    unless that would start a different number of months (29 Feb - 28 Feb is twelve months, but
    its 366 days from 1 March run into a thirteenth), then it too becomes whole months."""
    start, end = partnership.start_date, partnership.end_date
    new_start = end + timedelta(days=1)
    months = months_in_term(start, end)
    by_months = add_months(new_start, months) - timedelta(days=1)
    if add_months(start, months) == new_start:
        return new_start, by_months
    by_days = new_start + (end - start)
    if months_in_term(new_start, by_days) == months:
        return new_start, by_days
    return new_start, by_months


def renewal_refusal(partnership):
    """Why ``partnership`` cannot be renewed, or "" when it can."""
    if not partnership.is_long_term:
        return "Only a long-term partnership can be renewed."
    if partnership.status != Status.ACTIVE:
        return "Only an active long-term partnership can be renewed."
    if Partnership.objects.filter(renewed_from=partnership).exists():
        return "This term has already been renewed."
    return ""


def renewal_terms(partnership):
    """The next term's fields, as partnership_renew creates it: the term from next_term, the
    same retainer, cadence and flags, no one-time fee. ``contract_value`` is what it will be."""
    start, end = next_term(partnership)
    return {
        "collaboration_type": partnership.collaboration_type,
        "start_date": start,
        "end_date": end,
        "monthly_retainer": partnership.monthly_retainer,
        "deliverables_per_month": partnership.deliverables_per_month,
        "auto_renew": partnership.auto_renew,
        "exclusivity": partnership.exclusivity,
        "renewal_reminder_days": partnership.renewal_reminder_days,
        "contract_value": contract_value(
            collaboration_type=partnership.collaboration_type,
            monthly_retainer=partnership.monthly_retainer,
            start_date=start,
            end_date=end,
        ),
    }


@transaction.atomic
def partnership_renew(*, partnership, by=None):
    """Renew a running long-term partnership: the next term (renewal_terms) is created as
    contracted and linked to this one, which is completed in the same transaction (one open
    partnership per influencer and campaign). partnership_renewal_undo takes it back."""
    current = Partnership.objects.select_for_update(of=("self",)).get(pk=partnership.pk)
    refusal = renewal_refusal(current)
    if refusal:
        raise ValidationError([refusal])
    terms = renewal_terms(current)
    terms.pop("contract_value")  # computed again by partnership_create
    partnership_move(partnership=current, status=Status.COMPLETED, by=by, note="Renewed")
    return partnership_create(
        influencer=current.influencer,
        campaign=current.campaign,
        status=Status.CONTRACTED,
        owner=current.owner,
        terms=current.terms,
        renewed_from=current,
        by=by,
        **terms,
    )


def renewal_undo_refusal(renewal, *, has_deliverables):
    """Why the renewal ``renewal`` (a term created by partnership_renew) cannot be undone, or
    "" when it can: it is still open, the previous term is still completed by it, and no work
    has been logged on it yet (its deliverables would have to go with it)."""
    previous = renewal.renewed_from
    if previous is None:
        return "This partnership is not a renewal."
    if not renewal.is_open:
        return f"This term is {renewal.get_status_display().lower()}: its renewal stays."
    if previous.status != Status.COMPLETED:
        return "The previous term is no longer completed: its renewal stays."
    if has_deliverables:
        return (
            "This term already has deliverables, so its renewal can no longer be undone: "
            "cancel it through the pipeline instead."
        )
    return ""


@transaction.atomic
def partnership_renewal_undo(*, renewal, by=None):
    """Take a renewal back: delete the new term (its audit history keeps the deletion) and put
    the previous term back to active, recorded in its status history. Refused once the new term
    has deliverables. Returns the previous term."""
    renewal = (
        Partnership.objects.select_for_update(of=("self",))
        .select_related("renewed_from")
        .get(pk=renewal.pk)
    )
    previous = renewal.renewed_from
    if previous is not None:
        previous = Partnership.objects.select_for_update(of=("self",)).get(pk=previous.pk)
        renewal.renewed_from = previous
    refusal = renewal_undo_refusal(
        renewal, has_deliverables=Deliverable.objects.filter(partnership=renewal).exists()
    )
    if refusal:
        raise ValidationError(refusal)
    renewal.delete()
    previous.status = Status.ACTIVE
    previous.full_clean()
    previous.save()
    _record_change(previous, Status.COMPLETED, by=by, note="Renewal undone")
    return previous


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
    return deliverable


@transaction.atomic
def deliverable_update(*, deliverable, version=None, **fields):
    """Change a deliverable's plan or record its measured results.

    ``version`` is the version the edit form was loaded with: if someone saved the deliverable
    since, crm.concurrency.EditConflict is raised and nothing is written. Every update moves the
    deliverable to its next version."""
    version_bump(deliverable, expected=version)
    for name, value in fields.items():
        setattr(deliverable, name, value)
    deliverable.full_clean()
    deliverable.save()
    return deliverable


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
    return unsigned.update(tier_at_signing=tier_subquery(followers))
