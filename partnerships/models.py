from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse

from campaigns.models import Objective
from crm.metrics import COUNT_FIELDS
from crm.models import TimeStampedModel
from influencers.models import Platform

MONEY = {"max_digits": 14, "decimal_places": 2}
NON_NEGATIVE_MONEY = [MinValueValidator(Decimal("0"))]
# A deliverable's measured results, summed per partnership in PartnershipResults.
RESULT_TOTAL_FIELDS = (*COUNT_FIELDS, "revenue")


class Partnership(TimeStampedModel):
    class CollaborationType(models.TextChoices):
        ONE_OFF = "one_off", "One-off"
        LONG_TERM = "long_term", "Long-term (ambassador / retainer)"

    class Status(models.TextChoices):
        PROSPECT = "prospect", "Prospect"
        CONTACTED = "contacted", "Contacted"
        NEGOTIATING = "negotiating", "Negotiating"
        CONTRACTED = "contracted", "Contracted"
        ACTIVE = "active", "Active"
        COMPLETED = "completed", "Completed"
        DECLINED = "declined", "Declined"
        CANCELLED = "cancelled", "Cancelled"

    CLOSED_STATUSES = (Status.COMPLETED, Status.DECLINED, Status.CANCELLED)
    OPEN_STATUSES = (
        Status.PROSPECT,
        Status.CONTACTED,
        Status.NEGOTIATING,
        Status.CONTRACTED,
        Status.ACTIVE,
    )
    SIGNED_STATUSES = (Status.CONTRACTED, Status.ACTIVE, Status.COMPLETED)

    influencer = models.ForeignKey(
        "influencers.Influencer", on_delete=models.PROTECT, related_name="partnerships"
    )
    campaign = models.ForeignKey(
        "campaigns.Campaign",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="partnerships",
        help_text="Required for one-off deals; optional for long-term programmes.",
    )
    collaboration_type = models.CharField(
        max_length=10, choices=CollaborationType.choices, db_index=True
    )
    status = models.CharField(
        max_length=12, choices=Status.choices, default=Status.PROSPECT, db_index=True
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="owned_partnerships",
    )
    terms = models.TextField(blank=True)

    # One-off: a flat fee and one publish window. Long-term: fee is an optional one-time fee.
    fee = models.DecimalField("fee", **MONEY, null=True, blank=True, validators=NON_NEGATIVE_MONEY)
    due_date = models.DateField(null=True, blank=True, db_index=True)
    expected_deliverables = models.PositiveIntegerField(null=True, blank=True)

    # Long-term (ambassador / retainer): a term, a monthly retainer, a cadence.
    start_date = models.DateField(null=True, blank=True, db_index=True)
    end_date = models.DateField(null=True, blank=True, db_index=True)
    monthly_retainer = models.DecimalField(
        **MONEY, null=True, blank=True, validators=NON_NEGATIVE_MONEY
    )
    deliverables_per_month = models.PositiveIntegerField(null=True, blank=True)
    auto_renew = models.BooleanField(default=False)
    exclusivity = models.BooleanField(default=False)
    renewal_reminder_days = models.PositiveSmallIntegerField(
        default=30, help_text="Days before the end of the term to flag the renewal."
    )
    renewed_from = models.OneToOneField(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="renewal",
        help_text="The previous term of this long-term relationship.",
    )

    # Stored so lists can sort and sum it; computed by partnerships.services.
    contract_value = models.DecimalField(
        **MONEY, default=Decimal("0"), editable=False, db_index=True
    )
    # Kept when the partnership is signed, so history survives a threshold change.
    tier_at_signing = models.ForeignKey(
        "influencers.Tier",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="signed_partnerships",
        editable=False,
    )
    signed_on = models.DateField(null=True, blank=True, editable=False)
    # Optimistic locking (crm.concurrency): bumped by every save that changes what the edit form
    # shows, so a save from a form loaded at an older version is refused.
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(collaboration_type__in=["one_off", "long_term"]),
                name="partnership_type_valid",
            ),
            models.CheckConstraint(
                condition=Q(
                    status__in=[
                        "prospect",
                        "contacted",
                        "negotiating",
                        "contracted",
                        "active",
                        "completed",
                        "declined",
                        "cancelled",
                    ]
                ),
                name="partnership_status_valid",
            ),
            models.CheckConstraint(
                condition=Q(collaboration_type="long_term")
                | Q(
                    campaign__isnull=False,
                    fee__isnull=False,
                    monthly_retainer__isnull=True,
                    deliverables_per_month__isnull=True,
                ),
                name="partnership_one_off_terms",
                violation_error_message="A one-off partnership needs a campaign and a fee.",
            ),
            models.CheckConstraint(
                condition=Q(collaboration_type="one_off")
                | Q(
                    monthly_retainer__isnull=False,
                    start_date__isnull=False,
                    end_date__isnull=False,
                    due_date__isnull=True,
                ),
                name="partnership_long_term_terms",
                violation_error_message=(
                    "A long-term partnership needs a monthly retainer and start and end dates."
                ),
            ),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True)
                | Q(start_date__isnull=True)
                | Q(end_date__gte=F("start_date")),
                name="partnership_end_after_start",
                violation_error_message="The end date cannot be before the start date.",
            ),
            models.CheckConstraint(
                condition=Q(fee__isnull=True) | Q(fee__gte=0), name="partnership_fee_non_negative"
            ),
            models.CheckConstraint(
                condition=Q(monthly_retainer__isnull=True) | Q(monthly_retainer__gte=0),
                name="partnership_retainer_non_negative",
            ),
            models.CheckConstraint(
                condition=Q(contract_value__gte=0), name="partnership_value_non_negative"
            ),
            models.UniqueConstraint(
                fields=["influencer", "campaign"],
                condition=Q(
                    status__in=[
                        "prospect",
                        "contacted",
                        "negotiating",
                        "contracted",
                        "active",
                    ]
                ),
                name="partnership_one_open_per_influencer_campaign",
                violation_error_message=(
                    "This influencer already has an open partnership in this campaign."
                ),
            ),
        ]
        indexes = [
            models.Index(fields=["collaboration_type", "end_date"], name="partnership_type_end"),
            models.Index(fields=["status", "collaboration_type"], name="partnership_status_type"),
            # The board: the newest cards of each status column.
            models.Index(fields=["status", "-created_at", "-id"], name="partnership_status_newest"),
            # A campaign's partnerships by stage (list filters, campaign pages).
            models.Index(fields=["campaign", "status"], name="partnership_campaign_status"),
            # The tier comparison reads only signed partnerships and these columns of them: an
            # index-only scan of ~50 bytes a row instead of the whole row (PostgreSQL; SQLite
            # ignores INCLUDE).
            models.Index(
                fields=["id"],
                include=[
                    "influencer",
                    "collaboration_type",
                    "contract_value",
                    "tier_at_signing",
                    "campaign",
                ],
                condition=Q(status__in=["contracted", "active", "completed"]),  # SIGNED_STATUSES
                name="partnership_signed_report",
            ),
        ]

    def __str__(self):
        return f"{self.influencer} - {self.campaign or self.get_collaboration_type_display()}"

    def get_absolute_url(self):
        return reverse("partnerships:partnership-detail", args=[self.pk])

    @property
    def is_long_term(self):
        return self.collaboration_type == self.CollaborationType.LONG_TERM

    @property
    def is_open(self):
        return self.status in self.OPEN_STATUSES


class DeliverableKind(models.TextChoices):
    POST = "post", "Post"
    STORY = "story", "Story"
    SHORT_VIDEO = "short_video", "Short video"
    LONG_VIDEO = "long_video", "Long video"
    LIVE = "live", "Live"
    BLOG = "blog", "Blog"
    OTHER = "other", "Other"


class DeliverableStatus(models.TextChoices):
    PLANNED = "planned", "Planned"
    IN_REVIEW = "in_review", "In review"
    APPROVED = "approved", "Approved"
    PUBLISHED = "published", "Published"
    MISSED = "missed", "Missed"


class Deliverable(TimeStampedModel):
    Kind = DeliverableKind
    Status = DeliverableStatus

    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="deliverables"
    )
    kind = models.CharField(max_length=12, choices=Kind.choices, default=Kind.POST)
    platform = models.CharField(max_length=20, choices=Platform.choices, db_index=True)
    due_date = models.DateField(null=True, blank=True, db_index=True)
    published_on = models.DateField("published date", null=True, blank=True, db_index=True)
    status = models.CharField(
        max_length=10, choices=Status.choices, default=Status.PLANNED, db_index=True
    )
    url = models.URLField("URL", max_length=500, blank=True)

    impressions = models.BigIntegerField(default=0, validators=[MinValueValidator(0)])
    reach = models.BigIntegerField(default=0, validators=[MinValueValidator(0)])
    likes = models.BigIntegerField(default=0, validators=[MinValueValidator(0)])
    comments = models.BigIntegerField(default=0, validators=[MinValueValidator(0)])
    shares = models.BigIntegerField(default=0, validators=[MinValueValidator(0)])
    saves = models.BigIntegerField(default=0, validators=[MinValueValidator(0)])
    clicks = models.BigIntegerField(default=0, validators=[MinValueValidator(0)])
    conversions = models.BigIntegerField(default=0, validators=[MinValueValidator(0)])
    revenue = models.DecimalField(**MONEY, default=Decimal("0"), validators=NON_NEGATIVE_MONEY)

    class Meta:
        ordering = ["due_date", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(**{f"{name}__gte": 0 for name in RESULT_TOTAL_FIELDS}),
                name="deliverable_results_non_negative",
            ),
            models.CheckConstraint(
                condition=Q(reach__lte=F("impressions")),
                name="deliverable_reach_within_impressions",
                violation_error_message="Reach cannot exceed impressions.",
            ),
            models.CheckConstraint(
                condition=~Q(status="published") | (Q(published_on__isnull=False) & ~Q(url="")),
                name="deliverable_published_has_date_and_url",
                violation_error_message="A published deliverable needs its publish date and URL.",
            ),
            models.CheckConstraint(
                condition=Q(kind__in=DeliverableKind.values),
                name="deliverable_kind_valid",
            ),
            models.CheckConstraint(
                condition=Q(status__in=DeliverableStatus.values),
                name="deliverable_status_valid",
            ),
            models.CheckConstraint(
                condition=Q(platform__in=Platform.values),
                name="deliverable_platform_valid",
            ),
        ]
        indexes = [
            # Overdue and due-soon lists: only deliverables that can still be published.
            models.Index(
                fields=["due_date", "id"],
                condition=Q(status__in=["planned", "in_review", "approved"]),
                name="deliverable_pending_due",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} on {self.get_platform_display()}"


class PartnershipStatusChange(models.Model):
    """One step of a partnership's pipeline history, written by partnerships.services."""

    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="status_changes"
    )
    from_status = models.CharField(max_length=12, choices=Partnership.Status.choices, blank=True)
    to_status = models.CharField(max_length=12, choices=Partnership.Status.choices)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="partnership_status_changes",
    )
    changed_at = models.DateTimeField(auto_now_add=True)
    note = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["-changed_at", "-id"]
        indexes = [
            models.Index(
                fields=["partnership", "-changed_at", "-id"], name="partnership_change_history"
            ),
        ]

    def __str__(self):
        return f"{self.partnership_id}: {self.from_status or '-'} -> {self.to_status}"


class ResultSums(models.Model):
    """A number of deliverables and the sums of their measured results (derived data)."""

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


class PartnershipResults(ResultSums):
    """The sums of a partnership's deliverables' results: derived data, rewritten from the
    deliverables by `partnerships.services.partnership_results_refresh` after every deliverable
    write, so reports aggregate ~partnerships instead of scanning every deliverable. A
    partnership without deliverables has no row (read it as zeros)."""

    partnership = models.OneToOneField(
        Partnership, primary_key=True, on_delete=models.CASCADE, related_name="result_totals"
    )

    class Meta:
        verbose_name = "partnership result totals"
        verbose_name_plural = "partnership result totals"
        constraints = [
            models.CheckConstraint(
                condition=Q(
                    deliverables__gte=0, **{f"{name}__gte": 0 for name in RESULT_TOTAL_FIELDS}
                ),
                name="partnership_results_non_negative",
            ),
        ]

    def __str__(self):
        return f"Results of partnership {self.partnership_id}"


def _copied_reference(model, *, optional=False):
    """A copied key: no database foreign key, no index, nothing done on delete."""
    return models.ForeignKey(
        model,
        null=optional,
        blank=optional,
        on_delete=models.DO_NOTHING,
        related_name="+",
        db_index=False,
        db_constraint=False,
    )


# The groups a period row may be the first of, in a period of the tier comparison (which counts
# each partnership, influencer... once): {column holding the row's previous day: the columns
# that make the group}. "tier" is the tier at signing.
PERIOD_GROUPS = {
    "previous_day": ("partnership_id",),
    "previous_day_influencer": ("influencer_id",),
    "previous_day_influencer_type": ("influencer_id", "collaboration_type"),
    "previous_day_influencer_tier": ("influencer_id", "tier_at_signing_id"),
    "previous_day_influencer_tier_type": (
        "influencer_id",
        "tier_at_signing_id",
        "collaboration_type",
    ),
}


class PeriodResults(ResultSums):
    """A partnership's deliverables of one platform and publish period, summed (derived data,
    rewritten with PartnershipResults by `partnership_results_refresh`), with copies of what the
    tier comparison reads of the partnership and its influencer, so a period filter reads only
    its period's rows and joins nothing.

    ``partnership_deliverables`` repeats the partnership's deliverable count (the share of its
    contract value a subset carries). The columns after it copy the partnership and its
    influencer's followers (`partnerships.selectors.period_results_copies`):
    `influencer_results_refresh` stamps them after every write that changes them (the same
    writes that change the report rows per influencer); `refresh_result_totals --check` finds a
    stale one. Copies, not references: no database foreign key (a save that bypasses the
    services must not make deleting a campaign fail), no delete collector query on these
    tables.

    ``cost``, ``first_day`` and ``last_day`` are written with the row. The ``previous_day*``
    columns let the tier comparison count partnerships and influencers in one grouping pass over
    a period's rows, without a DISTINCT: `partnerships.selectors.period_results_previous_days`
    tells how they are computed, and `_period_results_stamp` rewrites an influencer's after each
    write that rewrites the copies or the rows."""

    platform = models.CharField(max_length=20, choices=Platform.choices)
    partnership_deliverables = models.PositiveIntegerField(default=0)
    # Copies of the partnership (and of its influencer's followers).
    influencer = _copied_reference("influencers.Influencer")
    campaign = _copied_reference("campaigns.Campaign", optional=True)
    tier_at_signing = _copied_reference("influencers.Tier", optional=True)
    collaboration_type = models.CharField(
        max_length=10, choices=Partnership.CollaborationType.choices
    )
    signed = models.BooleanField(default=False)
    contract_value = models.DecimalField(**MONEY, default=Decimal("0"))
    followers = models.BigIntegerField(default=0)
    # The share of the contract value these deliverables carry: contract value x deliverables /
    # partnership_deliverables (stored, so a report sums it instead of dividing per row).
    cost = models.DecimalField(max_digits=30, decimal_places=10, default=Decimal("0"))
    # The first and last publish day of the row's deliverables (NULL: not published).
    first_day = models.DateField(null=True, blank=True)
    last_day = models.DateField(null=True, blank=True)
    # Per group of rows (PERIOD_GROUPS), the day that decides whether this row is its group's
    # first in a period: a row counts its partnership (or influencer...) once when this day is
    # NULL or before the period's start. Stamped by `_period_results_stamp`.
    previous_day = models.DateField(null=True, blank=True)
    previous_day_influencer = models.DateField(null=True, blank=True)
    previous_day_influencer_type = models.DateField(null=True, blank=True)
    previous_day_influencer_tier = models.DateField(null=True, blank=True)
    previous_day_influencer_tier_type = models.DateField(null=True, blank=True)

    class Meta:
        abstract = True

    @classmethod
    def valid(cls, name):
        """The check constraint of every period row, named ``name``."""
        return models.CheckConstraint(
            condition=Q(
                deliverables__gt=0,
                partnership_deliverables__gte=F("deliverables"),
                contract_value__gte=0,
                cost__gte=0,
                followers__gte=0,
                first_day__lte=F("last_day"),
                **{f"{field}__gte": 0 for field in RESULT_TOTAL_FIELDS},
                **{f"{column}__lte": F("first_day") for column in PERIOD_GROUPS},
            ),
            name=name,
        )


class PartnershipMonthResults(PeriodResults):
    """A partnership's deliverables summed per platform and publish month (month is the first
    day; NULL for deliverables not published yet). The tier comparison's platform filter and
    the whole months of a period filter read these ~300,000 rows instead of a million
    deliverables."""

    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="month_results", db_index=False
    )
    month = models.DateField(null=True, blank=True)

    class Meta:
        verbose_name = "partnership results by platform and month"
        verbose_name_plural = "partnership results by platform and month"
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "platform", "month"],
                condition=Q(month__isnull=False),
                name="partnership_month_results_unique",
            ),
            models.UniqueConstraint(
                fields=["partnership", "platform"],
                condition=Q(month__isnull=True),
                name="partnership_month_results_unpublished_unique",
            ),
            PeriodResults.valid("partnership_month_results_valid"),
        ]
        indexes = [
            models.Index(fields=["month", "partnership"], name="partnership_month_results_m"),
            models.Index(fields=["platform", "partnership"], name="partnership_month_results_p"),
            # A partnership's rows (the unique indexes are partial): each refresh reads them.
            models.Index(fields=["partnership"], name="partnership_month_results_pid"),
        ]

    def __str__(self):
        return f"Results of partnership {self.partnership_id}, {self.platform}, {self.month}"


class PartnershipQuarterResults(PeriodResults):
    """A partnership's published deliverables summed per platform and publish quarter (its first
    day). A period filter reads its whole calendar quarters here and only the months around
    them from PartnershipMonthResults: twelve months read ~140,000 rows instead of ~205,000 at
    1,000,000 deliverables."""

    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="quarter_results", db_index=False
    )
    quarter = models.DateField()

    class Meta:
        verbose_name = "partnership results by platform and quarter"
        verbose_name_plural = "partnership results by platform and quarter"
        constraints = [
            # Its index also finds a partnership's rows, which each refresh rewrites.
            models.UniqueConstraint(
                fields=["partnership", "platform", "quarter"],
                name="partnership_quarter_results_unique",
            ),
            PeriodResults.valid("partnership_quarter_results_valid"),
        ]
        indexes = [
            models.Index(fields=["quarter", "partnership"], name="partnership_quarter_results_q"),
        ]

    def __str__(self):
        return f"Results of partnership {self.partnership_id}, {self.platform}, {self.quarter}"


class PartnershipDayResults(PeriodResults):
    """A partnership's published deliverables summed per platform and publish day. A period
    filter that starts or ends inside a month reads the days of its partly covered months here
    (about as many rows as deliverables, but no join and no row of another day), and the whole
    months in between from PartnershipMonthResults."""

    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="day_results", db_index=False
    )
    day = models.DateField()

    class Meta:
        verbose_name = "partnership results by platform and day"
        verbose_name_plural = "partnership results by platform and day"
        constraints = [
            # Its index also finds a partnership's rows, which each refresh rewrites.
            models.UniqueConstraint(
                fields=["partnership", "platform", "day"], name="partnership_day_results_unique"
            ),
            PeriodResults.valid("partnership_day_results_valid"),
        ]
        indexes = [
            models.Index(fields=["day", "partnership"], name="partnership_day_results_d"),
        ]

    def __str__(self):
        return f"Results of partnership {self.partnership_id}, {self.platform}, {self.day}"


class InfluencerResults(ResultSums):
    """An influencer's signed partnerships summed per tier at signing, collaboration type and
    platform or campaign objective: derived data, rewritten per influencer by
    `partnerships.services.influencer_results_refresh` whenever one of their partnerships, its
    deliverables, its campaign's objective or their followers change. The tier comparison
    without a campaign or period filter reads these rows (~290,000 at 120,000 signed
    partnerships) instead of joining partnerships, totals and influencers and grouping them by
    influencer on every load.

    ``platform`` is empty on the rows of all platforms, ``objective`` on those of all campaign
    objectives (a row is for one platform or one objective, not both: the page sends that mix to
    the general query). An objective's rows count the partnerships of campaigns with it; a
    platform's rows count the partnerships with deliverables there and the share of their
    contract value those deliverables carry (contract value x deliverables there / all
    deliverables). ``followers`` repeats the influencer's, so today's tier is computed on each
    load from today's thresholds.

    The ``counts_*`` columns are 1 on exactly one row of each influencer (per platform and
    objective value), of each influencer and type, and of each influencer and tier at signing,
    so the distinct influencers per tier are a SUM, not a GROUP BY influencer."""

    # Indexed: each refresh deletes an influencer's rows (the unique indexes are partial).
    influencer = models.ForeignKey(
        "influencers.Influencer", on_delete=models.CASCADE, related_name="+"
    )
    tier_at_signing = models.ForeignKey(
        "influencers.Tier",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
    )
    collaboration_type = models.CharField(
        max_length=10, choices=Partnership.CollaborationType.choices
    )
    platform = models.CharField(max_length=20, choices=Platform.choices, blank=True)
    objective = models.CharField(max_length=20, choices=Objective.choices, blank=True)
    followers = models.BigIntegerField(default=0)
    partnerships = models.PositiveIntegerField(default=0)
    cost = models.DecimalField(max_digits=30, decimal_places=10, default=Decimal("0"))
    counts_influencer = models.PositiveSmallIntegerField(default=0)
    counts_influencer_in_type = models.PositiveSmallIntegerField(default=0)
    counts_influencer_in_tier = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = "influencer results by tier at signing, type and platform or objective"
        verbose_name_plural = (
            "influencer results by tier at signing, type and platform or objective"
        )
        constraints = [
            models.UniqueConstraint(
                fields=[
                    "influencer",
                    "tier_at_signing",
                    "collaboration_type",
                    "platform",
                    "objective",
                ],
                condition=Q(tier_at_signing__isnull=False),
                name="influencer_results_unique",
            ),
            models.UniqueConstraint(
                fields=["influencer", "collaboration_type", "platform", "objective"],
                condition=Q(tier_at_signing__isnull=True),
                name="influencer_results_no_tier_unique",
            ),
            # A row is for all platforms and objectives, one platform, or one objective.
            models.CheckConstraint(
                condition=Q(platform="") | Q(objective=""),
                name="influencer_results_platform_or_objective",
            ),
            models.CheckConstraint(
                condition=Q(
                    partnerships__gt=0,
                    cost__gte=0,
                    followers__gte=0,
                    deliverables__gte=0,
                    counts_influencer__in=(0, 1),
                    counts_influencer_in_type__in=(0, 1),
                    counts_influencer_in_tier__in=(0, 1),
                    **{f"{name}__gte": 0 for name in RESULT_TOTAL_FIELDS},
                ),
                name="influencer_results_valid",
            ),
        ]
        indexes = [
            models.Index(fields=["platform", "collaboration_type"], name="influencer_results_pt"),
            models.Index(fields=["objective", "platform"], name="influencer_results_op"),
        ]

    def __str__(self):
        return f"Results of influencer {self.influencer_id}, {self.platform or 'all platforms'}"
