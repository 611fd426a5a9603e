from django.contrib import admin

from crm.concurrency import version_bump
from crm.history import HistoryAdminMixin
from partnerships.models import Deliverable, Partnership, PartnershipStatusChange
from partnerships.services import (
    influencer_results_refresh,
    partnership_apply_terms,
    partnership_results_refresh,
)


class DeliverableInline(admin.StackedInline):
    model = Deliverable
    extra = 0
    fields = (
        ("kind", "platform", "status"),
        ("due_date", "published_on", "url"),
        ("impressions", "reach", "likes", "comments", "shares"),
        ("saves", "clicks", "conversions", "revenue"),
    )


class StatusChangeInline(admin.TabularInline):
    """The pipeline history, written by partnerships.services; read only here."""

    model = PartnershipStatusChange
    extra = 0
    fields = ("changed_at", "from_status", "to_status", "changed_by", "note")
    readonly_fields = fields
    can_delete = False
    ordering = ("-changed_at", "-id")

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Partnership)
class PartnershipAdmin(HistoryAdminMixin, admin.ModelAdmin):
    list_display = (
        "influencer",
        "campaign",
        "collaboration_type",
        "status",
        "contract_value",
        "tier_at_signing",
        "end_date",
    )
    list_filter = ("collaboration_type", "status", "tier_at_signing", "auto_renew")
    list_select_related = ("influencer", "campaign", "tier_at_signing")
    search_fields = ("influencer__name", "campaign__name", "terms")
    autocomplete_fields = ("influencer", "campaign", "owner", "renewed_from")
    readonly_fields = ("contract_value", "tier_at_signing", "signed_on", "created_at")
    inlines = [DeliverableInline, StatusChangeInline]
    show_full_result_count = False

    def save_model(self, request, obj, form, change):
        partnership_apply_terms(obj)
        if change:
            version_bump(obj)  # an edit form opened before this save is now out of date
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        # The deliverables inline may have added, changed or deleted rows; this also rewrites
        # the influencer's report rows. The influencer it was moved from needs its own.
        partnership_results_refresh(partnership_ids=[form.instance.pk])
        if change:
            influencer_results_refresh(influencer_ids=[form.initial.get("influencer")])

    def delete_model(self, request, obj):
        influencer_id = obj.influencer_id
        super().delete_model(request, obj)
        influencer_results_refresh(influencer_ids=[influencer_id])

    def delete_queryset(self, request, queryset):
        influencer_ids = set(queryset.values_list("influencer_id", flat=True))
        super().delete_queryset(request, queryset)
        influencer_results_refresh(influencer_ids=influencer_ids)


@admin.register(Deliverable)
class DeliverableAdmin(HistoryAdminMixin, admin.ModelAdmin):
    list_display = ("partnership", "kind", "platform", "status", "due_date", "published_on")
    list_filter = ("status", "kind", "platform")
    list_select_related = ("partnership__influencer", "partnership__campaign")
    search_fields = ("partnership__influencer__name", "url")
    autocomplete_fields = ("partnership",)
    date_hierarchy = "due_date"
    show_full_result_count = False

    # Power edits here bypass the deliverable services, so each keeps the totals in step.
    def save_model(self, request, obj, form, change):
        before = form.initial.get("partnership") if change else None
        super().save_model(request, obj, form, change)
        partnership_results_refresh(partnership_ids=[before, obj.partnership_id])

    def delete_model(self, request, obj):
        partnership_id = obj.partnership_id
        super().delete_model(request, obj)
        partnership_results_refresh(partnership_ids=[partnership_id])

    def delete_queryset(self, request, queryset):
        partnership_ids = set(queryset.values_list("partnership_id", flat=True))
        super().delete_queryset(request, queryset)
        partnership_results_refresh(partnership_ids=partnership_ids)
