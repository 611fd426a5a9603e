"""The pipeline service: every move between two statuses is allowed or refused as TRANSITIONS
says, reopening is on purpose only, and each move is written to the status history."""

import itertools
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from partnerships.models import Partnership, PartnershipStatusChange
from partnerships.services import (
    REOPEN_TO,
    TRANSITIONS,
    move_targets,
    next_term,
    partnership_move,
    partnership_renew,
)
from tests.factories import CampaignFactory, PartnershipFactory, UserFactory

pytestmark = pytest.mark.django_db
Status = Partnership.Status

ALLOWED = sorted(
    (source.value, target.value) for source, targets in TRANSITIONS.items() for target in targets
)
REFUSED = sorted(
    (source.value, target.value)
    for source, target in itertools.product(Status, Status)
    if target not in TRANSITIONS[source]
)


def test_the_pipeline_moves_forward_without_skipping():
    assert (Status.PROSPECT.value, Status.COMPLETED.value) in REFUSED
    assert (Status.PROSPECT.value, Status.CONTRACTED.value) in REFUSED
    assert (Status.NEGOTIATING.value, Status.CONTRACTED.value) in ALLOWED
    assert all(not TRANSITIONS[s] for s in (Status.COMPLETED, Status.DECLINED, Status.CANCELLED))


@pytest.mark.parametrize(("source", "target"), ALLOWED)
def test_allowed_move(tiers, source, target):
    marketer = UserFactory()
    partnership = PartnershipFactory(status=source)
    moved = partnership_move(partnership=partnership, status=target, by=marketer)
    assert moved.status == target
    partnership.refresh_from_db()
    assert partnership.status == target
    change = partnership.status_changes.first()
    assert (change.from_status, change.to_status, change.changed_by) == (source, target, marketer)


@pytest.mark.parametrize(("source", "target"), REFUSED)
def test_refused_move(tiers, source, target):
    partnership = PartnershipFactory(status=source)
    with pytest.raises(ValidationError) as refused:
        partnership_move(partnership=partnership, status=target)
    assert "cannot move from" in str(refused.value)
    partnership.refresh_from_db()
    assert partnership.status == source
    assert partnership.status_changes.count() == 1  # only "logged"


@pytest.mark.parametrize("source", [Status.DECLINED, Status.CANCELLED])
@pytest.mark.parametrize("target", sorted(REOPEN_TO))
def test_declined_and_cancelled_reopen_only_on_purpose(tiers, source, target):
    partnership = PartnershipFactory(status=source)
    with pytest.raises(ValidationError, match="Reopen it on purpose"):
        partnership_move(partnership=partnership, status=target)
    reopened = partnership_move(partnership=partnership, status=target, reopen=True)
    assert reopened.status == target
    assert reopened.status_changes.first().note == "Reopened"


def test_completed_cannot_be_reopened(tiers):
    partnership = PartnershipFactory(status=Status.COMPLETED)
    with pytest.raises(ValidationError):
        partnership_move(partnership=partnership, status=Status.PROSPECT, reopen=True)


def test_tier_at_signing_recorded_once_through_the_pipeline(tiers):
    partnership = PartnershipFactory(status=Status.NEGOTIATING)  # 5,000 followers: Micro
    partnership = partnership_move(partnership=partnership, status=Status.CONTRACTED)
    signed_on = partnership.signed_on
    assert partnership.tier_at_signing == tiers["Micro"]
    tiers["Micro"].min_followers = 50_000  # the influencer would now be Nano
    tiers["Micro"].save()
    partnership = partnership_move(partnership=partnership, status=Status.ACTIVE)
    partnership = partnership_move(partnership=partnership, status=Status.COMPLETED)
    assert partnership.tier_at_signing == tiers["Micro"]
    assert partnership.signed_on == signed_on


def test_history_reads_in_order(tiers):
    partnership = PartnershipFactory()
    for status in (Status.CONTACTED, Status.NEGOTIATING, Status.CONTRACTED):
        partnership_move(partnership=partnership, status=status)
    steps = list(
        PartnershipStatusChange.objects.filter(partnership=partnership)
        .order_by("changed_at", "id")
        .values_list("from_status", "to_status")
    )
    assert steps == [
        ("", "prospect"),
        ("prospect", "contacted"),
        ("contacted", "negotiating"),
        ("negotiating", "contracted"),
    ]


def long_term(**kwargs):
    return PartnershipFactory(
        collaboration_type="long_term",
        status=Status.ACTIVE,
        monthly_retainer=Decimal("800"),
        deliverables_per_month=3,
        start_date=date(2026, 1, 1),
        end_date=date(2026, 6, 30),
        fee=Decimal("250"),
        auto_renew=True,
        exclusivity=True,
        terms="Two reels a month",
        **kwargs,
    )


def test_renew_creates_the_next_term_with_the_same_terms(tiers):
    marketer = UserFactory()
    current = long_term(campaign=CampaignFactory())
    renewal = partnership_renew(partnership=current, by=marketer)
    current.refresh_from_db()
    assert renewal.renewed_from == current
    assert current.status == Status.COMPLETED
    assert current.status_changes.first().note == "Renewed"
    assert renewal.status == Status.CONTRACTED
    assert (renewal.start_date, renewal.end_date) == (date(2026, 7, 1), date(2026, 12, 31))
    assert renewal.campaign == current.campaign and renewal.influencer == current.influencer
    assert renewal.monthly_retainer == Decimal("800") and renewal.deliverables_per_month == 3
    assert renewal.auto_renew and renewal.exclusivity and renewal.terms == "Two reels a month"
    assert renewal.fee is None  # a one-time fee is paid once
    assert renewal.contract_value == Decimal("4800")  # 6 months x 800
    assert renewal.tier_at_signing == tiers["Micro"]
    assert renewal.status_changes.first().changed_by == marketer


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"collaboration_type": "one_off", "status": Status.ACTIVE}, "Only a long-term"),
        ({"collaboration_type": "long_term", "status": Status.NEGOTIATING}, "Only an active"),
    ],
)
def test_renew_refuses_what_cannot_be_renewed(tiers, kwargs, message):
    partnership = PartnershipFactory(**kwargs)
    with pytest.raises(ValidationError, match=message):
        partnership_renew(partnership=partnership)
    assert not Partnership.objects.filter(renewed_from=partnership).exists()


def test_renew_twice_is_refused_and_changes_nothing(tiers):
    current = long_term(campaign=None)
    partnership_renew(partnership=current)
    with pytest.raises(ValidationError):
        partnership_renew(partnership=current)
    assert Partnership.objects.filter(influencer=current.influencer).count() == 2


def test_renew_is_one_transaction(tiers, monkeypatch):
    current = long_term(campaign=CampaignFactory())
    monkeypatch.setattr(
        "partnerships.services.next_term",
        lambda partnership: (partnership.end_date, partnership.end_date - timedelta(days=5)),
    )
    with pytest.raises(ValidationError):
        partnership_renew(partnership=current)  # end before start: refused by full_clean
    current.refresh_from_db()
    assert current.status == Status.ACTIVE
    assert not Partnership.objects.filter(renewed_from=current).exists()


@pytest.mark.parametrize(
    ("start", "end", "next_start", "next_end"),
    [
        (date(2026, 1, 1), date(2026, 6, 30), date(2026, 7, 1), date(2026, 12, 31)),
        (date(2026, 1, 15), date(2026, 4, 14), date(2026, 4, 15), date(2026, 7, 14)),
        (date(2026, 1, 1), date(2026, 1, 10), date(2026, 1, 11), date(2026, 1, 20)),
    ],
)
def test_next_term_lasts_as_long(start, end, next_start, next_end):
    partnership = Partnership(start_date=start, end_date=end)
    assert next_term(partnership) == (next_start, next_end)


def test_move_targets_offer_allowed_moves_or_reopening():
    assert move_targets(Status.NEGOTIATING) == (
        [Status.CONTACTED, Status.CONTRACTED, Status.DECLINED, Status.CANCELLED],
        False,
    )
    assert move_targets(Status.DECLINED) == ([Status.PROSPECT, Status.NEGOTIATING], True)
    assert move_targets(Status.COMPLETED) == ([], False)
