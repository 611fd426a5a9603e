"""Writes on influencers and their accounts. Audience totals are kept in step here, in SQL."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import (
    BigIntegerField,
    DecimalField,
    ExpressionWrapper,
    F,
    Func,
    OuterRef,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce, NullIf, Round
from django.template.defaultfilters import pluralize

from crm.concurrency import version_bump
from influencers.models import Influencer, Interaction, SocialAccount


def _account_totals(column_expression, output_field):
    return Subquery(
        SocialAccount.objects.filter(influencer=OuterRef("pk"))
        .order_by()
        .values("influencer")
        .annotate(total=Sum(column_expression))
        .values("total"),
        output_field=output_field,
    )


class _Real(Func):
    """Its argument unchanged, except on SQLite, which stores whole-number decimals as integers
    and would otherwise divide them as integers (2 x 60000 + 8 x 50000 / 110000 = 4, not 4.73)."""

    template = "%(expressions)s"

    def as_sqlite(self, compiler, connection, **extra_context):
        return super().as_sql(compiler, connection, template="CAST(%(expressions)s AS REAL)")


def influencers_audience_expressions():
    """{field: expression} setting an influencer's followers (sum over its accounts) and
    engagement_rate (follower-weighted average), for an UPDATE of influencer rows."""
    money = DecimalField(max_digits=30, decimal_places=4)
    followers = Coalesce(_account_totals(F("followers"), BigIntegerField()), Value(0))
    weighted = _Real(
        _account_totals(
            ExpressionWrapper(F("followers") * F("engagement_rate"), output_field=money), money
        ),
        output_field=money,
    )
    # No followers at all: no weighted average, so 0 (NULLIF avoids a division by zero).
    rate = Coalesce(
        Round(
            ExpressionWrapper(
                weighted / NullIf(_account_totals(F("followers"), money), Value(0)),
                output_field=money,
            ),
            2,
        ),
        Value(Decimal("0")),
        output_field=DecimalField(max_digits=5, decimal_places=2),
    )
    return {"followers": followers, "engagement_rate": rate}


@transaction.atomic
def influencers_recompute_audience(*, queryset=None):
    """Set followers (sum over accounts) and engagement_rate (follower-weighted) in one UPDATE."""
    queryset = Influencer.objects.all() if queryset is None else queryset
    return queryset.order_by().update(**influencers_audience_expressions())


def _recompute(influencer):
    influencers_recompute_audience(queryset=Influencer.objects.filter(pk=influencer.pk))
    influencer.refresh_from_db(fields=["followers", "engagement_rate"])


def normalise_handle(handle):
    """A handle as stored: no surrounding spaces, no leading @."""
    return (handle or "").strip().lstrip("@").strip()


_normalise_handle = normalise_handle


@transaction.atomic
def social_account_create(
    *, influencer, platform, handle, followers=0, engagement_rate=0, url="", is_primary=False
):
    """Add an account to an influencer and update the influencer's audience totals."""
    account = SocialAccount(
        influencer=influencer,
        platform=platform,
        handle=_normalise_handle(handle),
        url=url,
        followers=followers,
        engagement_rate=engagement_rate,
        is_primary=is_primary,
    )
    if is_primary:
        influencer.accounts.filter(is_primary=True).update(is_primary=False)
    elif not influencer.accounts.filter(is_primary=True).exists():
        account.is_primary = True  # the first account is the primary one until told otherwise
    account.full_clean()
    account.save()
    _recompute(influencer)
    return account


@transaction.atomic
def social_account_update(*, account, **changes):
    """Change an account's fields and update the influencer's audience totals."""
    if "handle" in changes:
        changes["handle"] = _normalise_handle(changes["handle"])
    for name, value in changes.items():
        setattr(account, name, value)
    if changes.get("is_primary"):
        account.influencer.accounts.exclude(pk=account.pk).filter(is_primary=True).update(
            is_primary=False
        )
    account.full_clean()
    account.save()
    _recompute(account.influencer)
    return account


@transaction.atomic
def social_account_delete(*, account):
    """Remove an account and update the influencer's audience totals."""
    influencer = account.influencer
    account.delete()
    _recompute(influencer)


@transaction.atomic
def influencer_create(*, name, niches=(), accounts=(), **fields):
    """Create an influencer with its niches and accounts (dicts of SocialAccount fields)."""
    influencer = Influencer(name=name, **fields)
    influencer.full_clean()
    influencer.save()
    influencer.niches.set(niches)
    for account in accounts:
        social_account_create(influencer=influencer, **account)
    _recompute(influencer)
    return influencer


@transaction.atomic
def influencer_update(*, influencer, niches=None, accounts=None, version=None, **fields):
    """Change an influencer's fields and niches. ``accounts``, when given, is the complete new set
    of accounts (dicts of SocialAccount fields; with "pk" to keep and change an existing one):
    accounts left out are deleted, and the audience totals follow.

    ``version`` is the version the edit form was loaded with: if someone saved the influencer
    since, crm.concurrency.EditConflict is raised and nothing is written. Every update moves the
    influencer to its next version."""
    version_bump(influencer, expected=version)
    for name, value in fields.items():
        setattr(influencer, name, value)
    influencer.full_clean()
    influencer.save()
    if niches is not None:
        influencer.niches.set(niches)
    if accounts is not None:
        _replace_accounts(influencer, [dict(account) for account in accounts])
    return influencer


def _replace_accounts(influencer, wanted):
    existing = {account.pk: account for account in influencer.accounts.all()}
    old_primary = next((pk for pk, account in existing.items() if account.is_primary), None)
    kept = {item["pk"] for item in wanted if item.get("pk") in existing}
    # Exactly one primary: the one asked for, else the old one if kept, else the largest.
    chosen = next((i for i, item in enumerate(wanted) if item.get("is_primary")), None)
    if chosen is None:
        chosen = next((i for i, item in enumerate(wanted) if item.get("pk") == old_primary), None)
    if chosen is None and wanted:
        chosen = max(range(len(wanted)), key=lambda i: wanted[i].get("followers") or 0)
    influencer.accounts.exclude(pk__in=kept).delete()
    influencer.accounts.filter(is_primary=True).update(is_primary=False)
    for index, item in enumerate(wanted):
        pk = item.pop("pk", None)
        account = existing[pk] if pk in kept else SocialAccount(influencer=influencer)
        for name, value in item.items():
            setattr(account, name, value)
        account.handle = normalise_handle(account.handle)
        account.is_primary = index == chosen
        account.full_clean()
        account.save()
    _recompute(influencer)


@transaction.atomic
def influencer_archive(*, influencer, status=Influencer.Status.DO_NOT_CONTACT):
    """Take an influencer out of use without deleting it (its partnerships keep their history)."""
    if status == Influencer.Status.ACTIVE:
        raise ValidationError({"status": "Archive to Paused or Do not contact."})
    influencer.status = status
    influencer.full_clean()
    version_bump(influencer)
    influencer.save(update_fields=["status", "updated_at", "version"])
    return influencer


@transaction.atomic
def influencer_delete(*, influencer):
    """Delete an influencer that has no partnerships (those are protected: archive instead)."""
    count = influencer.partnerships.count()
    if count:
        raise ValidationError(
            f"{influencer.name} has {count} partnership{pluralize(count)}, so deleting would "
            "erase their history. Archive the influencer instead."
        )
    influencer.delete()


@transaction.atomic
def interaction_create(*, influencer, author, kind, occurred_on, summary, partnership=None):
    """Add a dated entry to the influencer's interaction log."""
    if partnership is not None and partnership.influencer_id != influencer.pk:
        raise ValidationError({"partnership": "That partnership belongs to another influencer."})
    interaction = Interaction(
        influencer=influencer,
        author=author,
        kind=kind,
        occurred_on=occurred_on,
        summary=(summary or "").strip(),
        partnership=partnership,
    )
    interaction.full_clean()
    interaction.save()
    return interaction
