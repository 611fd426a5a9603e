from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse

from crm.metrics import COUNT_FIELDS
from crm.models import TimeStampedModel
from influencers.models import Platform

MONEY = {"max_digits": 14, "decimal_places": 2}
NON_NEGATIVE_MONEY = [MinValueValidator(Decimal("0"))]
# A deliverable's measured results (what the reports sum).
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
    # Money counts for these only (cost, spend, ROI: crm.metrics, reports.statements); the
    # pipeline's value is shown apart, never as cost.
    SIGNED_STATUSES = (Status.CONTRACTED, Status.ACTIVE, Status.COMPLETED)
    PIPELINE_STATUSES = (Status.PROSPECT, Status.CONTACTED, Status.NEGOTIATING)

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

    @property
    def is_signed(self):
        return self.status in self.SIGNED_STATUSES


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
    # Optimistic locking (crm.concurrency): bumped by every save that changes what the edit form
    # shows, so a save from a form loaded at an older version is refused. The database default
    # lets rows written in SQL (imports, fixtures) start at 1 too.
    version = models.PositiveIntegerField(default=1, db_default=1, editable=False)

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
