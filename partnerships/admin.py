from django.contrib import admin

from crm.concurrency import VersionCheckAdminMixin, VersionCheckInlineMixin
from crm.history import HistoryAdminMixin
from partnerships.models import Deliverable, Partnership, PartnershipStatusChange
from partnerships.services import partnership_apply_terms


class DeliverableInline(VersionCheckInlineMixin, admin.StackedInline):
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
class PartnershipAdmin(VersionCheckAdminMixin, HistoryAdminMixin, admin.ModelAdmin):
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

    def get_readonly_fields(self, request, obj=None):
        fields = super().get_readonly_fields(request, obj)
        # Moves go through the pipeline (its rules, its history) and leave the version alone, so
        # a status typed here could put back a move made after this form was opened.
        return (*fields, "status") if obj is not None else fields

    def save_model(self, request, obj, form, change):
        partnership_apply_terms(obj)
        super().save_model(request, obj, form, change)  # claims the next version on a change


@admin.register(Deliverable)
class DeliverableAdmin(VersionCheckAdminMixin, HistoryAdminMixin, admin.ModelAdmin):
    list_display = ("partnership", "kind", "platform", "status", "due_date", "published_on")
    list_filter = ("status", "kind", "platform")
    list_select_related = ("partnership__influencer", "partnership__campaign")
    search_fields = ("partnership__influencer__name", "url")
    autocomplete_fields = ("partnership",)
    date_hierarchy = "due_date"
    show_full_result_count = False
