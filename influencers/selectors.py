"""Reads on influencers: the roster, its per-tier counts, the influencer page and the export.

The influencer page's partnerships and results are read in partnerships/influencer_selectors.py."""

import json
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db import connection
from django.db.models import (
    BooleanField,
    F,
    Func,
)

from crm.cache import cached
from influencers.models import (
    Influencer,
    Interaction,
    Niche,
    Platform,
    SocialAccount,
)
from influencers.tiers import count_by_tier, next_tier, range_of, tier_ranges

ROW_ACCOUNT_FIELDS = ("id", "influencer_id", "platform", "handle", "is_primary", "followers")


def all_niches():
    """Every niche by name, for pickers and filters. Cached until a niche is saved or deleted
    (crm/cache.py)."""
    return cached("influencers:niches", lambda: list(Niche.objects.order_by("name")))


def roster_base():
    """Every influencer, unordered: the FilterSet narrows it, the view orders and pages it."""
    return Influencer.objects.all()


PLATFORM_LABELS = dict(Platform.choices)
STATUS_LABELS = dict(Influencer.Status.choices)
ROW_FIELDS = (
    *("id", "name", "followers", "engagement_rate", "city", "country", "status"),
    *("owner__first_name", "owner__last_name", "owner__username"),
)


@dataclass(frozen=True, slots=True)
class RowAccount:
    platform: str
    handle: str


@dataclass(slots=True)
class RosterRow:
    """What a roster row shows, read as plain values: model instances for 25-100 influencers,
    their niches and accounts were a third of the page's CPU time."""

    pk: int
    name: str
    followers: int
    engagement_rate: object
    city: str
    country: str
    status: str
    tier_id: int | None
    tier_name: str | None
    owner_name: str  # full name, else login name; "" without an owner
    niche_names: list
    primary: RowAccount | None  # the primary account, else the largest
    platforms: list  # distinct platform labels, sorted

    def get_status_display(self):
        return STATUS_LABELS.get(self.status, self.status)


def roster_rows(ids):
    """The page's influencers in the given order, with what a roster row shows: owner, tier (from
    today's thresholds, the cached ranges), niches by name, the primary handle and the
    platforms. Three queries for any page."""
    niches = {}
    links = Influencer.niches.through.objects.filter(influencer_id__in=ids)
    for influencer_id, name in links.order_by("niche__name").values_list(
        "influencer_id", "niche__name"
    ):
        niches.setdefault(influencer_id, []).append(name)
    accounts = {}
    for influencer_id, platform, handle in (
        SocialAccount.objects.filter(influencer_id__in=ids)
        .order_by("-is_primary", "-followers", "id")
        .values_list("influencer_id", "platform", "handle")
    ):
        accounts.setdefault(influencer_id, []).append(RowAccount(platform, handle))
    by_pk = {}
    ranges = tier_ranges()
    for values in Influencer.objects.filter(pk__in=ids).values_list(*ROW_FIELDS):
        pk, name, followers, rate, city, country, status, first, last, username = values
        own = accounts.get(pk, [])
        tier_range = range_of(followers, ranges)
        by_pk[pk] = RosterRow(
            pk=pk,
            name=name,
            followers=followers,
            engagement_rate=rate,
            city=city,
            country=country,
            status=status,
            tier_id=tier_range.tier.pk if tier_range else None,
            tier_name=tier_range.tier.name if tier_range else None,
            # As User.get_full_name(), else get_username().
            owner_name="" if username is None else f"{first} {last}".strip() or username,
            niche_names=niches.get(pk, []),
            primary=own[0] if own else None,
            platforms=sorted({PLATFORM_LABELS.get(a.platform, a.platform) for a in own}),
        )
    return [by_pk[pk] for pk in ids if pk in by_pk]


@dataclass
class TierCount:
    tier_range: object
    count: int
    selected: bool

    @property
    def tier(self):
        return self.tier_range.tier


def roster_tier_counts(queryset, selected_tiers=()):
    """How many influencers of ``queryset`` fall in each tier, and the total of the selected tiers
    (or of everyone when none is selected). One aggregate; ``queryset`` excludes the tier filter, so
    the counts say what picking another tier would give."""
    selected = {tier.pk for tier in selected_tiers}
    pairs, total = count_by_tier(queryset)
    counts = [TierCount(r, count, r.tier.pk in selected) for r, count in pairs]
    # Below the lowest tier nobody is counted per tier, so without a tier filter use the total.
    if selected:
        total = sum(c.count for c in counts if c.selected)
    return counts, total


def _reverse(ordering):
    return [name[1:] if name.startswith("-") else f"-{name}" for name in ordering]


def page_ids(queryset, ordering, offset, limit, total):
    """The primary keys of one page, selected alone (the row details come after, for these few).

    A page in the back half is read from the other end in the reverse order, so no page walks
    more than half of the result: the last page costs what the first does."""
    end = min(offset + limit, total)
    after = total - end
    pks = queryset.values_list("pk", flat=True)
    if after < offset:
        return list(reversed(pks.order_by(*_reverse(ordering))[after : after + (end - offset)]))
    return list(pks.order_by(*ordering)[offset:end])


def influencer_detail(pk):
    """One influencer with tier, owner, accounts and niches (three queries)."""
    return (
        Influencer.objects.with_tier()
        .select_related("owner")
        .prefetch_related("niches", "accounts")
        .get(pk=pk)
    )


def distance_to_next_tier(influencer):
    """(next Tier, followers still needed) or (None, None) at the top tier."""
    tier = next_tier(influencer.followers)
    if tier is None:
        return None, None
    return tier, tier.min_followers - influencer.followers


def influencer_interactions(influencer, limit=50):
    """The latest interactions, newest first, with their author and partnership."""
    return Interaction.objects.filter(influencer=influencer).select_related(
        "author", "partnership__campaign"
    )[:limit]


EXPORT_INFLUENCER_FIELDS = ("name", "email", "phone", "country", "city", "status")
EXPORT_ACCOUNT_FIELDS = ("platform", "handle", "url", "followers", "engagement_rate")


def roster_export_rows(queryset, chunk_size=2000):
    """Influencers of a filtered roster for the CSV export, by name, as plain values (no model
    instances): chunks of ``(values, niches, accounts)``, where values are
    EXPORT_INFLUENCER_FIELDS + owner's username + notes, niches are the niche names by name
    joined by "; " and accounts are EXPORT_ACCOUNT_FIELDS tuples, primary first, then largest.
    One query for the niches, then two per chunk of influencers, whatever the roster's size."""
    # SQLite caps the parameters of one statement.
    chunk_size = min(chunk_size, (connection.features.max_query_params or chunk_size) - 10)
    username = f"owner__{get_user_model().USERNAME_FIELD}"
    rows = (
        queryset.order_by("name", "id")
        .values_list("pk", *EXPORT_INFLUENCER_FIELDS, username, "notes")
        .iterator(chunk_size=chunk_size)
    )
    # Niches are few: their names once, in the database's order (its collation), so each
    # influencer's links need no join.
    niche_names = dict(Niche.objects.order_by("name", "pk").values_list("pk", "name"))
    rank = {pk: index for index, pk in enumerate(niche_names)}
    joined = {(): ""}  # niche ids as read -> their names joined; influencers share a few sets

    def niches_text(ids):
        text = joined.get(ids)
        if text is None:
            # A niche created since the export began is left out, as it began without it.
            known = sorted((pk for pk in ids if pk in rank), key=rank.__getitem__)
            text = joined[ids] = "; ".join(niche_names[pk] for pk in known)
        return text

    links = Influencer.niches.through.objects.values_list("influencer_id", "niche_id")
    accounts = SocialAccount.objects.order_by("-is_primary", "-followers", "id").values_list(
        "influencer_id", *EXPORT_ACCOUNT_FIELDS
    )
    chunk = []
    for row in rows:
        chunk.append(row)
        if len(chunk) == chunk_size:
            yield _export_chunk(chunk, links, accounts, niches_text)
            chunk = []
    if chunk:
        yield _export_chunk(chunk, links, accounts, niches_text)


class _InfluencerIn(Func):
    """influencer_id in the given ids, passed as one parameter (an array; on SQLite a JSON list):
    ``influencer_id__in`` prepares each id, a third of the export's Python time at 2,000 ids a
    chunk."""

    output_field = BooleanField()

    def __init__(self, ids):
        super().__init__(F("influencer_id"))
        self.ids = list(ids)

    def as_sql(self, compiler, connection, **extra_context):
        column, params = compiler.compile(self.source_expressions[0])
        return f"{column} = ANY(%s)", (*params, self.ids)

    def as_sqlite(self, compiler, connection, **extra_context):
        column, params = compiler.compile(self.source_expressions[0])
        sql = f"{column} IN (SELECT value FROM json_each(%s))"  # noqa: S608
        return sql, (*params, json.dumps(self.ids))


def _export_chunk(chunk, links, accounts, niches_text):
    ids = [row[0] for row in chunk]
    niches_of, accounts_of = {}, {}
    for influencer_id, niche_id in links.filter(_InfluencerIn(ids)):
        niches_of[influencer_id] = (*niches_of.get(influencer_id, ()), niche_id)
    for influencer_id, *account in accounts.filter(_InfluencerIn(ids)):
        accounts_of.setdefault(influencer_id, []).append(account)
    return [
        (row, niches_text(niches_of.get(row[0], ())), accounts_of.get(row[0], ())) for row in chunk
    ]
