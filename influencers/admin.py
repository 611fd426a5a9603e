from django.contrib import admin
from django.db.models import Count, F, IntegerField, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce

from crm.concurrency import VersionCheckAdminMixin, version_bump
from crm.history import HistoryAdminMixin
from influencers.models import Influencer, Interaction, Niche, SocialAccount, Tier
from influencers.services import influencers_recompute_audience


@admin.register(Tier)
class TierAdmin(VersionCheckAdminMixin, HistoryAdminMixin, admin.ModelAdmin):
    list_display = ("name", "min_followers", "followers_range", "influencer_count", "color")
    ordering = ("min_followers",)
    search_fields = ("name",)

    def get_queryset(self, request):
        # Range end and head count as subqueries: a constant number of queries for any tier count.
        next_min = Subquery(
            Tier.objects.filter(min_followers__gt=OuterRef("min_followers"))
            .order_by("min_followers")
            .values("min_followers")[:1]
        )
        in_range = Influencer.objects.filter(
            followers__gte=OuterRef("min_followers"),
            followers__lt=Coalesce(OuterRef("next_min"), Value(2**62)),
        )
        count = Subquery(
            in_range.order_by().values(dummy=Value(1)).annotate(n=Count("pk")).values("n"),
            output_field=IntegerField(),
        )
        return (
            super()
            .get_queryset(request)
            .annotate(next_min=next_min)
            .annotate(influencer_total=Coalesce(count, Value(0)))
        )

    @admin.display(description="Followers range")
    def followers_range(self, tier):
        if tier.next_min is None:
            return f"{tier.min_followers:,}+"
        return f"{tier.min_followers:,} - {tier.next_min - 1:,}"

    @admin.display(description="Influencers", ordering="influencer_total")
    def influencer_count(self, tier):
        return tier.influencer_total


@admin.register(Niche)
class NicheAdmin(VersionCheckAdminMixin, admin.ModelAdmin):
    list_display = ("name", "slug")
    search_fields = ("name", "slug")
    prepopulated_fields = {"slug": ("name",)}


class SocialAccountInline(admin.TabularInline):
    model = SocialAccount
    extra = 0
    fields = ("platform", "handle", "url", "followers", "engagement_rate", "is_primary")


@admin.register(Influencer)
class InfluencerAdmin(VersionCheckAdminMixin, HistoryAdminMixin, admin.ModelAdmin):
    list_display = ("name", "followers", "engagement_rate", "status", "country", "owner")
    list_filter = ("status", "niches", "accounts__platform", "country")
    list_select_related = ("owner",)
    search_fields = ("name", "email", "accounts__handle")
    readonly_fields = ("followers", "engagement_rate", "created_at", "updated_at")
    autocomplete_fields = ("owner",)
    filter_horizontal = ("niches",)
    inlines = [SocialAccountInline]
    show_full_result_count = False

    # The accounts inline needs no version of its own: every save here claims the influencer's,
    # and account edits through the other forms bump it (its edit form shows the accounts).

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        # Accounts changed through the inline: bring the audience totals back in step.
        influencers_recompute_audience(queryset=Influencer.objects.filter(pk=form.instance.pk))


@admin.register(SocialAccount)
class SocialAccountAdmin(VersionCheckAdminMixin, HistoryAdminMixin, admin.ModelAdmin):
    list_display = (
        "handle",
        "platform",
        "influencer",
        "followers",
        "engagement_rate",
        "is_primary",
    )
    list_filter = ("platform", "is_primary")
    list_select_related = ("influencer",)
    search_fields = ("handle", "influencer__name")
    autocomplete_fields = ("influencer",)
    # An account has no version of its own: the influencer's edit form shows it, so the
    # influencer's version guards it (claimed by every save here, checked against this form).
    version_guarded_by = "influencer"

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)  # claims the loaded influencer's version
        influencers_recompute_audience(queryset=Influencer.objects.filter(pk=obj.influencer_id))
        guard = getattr(form, "version_record", None)
        if guard is None or guard.pk != obj.influencer_id:
            # A new account, or one moved to another influencer: that one's form is out of date.
            version_bump(obj.influencer)

    def delete_model(self, request, obj):
        influencer_id = obj.influencer_id
        super().delete_model(request, obj)
        influencers_recompute_audience(queryset=Influencer.objects.filter(pk=influencer_id))
        version_bump(Influencer(pk=influencer_id))

    def delete_queryset(self, request, queryset):
        influencer_ids = list(queryset.values_list("influencer_id", flat=True))
        super().delete_queryset(request, queryset)
        influencers = Influencer.objects.filter(pk__in=influencer_ids)
        influencers_recompute_audience(queryset=influencers)
        influencers.update(version=F("version") + 1)


@admin.register(Interaction)
class InteractionAdmin(admin.ModelAdmin):
    list_display = ("occurred_on", "kind", "influencer", "author")
    list_filter = ("kind",)
    list_select_related = ("influencer", "author")
    search_fields = ("summary", "influencer__name")
    autocomplete_fields = ("influencer", "author", "partnership")
    date_hierarchy = "occurred_on"
