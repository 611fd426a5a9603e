from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse

from crm.models import TimeStampedModel


class Objective(models.TextChoices):
    AWARENESS = "awareness", "Awareness"
    ENGAGEMENT = "engagement", "Engagement"
    CONVERSIONS = "conversions", "Conversions"
    PRODUCT_LAUNCH = "product_launch", "Product launch"
    COMMUNITY = "community", "Community building"
    PRODUCT_REVIEWS = "product_reviews", "Product reviews"


class Status(models.TextChoices):
    PLANNING = "planning", "Planning"
    ACTIVE = "active", "Active"
    COMPLETED = "completed", "Completed"
    CANCELLED = "cancelled", "Cancelled"


class Campaign(TimeStampedModel):
    Objective = Objective
    Status = Status

    name = models.CharField(max_length=200, db_index=True)
    product = models.CharField("product / brand line", max_length=200, blank=True)
    objective = models.CharField(max_length=20, choices=Objective.choices, db_index=True)
    status = models.CharField(
        max_length=20, choices=Status.choices, default=Status.PLANNING, db_index=True
    )
    start_date = models.DateField(db_index=True)
    end_date = models.DateField(null=True, blank=True, db_index=True)
    budget = models.DecimalField(
        max_digits=14,
        decimal_places=2,
        default=Decimal("0"),
        validators=[MinValueValidator(Decimal("0"))],
    )
    target_niches = models.ManyToManyField(
        "influencers.Niche", blank=True, related_name="campaigns"
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="owned_campaigns",
    )
    description = models.TextField(blank=True)
    # Optimistic locking (crm.concurrency): bumped by every save that changes what the edit form
    # shows, so a save from a form loaded at an older version is refused. The database default
    # lets rows written in SQL (imports, fixtures) start at 1 too.
    version = models.PositiveIntegerField(default=1, db_default=1, editable=False)

    class Meta:
        ordering = ["-start_date", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(budget__gte=0), name="campaign_budget_non_negative"),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=F("start_date")),
                name="campaign_end_after_start",
                violation_error_message="The end date cannot be before the start date.",
            ),
            models.CheckConstraint(
                condition=Q(objective__in=Objective.values),
                name="campaign_objective_valid",
            ),
            models.CheckConstraint(
                condition=Q(status__in=Status.values),
                name="campaign_status_valid",
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("campaigns:campaign-detail", args=[self.pk])
