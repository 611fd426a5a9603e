"""Derived data: sums of deliverables' results that the reports read instead of a million rows.

Every table is kept by the database itself, on PostgreSQL and on SQLite. The triggers of
migration 0002 on partnerships_deliverable add each inserted deliverable to its partnership's
sums, take each deleted one out, and do both for an update (a row whose count drops to zero is
deleted). The triggers of migration 0004 rewrite an influencer's per-influencer rows whenever
one of their partnerships or its sums change. So every write path (forms, admin, imports,
``bulk_create``, ``QuerySet.update()``/``.delete()``, cascades, raw SQL, data migrations) keeps
them right, and no code calls a refresh. ``manage.py reports_check`` compares them with their
definitions; ``--rebuild`` rewrites them.

Only sums live here, with the partnership's own type and tier at signing on the per-influencer
rows: what a report reads of an influencer (followers, country, niches), a campaign or the tier
thresholds is read from its own table on every load, so no other write has to touch these rows.
"""

from decimal import Decimal

from django.db import models

from influencers.models import Platform


class ResultSums(models.Model):
    """A number of deliverables and the sums of their measured results."""

    deliverables = models.PositiveIntegerField(default=0)
    impressions = models.BigIntegerField(default=0)
    reach = models.BigIntegerField(default=0)
    likes = models.BigIntegerField(default=0)
    comments = models.BigIntegerField(default=0)
    shares = models.BigIntegerField(default=0)
    saves = models.BigIntegerField(default=0)
    clicks = models.BigIntegerField(default=0)
    conversions = models.BigIntegerField(default=0)
    revenue = models.DecimalField(max_digits=18, decimal_places=2, default=Decimal("0"))

    class Meta:
        abstract = True


def _partnership(field=models.ForeignKey, **kwargs):
    # No database constraint and nothing done on delete: the triggers own these rows, and a
    # partnership's deliverables (so its rows) are gone before the partnership can be deleted.
    return field(
        "partnerships.Partnership",
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
        **kwargs,
    )


class PartnershipResults(ResultSums):
    """All of a partnership's deliverables, summed (no row: no deliverable)."""

    partnership = _partnership(models.OneToOneField, primary_key=True)

    class Meta:
        verbose_name = "partnership result totals"
        verbose_name_plural = "partnership result totals"

    def __str__(self):
        return f"Results of partnership {self.partnership_id}"


class PartnershipMonthResults(ResultSums):
    """A partnership's deliverables summed per platform and publish month (its first day; NULL
    for those not published). The platform and period filters read these (~3x fewer rows than
    deliverables). Unique on (partnership, platform, month) with NULLs equal: an index made by
    migration 0002 beside the triggers that rely on it."""

    partnership = _partnership(db_index=False)
    platform = models.CharField(max_length=20, choices=Platform.choices)
    month = models.DateField(null=True, blank=True)

    class Meta:
        verbose_name = "partnership results by platform and month"
        verbose_name_plural = "partnership results by platform and month"
        indexes = [
            models.Index(fields=["month", "partnership"], name="report_month_month"),
            models.Index(fields=["platform", "partnership"], name="report_month_platform"),
        ]

    def __str__(self):
        return f"Results of partnership {self.partnership_id}, {self.platform}, {self.month}"


class InfluencerResults(ResultSums):
    """An influencer's signed partnerships summed per tier at signing and collaboration type:
    what the tier comparison reads when no filter needs a campaign, objective, platform or
    date (~93,000 rows at 120,000 signed partnerships, instead of joining every partnership to
    its sums). The triggers of migration 0003 rewrite an influencer's rows from the definition
    whenever one of their partnerships or its sums change.

    The ``first_*`` flags are 1 on exactly one row of each influencer, of each influencer and
    type, and of each influencer and tier at signing, so distinct influencers are a SUM."""

    influencer = models.ForeignKey(
        "influencers.Influencer", on_delete=models.DO_NOTHING, db_constraint=False, related_name="+"
    )
    tier_at_signing = models.ForeignKey(
        "influencers.Tier",
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        db_index=False,
        related_name="+",
    )
    collaboration_type = models.CharField(max_length=10)
    partnerships = models.PositiveIntegerField(default=0)
    contract_value = models.DecimalField(max_digits=18, decimal_places=2, default=Decimal("0"))
    first_of_influencer = models.PositiveSmallIntegerField(default=0)
    first_of_influencer_type = models.PositiveSmallIntegerField(default=0)
    first_of_influencer_tier = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = "influencer results by tier at signing and type"
        verbose_name_plural = "influencer results by tier at signing and type"

    def __str__(self):
        return f"Results of influencer {self.influencer_id}, {self.collaboration_type}"
