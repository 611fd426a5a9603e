"""The tier engine: the one definition of which tier an influencer is in.

The tier of a follower count is the tier with the largest ``min_followers`` <= that count. Nothing
is stored per influencer: filters become a followers range and annotations a subquery, so when an
admin edits a threshold every page follows on its next load.
"""

from bisect import bisect_right
from dataclasses import dataclass

from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models import F, OuterRef, Q, Subquery

from crm.cache import cached
from influencers.models import Tier


@dataclass(frozen=True)
class TierRange:
    tier: Tier
    lower: int
    upper: int | None  # exclusive; None for the top tier

    @property
    def label(self):
        if self.upper is None:
            return f"{self.lower:,}+"
        return f"{self.lower:,} - {self.upper - 1:,}"


def tier_ranges():
    """Every tier with its [lower, upper) followers range, lowest first. Cached until a tier is
    saved or deleted (crm/cache.py): a threshold edit shows on every page's next load."""
    return cached("influencers:tier-ranges", _read_tier_ranges)


def all_tiers():
    """Every tier, lowest first, from the cached ranges (for pickers and filters)."""
    return [tier_range.tier for tier_range in tier_ranges()]


def _read_tier_ranges():
    tiers = list(Tier.objects.order_by("min_followers"))
    uppers = [tier.min_followers for tier in tiers[1:]] + [None]
    return [
        TierRange(tier, tier.min_followers, upper)
        for tier, upper in zip(tiers, uppers, strict=True)
    ]


def range_for(tier, ranges=None):
    for tier_range in ranges if ranges is not None else tier_ranges():
        if tier_range.tier.pk == tier.pk:
            return tier_range
    raise Tier.DoesNotExist(f"No tier {tier!r}")


def range_q(tier_range, field="followers"):
    q = Q(**{f"{field}__gte": tier_range.lower})
    if tier_range.upper is not None:
        q &= Q(**{f"{field}__lt": tier_range.upper})
    return q


def tier_range_q(tier, field="followers", ranges=None):
    """A Q object selecting follower counts inside the tier (a range, so an index serves it)."""
    if not isinstance(tier, TierRange):
        tier = range_for(tier, ranges)
    return range_q(tier, field)


def tiers_q(tiers, field="followers"):
    """Q selecting follower counts in any of several tiers (one query for the ranges)."""
    ranges = tier_ranges()
    wanted = {tier.pk for tier in tiers}
    q = Q(pk__in=[])
    for tier_range in ranges:
        if tier_range.tier.pk in wanted:
            q |= range_q(tier_range, field)
    return q


def tier_subquery(field="followers", column="pk"):
    """Subquery returning one column of the tier of ``field`` (a name on the outer row, or an
    expression such as a subquery yielding a follower count)."""
    followers = OuterRef(field) if isinstance(field, str) else field
    return Subquery(
        Tier.objects.filter(min_followers__lte=followers)
        .order_by("-min_followers")
        .values(column)[:1]
    )


def annotate_tier(queryset, field="followers"):
    """Annotate tier_id, tier_name, tier_color (None below the lowest tier)."""
    return queryset.annotate(
        tier_id=tier_subquery(field, "pk"),
        tier_name=tier_subquery(field, "name"),
        tier_color=tier_subquery(field, "color"),
    )


def range_of(followers, ranges=None):
    """The TierRange of a follower count, or None below every threshold: the rule above, read
    from the cached ranges (no query), for pages that already hold the counts."""
    ranges = tier_ranges() if ranges is None else ranges
    index = bisect_right([r.lower for r in ranges], followers)
    return ranges[index - 1] if index else None


def tier_for_followers(followers):
    """The Tier of a follower count, or None when it is below every threshold."""
    return Tier.objects.filter(min_followers__lte=followers).order_by("-min_followers").first()


def next_tier(followers):
    return Tier.objects.filter(min_followers__gt=followers).order_by("min_followers").first()


def count_by_tier(queryset, field="followers"):
    """([(TierRange, count)], total) for a queryset: one aggregate whatever the number of rows
    (and the ranges, cached). Counts below the lowest tier are in the total only.

    The aggregate is written here around the ORM's own SQL for the rows' follower counts:
    built from Count(filter=Q(...)) per tier, it took three times as long to compile, on every
    roster page."""
    ranges = tier_ranges()
    try:
        inner, params = queryset.order_by().values(tier_followers=F(field)).query.sql_with_params()
    except EmptyResultSet:  # e.g. queryset.none(): no row to count
        return [(tier_range, 0) for tier_range in ranges], 0
    columns, bounds = ["COUNT(*)"], []
    for tier_range in ranges:
        if tier_range.upper is None:
            columns.append("COUNT(*) FILTER (WHERE tier_followers >= %s)")
            bounds.append(tier_range.lower)
        else:
            columns.append("COUNT(*) FILTER (WHERE tier_followers >= %s AND tier_followers < %s)")
            bounds += [tier_range.lower, tier_range.upper]
    sql = f"SELECT {', '.join(columns)} FROM ({inner}) AS counted"  # noqa: S608 - no input
    with connections[queryset.db].cursor() as cursor:
        cursor.execute(sql, [*bounds, *params])
        total, *counts = cursor.fetchone()
    return list(zip(ranges, counts, strict=True)), total
