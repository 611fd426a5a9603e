"""The one definition of every campaign metric (see shared/PRODUCT.md, "Metrics").

Totals are summed by the database (`deliverable_sums`); the ratios below are then computed from
those few totals. A ratio whose denominator is zero (or unknown) is ``None`` and is shown as "-".

The rules every page follows:
- Money is counted for signed partnerships only (contracted, active, completed: see
  ``Partnership.SIGNED_STATUSES``): results of a partnership not signed have no cost and every
  ratio of them is "-". Unsigned deals' value is pipeline, shown apart and labelled so.
- The engagement rate always names its basis (`LABELS`): by followers, the influencer's
  followers count once per deliverable (each post's audience, `follower_basis`); by reach, the
  reach measured on each deliverable.
"""

from dataclasses import dataclass, fields
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import DecimalField, Sum, Value
from django.db.models.functions import Coalesce

COUNT_FIELDS = (
    "impressions",
    "reach",
    "likes",
    "comments",
    "shares",
    "saves",
    "clicks",
    "conversions",
)

# Shown next to the numbers, so nobody has to trust a black box.
DEFINITIONS = {
    "engagements": "likes + comments + shares + saves",
    "engagement_rate": "engagements / followers x 100 (followers counted once per deliverable)",
    "engagement_rate_by_reach": "engagements / reach x 100",
    "cpm": "cost / impressions x 1000",
    "cpe": "cost / engagements",
    "cpc": "cost / clicks",
    "cpa": "cost / conversions",
    "roas": "revenue / cost",
    "roi": "(revenue - cost) / cost x 100",
    "cost_per_deliverable": "cost / deliverables",
    "average_followers": "followers of the influencers / influencers",
    "long_term_share": "long-term partnerships / partnerships x 100",
}

# What each ratio is called on every page: the engagement rate always with its basis.
LABELS = {
    "engagement_rate": "Engagement rate (by followers)",
    "engagement_rate_by_reach": "Engagement rate (by reach)",
    "cpm": "CPM",
    "cpe": "CPE",
    "cpc": "CPC",
    "cpa": "CPA",
    "roas": "ROAS",
    "roi": "ROI",
}

TWO_PLACES = Decimal("0.01")


def ratio(numerator, denominator, scale=1):
    """numerator / denominator x scale, rounded to cents; None when the denominator is 0 or None."""
    if numerator is None or not denominator:
        return None
    value = Decimal(numerator) * Decimal(scale) / Decimal(denominator)
    return value.quantize(TWO_PLACES, rounding=ROUND_HALF_UP)


def difference(first, second):
    """first - second, or None when either is unknown ("-")."""
    if first is None or second is None:
        return None
    return Decimal(first) - Decimal(second)


def times(first, second):
    """first / second: how many times the second the first is. None ("-") unless the first is
    zero or more and the second above zero: a ratio of a loss to a gain reads as nothing."""
    if first is None or second is None or first < 0 or second <= 0:
        return None
    return ratio(first, second)


def follower_basis(followers, deliverables):
    """The denominator of the engagement rate by followers: an influencer's followers once per
    deliverable (the reports sum ``followers x deliverables`` per partnership in SQL)."""
    return (followers or 0) * (deliverables or 0)


def engagements(*, likes=0, comments=0, shares=0, saves=0):
    return (likes or 0) + (comments or 0) + (shares or 0) + (saves or 0)


def deliverable_sums(prefix="", coalesce=True):
    """Aggregate expressions summing each deliverable count and the revenue.

    ``prefix`` is the lookup path from the aggregated model to Deliverable, e.g. "deliverables__".
    ``coalesce=False`` leaves a sum over no rows NULL (``Results.from_row`` reads it as zero):
    half the expressions for the ORM to build on a page that reads one row.
    """
    if not coalesce:
        return {name: Sum(f"{prefix}{name}") for name in (*COUNT_FIELDS, "revenue")}
    sums = {name: Coalesce(Sum(f"{prefix}{name}"), Value(0)) for name in COUNT_FIELDS}
    sums["revenue"] = Coalesce(
        Sum(f"{prefix}revenue"),
        Value(Decimal("0")),
        output_field=DecimalField(max_digits=16, decimal_places=2),
    )
    return sums


@dataclass
class Results:
    """Summed results of a set of deliverables and what they cost.

    ``followers`` is `follower_basis` summed over the deliverables. ``signed`` False: the
    deliverables of a partnership not signed, which cost nothing and whose every ratio is "-".
    """

    cost: Decimal = Decimal("0")
    impressions: int = 0
    reach: int = 0
    likes: int = 0
    comments: int = 0
    shares: int = 0
    saves: int = 0
    clicks: int = 0
    conversions: int = 0
    revenue: Decimal = Decimal("0")
    followers: int = 0
    deliverables: int = 0
    signed: bool = True

    @classmethod
    def from_row(cls, row, **extra):
        """Build from an aggregate/values row; keys it lacks stay at zero."""
        known = {f.name for f in fields(cls)}
        data = {key: value for key, value in {**row, **extra}.items() if key in known}
        return cls(**{key: (0 if value is None else value) for key, value in data.items()})

    def _ratio(self, numerator, denominator, scale=1):
        return ratio(numerator, denominator, scale) if self.signed else None

    @property
    def engagements(self):
        return engagements(
            likes=self.likes, comments=self.comments, shares=self.shares, saves=self.saves
        )

    @property
    def engagement_rate(self):
        return self._ratio(self.engagements, self.followers, 100)

    @property
    def engagement_rate_by_reach(self):
        return self._ratio(self.engagements, self.reach, 100)

    @property
    def cpm(self):
        return self._ratio(self.cost, self.impressions, 1000)

    @property
    def cpe(self):
        return self._ratio(self.cost, self.engagements)

    @property
    def cpc(self):
        return self._ratio(self.cost, self.clicks)

    @property
    def cpa(self):
        return self._ratio(self.cost, self.conversions)

    @property
    def roas(self):
        return self._ratio(self.revenue, self.cost)

    @property
    def roi(self):
        if not self.cost:
            return None
        return self._ratio(Decimal(self.revenue) - Decimal(self.cost), self.cost, 100)

    @property
    def cost_per_deliverable(self):
        return self._ratio(self.cost, self.deliverables)


def share(part, whole):
    """part / whole x 100 (a percentage share, e.g. the long-term share); None when whole is 0."""
    return ratio(part, whole, 100)


def money_total(value):
    """A money sum as the database returns it (Decimal; float or int on SQLite), in cents."""
    if value is None:
        return Decimal("0.00")
    if isinstance(value, float):
        value = repr(value)
    return Decimal(value).quantize(TWO_PLACES, rounding=ROUND_HALF_UP)
