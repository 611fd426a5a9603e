from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower, Upper
from django.urls import reverse

from crm.cache import InvalidatingQuerySet
from crm.models import TimeStampedModel

PERCENT_VALIDATORS = [MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))]


class Tier(models.Model):
    """A follower band: covers [min_followers, the next tier's min_followers)."""

    name = models.CharField(max_length=50)
    min_followers = models.BigIntegerField(
        unique=True,
        validators=[MinValueValidator(0)],
        error_messages={"unique": "Another tier already starts at this follower count."},
        help_text="Smallest follower count in this tier; the tier ends where the next one starts.",
    )
    color = models.CharField(
        "badge colour",
        max_length=7,
        default="#6c757d",
        validators=[RegexValidator(r"^#[0-9a-fA-F]{6}$", "Use a colour like #1a2b3c.")],
    )
    # Optimistic locking (crm.concurrency): bumped by every save that changes what the edit form
    # shows, so a save from a form loaded at an older version is refused. The database default
    # lets rows written in SQL (imports, fixtures) start at 1 too.
    version = models.PositiveIntegerField(default=1, db_default=1, editable=False)

    # Tier ranges are cached (influencers/tiers.py): bulk writes drop them too.
    objects = InvalidatingQuerySet.as_manager()

    class Meta:
        ordering = ["min_followers"]
        constraints = [
            models.CheckConstraint(
                condition=Q(min_followers__gte=0), name="tier_min_followers_non_negative"
            ),
            models.UniqueConstraint(
                Lower("name"),
                name="tier_name_unique_ci",
                violation_error_message="A tier with this name already exists.",
            ),
            models.CheckConstraint(
                condition=Q(color__regex=r"^#[0-9a-fA-F]{6}$"), name="tier_color_hex"
            ),
        ]

    def __str__(self):
        return self.name


class Niche(models.Model):
    name = models.CharField(max_length=60)
    slug = models.SlugField(max_length=60, unique=True)
    # Optimistic locking (crm.concurrency): bumped by every save that changes what the edit form
    # shows, so a save from a form loaded at an older version is refused. The database default
    # lets rows written in SQL (imports, fixtures) start at 1 too.
    version = models.PositiveIntegerField(default=1, db_default=1, editable=False)

    # The niche list is cached (influencers/selectors.py): bulk writes drop it too.
    objects = InvalidatingQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                Lower("name"),
                name="niche_name_unique_ci",
                violation_error_message="A niche with this name already exists.",
            ),
        ]

    def __str__(self):
        return self.name


class InfluencerQuerySet(models.QuerySet):
    def in_tier(self, tier):
        """Influencers whose followers fall in the tier's range (an index-backed range filter)."""
        from influencers.tiers import tier_range_q

        return self.filter(tier_range_q(tier))

    def with_tier(self):
        """Annotate tier_id, tier_name and tier_color, computed in SQL from today's thresholds."""
        from influencers.tiers import annotate_tier

        return annotate_tier(self)


class Influencer(TimeStampedModel):
    class Status(models.TextChoices):
        ACTIVE = "active", "Active"
        PAUSED = "paused", "Paused"
        DO_NOT_CONTACT = "do_not_contact", "Do not contact"

    name = models.CharField(max_length=200)
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=40, blank=True)
    country = models.CharField(max_length=100, blank=True)
    city = models.CharField(max_length=100, blank=True)
    niches = models.ManyToManyField(Niche, blank=True, related_name="influencers")
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="owned_influencers",
        help_text="The marketer who manages the relationship.",
    )
    status = models.CharField(
        max_length=20, choices=Status.choices, default=Status.ACTIVE, db_index=True
    )
    notes = models.TextField(blank=True)
    # Kept in step with the accounts by influencers.services; never edited directly.
    followers = models.BigIntegerField(default=0, editable=False)
    engagement_rate = models.DecimalField(
        max_digits=5,
        decimal_places=2,
        default=Decimal("0"),
        editable=False,
        help_text="Follower-weighted average over the accounts, in %.",
    )
    # Optimistic locking (crm.concurrency): bumped by every save that changes what the edit form
    # shows, so a save from a form loaded at an older version is refused.
    version = models.PositiveIntegerField(default=1, editable=False)

    objects = InfluencerQuerySet.as_manager()

    class Meta:
        ordering = ["name", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(followers__gte=0), name="influencer_followers_non_negative"
            ),
            models.CheckConstraint(
                condition=Q(engagement_rate__gte=0, engagement_rate__lte=100),
                name="influencer_engagement_rate_0_100",
            ),
            models.CheckConstraint(
                condition=Q(status__in=["active", "paused", "do_not_contact"]),
                name="influencer_status_valid",
            ),
        ]
        # One index per filter and sort the pages offer (no single-column copies beside them:
        # every changed influencer writes each index, and its history row copies db_index).
        indexes = [
            models.Index(fields=["-followers", "id"], name="influencer_followers_desc"),
            models.Index(fields=["-created_at", "id"], name="influencer_newest"),
            # The roster's other sorts, each with the id tie-break it pages by.
            models.Index(fields=["name", "id"], name="influencer_name_id"),
            models.Index(fields=["-engagement_rate", "id"], name="influencer_engagement_desc"),
            # The roster's country filter ignores case (iexact is UPPER(country) = UPPER(%s)).
            models.Index(Upper("country"), name="influencer_country_ci"),
            # The admin's country filter lists the distinct countries (an index-only scan).
            models.Index(fields=["country"], name="influencer_country"),
            # Followers by id without the row (PostgreSQL index-only scans): the per-tier counts
            # and the tier comparison look up a tier for thousands of influencers at once.
            models.Index(fields=["id"], include=["followers"], name="influencer_id_followers"),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("influencers:influencer-detail", args=[self.pk])


class Platform(models.TextChoices):
    INSTAGRAM = "instagram", "Instagram"
    TIKTOK = "tiktok", "TikTok"
    YOUTUBE = "youtube", "YouTube"
    X = "x", "X"
    TWITCH = "twitch", "Twitch"
    FACEBOOK = "facebook", "Facebook"
    PINTEREST = "pinterest", "Pinterest"
    LINKEDIN = "linkedin", "LinkedIn"
    SNAPCHAT = "snapchat", "Snapchat"
    OTHER = "other", "Blog / other"


class SocialAccount(TimeStampedModel):
    Platform = Platform

    influencer = models.ForeignKey(Influencer, on_delete=models.CASCADE, related_name="accounts")
    platform = models.CharField(max_length=20, choices=Platform.choices)
    handle = models.CharField(max_length=100)
    url = models.URLField("URL", max_length=300, blank=True)
    followers = models.BigIntegerField(default=0, validators=[MinValueValidator(0)])
    engagement_rate = models.DecimalField(
        "engagement rate %",
        max_digits=5,
        decimal_places=2,
        default=Decimal("0"),
        validators=PERCENT_VALIDATORS,
    )
    is_primary = models.BooleanField("primary", default=False)

    class Meta:
        ordering = ["-is_primary", "-followers", "id"]
        constraints = [
            models.UniqueConstraint(
                "platform",
                Lower("handle"),
                name="account_handle_unique_per_platform_ci",
                violation_error_message="This handle is already used on this platform.",
            ),
            models.UniqueConstraint(
                fields=["influencer"],
                condition=Q(is_primary=True),
                name="account_one_primary_per_influencer",
                violation_error_message="An influencer has only one primary account.",
            ),
            models.CheckConstraint(
                condition=Q(followers__gte=0), name="account_followers_non_negative"
            ),
            models.CheckConstraint(
                condition=Q(engagement_rate__gte=0, engagement_rate__lte=100),
                name="account_engagement_rate_0_100",
            ),
            models.CheckConstraint(
                condition=Q(platform__in=Platform.values),
                name="account_platform_valid",
            ),
            models.CheckConstraint(condition=~Q(handle=""), name="account_handle_not_empty"),
        ]
        indexes = [models.Index(fields=["platform", "influencer"], name="account_platform_inf")]

    def __str__(self):
        return f"{self.get_platform_display()} @{self.handle}"


class Interaction(TimeStampedModel):
    class Kind(models.TextChoices):
        EMAIL = "email", "Email"
        CALL = "call", "Call"
        MEETING = "meeting", "Meeting"
        DM = "dm", "Direct message"
        NOTE = "note", "Note"

    influencer = models.ForeignKey(
        Influencer, on_delete=models.CASCADE, related_name="interactions"
    )
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.NOTE)
    occurred_on = models.DateField(db_index=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="interactions",
    )
    partnership = models.ForeignKey(
        "partnerships.Partnership",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="interactions",
    )
    summary = models.TextField()

    class Meta:
        ordering = ["-occurred_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=["email", "call", "meeting", "dm", "note"]),
                name="interaction_kind_valid",
            ),
            models.CheckConstraint(condition=~Q(summary=""), name="interaction_summary_not_empty"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} on {self.occurred_on}"
