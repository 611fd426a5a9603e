"""Reads on influencers: the roster, its per-tier counts, the influencer page and the export.

The influencer page's partnerships and results are read in partnerships/influencer_selectors.py."""

from dataclasses import dataclass

from django.core.paginator import Paginator
from django.db.models import (
    Count,
    Prefetch,
)
from django.utils.functional import cached_property

from crm.cache import cached
from influencers.models import (
    Influencer,
    Interaction,
    Niche,
    Platform,
    SocialAccount,
)
from influencers.tiers import next_tier, range_q, tier_ranges

ROW_ACCOUNT_FIELDS = ("id", "influencer_id", "platform", "handle", "is_primary", "followers")


def all_niches():
    """Every niche by name, for pickers and filters. Cached until a niche is saved or deleted
    (crm/cache.py)."""
    return cached("influencers:niches", lambda: list(Niche.objects.order_by("name")))


def roster_base():
    """Every influencer, unordered: the FilterSet narrows it, the view orders and pages it."""
    return Influencer.objects.all()


def roster_rows(ids):
    """The page's influencers in the given order, with what a roster row shows: owner, tier,
    niches and accounts (for the primary handle and the platforms). Three queries for any page."""
    rows = (
        Influencer.objects.filter(pk__in=ids)
        .with_tier()
        .select_related("owner")
        .prefetch_related(*_row_prefetches())
    )
    by_pk = {row.pk: row for row in rows}
    return [by_pk[pk] for pk in ids if pk in by_pk]


PLATFORM_LABELS = dict(Platform.choices)


def _row_prefetches():
    # Plain lists (to_attr): a related manager per row and access was a visible share of the
    # page's time at 100 rows.
    accounts = SocialAccount.objects.only(*ROW_ACCOUNT_FIELDS).order_by(
        "-is_primary", "-followers", "id"
    )
    return (
        Prefetch("niches", queryset=Niche.objects.order_by("name"), to_attr="niche_list"),
        Prefetch("accounts", queryset=accounts, to_attr="account_list"),
    )


def account_summary(influencer):
    """(primary account or None, sorted distinct platform labels) from the prefetched accounts."""
    accounts = influencer.account_list
    primary = next((a for a in accounts if a.is_primary), accounts[0] if accounts else None)
    platforms = sorted({PLATFORM_LABELS.get(a.platform, a.platform) for a in accounts})
    return primary, platforms


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
    return _tier_counts(queryset.order_by(), selected_tiers)


def _tier_counts(queryset, selected_tiers):
    ranges = tier_ranges()
    selected = {tier.pk for tier in selected_tiers}
    aggregates = {f"t{index}": Count("pk", filter=range_q(r)) for index, r in enumerate(ranges)}
    totals = queryset.aggregate(total=Count("pk"), **aggregates)
    counts = [
        TierCount(r, totals[f"t{index}"], r.tier.pk in selected) for index, r in enumerate(ranges)
    ]
    # Below the lowest tier nobody is counted per tier, so without a tier filter use the total.
    total = sum(c.count for c in counts if c.selected) if selected else totals["total"]
    return counts, total


class KnownCountPaginator(Paginator):
    """A Paginator told the total up front (it came with the tier counts), so it runs no COUNT."""

    def __init__(self, object_list, per_page, *, count, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        self._known_count = count

    @cached_property
    def count(self):
        return self._known_count


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


EXPORT_ACCOUNT_FIELDS = (*ROW_ACCOUNT_FIELDS, "url", "engagement_rate")


def roster_export_rows(queryset, chunk_size=2000):
    """Influencers of a filtered roster for the CSV export (in the import's columns), streamed
    in chunks, with niches and every account field (primary first, then largest)."""
    accounts = SocialAccount.objects.only(*EXPORT_ACCOUNT_FIELDS).order_by(
        "-is_primary", "-followers", "id"
    )
    return (
        queryset.select_related("owner")
        .prefetch_related(
            Prefetch("niches", queryset=Niche.objects.order_by("name"), to_attr="niche_list"),
            Prefetch("accounts", queryset=accounts, to_attr="account_list"),
        )
        .order_by("name", "id")
        .iterator(chunk_size=chunk_size)
    )
