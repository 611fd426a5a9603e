from django.contrib import admin

from campaigns.models import Campaign
from crm.concurrency import VersionCheckAdminMixin
from crm.history import HistoryAdminMixin


@admin.register(Campaign)
class CampaignAdmin(VersionCheckAdminMixin, HistoryAdminMixin, admin.ModelAdmin):
    list_display = ("name", "objective", "status", "start_date", "end_date", "budget", "owner")
    list_filter = ("status", "objective", "target_niches")
    list_select_related = ("owner",)
    search_fields = ("name", "product", "description")
    filter_horizontal = ("target_niches",)
    autocomplete_fields = ("owner",)
    date_hierarchy = "start_date"
